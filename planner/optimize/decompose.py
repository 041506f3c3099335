"""Decomposition by parent unit: targets per region, one search per region, in parallel.

Merges stay inside the preset's merge level (provinces), so each parent unit is an
independent problem.  Regions are solved in worker processes; a single large region uses
the workers for the neighbourhoods of one search instead.  Results do not depend on how
many processes ran them: the work of each region is fixed before it starts.
"""

from __future__ import annotations

import math
import multiprocessing
import random
import time
import zlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

from planner.inputs.preset import Preset
from planner.inputs.problems import ProblemList
from planner.inputs.scenario import Scenario
from planner.optimize.absorb import absorb_weak
from planner.optimize.construct import grow, merge_down, split_up
from planner.optimize.lns import SearchSettings, search, solve_task
from planner.optimize.model import SubProblem, solve
from planner.optimize.packing import packed_plan
from planner.optimize.polish import polish
from planner.optimize.recombine import Pool, recombine
from planner.optimize.region import CountTarget, Region
from planner.optimize.scoring import Score, score
from planner.optimize.warm_start import warm_start
from planner.rules.standards import MEETS

#: Neighbourhood solves granted per second of time limit and per worker.  The number of
#: solves, not the clock, decides the result; this constant converts a time limit into it
#: (measured on a 2-core machine; a faster machine finishes early with the same plan).
SOLVES_PER_WORKER_SECOND = 5.0
#: Deterministic-time budget (CP-SAT units) of one neighbourhood solve.
SOLVE_DETERMINISTIC_TIME = 0.1
MIN_SOLVES = 20
#: Shares of a region's work (time limit x workers x its share of the units), in CP-SAT
#: deterministic seconds, for the set packing that seeds the search and the final recombination.
PACK_SHARE = 0.02
RECOMBINE_SHARE = 0.05
#: The search stops by this share of the time limit on a slow machine, leaving the rest to the
#: recombination (which stops at the time limit) and the polish.
SEARCH_SHARE_OF_TIME_LIMIT = 0.85


@dataclass
class RegionOutcome:
    """The result of one region's search."""

    parent: str
    groups: dict[int, list[int]]
    score: Score
    model_meets: int
    model_waived: int
    solves: int
    improvements: int
    stopped_by_clock: bool
    seconds: float
    start_score: Score = field(default=(0, 0, 0, 0, 0))


def targets_for(scenario: Scenario, units_by_parent: dict[str, int], mode: str, count: int | None,
                reduction: tuple[float, float] | None, by_parent: dict[str, int]) -> dict[str, CountTarget]:
    """The count target of each parent unit.

    Raises
    ------
    InputError
        When a per-parent count is missing or a count cannot be met.
    """
    problems = ProblemList()
    label = str(scenario.folder / "scenario.yaml")
    targets: dict[str, CountTarget] = {}
    if mode == "count" and by_parent:
        for parent, n in sorted(units_by_parent.items()):
            if parent not in by_parent:
                problems.error(label, f"key target.by_parent.{parent}", "",
                               f"no count for parent unit {parent} ({n} units): give one for every parent unit")
                continue
            targets[parent] = CountTarget("count", by_parent[parent], by_parent[parent])
    elif mode == "count":
        if count is None:
            problems.error(label, "key target.count", "", "a count target needs a number of new units")
        else:
            for parent, share in _shares(units_by_parent, count).items():
                targets[parent] = CountTarget("count", share, share)
    elif mode == "reduction":
        low, high = reduction or (0.0, 1.0)
        for parent, n in units_by_parent.items():
            lo = max(1, math.ceil(n * (1.0 - high) - 1e-9))
            hi = max(lo, min(n, math.floor(n * (1.0 - low) + 1e-9)))
            targets[parent] = CountTarget("reduction", lo, hi)
    else:
        for parent, n in units_by_parent.items():
            targets[parent] = CountTarget(mode, 1, n)
    for parent, target in targets.items():
        if target.lo > units_by_parent[parent]:
            problems.error(label, "key target", "", f"parent unit {parent} has {units_by_parent[parent]} units "
                           f"but the target asks for {target.lo} new units")
    problems.raise_if_errors()
    return targets


