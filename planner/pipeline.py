"""The Python API behind the CLI: scenario -> graph -> plan -> evaluation -> outputs.

Each function does one step and can be called from a notebook::

    >>> from planner import pipeline
    >>> scenario, graph = pipeline.open_scenario("scenarios/demo")  # doctest: +SKIP
    >>> evaluation = pipeline.evaluate(scenario, graph)  # doctest: +SKIP
    >>> evaluation.summary["meets_standard"]  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from planner.evaluate import Evaluation, evaluate_plan
from planner.graph import build_graph
from planner.maps import write_maps
from planner.plan import Plan, read_plan, write_plan
from planner.problems import InputError, ProblemList
from planner.report import write_evaluation
from planner.scenario import DEFAULT_KIND_VALUES, Scenario, load_scenario


def open_scenario(path: str | Path) -> tuple[Scenario, nx.Graph]:
    """Load and validate a scenario, then build its unit graph."""
    scenario = load_scenario(path)
    return scenario, build_graph(scenario)


def load_plan(scenario: Scenario, path: str | Path | None) -> Plan:
    """The plan in ``path`` (checked against the scenario's units), or the baseline plan.

    Raises
    ------
    InputError
        When the plan cannot be read, names unknown units or leaves units out, or when no
        plan is given and the scenario has no baseline.
    """
    problems = ProblemList()
    if path is None:
        if scenario.baseline is None:
            problems.error(str(scenario.folder / "scenario.yaml"), "key baseline", "",
                           "no plan given and the scenario has no baseline plan: pass --plan FILE")
            raise InputError(problems.items)
        return scenario.baseline
    plan = read_plan(Path(path), str(path), problems, units=set(scenario.units.index),
                     kind_values=DEFAULT_KIND_VALUES)
    problems.raise_if_errors()
    assert plan is not None
    return plan


def evaluate(scenario: Scenario, graph: nx.Graph, plan: Plan | None = None) -> Evaluation:
    """Evaluate a plan (the baseline when None)."""
    return evaluate_plan(scenario, graph, plan if plan is not None else load_plan(scenario, None))


def write_outputs(out: str | Path, scenario: Scenario, graph: nx.Graph, evaluation: Evaluation, *,
                  solver: dict[str, Any] | None = None, maps: bool = True) -> dict[str, Any]:
    """Write every output of an evaluated plan into ``out``; returns the summary written.

    Files: ``plan.csv`` (the plan with seats, names and kinds filled in), ``units.csv``,
    ``members.csv``, ``report.md`` and ``summary.json``; with ``maps`` also ``map.html``,
    ``map.png`` and ``map.svg`` (:func:`planner.maps.write_maps`).
    """
    out = Path(out)
    names = {code: str(name) for code, name in scenario.units["name"].items()}
    write_plan(evaluation.plan, out / "plan.csv", names)
    summary = write_evaluation(out, scenario, evaluation, solver=solver)
    if maps:
        write_maps(out, scenario, graph, evaluation)
    return summary
