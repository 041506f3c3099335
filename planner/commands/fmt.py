"""``planner fmt SCENARIO...``: write scenario YAML files in their canonical layout."""

from __future__ import annotations

import argparse
import difflib
import sys

from planner.outputs import write_text
from planner.progress import console
from planner.review.fmt import format_file, scenario_files


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fmt", help="normalize scenario YAML files (indentation, key order, codes as strings), keeping comments",
        description="Rewrite scenario YAML files in their canonical layout: two-space indentation, keys in "
        "the documented order, unit codes as quoted strings. Comments and blank lines are kept. "
        "A folder is searched for scenario.yaml files.",
        epilog="Exit status: 0; with --check, 1 when a file would change (for CI); 2 on bad input.")
    parser.add_argument("paths", nargs="+", metavar="SCENARIO", help="scenario folders or YAML files")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; list the files that would change and exit 1 if any would")
    parser.add_argument("--diff", action="store_true", help="with --check, also print what would change")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    results = [format_file(path) for path in scenario_files(args.paths)]
    changed = [r for r in results if r.changed]
    for result in changed:
        if args.check:
            print(f"would reformat {result.path}")
            if args.diff:
                sys.stdout.writelines(difflib.unified_diff(
                    result.original.splitlines(True), result.text.splitlines(True),
                    f"{result.path} (now)", f"{result.path} (formatted)"))
        else:
            write_text(result.path, result.text)
            print(f"reformatted {result.path}")
    console.print(f"{len(results)} file(s) checked, {len(changed)} "
                  f"{'would change' if args.check else 'reformatted'}", highlight=False)
    return 1 if args.check and changed else 0