def _shares(units_by_parent: dict[str, int], count: int) -> dict[str, int]:
    """Split a total count over parents in proportion to their units (largest remainder)."""
    total = sum(units_by_parent.values())
    raw = {p: count * n / total for p, n in units_by_parent.items()}
    shares = {p: max(1, math.floor(v)) for p, v in raw.items()}
    order = sorted(raw, key=lambda p: (-(raw[p] - math.floor(raw[p])), p))
    i = 0
    while sum(shares.values()) < count and order:
        shares[order[i % len(order)]] += 1
        i += 1
    return shares


def region_seed(seed: int, parent: str) -> int:
    """A seed for one region that depends only on the run's seed and the parent's code."""
    return (seed * 1_000_003 + zlib.crc32(parent.encode("utf-8"))) % (2**31 - 1)


def solve_budgets(regions: list[Region], total: int) -> dict[str, int]:
    """Neighbourhood solves per region, in proportion to its units (at least MIN_SOLVES)."""
    units = sum(r.size for r in regions) or 1
    return {r.parent: max(MIN_SOLVES, int(round(total * r.size / units))) for r in regions}


def optimize_region(region: Region, preset: Preset, settings: SearchSettings,
                    mapper: Callable | None = None, report: Callable | None = None) -> RegionOutcome:
    """First plan, search, recombination, polish and model check of one region (runs in a worker process).

    With a count target the first plan is the better of greedy growth and packing
    (:mod:`planner.optimize.packing`), its new units below the standard dissolved
    (:mod:`planner.optimize.absorb`), then merged (or split) to the target count
    (:mod:`planner.optimize.construct`).  Every new unit the search proposes is pooled, and the
    best exact cover of the region by pooled units (:mod:`planner.optimize.recombine`) replaces
    the plan when it is better.
    """
    start = time.perf_counter()
    if mapper is None:
        def mapper(tasks):
            return [solve_task(region, preset, task) for task in tasks]
    pool = Pool()
    if region.target.mode in ("count", "reduction"):
        groups, first_solves, start_score = _count_target_start(region, preset, settings, mapper, pool)
        settings = replace(settings, solves=max(0, settings.solves - first_solves))
    else:
        groups = warm_start(region, preset, random.Random(settings.seed), settings.pack_time, settings.solver_workers)
        start_score = score(region, preset, groups, settings.standards, settings.count_sign)
        first_solves = 0
    pool.add(groups)
    outcome = search(region, preset, groups, settings, mapper, report, pool)
    pool.add_border_variants(region, outcome.groups)
    lo, hi = (region.target.lo, region.target.hi) if region.target.mode in ("count", "reduction") else (1, region.size)
    left = None if settings.final_deadline is None else settings.final_deadline - time.monotonic()
    if left is None or left > 0:
        outcome.groups = recombine(region, preset, pool, outcome.groups, settings.standards, settings.count_sign,
                                   seed=settings.seed, deterministic_time=settings.recombine_time, lo=lo, hi=hi,
                                   workers=settings.solver_workers, wall_limit=left)
    if settings.final_deadline is not None and time.monotonic() > settings.final_deadline:
        outcome.stopped_by_clock = True
    outcome.score = score(region, preset, outcome.groups, settings.standards, settings.count_sign)
    polished = polish(region, preset, outcome.groups)
    final = score(region, preset, polished, settings.standards, settings.count_sign)
    if final >= outcome.score:
        outcome.groups, outcome.score = polished, final
    meets, waived = model_verdicts(region, preset, outcome.groups)
    return RegionOutcome(region.parent, outcome.groups, outcome.score, meets, waived, outcome.solves + first_solves,
                         outcome.improvements, outcome.stopped_by_clock, time.perf_counter() - start, start_score)


