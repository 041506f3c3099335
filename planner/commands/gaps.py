"""``planner gaps SCENARIO [--plan FILE] --out DIR``: what breaks on the day a plan takes effect."""

from __future__ import annotations

import argparse
import json

from rich.table import Table

from planner import pipeline
from planner.commands.common import add_json_argument, add_scenario_argument, stdout
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
    parser.add_argument("--plan", metavar="FILE",
                        help="plan CSV (unit,new_unit[,new_name,new_kind,seat]); default: the baseline")
    parser.add_argument("--out", metavar="DIR", required=True, help="folder for the output files")
    parser.add_argument("--no-maps", action="store_true", help="do not draw map.html, map.png and map.svg")
    add_json_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with step("reading the scenario and building the unit graph"):
        scenario, graph = pipeline.open_scenario(args.scenario)
    plan = pipeline.load_plan(scenario, args.plan)
    with step(f"evaluating {len(set(plan.assignment.values()))} new units"):
        evaluation = pipeline.evaluate(scenario, graph, plan)
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
