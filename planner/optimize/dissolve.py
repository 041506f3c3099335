"""Dissolve new units below the standard into the new units around them, one new unit fewer each time.

With the count left free, a new unit below the standard costs the search nothing, so the
search keeps it; yet the plan must later lose new units to reach its target, and a unit
below the standard is the one to lose.  Merging alone cannot always do it: a remote unit
may be within reach of no neighbour's seat, only of a seat farther on (Phường Hải Bình in
Thanh Hóa lies more than 14 km from each of its neighbours, but within 12.2 km of Xã Nghi
Sơn).  For each new unit below the standard, its neighbours and the new units on the way to
every seat that could hold its members are re-solved with fewer new units, counting each new
unit against the units meeting the standard; the change is kept when fewer new units fall
short and the plan still has as many new units meeting the standard as the target asks
(merges then bring the count down without losing any).
"""

from __future__ import annotations

from planner.inputs.preset import Preset
from planner.optimize.groups import Groups, adjacency
from planner.optimize.model import SubProblem, candidates
from planner.optimize.packing import chain
from planner.optimize.region import Region
from planner.optimize.scoring import group_status, score
from planner.optimize.search import MAX_GROUPS, MAX_UNITS, Mapper, SearchSettings, close_decisions, past_stop
from planner.rules.standards import MEETS


def dissolve_weak(region: Region, preset: Preset, groups: Groups, settings: SearchSettings,
                mapper: Mapper) -> tuple[Groups, int]:
    """The plan with weak new units dissolved where possible, and the solves spent."""
    groups = {s: list(m) for s, m in groups.items()}
    weak = sorted(s for s, m in groups.items() if group_status(region, preset, m) != MEETS
                  and not (len(m) == 1 and m[0] in region.unchanged))
    if not weak:
        return groups, 0
    holders = candidates(region, list(range(region.size))).members
    holding: Groups = {}
    for s, members in holders.items():
        for u in members:
            holding.setdefault(u, []).append(s)
    solves = 0
    for centre in weak:
        if past_stop(settings.stop_at):
            break
        if centre not in groups:
            continue
        hood = _hood(region, groups, centre, holding)
        if len(hood) < 2:
            continue
        units = sorted(u for s in hood for u in groups[s])
        hint = {u: s for s in hood for u in groups[s]}
        sub = SubProblem(units, 1, len(hood) - 1, settings.standards, 0, hint, per_unit_cost=True)
        (result,) = mapper([(sub, settings.seed + centre, settings.deterministic_time)])
        solves += 1
        old = {s: groups[s] for s in hood}
        if result.groups and _fewer_weak(region, preset, groups, result.groups, old, settings.standards):
            for s in hood:
                del groups[s]
            groups.update(result.groups)
    return groups, solves


def _hood(region: Region, groups: Groups, centre: int, holding: Groups) -> list[int]:
    """The weak unit, its neighbours and the new units on the way to the seats that could hold it."""
    seat_of = {u: s for s, members in groups.items() for u in members}
    hood = [centre] + sorted(adjacency(region, groups)[centre])
    for u in groups[centre]:
        for seat in holding.get(u, []):
            for v in chain(region, seat, u) or []:
                if seat_of[v] not in hood:
                    hood.append(seat_of[v])
    hood = hood[:MAX_GROUPS]
    while len(hood) > 2 and sum(len(groups[s]) for s in hood) > MAX_UNITS:
        hood.pop()
    return close_decisions(region, groups, hood)


def _fewer_weak(region: Region, preset: Preset, groups: Groups, new: Groups,
                old: Groups, standards: str) -> bool:
    """Whether the change leaves fewer new units below the standard, breaks nothing, and keeps at
    least the target's number of new units meeting it (merges then reach the count losing none)."""
    before = score(region, preset, old, standards, 0)
    after = score(region, preset, new, standards, 0)
    if after.minus_broken < before.minus_broken or len(new) - after.meets >= len(old) - before.meets:
        return False
    meets = sum(group_status(region, preset, m) == MEETS for m in groups.values())
    return meets - before.meets + after.meets >= region.target.lo
