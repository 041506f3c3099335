"""Configuring git so that ``git diff`` and ``git log -p`` show plan files semantically.

Two pieces, both idempotent:

- ``.gitattributes`` lines (:data:`ATTRIBUTE_LINES`) mark plan files with the diff driver
  ``planner-plan``;
- the driver in git's configuration: ``diff.planner-plan.textconv`` runs
  ``planner diff --textconv`` (the canonical rendering of :mod:`planner.review.plan_text`) and
  ``diff.planner-plan.xfuncname`` makes each hunk header name its new unit.

git then diffs the renderings of the two versions instead of the raw CSV lines.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from planner.outputs import write_text
from planner.review import gitio
from planner.review.plan_text import HUNK_HEADER

DRIVER = "planner-plan"
ATTRIBUTE_LINES = (f"plan.csv diff={DRIVER}", f"*.plan.csv diff={DRIVER}")
ATTRIBUTE_COMMENT = "# planner: semantic diff of plan files (added by 'planner git-setup')"


@dataclass
class SetupReport:
    """What :func:`setup` changed and what was already in place."""

    attributes_file: Path
    config_scope: str
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def default_command() -> str:
    """The textconv command: this Python interpreter running planner's CLI (always resolvable)."""
    return f"{shlex.quote(sys.executable)} -m planner.cli diff --textconv"


def setup(folder: Path, *, global_scope: bool = False, command: str | None = None) -> SetupReport:
    """Add the attributes and the diff driver for the repository holding ``folder`` (or globally).

    Parameters
    ----------
    folder : Path
        A folder inside the repository (ignored with ``global_scope`` except to run git).
    global_scope : bool
        Write ``~/.gitconfig`` and the global attributes file instead of the repository's.
    command : str, optional
        The textconv command (default :func:`default_command`).
    """
    settings = {f"diff.{DRIVER}.textconv": command or default_command(),
                f"diff.{DRIVER}.xfuncname": HUNK_HEADER}
    if global_scope:
        scope, cwd = "--global", folder
        attributes = global_attributes_file(folder)
    else:
        root = gitio.toplevel(folder)
        scope, cwd = "--local", root
        attributes = root / ".gitattributes"
    report = SetupReport(attributes, scope.lstrip("-"))
    for key, value in settings.items():
        current = _config_get(scope, key, cwd)
        if current == value:
            report.unchanged.append(f"{key} = {value}")
        else:
            gitio.git(["config", scope, key, value], cwd)
            report.changed.append(f"{key} = {value}")
    _add_attribute_lines(attributes, report)
    return report


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


def _add_attribute_lines(path: Path, report: SetupReport) -> None:
    text = path.read_text("utf-8") if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in ATTRIBUTE_LINES if line not in present]
    report.unchanged += [f"{path.name}: {line}" for line in ATTRIBUTE_LINES if line in present]
    if not missing:
        return
    if text and not text.endswith("\n"):
        text += "\n"
    if ATTRIBUTE_COMMENT not in present:
        text += ATTRIBUTE_COMMENT + "\n"
    write_text(path, text + "".join(line + "\n" for line in missing))
    report.changed += [f"{path.name}: {line}" for line in missing]
