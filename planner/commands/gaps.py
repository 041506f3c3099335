"""``planner gaps SCENARIO [--plan FILE] --out DIR``: what breaks on the day a plan takes effect."""

from __future__ import annotations

import argparse
from typing import Any

from planner import pipeline
from planner.commands.common import (
    add_evaluation_arguments,
    open_and_evaluate,
    print_json,
    print_table,
    print_warnings,
    write_output_folder,
)
from planner.progress import step

HELP = "report the gaps a plan leaves on its go-live day (seals, tasks, procedures, access, staff)"
DESCRIPTION = (
    "Work out the transition of a plan (bodies each new unit must create, the receiver of each task of an "
    "abolished body) and check it for gaps: seals missing or late, bodies signing without seal or legal basis, "
    "tasks with no owner or two, procedures naming abolished bodies, residents beyond the access threshold, units "
    "without a one-stop center, staffing against the norm, duplicate place names. Agency tables come from the "
    "scenario's agencies: section, else from the preset's agency template. Writes gaps.csv, bodies.csv, "
    "task_transfers.csv, staffing.csv, seal_schedule.csv and .png (the seals registered within each province's "
    "capacity, most needed first), plan.xlsx, the evaluation files (units.csv with each unit's readiness) and maps "
    "into --out.")

#: The transition figures of the table: (key in the summary's ``transition``, label).
TRANSITION_LINES = [
    ("agency_source", "agency data"), ("go_live", "go-live"), ("seal_deadline", "last day to order a seal"),
    ("bodies_abolished", "bodies abolished"), ("bodies_to_create", "bodies to create"),
    ("seals_needed", "seals needed"), ("seals_remade", "seals re-made (bodies that carry on)"),
    ("seals_late", "seals registered after go-live"),
    ("seal_capacity_needed_per_day", "seals a day for every critical seal on day one"),
    ("tasks_reassigned", "tasks reassigned"),
    ("staff_surplus", "staff surplus (positions)"), ("staff_shortage", "staff shortage (positions)"),
    ("staff_headcount_estimated", "new units whose headcount is an estimate (no staffing gap)"),
    ("residents_beyond_threshold", "residents beyond the access threshold"),
]
#: The summary keys printed with ``--json``.
JSON_KEYS = ("gaps", "gaps_by_severity", "transition", "seal_schedule", "readiness")


#: Scenario, ``--plan``, ``--out``, ``--no-maps`` and ``--json``.
add_arguments = add_evaluation_arguments


def run(args: argparse.Namespace) -> int:
    """Find the gaps of the plan, write the output folder and print the gap summary."""
    scenario, graph, plan, evaluation = open_and_evaluate(args)
    warnings: list[Any] = []
    with step("working out the transition and checking for gaps"):
        report = pipeline.find_plan_gaps(scenario, graph, evaluation, warnings)
    print_warnings(warnings)
    summary = write_output_folder(args, scenario, graph, evaluation, gaps=report)
    if args.json:
        print_json({key: summary.get(key) for key in JSON_KEYS})
    else:
        print_gap_summary(summary, f"{scenario.name}: gaps of {plan.label}")
    return 0


def print_gap_summary(summary: dict[str, Any], title: str) -> None:
    """The transition figures and the count per gap type, as a table."""
    transition = summary["transition"]
    rows = [(label, f"{value:,.0f}" if isinstance(value, float) else str(value))
            for key, label in TRANSITION_LINES if key in transition for value in [transition[key]]]
    rows += [(f"gaps: {gap_type}", str(count)) for gap_type, count in summary["gaps"].items() if count]
    rows.append(("gaps in all", str(sum(summary["gaps"].values()))))
    rows += [(f"new units {status.replace('_', ' ')}", str(count)) for status, count in
             (summary.get("readiness") or {}).items()]
    print_table(title, ("figure", "value"), rows)
