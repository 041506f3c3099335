"""Bring a plan to its target count: merge neighbouring new units, or split new units in two.

- :func:`merge_down`: repeatedly merge the two neighbouring new units whose union loses the
  fewest units meeting the standard and adds the least population-weighted distance, the
  union's seat at its medoid within the access limit.  Merging two units that meet the
  standard usually gives one that meets it too (population and area add up), so the count
  comes down while nearly every unit keeps meeting it.
- :func:`split_up`: split new units in two along graph-Voronoi cells of two seats, the split
  that keeps the most units meeting the standard and adds the least distance first.
"""

from __future__ import annotations

import heapq
from typing import NamedTuple

from planner.inputs.preset import Preset
from planner.optimize.groups import STATUS_POINTS, Groups, cells, seat_of_medoid
from planner.optimize.region import Region
from planner.optimize.scoring import connected, group_status


class Merge(NamedTuple):
    """A possible merge of the new units with seats ``a`` and ``b``, ordered best first."""

    loss: int          # points of status lost (meets 2, waived 1)
    added_cost: int    # person-km added
    a: int
    b: int
    seat: int
    status: str


class Split(NamedTuple):
    """A possible split of one new unit into two, ordered best first."""

    loss: int
    added_cost: int
    first: tuple[int, list[int]]    # (seat, members)
    second: tuple[int, list[int]]


def to_target(region: Region, preset: Preset, groups: Groups) -> Groups:
    """Merge down to the target's largest count, then split up to its smallest."""
    groups = merge_down(region, preset, groups, region.target.hi)
    return split_up(region, preset, groups, region.target.lo)


def merge_down(region: Region, preset: Preset, groups: Groups, k: int) -> Groups:
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
        *option, version_a, version_b = heapq.heappop(heap)
        merge = Merge(*option)
        a, b = merge.a, merge.b
        if a not in groups or b not in groups or (version[a], version[b]) != (version_a, version_b):
            continue
        members = sorted(groups.pop(a) + groups.pop(b))
        status.pop(a), status.pop(b)
        version[merge.seat] = max(version.get(a, 0), version.get(b, 0)) + 1
        groups[merge.seat] = members
        status[merge.seat] = group_status(region, preset, members)
        for u in members:
            seat_of[u] = merge.seat
        for other in _adjacent(region, members, seat_of, merge.seat):
            push(min(merge.seat, other), max(merge.seat, other))
    return {s: groups[s] for s in sorted(groups)}


def split_up(region: Region, preset: Preset, groups: Groups, k: int) -> Groups:
    """Split new units in two until there are ``k`` (or no split is possible)."""
    groups = {s: sorted(m) for s, m in groups.items()}
    options = {s: _split_option(region, preset, m) for s, m in groups.items()}
    while len(groups) < k:
        ranked = sorted((o.loss, o.added_cost, s) for s, o in options.items() if o is not None)
        if not ranked:
            break
        split = options.pop(ranked[0][2])
        del groups[ranked[0][2]]
        for seat, members in (split.first, split.second):
            groups[seat] = members
            options[seat] = _split_option(region, preset, members)
    return {s: groups[s] for s in sorted(groups)}


def _points(region: Region, preset: Preset, members: list[int]) -> int:
    return STATUS_POINTS.get(group_status(region, preset, members), 0)


def _split_option(region: Region, preset: Preset, members: list[int]) -> Split | None:
    """The best split of a new unit into two contiguous halves around two seats, or None."""
    if len(members) < 2 or any(u in region.unchanged for u in members):
        return None
    before = _points(region, preset, members)
    seat = seat_of_medoid(region, members, members[0])
    cost_before = sum(region.cost(u, seat) for u in members)
    best = None
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            halves = _halves(region, preset, members, a, b)
            if halves is None:
                continue
            points = sum(_points(region, preset, half) for _, half in halves)
            cost = sum(region.cost(u, s) for s, half in halves for u in half)
            option = Split(before - points, cost - cost_before, halves[0], halves[1])
            if best is None or option[:2] < best[:2]:
                best = option
    return best


def _halves(region: Region, preset: Preset, members: list[int], a: int,
            b: int) -> list[tuple[int, list[int]]] | None:
    """The two graph-Voronoi halves around ``a`` and ``b`` with their seats, or None when they do not work."""
    parts = cells(region, members, [a, b])
    if len(parts) != 2 or sum(len(p) for p in parts.values()) != len(members):
        return None
    placed = []
    for half in (parts[a], parts[b]):
        half_seat = seat_of_medoid(region, half, -1)
        if half_seat < 0 or not connected(region, half):
            return None
        placed.append((half_seat, half))
    return placed


def _adjacent(region: Region, members: list[int], seat_of: dict[int, int], seat: int) -> set[int]:
    return {seat_of[v] for u in members for v in region.neighbours[u] if v in seat_of and seat_of[v] != seat}


def _merge_option(region: Region, preset: Preset, groups: Groups, status: dict[str, str] | dict[int, str],
                  a: int, b: int) -> Merge | None:
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
    return Merge(loss, after - before, a, b, seat, merged)
