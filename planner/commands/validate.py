"""``planner validate SCENARIO``: check a scenario and print every problem."""

from __future__ import annotations

import argparse

from planner.commands.common import add_scenario_argument, stdout
from planner.graph import build_graph
from planner.inputs.scenario import load_scenario
from planner.transition.agencies import layer_summary, load_agency_layer


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check a scenario and its files; print every problem",
        description="Check a scenario in one pass: files, columns, ids, figures, geometry, preset, "
        "decisions, baseline plan and agency tables. Prints every problem with its file, row or feature and "
        "column; exits with status 2 when any is an error. Writes nothing.")
    add_scenario_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    layer = load_agency_layer(scenario)
    agencies = layer_summary(layer)
    for warning in scenario.warnings + layer.warnings:
        stdout.print(f"[yellow]warning[/yellow] {warning}", highlight=False, markup=True, soft_wrap=True)
    stdout.print(f"[green]ok[/green] {scenario.name}: {len(scenario.units)} units, preset "
                 f"{scenario.preset.id}, {len(scenario.geometries)} polygons"
                 + (f", baseline plan with {len(set(scenario.baseline.assignment.values()))} new units"
                    if scenario.baseline else "")
                 + f"; agency data: {agencies['source']} ({agencies['agencies']} bodies, {agencies['tasks']} tasks)",
                 highlight=False, soft_wrap=True)
    graph = build_graph(scenario)
    names = scenario.units["name"]
    for part in graph.graph["islands"]:
        listed = ", ".join(f"{code} {names[code]}" for code in part)
        stdout.print(f"[yellow]note[/yellow] cut off from the rest (no shared border, no link): {listed}",
                     highlight=False, soft_wrap=True)
    for part in graph.graph["linked_parts"]:
        listed = ", ".join(f"{code} {names[code]}" for code in part)
        stdout.print(f"note joined to the rest only by links: {listed}", highlight=False, soft_wrap=True)
    stdout.print(f"unit graph: {graph.number_of_nodes()} units, {graph.number_of_edges()} borders and links, "
                 f"{len(graph.graph['islands'])} part(s) cut off", highlight=False, soft_wrap=True)
    return 0
