"""Grow, then merge: a first plan whose new units meet their standard, at a given count.

1. **Grow** (as for max-p): from the hardest unit left (fewest free neighbours), add the
   nearest free neighbour within the access limit until the new unit meets its standard;
   units that cannot complete a new unit join a neighbouring one where it keeps meeting it.
   This gives as many new units meeting the standard as the greedy can find.
2. **Merge** down to the target: repeatedly merge the two neighbouring new units whose union
   loses the fewest units meeting the standard and adds the least population-weighted
   distance, with the union's seat moved to its population-weighted medoid within the access
   limit.

Merging two units that meet the standard usually gives one that meets it too (population and
area add up), so the count can be brought down while nearly every unit keeps meeting it; the
large-neighbourhood search then polishes the result.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable

import numpy as np

from planner.inputs.preset import Preset
from planner.optimize.region import Region
from planner.optimize.scoring import connected, group_status
from planner.rules.standards import MEETS, WAIVED, applicable_rules, merged_context, merged_kind, merged_terrain

#: Points of a new unit's status in the merge order (meets > waived > below).
STATUS_POINTS = {MEETS: 2, WAIVED: 1}


def grow_and_merge(region: Region, preset: Preset, units: list[int], k: int) -> dict[int, list[int]]:
    """A plan of ``units`` with ``k`` new units where merges and splits allow it.

    Returns seat -> sorted members.
    """
    groups = grow(region, preset, units)
    groups = split_up(region, preset, groups, k)
    return merge_down(region, preset, groups, k)


def grow(region: Region, preset: Preset, units: list[int], rng: random.Random | None = None,
         noise: float = 0.0) -> dict[int, list[int]]:
    """New units grown until each meets its standard; leftovers join a neighbour.

    With ``rng`` and ``noise`` > 0 the choices are perturbed (for randomised restarts).
    """
    jitter = (lambda: noise * rng.random()) if rng is not None and noise > 0 else (lambda: 0.0)
    free = set(units)
    groups: dict[int, list[int]] = {}
    leftovers: list[int] = []
    for seat in sorted(u for u in region.fixed_seats if u in free):
        members = _grow_from(region, preset, seat, free, jitter)
        free -= set(members)
        groups[seat] = members
    while free:
        seed = min(free, key=lambda u: (sum(v in free for v in region.neighbours[u]) + 3 * jitter(),
                                        -region.population[u], u))
        members = _grow_from(region, preset, seed, free, jitter)
        free -= set(members)
        if group_status(region, preset, members) == MEETS or seed in region.unchanged:
            groups[seed] = members
        else:
            leftovers += members
    attach_leftovers(region, preset, groups, sorted(leftovers))
    return {seat_of_medoid(region, m, s): sorted(m) for s, m in groups.items()}


def _grow_from(region: Region, preset: Preset, seed: int, free: set[int],
               jitter: Callable[[], float] = lambda: 0.0) -> list[int]:
    members = [seed]
    if seed in region.unchanged:
        return members
    inside = {seed}
    limit = region.max_members or math.inf
    while len(members) < limit and group_status(region, preset, members) != MEETS:
        frontier = {v for u in members for v in region.neighbours[u]
                    if v in free and v not in inside and region.reachable(v, seed) and v not in region.unchanged}
        if not frontier:
            break
        chosen = min(frontier, key=lambda v: (deficit(region, preset, members + [v]) + jitter(),
                                              region.distance_km[v, seed], v))
        members.append(chosen)
        inside.add(chosen)
    return members


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
    best = math.inf
    for rule in applicable_rules(preset, kind, terrain, context):
        missing = sum(max(0.0, 1.0 - values[c.attribute] / c.minimum) for c in rule.criteria if c.minimum > 0)
        if missing == 0.0:
            surplus = sum(values[c.attribute] / c.minimum - 1.0 for c in rule.criteria if c.minimum > 0)
            missing = -1.0 / (1.0 + surplus)
        best = min(best, missing)
    return best if best < math.inf else -1.0


def attach_leftovers(region: Region, preset: Preset, groups: dict[int, list[int]], leftovers: list[int]) -> None:
    """Each leftover unit joins a neighbouring new unit, best status first, then nearest seat."""
    seat_of = {u: s for s, members in groups.items() for u in members}
    pending = list(leftovers)
    while pending:
        waiting = []
        for u in pending:
            options = sorted({seat_of[v] for v in region.neighbours[u] if v in seat_of
                              and region.reachable(u, seat_of[v]) and seat_of[v] not in region.unchanged})
            if not options:
                waiting.append(u)
                continue
            best = min(options, key=lambda s: (-STATUS_POINTS.get(group_status(region, preset, groups[s] + [u]), 0),
                                               region.distance_km[u, s], s))
            groups[best].append(u)
            seat_of[u] = best
        if len(waiting) == len(pending):
            for u in waiting:  # no neighbour within reach: the unit forms a new unit of its own
                groups[u] = [u]
                seat_of[u] = u
            break
        pending = waiting


def best_of_growths(region: Region, preset: Preset, units: list[int], rng: random.Random, tries: int,
                    key: Callable[[dict[int, list[int]]], object]) -> dict[int, list[int]]:
    """The best of one plain and ``tries - 1`` randomised growths, by ``key`` (highest wins)."""
    best = grow(region, preset, units)
    best_key = key(best)
    for attempt in range(1, tries):
        candidate = grow(region, preset, units, rng, noise=0.05 + 0.3 * attempt / tries)
        candidate_key = key(candidate)
        if candidate_key > best_key:
            best, best_key = candidate, candidate_key
    return best


def seat_of_medoid(region: Region, members: list[int], current: int) -> int:
    """The member minimising population-weighted distance with every member within the access limit."""
    index = np.array(sorted(members))
    costs = region.population[index] @ region.distance_km[np.ix_(index, index)]
    farthest = region.distance_km[np.ix_(index, index)].max(axis=0)
    limit = region.access_max_km
    fixed = [u for u in members if u in region.fixed_seats]
    if fixed:
        return min(fixed)
    order = np.lexsort((index, costs))
    for i in order:
        if limit is None or farthest[i] <= limit + 1e-9:
            return int(index[i])
    return current


def merge_down(region: Region, preset: Preset, groups: dict[int, list[int]], k: int) -> dict[int, list[int]]:
    """Merge neighbouring new units until there are ``k`` (or no merge is possible)."""
    groups = {s: sorted(m) for s, m in groups.items()}
    status = {s: group_status(region, preset, m) for s, m in groups.items()}
    seat_of = {u: s for s, m in groups.items() for u in m}
    version = dict.fromkeys(groups, 0)
    heap: list[tuple] = []

    def push(a: int, b: int) -> None:
        option = _merge_option(region, preset, groups, status, a, b)
        if option is not None:
            heapq.heappush(heap, (*option, version[a], version[b]))

    for a in sorted(groups):
        for b in _adjacent(region, groups[a], seat_of, a):
            if a < b:
                push(a, b)
    while len(groups) > k and heap:
        _loss, _cost, a, b, seat, _status, version_a, version_b = heapq.heappop(heap)
        if a not in groups or b not in groups or (version[a], version[b]) != (version_a, version_b):
            continue
        members = sorted(groups.pop(a) + groups.pop(b))
        status.pop(a), status.pop(b)
        version[seat] = max(version.get(a, 0), version.get(b, 0)) + 1
        groups[seat] = members
        status[seat] = group_status(region, preset, members)
        for u in members:
            seat_of[u] = seat
        for other in _adjacent(region, members, seat_of, seat):
            push(min(seat, other), max(seat, other))
    return {s: groups[s] for s in sorted(groups)}


def split_up(region: Region, preset: Preset, groups: dict[int, list[int]], k: int) -> dict[int, list[int]]:
    """Split new units in two until there are ``k``: the split that keeps the most units meeting
    the standard and adds the least distance first."""
    groups = {s: sorted(m) for s, m in groups.items()}
    options = {s: _split_option(region, preset, m) for s, m in groups.items()}
    while len(groups) < k:
        ranked = sorted((o[0], o[1], s) for s, o in options.items() if o is not None)
        if not ranked:
            break
        _gain, _cost, seat = ranked[0]
        _g, _c, (first_seat, first), (second_seat, second) = options.pop(seat)
        del groups[seat]
        groups[first_seat], groups[second_seat] = first, second
        options[first_seat] = _split_option(region, preset, first)
        options[second_seat] = _split_option(region, preset, second)
    return {s: groups[s] for s in sorted(groups)}


def _split_option(region: Region, preset: Preset, members: list[int]) -> tuple | None:
    """The best split of a new unit into two contiguous halves around two seats, or None."""
    if len(members) < 2 or any(u in region.unchanged for u in members):
        return None
    before = STATUS_POINTS.get(group_status(region, preset, members), 0)
    seat = seat_of_medoid(region, members, members[0])
    cost_before = sum(region.cost(u, seat) for u in members)
    best = None
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            parts = cells(region, members, [a, b])
            if len(parts) != 2 or sum(len(p) for p in parts.values()) != len(members):
                continue
            halves = (parts[a], parts[b])
            points = 0
            cost = 0
            placed = []
            for half in halves:
                half_seat = seat_of_medoid(region, half, -1)
                if half_seat < 0 or not connected(region, half):
                    break
                points += STATUS_POINTS.get(group_status(region, preset, half), 0)
                cost += sum(region.cost(u, half_seat) for u in half)
                placed.append((half_seat, half))
            else:
                option = (before - points, cost - cost_before, placed[0], placed[1])
                if best is None or option[:2] < best[:2]:
                    best = option
    return best


def cells(region: Region, units: list[int], seeds: list[int]) -> dict[int, list[int]]:
    """Each unit to the nearest seed along the graph (multi-source Dijkstra)."""
    inside = set(units)
    best: dict[int, tuple[float, int]] = {}
    heap = [(0.0, s, s) for s in seeds]
    owner: dict[int, int] = {}
    for s in seeds:
        best[s] = (0.0, s)
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
    groups: dict[int, list[int]] = {s: [] for s in seeds}
    for u in units:
        groups[owner[u]].append(u)
    return {s: sorted(m) for s, m in groups.items() if m}


def _adjacent(region: Region, members: list[int], seat_of: dict[int, int], seat: int) -> set[int]:
    return {seat_of[v] for u in members for v in region.neighbours[u] if v in seat_of and seat_of[v] != seat}


def _merge_option(region: Region, preset: Preset, groups: dict[int, list[int]], status: dict[int, str],
                  a: int, b: int) -> tuple | None:
    if a in region.unchanged or b in region.unchanged:
        return None
    if any(u in region.unchanged for u in groups[a] + groups[b]):
        return None
    members = sorted(groups[a] + groups[b])
    if region.max_members is not None and len(members) > region.max_members:
        return None
    inside = set(members)
    if any(sum(u in inside for u in group) > 1 for group in region.keep_apart):
        return None
    seat = seat_of_medoid(region, members, -1)
    if seat < 0 or not connected(region, members):
        return None
    merged = group_status(region, preset, members)
    loss = STATUS_POINTS.get(status[a], 0) + STATUS_POINTS.get(status[b], 0) - STATUS_POINTS.get(merged, 0)
    before = sum(region.cost(u, a) for u in groups[a]) + sum(region.cost(u, b) for u in groups[b])
    after = sum(region.cost(u, seat) for u in members)
    return (loss, after - before, a, b, seat, merged)
