"""``planner gaps SCENARIO [--plan FILE] --out DIR``: what breaks on the day a plan takes effect."""

from __future__ import annotations

import argparse
import json

from rich.table import Table

from planner import pipeline
from planner.commands.common import (
    add_json_argument,
    add_output_arguments,
    add_plan_argument,
    add_scenario_argument,
    open_and_evaluate,
    stdout,
)
from planner.progress import step

TRANSITION_LINES = [
    ("agency_source", "agency data"),
    ("go_live", "go-live"),
    ("seal_deadline", "seals registered by"),
    ("bodies_abolished", "bodies abolished"),
    ("bodies_to_create", "bodies to create"),
    ("seals_needed", "seals needed"),
    ("tasks_reassigned", "tasks reassigned"),
    ("staff_surplus", "staff surplus (positions)"),
    ("staff_shortage", "staff shortage (positions)"),
    ("residents_beyond_threshold", "residents beyond the access threshold"),
]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gaps", help="report the gaps a plan leaves on its go-live day (seals, tasks, procedures, access, staff)",
        description="Work out the transition of a plan (bodies each new unit must create, the receiver of each "
        "task of an abolished body) and check it for gaps: seals missing or late, bodies signing without seal or "
        "legal basis, tasks with no owner or two, procedures naming abolished bodies, residents beyond the access "
        "threshold, units without a one-stop center, staffing against the norm, duplicate place names. Agency "
        "tables come from the scenario's agencies: section, else from the preset's agency template. Writes "
        "gaps.csv, bodies.csv, task_transfers.csv, staffing.csv, plan.xlsx, the evaluation files and maps into --out.")
    add_scenario_argument(parser)
    add_plan_argument(parser)
    add_output_arguments(parser)
    add_json_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    scenario, graph, plan, evaluation = open_and_evaluate(args)
    with step("working out the transition and checking for gaps"):
        report = pipeline.find_plan_gaps(scenario, graph, evaluation)
    with step(f"writing {args.out}"):
        summary = pipeline.write_outputs(args.out, scenario, graph, evaluation, gaps=report,
                                         maps=not args.no_maps)
    if args.json:
        print(json.dumps({key: summary[key] for key in ("gaps", "gaps_by_severity", "transition")},
                         sort_keys=True, indent=2, ensure_ascii=False))
        return 0
    print_gap_summary(summary, f"{scenario.name}: gaps of {plan.label}")
    return 0


def print_gap_summary(summary: dict, title: str) -> None:
    """The transition figures and the count per gap type, as a table."""
    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column("figure")
    table.add_column("value", justify="right")
    transition = summary["transition"]
    for key, label in TRANSITION_LINES:
        value = transition.get(key)
        table.add_row(label, f"{value:,.0f}" if isinstance(value, float) else str(value))
    for gap_type, count in summary["gaps"].items():
        if count:
            table.add_row(f"gaps: {gap_type}", str(count))
    table.add_row("gaps in all", str(sum(summary["gaps"].values())))
    stdout.print(table)
