"""Writing output files atomically and deterministically.

Every file planner writes goes through these helpers: the text is produced in full,
written to a temporary file beside the target and renamed over it, so a failure never
leaves a half-written file.  Floats are formatted by the caller (fixed decimals), rows are
sorted by the caller, JSON keys are sorted here, and line endings are always ``\\n``.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd


def _file_mode(path: Path) -> int:
    """The permissions to give ``path``: those it has, else the usual ones for a new file (umask)."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text to ``path`` through a temporary file and a rename (permissions kept).

    Line endings are written as they are in ``text`` (``\\n`` never becomes ``\\r\\n``).
    """
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to ``path`` through a temporary file and a rename (permissions kept)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table as UTF-8 CSV with ``\\n`` line endings; the caller sorts and formats."""
    write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def json_text(data: Any) -> str:
    """Canonical JSON: sorted keys, two-space indent, UTF-8 characters kept."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_json(data: Any, path: Path) -> None:
    """Write canonical JSON atomically."""
    write_text(path, json_text(data))
