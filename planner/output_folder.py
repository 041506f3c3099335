"""Output folders that hold one run: written beside ``--out``, moved in whole, or left as they were.

Every command that writes a folder (``evaluate``, ``plan``, ``gaps``, ``map``, ``demo``) writes
through :func:`output_folder`:

- the files are written into a temporary folder beside ``--out`` (same parent folder, so each
  rename is atomic), and moved in only when all are written;
- planner's own file names (:data:`OUTPUT_NAMES`) left in ``--out`` by a previous run that this
  run does not write are removed, so the folder never mixes two plans (say, an old ``map.html``
  after a rerun with ``--no-maps``);
- any other file in ``--out`` (a user's notes) is never touched;
- a failure (an exception, Ctrl-C, SIGTERM) leaves ``--out`` exactly as it was and removes the
  temporary folder: while the files are written, SIGTERM raises like Ctrl-C
  (:func:`planner.interrupts.sigterm_raises`).  While the files are moved in, and while the
  temporary folder is removed, Ctrl-C and SIGTERM wait until that is done; should a rename fail,
  the renames already done are undone.

Examples
--------
>>> import tempfile
>>> from planner.outputs import write_text
>>> out = Path(tempfile.mkdtemp()) / "out"
>>> with output_folder(out) as folder:
...     write_text(folder / "map.html", "old plan")
...     write_text(folder / "notes.txt", "a user's file")
>>> with output_folder(out) as folder:
...     write_text(folder / "report.md", "new plan")
>>> sorted(p.name for p in out.iterdir())
['notes.txt', 'report.md']
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from planner.inputs.problems import InputError, Problem
from planner.interrupts import sigterm_raises

#: The names of the files (and folders) planner writes into an output folder, at any depth.
#: A file of one of these names that a run does not write is removed when the run's files are
#: moved in; add a name here when a stage writes a new file.
OUTPUT_NAMES = frozenset({
    # an evaluated plan (planner.pipeline.write_outputs)
    "plan.csv", "units.csv", "members.csv", "parts.csv", "findings.csv", "report.md", "summary.json", "moves.csv",
    "gaps.csv", "bodies.csv", "task_transfers.csv", "staffing.csv", "plan.xlsx", "cards.html",
    "seal_schedule.csv", "seal_schedule.png",
    # maps and GIS files (planner.maps.write_maps, planner map --screenshot)
    "map.html", "map.png", "map.svg", "map-screenshot.png", "plan.gpkg", "plan.geojson", "atlas.pdf",
})
#: What ``planner demo`` writes besides: one folder per side, the agency tables generated for each
#: optimizer plan, and the demo scenario when it is generated outside a checkout.
DEMO_NAMES = OUTPUT_NAMES | {
    "baseline", "plan", "plan-free-count", "agencies-plan", "agencies-plan-free-count", "scenario",
    "agencies.csv", "places.csv", "procedures.csv", "service_points.csv", "tasks.csv", "transfer_rules.csv",
    "seal_capacity.csv", "scenario.yaml", "baseline.csv", "links.csv", "boundaries.geojson", "agencies",
}

#: Signals held back while a run's files are moved in.
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)

#: The output folders being written: (temporary folder, the folder it becomes), both absolute, innermost last.
_WRITING: list[tuple[str, str]] = []


def check_output_folder(out: str | Path) -> Path:
    """``out`` as a path, when it can be an output folder: missing, or an existing folder.

    Raises
    ------
    InputError
        When ``out`` (or a folder above it) is an existing file, or ``out`` holds a scenario
        (its ``scenario.yaml``): outputs would replace the scenario's own tables.

    Examples
    --------
    >>> check_output_folder("results/thanh-hoa").name
    'thanh-hoa'
    """
    out = Path(out)
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            what = "--out" if path == out else f"the folder {path} above --out"
            raise InputError([Problem(str(out), "--out", "", f"{what} is an existing file, not a folder: "
                                      "name a folder for the output files (it is created if missing)")])
    if (out / "scenario.yaml").is_file():
        raise InputError([Problem(str(out), "--out", "", "--out holds a scenario (scenario.yaml) whose tables the "
                                  "outputs would replace: name another folder for the output files")])
    return out


@contextlib.contextmanager
def output_folder(out: str | Path, own: Collection[str] = OUTPUT_NAMES) -> Iterator[Path]:
    """A temporary folder beside ``out`` to write a run's files into; they replace ``out``'s at the end.

    Parameters
    ----------
    out : str or Path
        The output folder (created with its parents if missing).
    own : collection of str
        The file and folder names that are planner's: one of these left in ``out`` (or in a folder
        of it that the run writes) and not written by this run is removed.

    Yields
    ------
    Path
        The temporary folder: write every file of the run into it.

    Raises
    ------
    InputError
        When ``out`` is an existing file.
    """
    out = check_output_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}.planner-new-", dir=out.parent))
    _WRITING.append((str(temporary.resolve()), str(out.resolve())))
    try:
        with sigterm_raises():
            yield temporary
        with _signals_held():
            _commit(temporary, out, frozenset(own))
    finally:
        _WRITING.pop()
        with _signals_held():
            shutil.rmtree(temporary, ignore_errors=True)


def final_paths(data: Any) -> Any:
    """``data`` with every path inside an output folder being written changed to where the file will be.

    A run that records a path of its own output (the demo's generated agency tables, named in the
    scenario and so in ``summary.json``) records the folder the file ends up in, not the temporary one.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "out"
    >>> with output_folder(out) as folder:
    ...     final_paths({"path": str((folder / "tables" / "tasks.csv").resolve())})["path"] == str(
    ...         out.resolve() / "tables" / "tasks.csv")
    True
    """
    if isinstance(data, dict):
        return {key: final_paths(value) for key, value in data.items()}
    if isinstance(data, list):
        return [final_paths(value) for value in data]
    if isinstance(data, str):
        for temporary, final in reversed(_WRITING):
            if data == temporary or data.startswith(temporary + os.sep):
                data = final + data[len(temporary):]
    return data


class _Moves:
    """The renames done while moving a run in, so that they can be undone in reverse order."""

    def __init__(self, backup: Path) -> None:
        self.backup = backup
        self.done: list[tuple[str, Path, Path]] = []

    def move(self, source: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        self.done.append(("move", source, target))

    def set_aside(self, path: Path, relative: Path) -> None:
        self.move(path, self.backup / relative)

    def mkdir(self, path: Path) -> None:
        path.mkdir()
        self.done.append(("mkdir", path, path))

    def rmdir(self, path: Path) -> None:
        path.rmdir()
        self.done.append(("rmdir", path, path))

    def undo(self) -> None:
        for action, source, target in reversed(self.done):
            if action == "move":
                os.replace(target, source)
            elif action == "mkdir":
                target.rmdir()
            else:
                target.mkdir()


def _commit(new: Path, out: Path, own: frozenset[str]) -> None:
    """Move the run's files from ``new`` into ``out``; undone whole if a rename fails."""
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.planner-old-", dir=out.parent))
    moves = _Moves(backup)
    try:
        if not out.exists():
            moves.mkdir(out)
        _merge(new, out, Path(), own, moves)
    except BaseException:
        moves.undo()
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)


