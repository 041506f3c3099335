"""Reading files of a git revision: the scenario (or plan) as it was at a commit.

:func:`materialize` copies a path of the repository, as it was at a revision, into a
temporary folder laid out like the repository, so relative paths between tracked files
still work.  A scenario's data often lives outside the repository (``../../../shared/data``)
or is not tracked; those paths are resolved against the working tree instead (see
:func:`planner.review.sides.load_revision_side`).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from planner.inputs.problems import InputError, Problem


class GitError(InputError):
    """A git command failed (unknown revision, not a repository, path not in the revision)."""


def git(args: list[str], cwd: Path, *, binary: bool = False) -> str | bytes:
    """Run ``git`` and return its standard output.

    Raises
    ------
    GitError
        When git is missing or the command fails; the message is git's own.
    """
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError([Problem("git", "", "", "git is not installed or not on PATH")]) from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed"
        raise GitError([Problem(f"git {' '.join(args)}", "", "", message)])
    return done.stdout if binary else done.stdout.decode("utf-8")


def toplevel(path: Path) -> Path:
    """The root of the working tree holding ``path``."""
    folder = path if path.is_dir() else path.parent
    while not folder.exists():
        folder = folder.parent
    return Path(str(git(["rev-parse", "--show-toplevel"], folder)).strip()).resolve()


def repo_relative(path: Path, root: Path) -> str:
    """``path`` relative to the repository root, with forward slashes ('' for the root)."""
    relative = os.path.relpath(Path(os.path.abspath(path)).resolve(), root)
    return "" if relative == "." else relative.replace(os.sep, "/")


def resolve_revision(revision: str, root: Path) -> str:
    """The commit id a revision names (``HEAD~1``, a branch, a tag)."""
    return str(git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root)).strip()


def object_type(revision: str, relative: str, root: Path) -> str | None:
    """``blob``, ``tree`` or None when the path does not exist at the revision."""
    try:
        return str(git(["cat-file", "-t", f"{revision}:{relative}"], root)).strip()
    except GitError:
        return None


def tracked_files(revision: str, relative: str, root: Path) -> list[str]:
    """Repository-relative paths of the files under ``relative`` at ``revision``, sorted."""
    listing = str(git(["ls-tree", "-r", "-z", "--name-only", revision, "--", relative or "."], root))
    return sorted(name for name in listing.split("\0") if name)


def show(revision: str, relative: str, root: Path) -> bytes:
    """The bytes of a file at a revision (``git show REV:path``)."""
    return bytes(git(["show", f"{revision}:{relative}"], root, binary=True))


def materialize(revision: str, relative: str, root: Path, into: Path) -> Path:
    """Write ``relative`` (a file or a folder) as it was at ``revision`` under ``into``.

    Returns the path of the copy (``into / relative``).

    Raises
    ------
    GitError
        When the revision is unknown or the path does not exist in it.
    """
    commit = resolve_revision(revision, root)
    kind = object_type(commit, relative, root)
    if kind is None:
        raise GitError([Problem(f"{revision}:{relative or '.'}", "", "",
                                f"'{relative or '.'}' does not exist at revision {revision}")])
    files = [relative] if kind == "blob" else tracked_files(commit, relative, root)
    for name in files:
        copy_file(commit, name, root, into)
    return into / relative


def copy_file(commit: str, name: str, root: Path, into: Path) -> Path:
    """Write one tracked file of ``commit`` under ``into`` at its repository path."""
    target = into / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(show(commit, name, root))
    return target
