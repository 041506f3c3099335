"""Run planner from a checkout: ``python cli.py COMMAND ...`` (same as the ``planner`` command)."""

import sys

from planner.cli import main

if __name__ == "__main__":
    sys.exit(main())
