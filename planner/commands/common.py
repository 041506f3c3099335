"""Pieces shared by CLI commands: arguments, summary tables, JSON output."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from planner.evaluation.evaluate import HEADLINE_FIGURES

stdout = Console()

HEADLINE = list(HEADLINE_FIGURES)


def add_scenario_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario folder (holding scenario.yaml) or scenario YAML file")


def add_plan_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", metavar="FILE",
                        help="plan CSV (unit,new_unit[,new_name,new_kind,seat]); default: the baseline")


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """``--out DIR`` and ``--no-maps``, for commands that write an output folder."""
    parser.add_argument("--out", metavar="DIR", required=True, help="folder for the output files")
    parser.add_argument("--no-maps", action="store_true",
                        help="leave out map.html, map.png and map.svg (see 'planner map')")


def open_and_evaluate(args: argparse.Namespace):
    """Read the scenario and the plan named by ``args``, build the graph and evaluate the plan.

    Returns ``(scenario, graph, plan, evaluation)``.
    """
    from planner import pipeline
    from planner.progress import step

    with step("reading the scenario and building the unit graph"):
        scenario, graph = pipeline.open_scenario(args.scenario)
    plan = pipeline.load_plan(scenario, args.plan)
    with step(f"evaluating {len(set(plan.assignment.values()))} new units"):
        evaluation = pipeline.evaluate(scenario, graph, plan)
    return scenario, graph, plan, evaluation


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help="print the summary as JSON on stdout (for scripts)")


def print_summary(summary: dict[str, Any], title: str, extra: list[tuple[str, str]] | None = None,
                  as_json: bool = False) -> None:
    """Print the headline figures as a table, or the whole summary as JSON."""
    if as_json:
        print(json.dumps(summary, sort_keys=True, indent=2, ensure_ascii=False))
        return
    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, label in HEADLINE + (extra or []):
        if key in summary and summary[key] is not None:
            value = summary[key]
            table.add_row(label, f"{value:.2f}" if isinstance(value, float) else str(value))
    stdout.print(table)
