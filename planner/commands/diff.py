"""``planner diff A B`` / ``planner diff REV_A REV_B PATH``: what changed between two plans."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.commands.common import add_json_argument, add_where_argument, print_json, print_warnings, where_of
from planner.inputs.problems import InputError, ProblemList
from planner.progress import step
from planner.review import diff
from planner.review.diff_text import render_text

HELP = "compare two plans, output folders, scenarios or git revisions of a scenario"
DESCRIPTION = (
    "Compare two plans: new units created, dissolved or changed, old units that moved, seat changes, changed rules "
    "and decisions, and the change of every headline figure. A and B are plan files, output folders (plan.csv, "
    "summary.json) or scenario folders (their baseline plans and rules). With three arguments, REV_A REV_B PATH "
    "compares PATH (a scenario folder, output folder or plan file) at two git revisions, e.g. "
    "'planner diff HEAD~1 HEAD scenarios/x'; REV PATH compares a revision with the working tree.")
EPILOG = "Exit status: 0, or 1 with --exit-code when the two sides differ; 2 on bad input."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The inputs, ``--scenario``, ``--json``, ``--brief``, ``--map``, ``--exit-code`` and ``--textconv``."""
    parser.add_argument("inputs", nargs="+", metavar="A B | REV PATH | REV_A REV_B PATH",
                        help="two plans, output folders or scenario folders; or two git revisions and a path")
    parser.add_argument("--scenario", metavar="DIR", help="scenario to check and evaluate plan files with "
                        "(needed for figures and the map when A and B are plan files)")
    add_where_argument(parser)
    add_json_argument(parser, "print the comparison as JSON (for scripts)")
    parser.add_argument("--brief", action="store_true",
                        help="counts, rules and figures only, without the lists of units")
    parser.add_argument("--map", metavar="FILE.svg", help="write a difference map (changed units highlighted)")
    parser.add_argument("--exit-code", action="store_true", help="exit with status 1 when the sides differ")
    parser.add_argument("--textconv", action="store_true",
                        help="print the canonical text of ONE plan file (git's textconv; see 'planner git-setup')")


def run(args: argparse.Namespace) -> int:
    """Compare the two sides and print the comparison (text or JSON); write the map with ``--map``."""
    if args.textconv:
        return _textconv(args.inputs)
    with step("reading and evaluating both sides"):
        a, b = diff.load_sides(args.inputs, scenario_path=args.scenario, where=where_of(args))
    scenarios = {id(side.scenario): side.scenario for side in (a, b) if side.scenario is not None}
    print_warnings(dict.fromkeys(str(w) for scenario in scenarios.values() for w in scenario.warnings))
    comparison = diff.compare(a, b)
    if args.map:
        _write_map(Path(args.map), comparison)
    if args.json:
        print_json(comparison.to_json())
    else:
        sys.stdout.write(render_text(comparison, brief=args.brief))
    return 1 if args.exit_code and comparison.differs else 0


def _textconv(inputs: list[str]) -> int:
    """Print the canonical text of one plan file (``--textconv``)."""
    from planner.review.plan_text import textconv

    if len(inputs) != 1:
        problems = ProblemList()
        problems.error("planner diff --textconv", "", "", f"expected one plan file, got {len(inputs)}")
        raise InputError(problems.items)
    sys.stdout.write(textconv(Path(inputs[0])))
    return 0


def _write_map(path: Path, comparison: diff.Comparison) -> None:
    """Write the difference map of ``--map``."""
    from planner.review.diff_map import map_scenario, write_diff_map

    scenario = map_scenario(path, comparison)
    with step(f"writing the difference map {path}"):
        write_diff_map(path, comparison, scenario.geometries)
