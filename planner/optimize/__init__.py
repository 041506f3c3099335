"""The merger optimizer: CP-SAT plans that meet the standards, and how good they are.

Public surface::

    from planner.optimize import OptimizeSettings, optimize
    result = optimize(scenario, graph, OptimizeSettings(time_limit_s=60, seed=0, workers=2))
    result.plan, result.status, result.objective, result.bound, result.gap

Modules: :mod:`~planner.optimize.region` (data of one parent unit),
:mod:`~planner.optimize.model` (the CP-SAT model), :mod:`~planner.optimize.scoring` (exact
scores with the evaluation's rules), :mod:`~planner.optimize.warm_start` (first plan),
:mod:`~planner.optimize.packing` (set packing of grown candidates),
:mod:`~planner.optimize.absorb` (new units below the standard dissolved),
:mod:`~planner.optimize.lns` (large-neighbourhood search),
:mod:`~planner.optimize.recombine` (set-partitioning recombination of what the search saw),
:mod:`~planner.optimize.bounds` (proven bounds, stranded units),
:mod:`~planner.optimize.decompose` (regions in parallel) and
:mod:`~planner.optimize.infeasible` (why there is no plan).  See ``docs/optimizer.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from planner.inputs.plan import Plan
from planner.inputs.problems import InputError, Problem
from planner.inputs.scenario import Scenario
from planner.optimize.bounds import primary_bound
from planner.optimize.decompose import (
    PACK_SHARE,
    RECOMBINE_SHARE,
    SEARCH_SHARE_OF_TIME_LIMIT,
    SOLVE_DETERMINISTIC_TIME,
    SOLVES_PER_WORKER_SECOND,
    RegionOutcome,
    primary_value,
    region_seed,
    run_regions,
    solve_budgets,
    targets_for,
)
from planner.optimize.infeasible import explain, precheck
from planner.optimize.lns import SearchSettings
from planner.optimize.region import Region, parent_of, regions_of
from planner.optimize.scoring import STANDARDS_MODES

__all__ = ["OptimizeResult", "OptimizeSettings", "Infeasible", "optimize"]


@dataclass
class OptimizeSettings:
    """What to optimise and how long.

    Attributes
    ----------
    time_limit_s : float
        Sets the search effort (``solves``) and stops the search on a slow machine.
    seed, workers : int
        Random seed; worker processes.  Same seed and settings give the same plan.
    target : str, optional
        ``count``, ``reduction``, ``max_p`` or ``min_count``; None takes the scenario's.
    count : int, optional
        Total count (with ``target='count'``); per-parent counts come from the scenario.
    reduction : (float, float), optional
        Share of units removed, minimum and maximum.
    standards : str, optional
        ``soft`` (maximise units meeting the standard), ``hard`` (each meets it or is
        waived) or ``strict`` (each meets it); default ``strict`` for max-p, else ``soft``.
    access_max_km : float, optional
        Hard maximum distance from a member to its seat; None takes the scenario's.
    solves : int, optional
        Neighbourhood solves in all; default ``time_limit_s * workers * SOLVES_PER_WORKER_SECOND`` (5).
    """

    time_limit_s: float = 60.0
    seed: int = 0
    workers: int = 2
    target: str | None = None
    count: int | None = None
    reduction: tuple[float, float] | None = None
    standards: str | None = None
    access_max_km: float | None = None
    solves: int | None = None


@dataclass
class OptimizeResult:
    """The plan and the solver's figures.

    ``objective`` is the primary objective reached (new units meeting the standard; the
    number of new units for max-p; minus that number for min-count) and ``bound`` a proven
    bound on it; ``gap`` is ``|bound - objective| / max(1, |bound|)``.
    """

    plan: Plan
    status: str
    objective: int
    bound: int
    gap: float
    solve_seconds: float
    meets_standard: int
    waived: int
    solves: int
    regions: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The figures added to ``summary.json``."""
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "gap": round(self.gap, 4),
            "solve_seconds": round(self.solve_seconds, 1),
            "optimizer_meets_standard": self.meets_standard,
            "optimizer_waived": self.waived,
            "lns_solves": self.solves,
        }


class Infeasible(InputError):
    """The scenario has no plan; ``reasons`` say why in plain words."""

    def __init__(self, reasons: list[str], source: str):
        self.reasons = reasons
        super().__init__([Problem(source, "", "", reason, "error") for reason in reasons])


def resolve_target(scenario: Scenario, settings: OptimizeSettings) -> tuple[str, int | None, tuple | None]:
    """The target mode, total count and reduction range, CLI settings first."""
    target = scenario.target
    mode = settings.target or target.mode
    count = settings.count if settings.count is not None else (target.count if mode == "count" else None)
    reduction = settings.reduction
    if reduction is None and target.reduction_min is not None:
        reduction = (target.reduction_min, target.reduction_max or 1.0)
    return mode, count, reduction


