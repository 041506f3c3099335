"""Configuring git so that ``git diff`` and ``git log -p`` show plan files semantically.

Two pieces, both idempotent:

- ``.gitattributes`` lines mark plan files with the diff driver ``planner-plan``: the
  conventional names (:data:`DEFAULT_PATTERNS`) and the name of every CSV file the repository
  tracks whose header is plan-shaped (:func:`planner.review.plan_text.plan_columns`: a
  ``baseline.csv``, an official mapping such as ``merger_2025.csv``), found by
  :func:`plan_files`;
- the driver in git's configuration: ``diff.planner-plan.textconv`` runs
  ``planner diff --textconv`` (the canonical rendering of :mod:`planner.review.plan_text`;
  :data:`DEFAULT_COMMAND` needs ``planner`` on the PATH, as in any clone where it is
  installed) and ``diff.planner-plan.xfuncname`` makes each hunk header name its new unit.

git then diffs the renderings of the two versions instead of the raw CSV lines.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from planner.outputs import write_text
from planner.review import gitio
from planner.review.plan_text import HUNK_HEADER, csv_header, plan_columns

DRIVER = "planner-plan"
#: File names always marked: planner's conventions for plan files.
DEFAULT_PATTERNS = ("plan.csv", "*.plan.csv")
ATTRIBUTE_COMMENT = "# planner: semantic diff of plan files (added by 'planner git-setup')"
#: The textconv command: planner's own CLI, found on the PATH (no path of this machine).
DEFAULT_COMMAND = "planner diff --textconv"


@dataclass
class SetupReport:
    """What :func:`setup` changed and what was already in place."""

    attributes_file: Path
    config_scope: str
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    plan_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def plan_files(root: Path) -> list[str]:
    """The CSV files the repository at ``root`` tracks whose header is plan-shaped, sorted.

    Paths are relative to the root, with forward slashes; a tracked file missing from the
    working tree is left out.
    """
    listing = str(gitio.git(["ls-files", "-z", "--", ":(glob,icase)**/*.csv"], root))
    return sorted(name for name in listing.split("\0")
                  if name and (root / name).is_file() and plan_columns(csv_header(root / name)) is not None)


def attribute_patterns(files: list[str]) -> list[str]:
    """The patterns to mark: :data:`DEFAULT_PATTERNS`, then the names of ``files`` they miss.

    A name (no directory) matches the file wherever it is, so another scenario's
    ``baseline.csv`` is covered too; a file of that name that is not a plan is shown as it is.

    Examples
    --------
    >>> attribute_patterns(["scenarios/a/baseline.csv", "scenarios/b/baseline.csv", "x/plan.csv", "m 1.csv"])
    ['plan.csv', '*.plan.csv', 'baseline.csv', '"m 1.csv"']
    """
    names = {PurePosixPath(name).name for name in files}
    extra = sorted(name for name in names if not any(fnmatch.fnmatchcase(name, p) for p in DEFAULT_PATTERNS))
    return list(DEFAULT_PATTERNS) + [_escape(name) for name in extra]


def _escape(name: str) -> str:
    """A file name as a .gitattributes pattern: glob characters escaped, quoted when it has spaces."""
    pattern = re.sub(r"([*?\[\\])", r"\\\1", name)
    if re.search(r'[\s"]', pattern):
        return '"' + pattern.replace('"', '\\"') + '"'
    return pattern


def setup(folder: Path, *, global_scope: bool = False, command: str | None = None) -> SetupReport:
    """Add the attributes and the diff driver for the repository holding ``folder`` (or globally).

    Parameters
    ----------
    folder : Path
        A folder inside the repository (ignored with ``global_scope`` except to run git).
    global_scope : bool
        Write ``~/.gitconfig`` and the global attributes file instead of the repository's.
    command : str, optional
        The textconv command (default :data:`DEFAULT_COMMAND`).

    Returns
    -------
    SetupReport
        The settings and attribute lines set now and those already in place, the plan files
        found, and a warning when the command's program is not on the PATH.
    """
    command = command or DEFAULT_COMMAND
    settings = {f"diff.{DRIVER}.textconv": command, f"diff.{DRIVER}.xfuncname": HUNK_HEADER}
    root = _repository(folder, required=not global_scope)
    if global_scope:
        scope, cwd = "--global", folder
        attributes = global_attributes_file(folder)
    else:
        assert root is not None
        scope, cwd = "--local", root
        attributes = root / ".gitattributes"
    report = SetupReport(attributes, scope.lstrip("-"), plan_files=plan_files(root) if root else [])
    program = command.split()[0] if command.split() else ""
    if shutil.which(program) is None:
        report.warnings.append(f"'{program}' is not on the PATH here: git diff cannot run '{command}' until it "
                               "is (activate the environment planner is installed in, or pass --command)")
    for key, value in settings.items():
        current = _config_get(scope, key, cwd)
        if current == value:
            report.unchanged.append(f"{key} = {value}")
        else:
            gitio.git(["config", scope, key, value], cwd)
            report.changed.append(f"{key} = {value}")
    _add_attribute_lines(attributes, [f"{p} diff={DRIVER}" for p in attribute_patterns(report.plan_files)], report)
    return report


def _repository(folder: Path, *, required: bool) -> Path | None:
    """The root of the repository holding ``folder``; None outside one unless ``required``."""
    try:
        return gitio.toplevel(folder)
    except gitio.GitError:
        if required:
            raise
        return None


def global_attributes_file(cwd: Path) -> Path:
    """git's global attributes file: ``core.attributesFile``, else ``$XDG_CONFIG_HOME/git/attributes``."""
    configured = _config_get("--global", "core.attributesFile", cwd)
    if configured:
        return Path(os.path.expanduser(configured))
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "git" / "attributes"


def _config_get(scope: str, key: str, cwd: Path) -> str | None:
    try:
        return str(gitio.git(["config", scope, "--get", key], cwd)).rstrip("\n")
    except gitio.GitError:
        return None


def _add_attribute_lines(path: Path, lines: list[str], report: SetupReport) -> None:
    text = path.read_text("utf-8") if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in lines if line not in present]
    report.unchanged += [f"{path.name}: {line}" for line in lines if line in present]
    if not missing:
        return
    if text and not text.endswith("\n"):
        text += "\n"
    if ATTRIBUTE_COMMENT not in present:
        text += ATTRIBUTE_COMMENT + "\n"
    write_text(path, text + "".join(line + "\n" for line in missing))
    report.changed += [f"{path.name}: {line}" for line in missing]