def _merge(new: Path, old: Path, relative: Path, own: frozenset[str], moves: _Moves) -> None:
    """Put the entries of ``new`` into ``old``: its own stale entries set aside, folders merged."""
    written = {entry.name: entry for entry in new.iterdir()}
    for entry in sorted(old.iterdir()):
        if entry.name in written:
            if not (_is_folder(entry) and _is_folder(written[entry.name])):
                moves.set_aside(entry, relative / entry.name)
        elif entry.name in own:
            _remove_own(entry, relative / entry.name, own, moves)
    for name, entry in sorted(written.items()):
        target = old / name
        if _is_folder(entry) and _is_folder(target):
            _merge(entry, target, relative / name, own, moves)
        else:
            _keep_mode(entry, moves.backup / relative / name)
            moves.move(entry, target)


def _remove_own(entry: Path, relative: Path, own: frozenset[str], moves: _Moves) -> None:
    """Set aside a stale entry of planner's; of a folder, only planner's files (the folder goes when empty)."""
    if not _is_folder(entry):
        moves.set_aside(entry, relative)
        return
    for child in sorted(entry.iterdir()):
        if child.name in own:
            _remove_own(child, relative / child.name, own, moves)
    if not any(entry.iterdir()):
        moves.rmdir(entry)


def _keep_mode(entry: Path, replaced: Path) -> None:
    """Give a new file the permissions of the file it replaces (set aside as ``replaced``)."""
    if replaced.is_file() and not replaced.is_symlink() and entry.is_file():
        os.chmod(entry, stat.S_IMODE(replaced.stat().st_mode))


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block is done, then deliver them (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {number: signal.signal(number, lambda number, _frame: received.append(number))
                for number in HELD_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(received):
            signal.raise_signal(number)