def optimize(scenario: Scenario, graph: nx.Graph, settings: OptimizeSettings,
             progress: Callable[[str, object], None] | None = None) -> OptimizeResult:
    """Propose a plan for the scenario.

    Raises
    ------
    Infeasible
        With the reasons, when no plan satisfies the hard constraints.
    """
    started = time.perf_counter()
    mode, count, reduction = resolve_target(scenario, settings)
    standards = settings.standards or ("strict" if mode == "max_p" else "soft")
    if standards not in STANDARDS_MODES:
        raise ValueError(f"standards must be one of {STANDARDS_MODES}")
    access = settings.access_max_km if settings.access_max_km is not None else scenario.access_max_km
    parents = parent_of(scenario)
    units_by_parent: dict[str, int] = {}
    for parent in parents.values():
        units_by_parent[parent] = units_by_parent.get(parent, 0) + 1
    by_parent = scenario.target.by_parent if (mode == "count" and settings.count is None) else {}
    targets = targets_for(scenario, units_by_parent, mode, count, reduction, by_parent)
    regions = regions_of(scenario, graph, targets, access)
    source = str(scenario.folder / "scenario.yaml")
    reasons = [r for region in regions for r in precheck(region, scenario.preset, standards)]
    if reasons:
        raise Infeasible(reasons, source)
    total = settings.solves or int(round(settings.time_limit_s * settings.workers * SOLVES_PER_WORKER_SECOND))
    budgets = solve_budgets(regions, total)
    now = time.monotonic()
    deadline = now + settings.time_limit_s
    search_deadline = now + SEARCH_SHARE_OF_TIME_LIMIT * settings.time_limit_s
    count_sign = {"max_p": 1, "min_count": -1}.get(mode, 0)

    units = sum(r.size for r in regions) or 1

    def settings_for(region: Region) -> SearchSettings:
        work = settings.time_limit_s * settings.workers * region.size / units
        return SearchSettings(seed=region_seed(settings.seed, region.parent), standards=standards,
                              count_sign=count_sign, solves=budgets[region.parent], batch=max(1, settings.workers),
                              deterministic_time=SOLVE_DETERMINISTIC_TIME, deadline=search_deadline,
                              final_deadline=deadline,
                              solver_workers=settings.workers if len(regions) == 1 else 1,
                              pack_time=PACK_SHARE * work, recombine_time=RECOMBINE_SHARE * work)

    outcomes = run_regions(regions, scenario.preset, settings_for, settings.workers, progress or (lambda *_: None))
    broken = [(region, outcome) for region, outcome in zip(regions, outcomes) if outcome.score[0] < 0]
    if broken:
        reasons = []
        for region, outcome in broken:
            found = explain(region, scenario.preset, standards, settings.seed)
            reasons += found or [f"parent unit {region.parent}: the search ended with {-outcome.score[0]} broken "
                                 "constraint(s) (access, decisions or standards); no proof of infeasibility"]
        raise Infeasible(reasons, source)
    return _result(regions, outcomes, scenario, started, any(o.stopped_by_clock for o in outcomes))


def _result(regions: list[Region], outcomes: list[RegionOutcome], scenario: Scenario, started: float,
            stopped: bool) -> OptimizeResult:
    assignment: dict[str, str] = {}
    seats: dict[str, str] = {}
    rows = []
    objective = bound = 0
    for region, outcome in zip(regions, outcomes):
        for s, members in outcome.groups.items():
            new = region.codes[s]
            seats[new] = new
            for u in members:
                assignment[region.codes[u]] = new
        value = primary_value(region, outcome)
        limit = primary_bound(region, scenario.preset)
        objective += value
        bound += limit
        rows.append({"parent": region.parent, "units": region.size, "new_units": len(outcome.groups),
                     "meets": outcome.score[2], "waived": outcome.score[3], "objective": value, "bound": limit,
                     "solves": outcome.solves, "seconds": round(outcome.seconds, 1),
                     "model_meets": outcome.model_meets})
    plan = Plan(assignment, seats=seats, label="optimizer")
    if stopped:
        status = "time_limit"
    elif objective == bound:
        status = "bound_reached"
    else:
        status = "feasible"
    gap = abs(bound - objective) / max(1, abs(bound))
    return OptimizeResult(plan, status, objective, bound, gap, time.perf_counter() - started,
                          sum(o.model_meets for o in outcomes), sum(o.model_waived for o in outcomes),
                          sum(o.solves for o in outcomes), rows)

