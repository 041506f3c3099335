"""``planner git-setup``: make ``git diff`` and ``git log -p`` show plan files semantically."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.review.gitsetup import ATTRIBUTE_LINES, DRIVER, setup


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "git-setup", help="configure git to show plan files as new units and members in diffs",
        description=f"Add the lines {', '.join(repr(line) for line in ATTRIBUTE_LINES)} to the repository's "
        f".gitattributes and the diff driver '{DRIVER}' (textconv 'planner diff --textconv') to its "
        ".git/config, so that 'git diff' and 'git log -p' show which old units moved between new units. "
        "Running it again changes nothing.")
    parser.add_argument("--repo", metavar="DIR", default=".", help="a folder inside the repository (default: .)")
    parser.add_argument("--global", dest="global_scope", action="store_true",
                        help="configure your user (~/.gitconfig and git's global attributes file) instead")
    parser.add_argument("--command", metavar="CMD",
                        help="textconv command (default: this Python running 'planner.cli diff --textconv'; "
                        "use 'planner diff --textconv' when planner is on everyone's PATH)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = setup(Path(args.repo), global_scope=args.global_scope, command=args.command)
    for line in report.changed:
        print(f"set      {line}")
    for line in report.unchanged:
        print(f"already  {line}")
    print(f"git diff now shows plan files semantically ({report.config_scope} configuration, "
          f"attributes in {report.attributes_file})")
    return 0
