"""``planner evaluate SCENARIO [--plan FILE] --out DIR``: judge a plan."""

from __future__ import annotations

import argparse

from planner import pipeline
from planner.commands.common import add_json_argument, add_plan_argument, add_scenario_argument, print_summary
from planner.progress import step


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="evaluate a plan (the baseline by default) against the preset's standards",
        description="Evaluate a plan: each new unit against its standard, contiguity, distance from "
        "old units to the seat, compactness. Writes plan.csv, units.csv, members.csv, report.md and "
        "summary.json (and the maps of 'planner map') into --out.")
    add_scenario_argument(parser)
    add_plan_argument(parser)
    parser.add_argument("--out", metavar="DIR", required=True, help="folder for the output files")
    parser.add_argument("--no-maps", action="store_true",
                        help="leave out map.html, map.png and map.svg (see 'planner map')")
    add_json_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with step("reading the scenario and building the unit graph"):
        scenario, graph = pipeline.open_scenario(args.scenario)
    plan = pipeline.load_plan(scenario, args.plan)
    with step(f"evaluating {len(set(plan.assignment.values()))} new units"):
        evaluation = pipeline.evaluate(scenario, graph, plan)
    with step(f"writing {args.out}"):
        summary = pipeline.write_outputs(args.out, scenario, graph, evaluation, maps=not args.no_maps)
    print_summary(summary, f"{scenario.name}: {plan.label}", as_json=args.json)
    return 0