def _count_target_start(region: Region, preset: Preset, settings: SearchSettings, mapper: Callable,
                        pool: Pool) -> tuple[dict[int, list[int]], int, Score]:
    """Grow or pack new units meeting the standard, dissolve the weak ones, then merge or split to the target.

    Decisions can stop the merges or splits short of the target count; the first plan of
    :func:`warm_start` (which has the target count) is taken instead when it is better or when the
    count is out of range.  Returns the plan, the solves spent and the score of the first plan.
    """
    fixed = {u: [u] for u in region.unchanged}
    grown = grow(region, preset, [u for u in range(region.size) if u not in fixed])
    grown.update(fixed)
    packed = packed_plan(region, preset, random.Random(settings.seed), deterministic_time=settings.pack_time,
                         workers=settings.solver_workers)
    groups = max((grown, packed), key=lambda g: score(region, preset, g, settings.standards, 0))
    pool.add(groups)
    start_score = score(region, preset, groups, settings.standards, settings.count_sign)
    groups, solves = absorb_weak(region, preset, groups, settings, mapper)
    groups = merge_down(region, preset, groups, region.target.hi)
    groups = split_up(region, preset, groups, region.target.lo)
    fallback = warm_start(region, preset, random.Random(settings.seed))
    in_range = [g for g in (groups, fallback) if region.target.lo <= len(g) <= region.target.hi] or [fallback]
    best = max(in_range, key=lambda g: score(region, preset, g, settings.standards, settings.count_sign))
    return best, solves, start_score


def model_verdicts(region: Region, preset: Preset, groups: dict[int, list[int]]) -> tuple[int, int]:
    """The model's own count of new units meeting the standard (and waived) for a fixed plan."""
    allowed = {u: [s] for s, members in groups.items() for u in members}
    sub = SubProblem(list(range(region.size)), len(groups), len(groups), "soft", 0, allowed_seats=allowed)
    result = solve(region, preset, sub, seed=0, deterministic_time=10.0)
    return result.meets, result.waived


_WORKER: dict[str, object] = {}


def _init_worker(region: Region, preset: Preset) -> None:
    _WORKER["region"], _WORKER["preset"] = region, preset


def _worker_solve(task):
    return solve_task(_WORKER["region"], _WORKER["preset"], task)  # type: ignore[arg-type]


def _context():
    return multiprocessing.get_context("spawn")


def run_regions(regions: list[Region], preset: Preset, settings_for: Callable[[Region], SearchSettings],
                workers: int, on_progress: Callable[[str, object], None]) -> list[RegionOutcome]:
    """Optimise every region; returns outcomes in region order."""
    if len(regions) == 1:
        region = regions[0]
        settings = settings_for(region)
        if workers > 1:
            with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker,
                                     initargs=(region, preset)) as pool:
                def mapper(tasks):
                    return list(pool.map(_worker_solve, tasks))
                return [optimize_region(region, preset, settings, mapper,
                                        lambda groups, done: on_progress("solves", (region, groups, done)))]
        return [optimize_region(region, preset, settings, None,
                                lambda groups, done: on_progress("solves", (region, groups, done)))]
    outcomes: dict[str, RegionOutcome] = {}
    order = sorted(regions, key=lambda r: (-r.size, r.parent))
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=_context()) as pool:
            futures = {r.parent: pool.submit(optimize_region, r, preset, settings_for(r)) for r in order}
            for region in order:
                outcomes[region.parent] = futures[region.parent].result()
                on_progress("region", outcomes[region.parent])
    else:
        for region in order:
            outcomes[region.parent] = optimize_region(region, preset, settings_for(region))
            on_progress("region", outcomes[region.parent])
    return [outcomes[r.parent] for r in regions]


def primary_value(region: Region, outcome: RegionOutcome) -> int:
    """The primary objective reached: units meeting the standard, or the count."""
    mode = region.target.mode
    if mode == "max_p":
        return len(outcome.groups)
    if mode == "min_count":
        return -len(outcome.groups)
    return outcome.score[2]


__all__ = ["MEETS", "RegionOutcome", "optimize_region", "run_regions", "targets_for"]
