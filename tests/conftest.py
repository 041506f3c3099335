"""Test helpers shared by the test modules (``tests`` is put on the import path)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
