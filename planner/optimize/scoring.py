"""Exact scores of new units, computed with the rules of :mod:`planner.rules.standards`.

The large-neighbourhood search accepts a change only when this score improves, so what the
optimizer keeps is judged by the same functions as the evaluation.  A :class:`Score` is
compared field by field, higher is better: fewer broken hard constraints first, then the
count term, units meeting the standard, waived units, and the least person-km.

Under a preset that exempts units left as they were (``unarranged: exempt``), a new unit of
one old unit that keeps its kind is ``unchanged``: it never counts as meeting the standard,
so leaving units alone cannot raise the count the optimizer maximises, and under hard or
strict standards it is a broken constraint like a unit below the standard (else max-p would
leave every unit alone), except for a unit the scenario itself keeps unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from planner.inputs.preset import Preset
from planner.optimize.region import Region
from planner.rules.reductions import reduction_shares
from planner.rules.standards import (
    BELOW,
    MEETS,
    UNCHANGED,
    WAIVED,
    is_unarranged,
    judge,
    merged_context,
    merged_kind,
    merged_terrain,
)


class Score(NamedTuple):
    """The score of a plan or part of one; tuples compare field by field, so higher is better.

    Examples
    --------
    >>> Score(minus_broken=0, count_term=0, meets=3, waived=0, minus_moves=0, minus_person_km=-120).explain()
    '0 broken constraints, 3 meeting the standard, 0 waived, 120 person-km'
    >>> Score(0, 0, 3, 0, 0, -120) > Score(-1, 0, 9, 0, 0, 0)
    True
    """

    minus_broken: int       # broken hard constraints (access, decisions, hard standards, contiguity), negated
    count_term: int         # new units for max-p, their negative for min-count, else 0
    meets: int              # new units meeting the standard
    waived: int             # new units below it but waived
    minus_moves: int        # old units away from their start plan's new unit (least-change repair), negated
    minus_person_km: int    # population-weighted distance to the seats, negated

    @property
    def broken(self) -> int:
        return -self.minus_broken

    @property
    def moves(self) -> int:
        return -self.minus_moves

    @property
    def person_km(self) -> int:
        return -self.minus_person_km

    def explain(self) -> str:
        """The score in words, term by term."""
        count = f", count term {self.count_term}" if self.count_term else ""
        moves = f", {self.moves} moves" if self.moves else ""
        return (f"{self.broken} broken constraints{count}, {self.meets} meeting the standard, "
                f"{self.waived} waived{moves}, {self.person_km} person-km")


#: Statuses remembered per region at most (then forgotten at once, which keeps memory bounded).
MAX_REMEMBERED = 100_000
#: What a hard standard requires: nothing, meeting it or the waiver, or meeting it.
STANDARDS_MODES = ("soft", "hard", "strict")


def group_status(region: Region, preset: Preset, members: list[int]) -> str:
    """``meets``, ``waived``, ``below`` or ``unchanged`` for a new unit formed from ``members``.

    Remembered per region, preset and member set (growth and search ask for the same sets often).
    """
    remembered = region.statuses
    if remembered is None or remembered[0] is not preset:
        remembered = region.statuses = (preset, {})
    key = tuple(sorted(members))
    status = remembered[1].get(key)
    if status is None:
        if len(remembered[1]) >= MAX_REMEMBERED:
            remembered[1].clear()
        status = remembered[1][key] = _judged_status(region, preset, members)
    return status


def _judged_status(region: Region, preset: Preset, members: list[int]) -> str:
    populations = [float(region.population[u]) for u in members]
    areas = [float(region.area[u]) for u in members]
    kinds = [region.kinds[u] for u in members]
    kind = merged_kind(preset, kinds, populations)
    terrain = merged_terrain(preset, [region.terrains[u] for u in members], areas)
    context = merged_context(preset, [region.contexts[u] for u in members], populations)
    return judge(preset, kind=kind, terrain=terrain, context=context, population=sum(populations),
                 area_km2=sum(areas), n_constituents=len(members), unarranged=is_unarranged(kinds, kind),
                 reductions=unit_reductions(region, preset, members, kind, terrain)).status


def unit_reductions(region: Region, preset: Preset, members: list[int], kind: str,
                    terrain: str) -> dict[str, tuple[float, str]]:
    """The special-factor reductions of a new unit of these members (:func:`reduction_shares`)."""
    if not preset.reductions:
        return {}
    values = {name: [column[u] for u in members] for name, column in region.factors.items()}
    return reduction_shares(preset, kind, terrain, values, [float(region.population[u]) for u in members])


def standard_violated(status: str, standards: str) -> bool:
    """Whether a unit of that status breaks the standards mode (an unchanged unit breaks hard and strict)."""
    if standards == "strict":
        return status != MEETS
    if standards == "hard":
        return status in (BELOW, UNCHANGED)
    return False


def breaks_standard(region: Region, seat: int, status: str, standards: str) -> bool:
    """Whether the new unit with this seat breaks the standards mode; a unit the scenario keeps
    unchanged (``decisions.unchanged``) does not for being unchanged."""
    if status == UNCHANGED and seat in region.unchanged:
        return False
    return standard_violated(status, standards)


def group_violations(region: Region, members: list[int], seat: int) -> int:
    """Broken hard constraints inside one new unit (besides the standard)."""
    inside = set(members)
    broken = sum(1 for u in members if not region.reachable(u, seat))
    if seat not in inside:
        broken += 1
    if region.max_members is not None and len(members) > region.max_members:
        broken += len(members) - region.max_members
    for group in region.keep_apart:
        present = sum(1 for u in group if u in inside)
        broken += max(0, present - 1)
    if any(u in inside for u in region.unchanged) and len(members) > 1:
        broken += 1
    if not connected(region, members):
        broken += 1
    return broken


def connected(region: Region, members: Iterable[int]) -> bool:
    """Whether the units are connected in the adjacency graph (links count)."""
    members = list(members)
    if len(members) <= 1:
        return True
    inside = set(members)
    seen = {members[0]}
    stack = [members[0]]
    while stack:
        u = stack.pop()
        for v in region.neighbours[u]:
            if v in inside and v not in seen:
                seen.add(v)
                stack.append(v)
    return len(seen) == len(inside)


def plan_violations(region: Region, groups: dict[int, list[int]]) -> int:
    """Broken decisions across new units: split merge-together groups, fixed seats not seats."""
    seat_of = {u: s for s, members in groups.items() for u in members}
    broken = 0
    for group in region.merge_together:
        seats = {seat_of.get(u, -1) for u in group}
        broken += len(seats) - 1
    broken += sum(1 for u in region.fixed_seats if u in seat_of and u not in groups)
    return broken


def score(region: Region, preset: Preset, groups: dict[int, list[int]], standards: str,
          count_sign: int) -> Score:
    """The score of a set of new units (``seat -> members``) of a region or part of it."""
    violations = plan_violations(region, groups)
    meets = waived = cost = moves = 0
    home = region.home
    for seat, members in groups.items():
        status = group_status(region, preset, members)
        violations += group_violations(region, members, seat)
        violations += int(breaks_standard(region, seat, status, standards))
        meets += status == MEETS
        waived += status == WAIVED
        cost += sum(region.cost(u, seat) for u in members)
        if home is not None:
            moves += sum(1 for u in members if home[u] != seat)
    if region.max_moves is not None and moves > region.max_moves:
        violations += moves - region.max_moves  # more moves than a repair allows (exact for a whole plan)
    return Score(-violations, count_sign * len(groups), meets, waived, -moves, -cost)

