"""What to optimise and how much work to spend: the user's settings and the budgets made from them.

The work of a run is fixed before it starts by its *effort*: the neighbourhood solves in all
(``solves``, by default :data:`SOLVES_PER_UNIT` per old unit), shared among the regions, each
CP-SAT solve with a fixed deterministic time, and the packing and recombination with a
deterministic time in proportion to the solves.  The same effort, seed and workers give the
same plan on any machine, idle or busy.  The time limit is only an emergency stop: every stage
checks it, and a run that reaches it is marked ``time_limit`` (the only result that depends
on the machine).
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from planner.inputs.plan import Plan
from planner.inputs.scenario import SolverSettings
from planner.optimize.region import Region
from planner.optimize.search import SearchSettings

#: The default effort: neighbourhood solves per old unit of the scenario.
SOLVES_PER_UNIT = 2.0
#: The default emergency stop, in seconds (the scenario's default): far beyond what the default
#: effort takes (Thanh Hóa, 547 old units: about a minute on a 2-core machine).
DEFAULT_TIME_LIMIT_S = SolverSettings.time_limit_s
#: Deterministic-time budget (CP-SAT units) of one neighbourhood solve: enough to solve a
#: neighbourhood of up to 70 units to optimality most of the time.
SOLVE_DETERMINISTIC_TIME = 0.1
#: Every region gets at least this many solves, however small its share of the units.
MIN_SOLVES = 20
#: Deterministic seconds of CP-SAT per neighbourhood solve of the effort, for the set packing
#: that seeds the search (each region gets its share).
PACK_TIME_PER_SOLVE = 0.004
#: Branch-and-bound nodes of SCIP per neighbourhood solve of the effort, for each objective of the
#: final recombination (each region gets its share, at least MIN_RECOMBINE_NODES); the pools of
#: the regions measured are proven optimal in a few nodes, so this only caps a pathological pool.
RECOMBINE_NODES_PER_SOLVE = 1.0
MIN_RECOMBINE_NODES = 100


@dataclass
class OptimizeSettings:
    """What to optimise and how much work to spend on it.

    Attributes
    ----------
    time_limit_s : float
        The emergency stop, in seconds: every stage stops when it is reached and the result is
        marked ``time_limit``.  It does not change the work of a run that ends in time.
    seed, workers : int
        Random seed; worker processes.  The same effort, seed and workers give the same plan.
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
        The effort: neighbourhood solves in all; default :data:`SOLVES_PER_UNIT` per old unit.
    start : Plan, optional
        Least-change repair: the plan to start from (:mod:`planner.optimize.repair`); without
        another target each parent unit keeps its count.
    max_moves : int, optional
        With ``start``: at most this many old units move to another new unit.

    Examples
    --------
    >>> OptimizeSettings().total_solves(units=547)
    1094
    >>> OptimizeSettings(solves=50).total_solves(units=547)
    50
    """

    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    seed: int = 0
    workers: int = 2
    target: str | None = None
    count: int | None = None
    reduction: tuple[float, float] | None = None
    standards: str | None = None
    access_max_km: float | None = None
    solves: int | None = None
    start: Plan | None = None
    max_moves: int | None = None

    @classmethod
    def from_solver(cls, solver: SolverSettings, **changes: object) -> OptimizeSettings:
        """The settings of a scenario's ``solver`` section (effort, limit, seed, workers), with ``changes``.

        >>> OptimizeSettings.from_solver(SolverSettings(solves=300), seed=4).solves
        300
        """
        values = {"time_limit_s": solver.time_limit_s, "seed": solver.seed, "workers": solver.workers,
                  "solves": solver.solves}
        values.update({k: v for k, v in changes.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def total_solves(self, units: int) -> int:
        """Neighbourhood solves in all for a scenario of ``units`` old units: ``solves``, or
        SOLVES_PER_UNIT per old unit."""
        if self.solves:
            return self.solves
        return max(MIN_SOLVES, int(round(units * SOLVES_PER_UNIT)))


def region_seed(seed: int, parent: str) -> int:
    """A seed for one region that depends only on the run's seed and the parent's code."""
    return (seed * 1_000_003 + zlib.crc32(parent.encode("utf-8"))) % (2**31 - 1)


def solve_budgets(regions: list[Region], total: int) -> dict[str, int]:
    """Neighbourhood solves per region, in proportion to its units (at least MIN_SOLVES)."""
    units = sum(r.size for r in regions) or 1
    return {r.parent: max(MIN_SOLVES, int(round(total * r.size / units))) for r in regions}


def search_settings(settings: OptimizeSettings, regions: list[Region], standards: str,
                    count_sign: int) -> Callable[[Region], SearchSettings]:
    """The settings of each region's search: its solves, seed, packing and recombination time, and
    the emergency stop (the time limit from now), which every stage checks."""
    units = sum(r.size for r in regions) or 1
    total = settings.total_solves(units)
    budgets = solve_budgets(regions, total)
    stop = time.monotonic() + settings.time_limit_s

    def settings_for(region: Region) -> SearchSettings:
        share = total * region.size / units
        return SearchSettings(seed=region_seed(settings.seed, region.parent), standards=standards,
                              count_sign=count_sign, solves=budgets[region.parent], batch=max(1, settings.workers),
                              deterministic_time=SOLVE_DETERMINISTIC_TIME, stop_at=stop,
                              solver_workers=settings.workers if len(regions) == 1 else 1,
                              pack_time=PACK_TIME_PER_SOLVE * share,
                              recombine_nodes=max(MIN_RECOMBINE_NODES, int(RECOMBINE_NODES_PER_SOLVE * share)))

    return settings_for
