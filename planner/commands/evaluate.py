"""``planner evaluate SCENARIO [--plan FILE] --out DIR``: judge a plan."""

from __future__ import annotations

import argparse

from planner.commands.common import add_evaluation_arguments, open_and_evaluate, print_summary, write_output_folder

HELP = "evaluate a plan (the baseline by default) against the preset's standards"
DESCRIPTION = ("Evaluate a plan: each new unit against its standard, contiguity, distance from old units to the "
               "seat, compactness. Writes plan.csv, units.csv, members.csv, report.md and summary.json (and the "
               "maps of 'planner map') into --out.")


#: Scenario, ``--plan``, ``--out``, ``--no-maps`` and ``--json``.
add_arguments = add_evaluation_arguments


def run(args: argparse.Namespace) -> int:
    """Evaluate the plan, write the output folder and print the headline figures."""
    scenario, graph, plan, evaluation = open_and_evaluate(args)
    summary = write_output_folder(args, scenario, graph, evaluation)
    print_summary(summary, f"{scenario.name}: {plan.label}", as_json=args.json, preset=scenario.preset)
    return 0
