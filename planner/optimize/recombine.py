"""Set-partitioning recombination: the best plan made of new units the search has already seen.

Every neighbourhood solve of the large-neighbourhood search proposes new units that are
contiguous, within the access limit and (where the standards are hard) up to standard, but
only the proposals that improve their own neighbourhood are kept.  Many of those left
behind would fit together with units proposed elsewhere.  A :class:`Pool` keeps every new
unit seen (and the one-unit border moves of the current plan); :func:`recombine` then picks
from the pool the exact cover of the region with the target count that is best by the
search's own order: units meeting the standard, then waived units, then person-km.

The cover is solved with SCIP as a set-partitioning model (:mod:`planner.optimize.cover`)::

    maximise   sum_c y_c * (n * meets_c + waived_c)      (then: minimise sum_c y_c * cost_c)
    subject to sum_{c containing u} y_c = 1   for every unit u
               lo <= sum_c y_c <= hi

(for max-p the count comes first; when repairing a plan, fewer moves come before person-km).

A column is a set of members with its seat (the population-weighted medoid within the
access limit, or a fixed seat); columns that break a decision or a hard standard are left
out, so any cover is a valid plan.  The current plan is always in the pool and is the
solver's hint, so the result is never worse.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.inputs.preset import Preset
from planner.optimize.cover import Cover, Objective
from planner.optimize.groups import seat_of_medoid
from planner.optimize.region import Region
from planner.optimize.scoring import breaks_standard, connected, group_status, group_violations, score
from planner.rules.standards import MEETS, WAIVED

#: Border variants (a group with one neighbouring unit more or one border unit less) are
#: added for plans of at most this many new units.
MAX_VARIANT_GROUPS = 2_000


@dataclass(frozen=True)
class Column:
    """A candidate new unit: its seat, members, status against the standard and person-km."""

    seat: int
    members: tuple[int, ...]
    status: str
    cost: int
    moves: int = 0


class Pool:
    """The new units seen by a region's search, as member sets (seats are chosen later)."""

    def __init__(self) -> None:
        self.member_sets: set[tuple[int, ...]] = set()

    def add(self, groups: dict[int, list[int]]) -> None:
        """Add the new units of a plan or of a neighbourhood's solution."""
        for members in groups.values():
            self.member_sets.add(tuple(sorted(members)))

    def meeting(self, region: Region, preset: Preset) -> list[tuple[int, ...]]:
        """The member sets that meet the standard, in a fixed order."""
        return [m for m in sorted(self.member_sets) if group_status(region, preset, list(m)) == MEETS]

    def add_border_variants(self, region: Region, groups: dict[int, list[int]]) -> None:
        """Add each new unit with one neighbouring unit more, and with one border unit less."""
        if len(groups) > MAX_VARIANT_GROUPS:
            return
        seat_of = {u: s for s, members in groups.items() for u in members}
        for s, members in groups.items():
            inside = set(members)
            border = sorted({v for u in members for v in region.neighbours[u] if v not in inside})
            for v in border:
                self.member_sets.add(tuple(sorted(inside | {v})))
            for u in members:
                if any(seat_of[v] != s for v in region.neighbours[u]) and len(members) > 1:
                    rest = [w for w in members if w != u]
                    if connected(region, rest):
                        self.member_sets.add(tuple(rest))

    def columns(self, region: Region, preset: Preset, standards: str,
                current: dict[int, list[int]]) -> list[Column]:
        """Valid columns, in a fixed order: the current plan's new units first, then the pool's."""
        columns = [_column(region, preset, s, tuple(sorted(m))) for s, m in sorted(current.items())]
        current_sets = {c.members for c in columns}
        closed = _decision_filter(region)
        for members in sorted(self.member_sets - current_sets):
            if not closed(members):
                continue
            seat = seat_of_medoid(region, list(members), -1)
            if seat < 0:
                continue
            column = _column(region, preset, seat, members)
            if group_violations(region, list(members), seat) or breaks_standard(region, seat, column.status, standards):
                continue
            columns.append(column)
        return columns


def _column(region: Region, preset: Preset, seat: int, members: tuple[int, ...]) -> Column:
    status = group_status(region, preset, list(members))
    moves = 0 if region.home is None else sum(1 for u in members if region.home[u] != seat)
    return Column(seat, members, status, sum(region.cost(u, seat) for u in members), moves)


def _decision_filter(region: Region):
    """A test that a member set keeps merge-together groups whole and holds at most one fixed seat."""
    groups = [set(g) for g in region.merge_together]
    fixed = set(region.fixed_seats)

    def closed(members: tuple[int, ...]) -> bool:
        inside = set(members)
        if len(inside & fixed) > 1:
            return False
        return all(not (g & inside) or g <= inside for g in groups)

    return closed


def recombine(region: Region, preset: Preset, pool: Pool, current: dict[int, list[int]], standards: str,
              count_sign: int, *, nodes: int, lo: int, hi: int,
              wall_limit: float | None = None) -> dict[int, list[int]]:
    """The best exact cover of the region by pooled columns with ``lo..hi`` new units.

    Returns seat -> members; the current plan when nothing better is found.  SCIP explores at
    most ``nodes`` branch-and-bound nodes per objective (:mod:`planner.optimize.cover`);
    ``wall_limit`` (seconds) is the emergency stop.
    """
    columns = pool.columns(region, preset, standards, current)
    cover = Cover(region.size, [c.members for c in columns], count=(lo, hi))
    n = region.size + 1
    objectives = [Objective("max", [n * (c.status == MEETS) + (c.status == WAIVED) + count_sign * n * n
                                    for c in columns])]
    if region.home is not None:
        # repairing a plan: fewer moves before person-km, and never more than the limit
        moves = [c.moves for c in columns]
        objectives.append(Objective("min", moves))
        if region.max_moves is not None:
            cover.budgets.append((moves, region.max_moves))
    objectives.append(Objective("min", [c.cost for c in columns]))
    in_current = len(current)
    chosen = cover.solve(objectives, hint=[i < in_current for i in range(len(columns))], nodes=nodes,
                         wall_limit=wall_limit)
    if chosen is None:
        return current
    groups = {c.seat: list(c.members) for c, take in zip(columns, chosen) if take}
    if score(region, preset, groups, standards, count_sign) > score(region, preset, current, standards, count_sign):
        return {s: groups[s] for s in sorted(groups)}
    return current
