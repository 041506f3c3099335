"""Large-neighbourhood search: re-optimise a few neighbouring new units at a time with CP-SAT.

Each round picks ``batch`` disjoint neighbourhoods (a new unit and the new units around
it, chosen with a seeded random generator, preferring units below the standard), frees
their units while the rest of the plan stays fixed, and solves each small model to (near)
optimality.  A neighbourhood's new solution replaces the old one only when its exact score
(:class:`planner.optimize.scoring.Score`) is better.  Neighbourhoods grow when they stop improving.

Determinism: the neighbourhoods depend only on the seed and the plan; each CP-SAT solve runs
on one worker with a deterministic time limit; the number of solves is fixed in advance.
The wall clock only stops the search early when the emergency stop (the time limit) is reached
(the result is then marked ``time_limit``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from planner.inputs.preset import Preset
from planner.optimize.groups import Groups, adjacency, mean_distance
from planner.optimize.model import SubProblem, solve
from planner.optimize.recombine import Pool
from planner.optimize.region import Region
from planner.optimize.scoring import Score, group_status, score
from planner.rules.standards import MEETS

#: New units in a neighbourhood: it starts at MIN_GROUPS, grows by one when the search stalls,
#: up to MAX_GROUPS, and holds at most MAX_UNITS old units (larger models rarely solve to
#: optimality within one solve's deterministic time).
MIN_GROUPS = 3
MAX_GROUPS = 10
MAX_UNITS = 70
#: A neighbourhood grows when this many times the plan's new units have been freed in a row
#: without an improvement.
STALL_FACTOR = 2
#: Added to each new unit's mean distance when centres are drawn by it, so that a unit whose
#: residents all live at the seat can still be drawn.
MIN_DRAW_KM = 1e-3
#: Share of the neighbourhoods (besides the exchanges) centred on a new unit below the standard.
WEAK_SHARE = 0.5
#: A neighbourhood takes the nearest new units around its centre, each distance scaled by a
#: random factor within +- half of this (so neighbourhoods vary around the same centre).
HOOD_JITTER = 0.5
#: Share of neighbourhoods made of two clusters, one around a unit below the standard and
#: one around a unit that meets it elsewhere (half as many new units, at least two): with a
#: fixed count, a new unit can then vanish in one cluster and appear in the other.
EXCHANGE_SHARE = 0.5
EXCHANGE_MIN_GROUPS = 2
#: Share of the other neighbourhoods centred on a new unit drawn by its residents' mean distance
#: to the seat (the rest are drawn uniformly).
COSTLY_SHARE = 0.5


@dataclass
class SearchSettings:
    """Settings of one region's search.

    ``solves`` neighbourhood solves of ``deterministic_time`` each, ``batch`` per round;
    ``solver_workers`` CP-SAT workers for the region-wide packing (``pack_time``, in
    deterministic seconds); the recombination explores at most ``recombine_nodes``
    branch-and-bound nodes per objective (SCIP).  ``stop_at`` is the
    emergency stop (a ``time.monotonic()`` value): every stage stops there (:func:`past_stop`).
    """

    seed: int = 0
    standards: str = "soft"
    count_sign: int = 0
    solves: int = 200
    batch: int = 2
    deterministic_time: float = 1.0
    stop_at: float | None = None
    solver_workers: int = 1
    pack_time: float = 2.0
    recombine_nodes: int = 1000


@dataclass
class SearchOutcome:
    """The best plan found and how the search ended."""

    groups: Groups
    score: Score
    solves: int
    stopped_by_clock: bool


Mapper = Callable[[list[tuple[SubProblem, int, float]]], list]


def search(region: Region, preset: Preset, groups: Groups, settings: SearchSettings,
           mapper: Mapper, report: Callable[[int, int, int], None] | None = None,
           pool: Pool | None = None) -> SearchOutcome:
    """Improve ``groups`` (seat -> members) by large-neighbourhood search.

    Every new unit a neighbourhood solve proposes, kept or not, goes into ``pool``; after each
    round ``report(meets, new_units, solves_done)`` hears of the plan.
    """
    rng = random.Random(settings.seed)
    groups = {s: list(m) for s, m in groups.items()}
    status = {s: group_status(region, preset, m) for s, m in groups.items()}
    size, streak = MIN_GROUPS, 0
    done = 0
    stopped = False
    movable = [s for s in groups if not _frozen(region, groups[s])]
    while done < settings.solves and len(movable) >= 1:
        if past_stop(settings.stop_at):
            stopped = True
            break
        hoods = _neighbourhoods(region, groups, status, rng, settings.batch, size)
        if not hoods:
            break
        tasks = [(_subproblem(region, groups, hood, settings, first=(i == 0)),
                  settings.seed + done + i, settings.deterministic_time) for i, hood in enumerate(hoods)]
        results = mapper(tasks)
        done += len(tasks)
        improved = False
        for hood, result in zip(hoods, results):
            if not result.groups:
                continue
            if pool is not None:
                pool.add(result.groups)
            old = {s: groups[s] for s in hood}
            if score(region, preset, result.groups, settings.standards, settings.count_sign) > \
                    score(region, preset, old, settings.standards, settings.count_sign):
                for s in hood:
                    del groups[s]
                    del status[s]
                for s, members in result.groups.items():
                    groups[s] = members
                    status[s] = group_status(region, preset, members)
                improved = True
        if improved:
            streak = 0
            size = max(MIN_GROUPS, size - 1)
        else:
            streak += 1
            if streak * settings.batch * size > STALL_FACTOR * len(groups):
                size, streak = min(size + 1, MAX_GROUPS), 0
        movable = [s for s in groups if not _frozen(region, groups[s])]
        if report is not None:
            report(sum(st == MEETS for st in status.values()), len(groups), done)
    final = score(region, preset, groups, settings.standards, settings.count_sign)
    return SearchOutcome({s: sorted(m) for s, m in sorted(groups.items())}, final, done, stopped)


def past_stop(stop_at: float | None) -> bool:
    """Whether the emergency stop (a ``time.monotonic()`` value, or None for none) has been reached."""
    return stop_at is not None and time.monotonic() > stop_at


def seconds_left(stop_at: float | None) -> float | None:
    """Seconds until the emergency stop (at least 0), or None without one."""
    return None if stop_at is None else max(0.0, stop_at - time.monotonic())


def _frozen(region: Region, members: list[int]) -> bool:
    return len(members) == 1 and members[0] in region.unchanged


def _neighbourhoods(region: Region, groups: Groups, status: dict[int, str], rng: random.Random,
                    batch: int, size: int) -> list[list[int]]:
    """Disjoint sets of neighbouring new units (by seat)."""
    adjacent = adjacency(region, groups)
    taken: set[int] = set()
    hoods = []
    seats = sorted(s for s in groups if not _frozen(region, groups[s]))
    for _ in range(batch):
        free = [s for s in seats if s not in taken]
        if not free:
            break
        weak = [s for s in free if status[s] != MEETS]
        exchange = bool(weak) and rng.random() < EXCHANGE_SHARE
        if weak and (exchange or rng.random() < WEAK_SHARE):
            centre = weak[rng.randrange(len(weak))]
        elif rng.random() < COSTLY_SHARE:
            # where residents are far from their seat: person-km per resident as the weight
            centre = rng.choices(free, weights=[mean_distance(region, groups[s], s) + MIN_DRAW_KM for s in free])[0]
        else:
            centre = free[rng.randrange(len(free))]
        hood = grow_hood(region, groups, adjacent, centre, taken, size, rng)
        if exchange:
            # a second cluster elsewhere lets a new unit move between the two clusters
            blocked = set(hood) | {t for s in hood for t in adjacent[s]}
            rich = [s for s in free if s not in blocked and status[s] == MEETS and len(groups[s]) > 1]
            if rich:
                other = rich[rng.randrange(len(rich))]
                hood += grow_hood(region, groups, adjacent, other, taken | blocked,
                                  max(EXCHANGE_MIN_GROUPS, size // 2), rng)
        hood = close_decisions(region, groups, hood)
        taken |= set(hood)
        for s in hood:
            taken |= adjacent[s]
        hoods.append(sorted(set(hood)))
    return hoods


def grow_hood(region: Region, groups: Groups, adjacent: dict[int, set[int]], centre: int,
              taken: set[int], size: int, rng: random.Random) -> list[int]:
    """A neighbourhood around ``centre``: the nearest new units (jittered), up to ``size`` new units
    and MAX_UNITS old units, none of them ``taken``."""
    hood = [centre]
    units = len(groups[centre])
    frontier = set(adjacent[centre])
    while len(hood) < size and frontier:
        options = sorted(t for t in frontier if t not in taken and t not in hood
                         and not _frozen(region, groups[t]))
        if not options:
            break
        options.sort(key=lambda t: (region.distance_km[centre, t] * (1 - HOOD_JITTER / 2 + HOOD_JITTER * rng.random()),
                                    t))
        chosen = options[0]
        if units + len(groups[chosen]) > MAX_UNITS:
            break
        hood.append(chosen)
        units += len(groups[chosen])
        frontier |= adjacent[chosen]
        frontier -= set(hood)
    return hood


def close_decisions(region: Region, groups: Groups, hood: list[int]) -> list[int]:
    """Add the new units holding the rest of any merge-together group the neighbourhood touches."""
    if not region.merge_together:
        return hood
    seat_of = {u: s for s, members in groups.items() for u in members}
    hood_set = set(hood)
    changed = True
    while changed:
        changed = False
        units = {u for s in hood_set for u in groups[s]}
        for group in region.merge_together:
            if any(u in units for u in group):
                for u in group:
                    if seat_of[u] not in hood_set:
                        hood_set.add(seat_of[u])
                        changed = True
    return sorted(hood_set)


def _subproblem(region: Region, groups: Groups, hood: list[int], settings: SearchSettings,
                first: bool) -> SubProblem:
    units = sorted(u for s in hood for u in groups[s])
    k = len(hood)
    target = region.target
    if target.mode == "count":
        lo = hi = k
    elif target.mode == "reduction":
        total = len(groups)
        lo, hi = (k - (total - target.lo), k + (target.hi - total)) if first else (k, k)
        lo, hi = max(1, lo), max(1, min(hi, len(units)))
    else:
        lo, hi = 1, len(units)
    hint = {u: s for s in hood for u in groups[s]}
    return SubProblem(units, lo, hi, settings.standards, settings.count_sign, hint,
                      moves_budget=_moves_budget(region, groups, hood))


def _moves_budget(region: Region, groups: Groups, hood: list[int]) -> int | None:
    """Repairing a plan under a move limit: the moves left for the neighbourhood's units."""
    if region.home is None or region.max_moves is None:
        return None
    inside = set(hood)
    outside = sum(1 for s, members in groups.items() if s not in inside for u in members if region.home[u] != s)
    return region.max_moves - outside


def solve_task(region: Region, preset: Preset, task: tuple[SubProblem, int, float]):
    """Solve one neighbourhood (used by the sequential and the parallel mappers)."""
    sub, seed, deterministic_time = task
    return solve(region, preset, sub, seed=seed, deterministic_time=deterministic_time, presolve=False)
