"""The Python API behind the CLI: scenario -> graph -> optimizer -> plan -> evaluation -> gaps -> outputs.

Each function does one step and can be called from a notebook (here from the repository root)::

    >>> from planner import pipeline
    >>> scenario, graph = pipeline.open_scenario("scenarios/demo")
    >>> evaluation = pipeline.evaluate(scenario, graph)
    >>> evaluation.summary["meets_standard"], evaluation.summary["units_after"]
    (95, 100)
    >>> result = pipeline.optimize(scenario, graph, pipeline.OptimizeSettings(solves=100))
    >>> result.status, pipeline.evaluate(scenario, graph, result.plan).summary["meets_standard"]
    ('bound_reached', 120)
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import networkx as nx

from planner.evaluation.evaluate import Evaluation, evaluate_plan
from planner.evaluation.report import write_evaluation
from planner.graph import build_graph
from planner.inputs.plan import Plan, read_plan, write_plan
from planner.inputs.problems import InputError, Problem, ProblemList
from planner.inputs.scenario import DEFAULT_KIND_VALUES, Scenario, load_scenario
from planner.inputs.selection import Where
from planner.maps import write_maps
from planner.optimize import OptimizeResult, OptimizeSettings
from planner.optimize import optimize as run_optimizer
from planner.output_folder import final_paths, output_folder
from planner.outputs import write_csv
from planner.review.moves import plan_moves, render_moves_section
from planner.review.scenario_data import input_record
from planner.transition.agencies import load_agency_layer
from planner.transition.cards import card_words, cards_sheet, unit_cards, write_cards
from planner.transition.gap_outputs import gap_summary, render_gap_section, write_gap_files
from planner.transition.gaps import GapReport, find_gaps
from planner.transition.readiness import readiness_counts, with_readiness
from planner.transition.seal_outputs import (
    render_readiness_section,
    render_seal_section,
    seal_sheet,
    write_seal_files,
)


def open_scenario(path: str | Path, changes: dict[str, Any] | None = None, *,
                  where: Where | None = None) -> tuple[Scenario, nx.Graph]:
    """Load and validate a scenario (``changes``: top-level keys of scenario.yaml set over the
    file's, :func:`planner.inputs.scenario.load_scenario`), then build its unit graph.

    ``where`` (column -> values) picks a region of the units table over the file's ``units.where``
    (:mod:`planner.inputs.selection`)."""
    scenario = load_scenario(path, changes, where=where)
    return scenario, build_graph(scenario)


def optimize(scenario: Scenario, graph: nx.Graph, settings: OptimizeSettings | None = None,
             progress: Callable[[str, object], None] | None = None, executor: Executor | None = None) -> OptimizeResult:
    """The optimize step: a plan for the scenario (:func:`planner.optimize.optimize`).

    ``settings`` default to the scenario's ``solver`` section; ``progress(kind, payload)``
    hears of the search (:func:`planner.progress.optimizer_progress` draws it as a bar);
    ``executor`` (a Dask client's, :func:`planner.sweep.engine.regions_executor`) solves the
    parent units' regions on a cluster, with the same plan.

    Raises
    ------
    planner.optimize.Infeasible
        With the reasons, when no plan satisfies the hard constraints.
    """
    if settings is None:
        settings = OptimizeSettings.from_solver(scenario.solver)
    return run_optimizer(scenario, graph, settings, progress, executor)


def load_plan(scenario: Scenario, path: str | Path | None, warnings: list[Problem] | None = None) -> Plan:
    """The plan in ``path`` (checked against the scenario's units; rows of units the scenario's
    selection leaves out are ignored, with a warning), or the baseline plan; the warnings of
    reading it are added to ``warnings`` when given.

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
                     kind_values=DEFAULT_KIND_VALUES, selection=scenario.selection)
    problems.raise_if_errors()
    assert plan is not None
    if warnings is not None:
        warnings.extend(problems.warnings)
    return plan


def evaluate(scenario: Scenario, graph: nx.Graph, plan: Plan | None = None) -> Evaluation:
    """Evaluate a plan (the baseline when None)."""
    return evaluate_plan(scenario, graph, plan if plan is not None else load_plan(scenario, None))


def find_plan_gaps(scenario: Scenario, graph: nx.Graph, evaluation: Evaluation,
                   warnings: list[Problem] | None = None) -> GapReport:
    """The gap stage: agency layer (scenario tables or preset template), transition, gap checks; the
    agency tables' warnings (those of the operations tables too) are added to ``warnings`` when given.

    Raises
    ------
    InputError
        When the scenario's agency tables have errors.
    """
    from planner.transition.transition import plan_transition

    layer = load_agency_layer(scenario)
    if warnings is not None:
        warnings.extend(layer.warnings)
    transition = plan_transition(scenario, layer, evaluation.plan)
    report = find_gaps(scenario, graph, evaluation, layer, transition)
    if warnings is not None:
        warnings.extend(report.warnings)
    return report


def gap_markers(report: GapReport, evaluation: Evaluation) -> list[dict[str, str]]:
    """The gaps that belong to a unit of the plan, as map markers ``{unit, type, severity, text}``."""
    known = set(evaluation.plan.assignment) | set(evaluation.plan.assignment.values())
    rows = report.gaps[report.gaps["unit"].astype(str).isin(known)]
    return [{"unit": str(r.unit), "type": str(r.type), "severity": str(r.severity),
             "text": str(r.suggested_fix) if not r.detail else f"{r.detail} {r.suggested_fix}"}
            for r in rows.itertuples()]


@dataclass
class Repair:
    """A least-change repair: the evaluated plan it started from and the move limit."""

    start: Evaluation
    max_moves: int | None = None


def repair_settings(scenario: Scenario, graph: nx.Graph, settings: OptimizeSettings, start: Plan,
                    max_moves: int | None) -> tuple[OptimizeSettings, Repair]:
    """Settings for a least-change repair of ``start``: the plan evaluated first, so that its seats
    (declared or chosen by the evaluation) are the ones a unit moves away from."""
    evaluated = evaluate(scenario, graph, start)
    return replace(settings, start=evaluated.plan, max_moves=max_moves), Repair(evaluated, max_moves)


def write_outputs(out: str | Path, scenario: Scenario, graph: nx.Graph, evaluation: Evaluation, *,
                  solver: dict[str, Any] | None = None, gaps: GapReport | None = None,
                  maps: bool = True, repair: Repair | None = None) -> dict[str, Any]:
    """Write every output of an evaluated plan into ``out``; returns the summary written.

    Files: ``plan.csv`` (the plan with seats, names and kinds filled in), ``units.csv``,
    ``members.csv``, ``report.md`` (with the gap section), ``summary.json`` (with ``gaps``,
    the count per gap type, and the scenario's settings and data digests for ``planner diff``:
    :func:`planner.review.scenario_data.input_record`), and from the gap stage ``gaps.csv``, ``bodies.csv``,
    ``task_transfers.csv``, ``staffing.csv``, ``seal_schedule.csv`` and its chart ``seal_schedule.png``
    (:mod:`planner.transition.seal_schedule`), the workbook ``plan.xlsx`` (with ``seal_schedule`` and ``cards``
    sheets) and ``cards.html``, one printable A4 card per new unit (:mod:`planner.transition.cards`); the
    readiness of each new unit (:mod:`planner.transition.readiness`) in ``units.csv``, the report, the workbook
    and ``summary.json``; with ``maps``
    also ``map.html``, ``map.png`` and ``map.svg`` (:func:`planner.maps.write_maps`); with
    ``repair`` (a least-change repair) ``moves.csv``, its section in ``report.md`` and ``moves``
    in ``summary.json``.  The gap stage runs first (``gaps`` when already computed), so bad
    agency tables write nothing.

    The folder holds this run only (:func:`planner.output_folder.output_folder`): the files are
    written beside it and moved in at the end; planner's files of an earlier run that this one
    does not write (the maps, after ``maps=False``) are removed, other files are kept, and a
    failure leaves the folder as it was.
    """
    if gaps is None:
        gaps = find_plan_gaps(scenario, graph, evaluation)
    words = card_words()
    evaluation = with_readiness(evaluation, gaps.gaps, words)
    with output_folder(out) as folder:
        names = {code: str(name) for code, name in scenario.units["name"].items()}
        write_plan(evaluation.plan, folder / "plan.csv", names)
        cards = unit_cards(scenario, evaluation, gaps)
        chart = write_seal_files(folder, gaps, scenario.name)
        write_gap_files(folder, gaps, evaluation, {"seal_schedule": seal_sheet(gaps),
                                                   "cards": cards_sheet(cards, scenario)})
        write_cards(folder / "cards.html", scenario, evaluation, cards)
        sections = [s for s in (render_gap_section(scenario, gaps), render_seal_section(gaps, chart),
                                render_readiness_section(evaluation, words)) if s]
        extra = {**gap_summary(gaps), "readiness": readiness_counts(evaluation.units, words),
                 **final_paths(input_record(scenario.document, scenario.folder, scenario.preset.data))}
        if repair is not None:
            moves = plan_moves(repair.start, evaluation)
            write_csv(moves, folder / "moves.csv")
            sections.insert(0, render_moves_section(moves, repair.max_moves))
            extra = {**extra, "moves": len(moves)}
        summary = write_evaluation(folder, scenario, evaluation, solver=solver, sections=sections,
                                   extra_summary=extra)
        if maps:
            write_maps(folder, scenario, graph, evaluation, gaps=gap_markers(gaps, evaluation))
    return summary
