"""``planner validate SWEEP.yaml``: a sweep file and the scenario each of its variants reads, in one pass."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from planner.inputs.problems import InputError, Problem
from planner.inputs.scenario import load_scenario
from planner.sweep.spec import Sweep, read_sweep
from planner.sweep.variant import scenario_changes


def check_sweep(path: str) -> tuple[Sweep, list[Problem]]:
    """Read a sweep file and load the scenario of every variant (each distinct preset and region once).

    Returns
    -------
    tuple
        ``(sweep, warnings)``: the checked sweep and the scenario's warnings, each named by the
        first variant that reads it.

    Raises
    ------
    InputError
        With every problem of the sweep file, or else of every variant's scenario (named
        ``variant NAME`` in each problem's place).
    """
    sweep = read_sweep(path)
    problems: list[Problem] = []
    seen: set[str] = set()
    for variant in sweep.variants:
        changes = scenario_changes(variant.settings)
        where = {column: tuple(values) for column, values in variant.settings.get("where", {}).items()}
        key = json.dumps([changes, where], sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        try:
            scenario = load_scenario(sweep.scenario, changes, where=where)
            found: list[Problem] = scenario.warnings
        except InputError as error:
            found = error.problems
        problems += [_named(problem, variant.name) for problem in found]
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return sweep, problems


def _named(problem: Problem, variant: str) -> Problem:
    """The problem with the variant named in its place."""
    return replace(problem, where=f"variant {variant}" + (f", {problem.where}" if problem.where else ""))


def sweep_summary(sweep: Sweep, warnings: list[Problem]) -> dict[str, Any]:
    """The ``--json`` document of a valid sweep: its scenario, variants and warnings."""
    return {"sweep": str(sweep.file), "valid": True, "name": sweep.name, "scenario": str(sweep.scenario),
            "variants": [{"name": v.name, "settings": v.settings} for v in sweep.variants],
            "warnings": [str(p) for p in warnings]}
