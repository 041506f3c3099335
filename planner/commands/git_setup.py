"""``planner git-setup``: make ``git diff`` and ``git log -p`` show plan files semantically."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.commands.common import add_json_argument, print_json
from planner.review.gitsetup import ATTRIBUTE_LINES, DRIVER, setup

HELP = "configure git to show plan files as new units and members in diffs"
DESCRIPTION = (f"Add the lines {', '.join(repr(line) for line in ATTRIBUTE_LINES)} to the repository's "
               f".gitattributes and the diff driver '{DRIVER}' (textconv 'planner diff --textconv') to its "
               ".git/config, so that 'git diff' and 'git log -p' show which old units moved between new units. "
               "Running it again changes nothing.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--repo``, ``--global``, ``--command`` and ``--json``."""
    parser.add_argument("--repo", metavar="DIR", default=".", help="a folder inside the repository (default: .)")
    parser.add_argument("--global", dest="global_scope", action="store_true",
                        help="configure your user (~/.gitconfig and git's global attributes file) instead")
    parser.add_argument("--command", metavar="CMD",
                        help="textconv command (default: this Python running 'planner.cli diff --textconv'; "
                        "use 'planner diff --textconv' when planner is on everyone's PATH)")
    add_json_argument(parser, "print what was configured as JSON on stdout (for scripts)")


def run(args: argparse.Namespace) -> int:
    """Configure git and print each setting and attribute line, set now or already in place."""
    report = setup(Path(args.repo), global_scope=args.global_scope, command=args.command)
    if args.json:
        print_json({"scope": report.config_scope, "attributes_file": str(report.attributes_file),
                    "changed": report.changed, "unchanged": report.unchanged})
        return 0
    for line in report.changed:
        print(f"set      {line}")
    for line in report.unchanged:
        print(f"already  {line}")
    print(f"git diff now shows plan files semantically ({report.config_scope} configuration, "
          f"attributes in {report.attributes_file})")
    return 0
