"""Helpers on new units (groups of units of a region) shared by the optimizer's stages.

A plan of a region is ``seat -> members``: region indices, the seat one of the members.
This module holds what several stages do to such groups, written once:

- :func:`grow`: the greedy growth of one new unit from a seat, one neighbour at a time,
  with the choice of the next neighbour as a parameter (:func:`nearest`,
  :func:`closest_to_standard`);
- :func:`grow_plan`: a whole first plan grown from seeds, leftovers attached;
- :func:`attach_leftovers`: each unit left out joins a neighbouring new unit;
- :func:`seat_of_medoid`: the seat that minimises the population-weighted distance within
  the access limit;
- :func:`deficit`, :func:`components`, :func:`cells` (graph-Voronoi cells) and
  :func:`adjacency`.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np

from planner.inputs.preset import Preset
from planner.optimize.region import Region
from planner.optimize.scoring import group_status, unit_reductions
from planner.rules.standards import MEETS, WAIVED, applicable_rules, merged_context, merged_kind, merged_terrain

#: Points of a new unit's status when a leftover unit picks the new unit to join (meets > waived > below).
STATUS_POINTS = {MEETS: 2, WAIVED: 1}

Groups = dict[int, list[int]]
#: Picks the next member of a growing new unit: ``choose(members, frontier, seat) -> unit``.
Choice = Callable[[list[int], list[int], int], int]


class Growth(NamedTuple):
    """A grown new unit: its members in the order they joined, and whether it meets the standard."""

    members: list[int]
    complete: bool


def nearest(region: Region) -> Choice:
    """Grow nearest-first: the neighbour closest to the seat (compact new units)."""
    return lambda members, frontier, seat: min(frontier, key=lambda v: (region.distance_km[v, seat], v))


def closest_to_standard(region: Region, preset: Preset, rng: random.Random | None = None,
                        noise: float = 0.0) -> Choice:
    """Grow towards the standard: the neighbour that leaves the smallest :func:`deficit`.

    With ``rng``, each option's deficit gets ``noise * rng.random()`` added (one draw per
    option, also when ``noise`` is 0, so variants drawn from one generator stay in step).
    """
    def choose(members: list[int], frontier: list[int], seat: int) -> int:
        def key(v: int) -> tuple[float, float, int]:
            jitter = noise * rng.random() if rng is not None else 0.0
            return (deficit(region, preset, members + [v]) + jitter, region.distance_km[v, seat], v)
        return min(frontier, key=key)
    return choose


def grow(region: Region, preset: Preset | None, seat: int, choose: Choice, *, start: list[int] | None = None,
         free: set[int] | None = None, limit: float | None = None, until_standard: bool = True,
         done: Callable[[list[int]], bool] | None = None) -> Growth:
    """Grow a new unit from ``seat`` (or from ``start``, which holds the seat) one neighbour at a time.

    A neighbour may join when it is in ``free`` (any unit when None), within the access limit
    of the seat and not a unit that must stay unchanged.  Growth stops when the unit meets its
    standard (with ``until_standard``), reaches ``limit`` members (the scenario's
    ``max_members`` when None), or has no neighbour left to take; ``done(members)``, when
    given, replaces the standard as the test of being complete (the standard is then not read:
    ``meets`` is False and ``preset`` may be None).  A seat that must stay
    unchanged takes no members.

    Examples
    --------
    >>> from planner.optimize.region import example_region
    >>> region, preset = example_region()
    >>> grow(region, preset, 0, nearest(region), until_standard=False, limit=3).members
    [0, 1, 3]
    """
    members = list(start or [seat])
    inside = set(members)
    limit = limit if limit is not None else (region.max_members or math.inf)
    unchanged = set(region.unchanged)
    meets = done is None and group_status(region, preset, members) == MEETS
    if seat in unchanged:
        return Growth(members, meets)
    while not (done(members) if done else until_standard and meets) and len(members) < limit:
        frontier = sorted({v for u in members for v in region.neighbours[u]
                           if v not in inside and (free is None or v in free) and v not in unchanged
                           and region.reachable(v, seat)})
        if not frontier:
            break
        chosen = choose(members, frontier, seat)
        members.append(chosen)
        inside.add(chosen)
        meets = done is None and group_status(region, preset, members) == MEETS
    return Growth(members, meets)


def grow_plan(region: Region, preset: Preset, units: list[int], pick_seed: Callable[[set[int]], int],
              choose: Choice, *, until_standard: bool = True, attach_by_status: bool = True) -> Groups:
    """New units grown from seeds over ``units`` (fixed seats first, then ``pick_seed(free)``).

    A fixed seat keeps its new unit.  With ``until_standard`` another grown unit that falls
    short is undone and its units become leftovers, which then join neighbouring new units
    (:func:`attach_leftovers`); without it every unit grows as far as reach allows.  Returns seat -> sorted members.
    """
    free = set(units)
    groups: Groups = {}
    leftovers: list[int] = []
    forced = sorted(u for u in region.fixed_seats if u in free)
    while free:
        is_fixed = bool(forced)
        seed = forced.pop(0) if forced else pick_seed(free)
        growth = grow(region, preset, seed, choose, free=free, until_standard=until_standard)
        free -= set(growth.members)
        if growth.complete or is_fixed or not until_standard:
            groups[seed] = growth.members
        else:
            leftovers += growth.members
    attach_leftovers(region, preset, groups, sorted(leftovers), by_status=attach_by_status)
    return groups


def deficit(region: Region, preset: Preset, members: list[int]) -> float:
    """How far a new unit is from its standard: the sum of its criteria's missing shares (0 = meets).

    Among several units that would complete a new unit, the smallest overshoot wins
    (a negative deficit measures the surplus), so less population and area is spent on each.
    """
    populations = [float(region.population[u]) for u in members]
    areas = [float(region.area[u]) for u in members]
    kind = merged_kind(preset, [region.kinds[u] for u in members], populations)
    terrain = merged_terrain(preset, [region.terrains[u] for u in members], areas)
    context = merged_context(preset, [region.contexts[u] for u in members], populations)
    values = {"population": sum(populations), "area_km2": sum(areas)}
    shares = {a: share for a, (share, _) in unit_reductions(region, preset, members, kind, terrain).items()}
    best = math.inf
    for rule in applicable_rules(preset, kind, terrain, context):
        minimums = [(c.attribute, c.minimum * shares.get(c.attribute, 1.0)) for c in rule.criteria if c.minimum > 0]
        missing = sum(max(0.0, 1.0 - values[a] / m) for a, m in minimums)
        if missing == 0.0:
            surplus = sum(values[a] / m - 1.0 for a, m in minimums)
            missing = -1.0 / (1.0 + surplus)
        best = min(best, missing)
    return best if best < math.inf else -1.0


def attach_leftovers(region: Region, preset: Preset, groups: Groups, leftovers: list[int], *,
                     by_status: bool = True) -> None:
    """Each leftover unit joins a neighbouring new unit whose seat is within its reach.

    The best status of the grown unit first (with ``by_status``), then the nearest seat.  A
    unit with no such neighbour, after every other leftover has joined, forms a new unit of
    its own.  Changes ``groups`` in place; members end sorted.
    """
    seat_of = {u: s for s, members in groups.items() for u in members}
    unchanged = set(region.unchanged)

    def rank(u: int, s: int) -> tuple[int, float, int]:
        points = STATUS_POINTS.get(group_status(region, preset, groups[s] + [u]), 0) if by_status else 0
        return (-points, region.distance_km[u, s], s)

    pending = list(leftovers)
    while pending:
        waiting = []
        for u in pending:
            options = sorted({seat_of[v] for v in region.neighbours[u] if v in seat_of
                              and region.reachable(u, seat_of[v]) and seat_of[v] not in unchanged})
            if not options:
                waiting.append(u)
                continue
            best = min(options, key=lambda s: rank(u, s))
            groups[best].append(u)
            seat_of[u] = best
        if len(waiting) == len(pending):
            for u in waiting:
                groups[u] = [u]
            break
        pending = waiting
    for s in groups:
        groups[s].sort()


def seat_of_medoid(region: Region, members: Iterable[int], current: int) -> int:
    """The member with the least population-weighted distance to the others, every member within
    the access limit of it; a fixed seat among the members wins; ``current`` when none qualifies.

    Examples
    --------
    >>> from planner.optimize.region import example_region
    >>> region, _ = example_region()
    >>> seat_of_medoid(region, [0, 1, 2], -1)
    1
    """
    index = np.array(sorted(members))
    fixed = [u for u in index.tolist() if u in region.fixed_seats]
    if fixed:
        return min(fixed)
    costs = region.population[index] @ region.access_km[np.ix_(index, index)]
    farthest = region.access_km[np.ix_(index, index)].max(axis=0)
    limit = region.access_max_km
    for i in np.lexsort((index, costs)):
        if limit is None or farthest[i] <= limit + 1e-9:
            return int(index[i])
    return current


def components(region: Region, units: list[int]) -> list[list[int]]:
    """Connected parts of the units (in index order), over shared borders and links."""
    inside, seen, parts = set(units), set(), []
    for start in units:
        if start in seen:
            continue
        part, stack = [], [start]
        seen.add(start)
        while stack:
            u = stack.pop()
            part.append(u)
            for v in region.neighbours[u]:
                if v in inside and v not in seen:
                    seen.add(v)
                    stack.append(v)
        parts.append(sorted(part))
    return parts


def cells(region: Region, units: list[int], seeds: list[int]) -> Groups:
    """Each unit to the nearest seed along the graph (multi-source Dijkstra): graph-Voronoi cells.

    The cells are contiguous, and every member has a neighbour in its cell nearer to the seed.
    """
    inside = set(units)
    best: dict[int, tuple[float, int]] = {s: (0.0, s) for s in seeds}
    heap = [(0.0, s, s) for s in seeds]
    owner: dict[int, int] = {}
    while heap:
        d, s, u = heapq.heappop(heap)
        if u in owner:
            continue
        owner[u] = s
        for v in region.neighbours[u]:
            if v not in inside or v in owner:
                continue
            nd = d + max(float(region.distance_km[u, v]), 1e-6)
            if (nd, s) < best.get(v, (math.inf, -1)):
                best[v] = (nd, s)
                heapq.heappush(heap, (nd, s, v))
    groups: Groups = {s: [] for s in seeds}
    for u in units:
        groups[owner[u]].append(u)
    return {s: sorted(m) for s, m in groups.items() if m}


def adjacency(region: Region, groups: Groups) -> dict[int, set[int]]:
    """Seat -> the seats of the new units that share a border with it."""
    seat_of = {u: s for s, members in groups.items() for u in members}
    adjacent: dict[int, set[int]] = {s: set() for s in groups}
    for s, members in groups.items():
        for u in members:
            for v in region.neighbours[u]:
                t = seat_of[v]
                if t != s:
                    adjacent[s].add(t)
    return adjacent


def mean_distance(region: Region, members: list[int], seat: int) -> float:
    """Population-weighted mean distance of the members to the seat, in km (0 with no residents)."""
    people = float(sum(region.population[u] for u in members))
    return sum(region.cost(u, seat) for u in members) / people if people > 0 else 0.0
