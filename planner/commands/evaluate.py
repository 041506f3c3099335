"""``planner evaluate SCENARIO [--plan FILE] --out DIR``: judge a plan."""

from __future__ import annotations

import argparse

from planner import pipeline
from planner.commands.common import (
    add_json_argument,
    add_output_arguments,
    add_plan_argument,
    add_scenario_argument,
    open_and_evaluate,
    print_summary,
)
from planner.progress import step


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="evaluate a plan (the baseline by default) against the preset's standards",
        description="Evaluate a plan: each new unit against its standard, contiguity, distance from "
        "old units to the seat, compactness. Writes plan.csv, units.csv, members.csv, report.md and "
        "summary.json (and the maps of 'planner map') into --out.")
    add_scenario_argument(parser)
    add_plan_argument(parser)
    add_output_arguments(parser)
    add_json_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    scenario, graph, plan, evaluation = open_and_evaluate(args)
    with step(f"writing {args.out}"):
        summary = pipeline.write_outputs(args.out, scenario, graph, evaluation, maps=not args.no_maps)
    print_summary(summary, f"{scenario.name}: {plan.label}", as_json=args.json)
    return 0
