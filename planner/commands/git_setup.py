"""``planner git-setup``: make ``git diff`` and ``git log -p`` show plan files semantically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.commands.common import add_json_argument, print_json
from planner.review.gitsetup import DEFAULT_COMMAND, DEFAULT_PATTERNS, DRIVER, setup

HELP = "configure git to show plan files as new units and members in diffs"
DESCRIPTION = (f"Mark plan files in the repository's .gitattributes with the diff driver '{DRIVER}': the names "
               f"{', '.join(DEFAULT_PATTERNS)} and the name of every tracked CSV file whose header is plan-shaped "
               "(unit and new_unit columns, or a mapping's old_code and new_code, such as baseline.csv or "
               f"merger_2025.csv); and add the driver (textconv '{DEFAULT_COMMAND}') to .git/config, so that "
               "'git diff' and 'git log -p' show which old units moved between new units. Running it again "
               "changes nothing, or adds the plan files tracked since.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--repo``, ``--global``, ``--command`` and ``--json``."""
    parser.add_argument("--repo", metavar="DIR", default=".", help="a folder inside the repository (default: .)")
    parser.add_argument("--global", dest="global_scope", action="store_true",
                        help="configure your user (~/.gitconfig and git's global attributes file) instead")
    parser.add_argument("--command", metavar="CMD",
                        help=f"textconv command (default: '{DEFAULT_COMMAND}', planner on the PATH; e.g. "
                        "'python3 -m planner diff --textconv' for a Python that has planner installed)")
    add_json_argument(parser, "print what was configured as JSON on stdout (for scripts)")


def run(args: argparse.Namespace) -> int:
    """Configure git and print each setting and attribute line, set now or already in place."""
    report = setup(Path(args.repo), global_scope=args.global_scope, command=args.command)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print_json({"scope": report.config_scope, "attributes_file": str(report.attributes_file),
                    "changed": report.changed, "unchanged": report.unchanged, "plan_files": report.plan_files,
                    "warnings": report.warnings})
        return 0
    for line in report.changed:
        print(f"set      {line}")
    for line in report.unchanged:
        print(f"already  {line}")
    for name in report.plan_files:
        print(f"plan     {name}")
    print(f"git diff now shows plan files semantically ({report.config_scope} configuration, "
          f"attributes in {report.attributes_file})")
    return 0
