"""Last touches on access: better seats and single units moved across borders.

After the search, two cheap deterministic passes lower the population-weighted distance
without giving up anything the search reached:

- each new unit's seat moves to the member with the least population-weighted distance to
  the others, among those within the access limit of every member;
- a unit on the border of two new units moves to the other one when both stay contiguous,
  neither loses its status (meets, waived, below), no decision or limit is broken, and the
  total distance falls.  Units are visited in index order until no move helps.
"""

from __future__ import annotations

from planner.inputs.preset import Preset
from planner.optimize.groups import Groups, seat_of_medoid
from planner.optimize.region import Region
from planner.optimize.scoring import connected, group_status, group_violations, plan_violations
from planner.optimize.search import past_stop
from planner.rules.standards import BELOW, MEETS, UNCHANGED, WAIVED

RANK = {MEETS: 2, WAIVED: 1, BELOW: 0, UNCHANGED: 0}
#: Passes over every unit at most (the moves settle in a few on real data).
MAX_ROUNDS = 20


def polish(region: Region, preset: Preset, groups: Groups, stop_at: float | None = None) -> Groups:
    """The plan with seats re-placed and border units moved where that shortens distances.

    Each pass checks the emergency stop ``stop_at`` (:func:`planner.optimize.search.past_stop`).
    """
    members_of = {s: sorted(m) for s, m in groups.items()}
    members_of = _reseat(region, members_of)
    for _ in range(MAX_ROUNDS):
        if past_stop(stop_at):
            break
        moved = False
        for u in range(region.size):
            moved |= _try_move(region, preset, members_of, u)
        members_of = _reseat(region, members_of)
        if not moved:
            break
    return {s: sorted(members_of[s]) for s in sorted(members_of)}


def _reseat(region: Region, groups: Groups) -> Groups:
    placed = {}
    for seat, members in groups.items():
        if any(u in region.unchanged for u in members):
            placed[seat] = members
            continue
        placed[seat_of_medoid(region, members, seat)] = members
    return placed


def _try_move(region: Region, preset: Preset, groups: Groups, u: int) -> bool:
    seat_of = {v: s for s, members in groups.items() for v in members}
    source = seat_of[u]
    if u == source or len(groups[source]) == 1 or u in region.unchanged:
        return False
    targets = sorted({seat_of[v] for v in region.neighbours[u] if seat_of[v] != source})
    rest = [v for v in groups[source] if v != u]
    if not targets or not connected(region, rest):
        return False
    before_source = RANK[group_status(region, preset, groups[source])]
    if RANK[group_status(region, preset, rest)] < before_source:
        return False
    saving = region.cost(u, source)
    best = None
    for target in targets:
        if target in region.unchanged or not region.reachable(u, target):
            continue
        grown = groups[target] + [u]
        if RANK[group_status(region, preset, grown)] < RANK[group_status(region, preset, groups[target])]:
            continue
        if group_violations(region, grown, target) > group_violations(region, groups[target], target):
            continue
        gain = saving - region.cost(u, target)
        if gain > 0 and (best is None or gain > best[0]):
            best = (gain, target)
    if best is None:
        return False
    trial = dict(groups)
    trial[source] = rest
    trial[best[1]] = sorted(groups[best[1]] + [u])
    if plan_violations(region, trial) > plan_violations(region, groups):
        return False
    groups[source] = rest
    groups[best[1]] = trial[best[1]]
    return True
