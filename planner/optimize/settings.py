"""What to optimise and how much work to spend: the user's settings and the budgets made from them.

The work of a run is fixed before it starts (solves per region, deterministic time of each
CP-SAT solve), so the same settings give the same plan on any machine; the clock only stops
work early on a machine too slow to finish within the time limit.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from planner.inputs.plan import Plan
from planner.optimize.region import Region
from planner.optimize.search import SearchSettings

#: Neighbourhood solves granted per second of time limit and per worker.  The number of
#: solves, not the clock, decides the result; this constant converts a time limit into it
#: (measured on a 2-core machine; a faster machine finishes early with the same plan).
SOLVES_PER_WORKER_SECOND = 5.0
#: Deterministic-time budget (CP-SAT units) of one neighbourhood solve: enough to solve a
#: neighbourhood of up to 70 units to optimality most of the time.
SOLVE_DETERMINISTIC_TIME = 0.1
#: Every region gets at least this many solves, however small its share of the units.
MIN_SOLVES = 20
#: Shares of a region's work (time limit x workers x its share of the units), in CP-SAT
#: deterministic seconds, for the set packing that seeds the search and the final recombination.
PACK_SHARE = 0.02
RECOMBINE_SHARE = 0.05
#: The search stops by this share of the time limit on a slow machine, leaving the rest to the
#: recombination (which stops at the time limit) and the polish.
SEARCH_SHARE_OF_TIME_LIMIT = 0.85


@dataclass
class OptimizeSettings:
    """What to optimise and how long.

    Attributes
    ----------
    time_limit_s : float
        Sets the search effort (``solves``, when not given) and stops the search on a slow machine.
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
        Neighbourhood solves in all; default :meth:`total_solves`.
    start : Plan, optional
        Least-change repair: the plan to start from (:mod:`planner.optimize.repair`); without
        another target each parent unit keeps its count.
    max_moves : int, optional
        With ``start``: at most this many old units move to another new unit.

    Examples
    --------
    >>> OptimizeSettings(time_limit_s=60, workers=2).total_solves()
    600
    >>> OptimizeSettings(solves=50).total_solves()
    50
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
    start: Plan | None = None
    max_moves: int | None = None

    def total_solves(self) -> int:
        """Neighbourhood solves in all: ``solves``, or time limit x workers x SOLVES_PER_WORKER_SECOND."""
        if self.solves:
            return self.solves
        return int(round(self.time_limit_s * self.workers * SOLVES_PER_WORKER_SECOND))


def region_seed(seed: int, parent: str) -> int:
    """A seed for one region that depends only on the run's seed and the parent's code."""
    return (seed * 1_000_003 + zlib.crc32(parent.encode("utf-8"))) % (2**31 - 1)


def solve_budgets(regions: list[Region], total: int) -> dict[str, int]:
    """Neighbourhood solves per region, in proportion to its units (at least MIN_SOLVES)."""
    units = sum(r.size for r in regions) or 1
    return {r.parent: max(MIN_SOLVES, int(round(total * r.size / units))) for r in regions}


def search_settings(settings: OptimizeSettings, regions: list[Region], standards: str,
                    count_sign: int) -> Callable[[Region], SearchSettings]:
    """The settings of each region's search: its solves, seed, packing and recombination time, deadlines.

    The deadlines start now: the search stops by SEARCH_SHARE_OF_TIME_LIMIT of the time limit,
    the recombination at the time limit.
    """
    budgets = solve_budgets(regions, settings.total_solves())
    now = time.monotonic()
    deadline = now + settings.time_limit_s
    search_deadline = now + SEARCH_SHARE_OF_TIME_LIMIT * settings.time_limit_s
    units = sum(r.size for r in regions) or 1

    def settings_for(region: Region) -> SearchSettings:
        work = settings.time_limit_s * settings.workers * region.size / units
        return SearchSettings(seed=region_seed(settings.seed, region.parent), standards=standards,
                              count_sign=count_sign, solves=budgets[region.parent], batch=max(1, settings.workers),
                              deterministic_time=SOLVE_DETERMINISTIC_TIME, deadline=search_deadline,
                              final_deadline=deadline,
                              solver_workers=settings.workers if len(regions) == 1 else 1,
                              pack_time=PACK_SHARE * work, recombine_time=RECOMBINE_SHARE * work)

    return settings_for
