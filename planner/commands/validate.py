"""``planner validate SCENARIO``: check a scenario and print every problem."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

import networkx as nx
from rich.text import Text

from planner.commands.common import add_json_argument, add_scenario_argument, print_json, stdout, where_of
from planner.graph import build_graph
from planner.inputs.problems import InputError, Problem
from planner.inputs.scenario import Scenario, load_scenario
from planner.optimize.checks import plan_problems
from planner.transition.agencies import AgencyLayer, layer_summary, load_agency_layer
from planner.transition.operations_input import read_operations

HELP = "check a scenario and its files (or a sweep file and its variants); print every problem"
DESCRIPTION = ("Check a scenario in one pass: files, columns, ids, figures, geometry, preset, decisions, baseline "
               "plan and agency tables, and what would stop 'planner plan' with the scenario's own target and "
               "decisions. Prints every problem with its file, row or feature and column; exits with status 2 when "
               "any is an error. Writes nothing.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Scenario and ``--json``."""
    add_scenario_argument(parser)
    add_json_argument(parser, "print the problems found and the scenario's counts as JSON on stdout (for scripts)")


def run(args: argparse.Namespace) -> int:
    """Check the scenario (or sweep file); print its warnings, counts and unit graph (or raise its errors)."""
    from planner.sweep.spec import is_sweep_file

    if is_sweep_file(args.scenario):
        return _validate_sweep(args)
    try:
        scenario = load_scenario(args.scenario, where=where_of(args))
        layer = load_agency_layer(scenario)
        warnings = scenario.warnings + layer.warnings + read_operations(scenario, layer).warnings
        graph = build_graph(scenario)
        problems = plan_problems(scenario, graph)
        if problems:
            raise InputError(scenario.warnings + problems)
    except InputError as error:
        if args.json:
            print_json({"scenario": args.scenario, "valid": False, **problem_summary(error.problems)})
        raise
    if not args.json:
        _print_scenario(scenario, layer, warnings)
    if args.json:
        print_json(validation_summary(args.scenario, scenario, layer, graph, warnings))
    else:
        _print_graph(scenario, graph)
    return 0


def _validate_sweep(args: argparse.Namespace) -> int:
    """Check a sweep file and the scenario of each variant (:func:`planner.sweep.check.check_sweep`)."""
    from planner.sweep.check import check_sweep, sweep_summary

    try:
        sweep, warnings = check_sweep(args.scenario)
    except InputError as error:
        if args.json:
            print_json({"sweep": args.scenario, "valid": False, **problem_summary(error.problems)})
        raise
    if args.json:
        print_json(sweep_summary(sweep, warnings))
        return 0
    for warning in warnings:   # the text may hold names from the data: printed as text, not markup
        stdout.print(Text.assemble(("warning ", "yellow"), str(warning)), highlight=False, soft_wrap=True)
    stdout.print(f"[green]ok[/green] sweep {sweep.name}: {len(sweep.variants)} variants of {sweep.scenario}",
                 highlight=False, soft_wrap=True)
    return 0


def problem_summary(problems: list[Problem]) -> dict[str, Any]:
    """The problems as ``{file, where, column, message, severity}`` records, and their counts."""
    errors = sum(1 for p in problems if p.severity == "error")
    return {"counts": {"errors": errors, "warnings": len(problems) - errors},
            "problems": [asdict(problem) for problem in problems]}


def validation_summary(path: str, scenario: Scenario, layer: AgencyLayer, graph: nx.Graph,
                       warnings: list[Problem]) -> dict[str, Any]:
    """The ``--json`` document of a valid scenario: its warnings (the scenario's, the agency layer's and the
    operations tables'), counts, agency data and unit graph."""
    baseline = scenario.baseline
    return {
        "scenario": path, "valid": True, "name": scenario.name, **problem_summary(warnings),
        "units": len(scenario.units), "preset": scenario.preset.id, "polygons": len(scenario.geometries),
        "baseline_new_units": len(set(baseline.assignment.values())) if baseline else None,
        "agencies": layer_summary(layer),
        "graph": {"units": graph.number_of_nodes(), "borders_and_links": graph.number_of_edges(),
                  "cut_off": [list(part) for part in graph.graph["islands"]],
                  "linked_only": [list(part) for part in graph.graph["linked_parts"]],
                  "contiguity": scenario.contiguity,
                  "point_contacts": [{"a": a, "b": b, "shared_m": length}
                                     for a, b, length in graph.graph["point_contacts"]]},
    }


def _print_scenario(scenario: Scenario, layer: AgencyLayer, warnings: list[Problem]) -> None:
    """The warnings, then the line of what the scenario holds."""
    agencies = layer_summary(layer)
    for warning in warnings:
        stdout.print(f"[yellow]warning[/yellow] {warning}", highlight=False, markup=True, soft_wrap=True)
    stdout.print(f"[green]ok[/green] {scenario.name}: {len(scenario.units)} units, preset "
                 f"{scenario.preset.id}, {len(scenario.geometries)} polygons"
                 + (f", baseline plan with {len(set(scenario.baseline.assignment.values()))} new units"
                    if scenario.baseline else "")
                 + f"; agency data: {agencies['source']} ({agencies['agencies']} bodies, {agencies['tasks']} tasks)",
                 highlight=False, soft_wrap=True)


def _print_graph(scenario: Scenario, graph: nx.Graph) -> None:
    """The parts of the unit graph cut off or joined only by links, then its counts."""
    names = scenario.units["name"]
    for part in graph.graph["islands"]:
        listed = ", ".join(f"{code} {names[code]}" for code in part)
        stdout.print(f"[yellow]note[/yellow] cut off from the rest (no shared border, no link): {listed}",
                     highlight=False, soft_wrap=True)
    for part in graph.graph["linked_parts"]:
        listed = ", ".join(f"{code} {names[code]}" for code in part)
        stdout.print(f"note joined to the rest only by links: {listed}", highlight=False, soft_wrap=True)
    _print_point_contacts(scenario, graph)
    stdout.print(f"unit graph: {graph.number_of_nodes()} units, {graph.number_of_edges()} borders and links, "
                 f"{len(graph.graph['islands'])} part(s) cut off", highlight=False, soft_wrap=True)


def _print_point_contacts(scenario: Scenario, graph: nx.Graph, shown: int = 5) -> None:
    """The count of units that touch without a shared border of ``min_shared_border_m``, and a few of them."""
    contacts = graph.graph["point_contacts"]
    if not contacts:
        return
    names = scenario.units["name"]
    listed = "; ".join(f"{a} {names[a]} - {b} {names[b]} ({length:.0f} m)" for a, b, length in contacts[:shown])
    more = f"; and {len(contacts) - shown} more" if len(contacts) > shown else ""
    counted = ("counted as neighbours (contiguity: queen)" if scenario.contiguity == "queen"
               else "not neighbours (contiguity: queen would count them)")
    stdout.print(f"note {len(contacts)} point contact(s): units within {scenario.tolerance_m:g} m of each other "
                 f"sharing less than {scenario.min_shared_border_m:g} m of border, {counted}: {listed}{more}",
                 highlight=False, soft_wrap=True)
