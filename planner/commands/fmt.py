"""``planner fmt SCENARIO...``: write scenario YAML files in their canonical layout."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from planner.commands.common import add_json_argument, print_json
from planner.outputs import write_text
from planner.progress import console
from planner.review.fmt import FormatResult, format_file, scenario_files

HELP = "normalize scenario YAML files (indentation, key order, codes as strings), keeping comments"
DESCRIPTION = ("Rewrite scenario YAML files in their canonical layout: two-space indentation, keys in the documented "
               "order, unit codes as quoted strings. Comments and blank lines are kept. A folder is searched for "
               "scenario.yaml files.")
EPILOG = "Exit status: 0; with --check, 1 when a file would change (for CI); 2 on bad input."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The paths, ``--check``, ``--diff`` and ``--json``."""
    parser.add_argument("paths", nargs="+", metavar="SCENARIO", help="scenario folders or YAML files")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; list the files that would change and exit 1 if any would")
    parser.add_argument("--diff", action="store_true", help="with --check, also print what would change")
    add_json_argument(parser, "print the files checked and changed as JSON on stdout (for scripts)")


def run(args: argparse.Namespace) -> int:
    """Format the files (or check them with ``--check``) and report which change."""
    results = [format_file(path) for path in scenario_files(args.paths)]
    changed = [r for r in results if r.changed]
    for result in changed:
        if not args.check:
            write_text(result.path, result.text)
        if not args.json:
            _print_change(result, args.check, args.diff)
    if args.json:
        print_json(_summary(results, args.check, args.diff))
    console.print(f"{len(results)} file(s) checked, {len(changed)} "
                  f"{'would change' if args.check else 'reformatted'}", highlight=False)
    return 1 if args.check and changed else 0


def _print_change(result: FormatResult, check: bool, diff: bool) -> None:
    """The line of a file that changes (or would), with the diff under ``--check --diff``."""
    if not check:
        print(f"reformatted {result.path}")
        return
    print(f"would reformat {result.path}")
    if diff:
        sys.stdout.write(result.unified_diff())


def _summary(results: list[FormatResult], check: bool, diff: bool) -> dict[str, Any]:
    """The ``--json`` document: every file with whether it changed (and its diff with ``--check --diff``)."""
    files = []
    for result in results:
        entry: dict[str, Any] = {"path": str(result.path), "changed": result.changed}
        if check and diff:
            entry["diff"] = result.unified_diff()
        files.append(entry)
    return {"check": check, "checked": len(results), "changed": sum(r.changed for r in results),
            "written": 0 if check else sum(r.changed for r in results), "files": files}
