"""How many new units each parent unit (region) should get.

Merges stay inside the preset's merge level (provinces), so each parent unit is an
independent problem with its own count target: a share of a national count (largest
remainder), a count per parent from the scenario, a range from a reduction, or the free
count of max-p and min-count.  A target a parent cannot meet (fewer units than asked, or more
separate parts, islands without a link, than new units allowed) is an error, or with
``target: {unreachable: relax}`` gives way to the nearest count it can meet
(:func:`relax_targets`), with a warning naming the parent.
"""

from __future__ import annotations

import math

from planner.inputs.problems import ProblemList
from planner.inputs.scenario import Scenario
from planner.optimize.groups import components
from planner.optimize.region import CountTarget, Region, parent_label, parent_of
from planner.optimize.settings import OptimizeSettings


def resolve_target(scenario: Scenario, settings: OptimizeSettings) -> tuple[str, int | None, tuple | None]:
    """The target mode, total count and reduction range, the settings (command line) first."""
    target = scenario.target
    mode = settings.target or target.mode
    count = settings.count if settings.count is not None else (target.count if mode == "count" else None)
    reduction = settings.reduction
    if reduction is None and target.reduction_min is not None:
        reduction = (target.reduction_min, target.reduction_max or 1.0)
    return mode, count, reduction


def region_targets(scenario: Scenario, settings: OptimizeSettings) -> tuple[str, dict[str, CountTarget]]:
    """The target mode and the count target of each parent unit.

    Raises
    ------
    InputError
        When a per-parent count is missing or a count cannot be met.
    """
    mode, count, reduction = resolve_target(scenario, settings)
    units_by_parent: dict[str, int] = {}
    for parent in parent_of(scenario).values():
        units_by_parent[parent] = units_by_parent.get(parent, 0) + 1
    by_parent = scenario.by_parent_counts()[1] if (mode == "count" and settings.count is None) else {}
    return mode, targets_for(scenario, units_by_parent, mode, count, reduction, by_parent)


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
                               f"no count for {parent_label(scenario, parent)} ({n} units): give one for every "
                               "parent unit")
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
    relax = scenario.target.unreachable == "relax"
    for parent, target in targets.items():
        if target.lo > units_by_parent[parent] and not relax:
            problems.error(label, "key target", "", f"{parent_label(scenario, parent)} has {units_by_parent[parent]} "
                           f"units but the target asks for {target.lo} new units (target: {{unreachable: relax}} "
                           "plans it with the nearest count that can be met)")
    problems.raise_if_errors()
    return targets


def relax_targets(regions: list[Region]) -> list[str]:
    """Give each region whose count target cannot be met the nearest count it can meet; the warnings.

    A region needs at least one new unit per separate part (units with no shared border or link
    to the rest: islands), one per fixed seat and enough units for ``max_members``, and has at most
    one new unit per old unit.  A target outside that range becomes the nearest count inside it.

    Parameters
    ----------
    regions : list of Region
        The regions, their targets changed in place.

    Returns
    -------
    list of str
        One warning per region whose target was relaxed, naming the parent unit, the target asked
        for, the count planned and why.
    """
    warnings = []
    for region in regions:
        least, why = _least_count(region)
        target = region.target
        if target.hi >= least and target.lo <= region.size:
            continue
        lo, hi = min(max(target.lo, least), region.size), min(max(target.hi, least), region.size)
        asked = f"{target.lo}" if target.lo == target.hi else f"{target.lo} to {target.hi}"
        planned = f"{lo}" if lo == hi else f"{lo} to {hi}"
        reason = why if target.hi < least else f"it has only {region.size} units"
        warnings.append(f"{region.label}: the target of {asked} new units cannot be met ({reason}); planned with "
                        f"{planned} (target: unreachable: relax)")
        region.target = CountTarget(target.mode, lo, hi)
    return warnings


def _least_count(region: Region) -> tuple[int, str]:
    """The fewest new units a region can have, and why in words."""
    parts = len(components(region, list(range(region.size))))
    needs = [(parts, f"its units form {parts} separate parts with no shared border or link")]
    if region.fixed_seats:
        needs.append((len(set(region.fixed_seats)), f"it has {len(set(region.fixed_seats))} fixed seats"))
    if region.max_members:
        count = math.ceil(region.size / region.max_members)
        needs.append((count, f"at most {region.max_members} members per new unit"))
    return max(needs, key=lambda need: need[0])


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
