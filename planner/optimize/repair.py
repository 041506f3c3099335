"""Least-change repair: start from a plan (an official or published one) and change as little as it takes.

With ``OptimizeSettings.start``, each region's first plan is the given plan's new units, each
at its seat (the plan's seat, else the medoid): :attr:`Region.home` records every old unit's
start seat, and a unit joined to another seat has *moved*.  The search then works as usual,
with the moves counted after the units meeting the standard and the waived units, before
person-km (:class:`~planner.optimize.scoring.Score`), and at most ``max_moves`` of them
(split over regions in proportion to their units in new units below the standard).
Without another target, each region keeps the start plan's count.
"""

from __future__ import annotations

import math
from dataclasses import replace

from planner.inputs.plan import Plan
from planner.inputs.preset import Preset
from planner.optimize.groups import Groups, seat_of_medoid
from planner.optimize.region import CountTarget, Region
from planner.optimize.scoring import group_status
from planner.rules.standards import MEETS


def start_groups(region: Region, plan: Plan) -> Groups:
    """The plan's new units inside the region (seat -> sorted members), each at the plan's seat when it
    is a member here, else at its medoid.

    Examples
    --------
    >>> from planner.optimize.region import example_region
    >>> region, _ = example_region()
    >>> plan = Plan({c: ("A" if i < 3 else "B") for i, c in enumerate(region.codes)}, seats={"A": "00000"})
    >>> start_groups(region, plan)
    {0: [0, 1, 2], 4: [3, 4, 5]}
    """
    index = {code: i for i, code in enumerate(region.codes)}
    members: dict[str, list[int]] = {}
    for code, new in sorted(plan.assignment.items()):
        if code in index:
            members.setdefault(new, []).append(index[code])
    groups: Groups = {}
    for new, units in sorted(members.items()):
        declared = index.get(plan.seats.get(new, ""), -1)
        seat = declared if declared in units else seat_of_medoid(region, units, min(units))
        groups[seat] = sorted(units)
    return dict(sorted(groups.items()))


def home_of(groups: Groups, size: int) -> list[int]:
    """Each unit's seat in ``groups``."""
    home = [-1] * size
    for seat, members in groups.items():
        for u in members:
            home[u] = seat
    return home


def repair_regions(regions: list[Region], preset: Preset, plan: Plan, max_moves: int | None,
                   keep_count: bool) -> list[Region]:
    """The regions with the plan to repair as their home seats and their share of ``max_moves``.

    With ``keep_count`` each region's target is the plan's count of new units in it.
    """
    starts = [start_groups(region, plan) for region in regions]
    weak = [sum(len(m) for m in groups.values() if group_status(region, preset, m) != MEETS)
            for region, groups in zip(regions, starts)]
    budgets = split_moves(max_moves, weak)
    repaired = []
    for region, groups, budget in zip(regions, starts, budgets):
        target = CountTarget("count", len(groups), len(groups)) if keep_count else region.target
        repaired.append(replace(region, home=home_of(groups, region.size), max_moves=budget, target=target))
    return repaired


def split_moves(max_moves: int | None, weights: list[int]) -> list[int | None]:
    """``max_moves`` split in proportion to ``weights`` (largest remainder); None stays None.

    Examples
    --------
    >>> split_moves(10, [3, 1, 0])
    [8, 2, 0]
    >>> split_moves(None, [3, 1])
    [None, None]
    """
    if max_moves is None:
        return [None] * len(weights)
    total = sum(weights)
    if total == 0:
        return [max_moves if i == 0 else 0 for i in range(len(weights))]
    raw = [max_moves * w / total for w in weights]
    shares = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - shares[i]), i))
    for i in order[:max_moves - sum(shares)]:
        shares[i] += 1
    return shares


def continue_labels(plan: Plan, start: Plan, regions: list[Region]) -> Plan:
    """The repaired plan with the start plan's identities: a new unit at a start seat keeps the start
    unit's id and name, and its declared kind when its members did not change; another new unit
    keeps its seat's code as id (with ``-new`` when the start plan uses that id).

    So an untouched new unit reads the same in both plans, a unit has moved exactly when its new
    unit's id changed, and ``planner diff`` shows only the moves.
    """
    continues: dict[str, str] = {}
    for region in regions:
        for u, seat in enumerate(region.home or []):
            if u == seat:
                continues[region.codes[seat]] = start.assignment[region.codes[seat]]
    start_groups_by_id = start.groups()
    start_ids = set(start.assignment.values())
    label = {}
    for new in sorted(set(plan.assignment.values())):
        seat = plan.seats.get(new, new)
        # a new unit that continues none keeps its seat's code, unless the start plan uses that id
        label[new] = continues.get(seat) or (new if new not in start_ids else f"{new}-new")
    assignment = {unit: label[new] for unit, new in plan.assignment.items()}
    seats = {label[new]: seat for new, seat in plan.seats.items()}
    names = {label[new]: start.names[label[new]] for new in label if label[new] in start.names}
    regrouped = Plan(assignment).groups()
    kinds = {new: start.kinds[new] for new in regrouped
             if new in start.kinds and regrouped[new] == start_groups_by_id.get(new)}
    return Plan(assignment, names=names, kinds=kinds, seats=seats, label=plan.label)
