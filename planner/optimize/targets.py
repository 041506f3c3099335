"""How many new units each parent unit (region) should get.

Merges stay inside the preset's merge level (provinces), so each parent unit is an
independent problem with its own count target: a share of a national count (largest
remainder), a count per parent from the scenario, a range from a reduction, or the free
count of max-p and min-count.
"""

from __future__ import annotations

import math

from planner.inputs.problems import ProblemList
from planner.inputs.scenario import Scenario
from planner.optimize.region import CountTarget, parent_of
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
    by_parent = scenario.target.by_parent if (mode == "count" and settings.count is None) else {}
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
                               f"no count for parent unit {parent} ({n} units): give one for every parent unit")
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
    for parent, target in targets.items():
        if target.lo > units_by_parent[parent]:
            problems.error(label, "key target", "", f"parent unit {parent} has {units_by_parent[parent]} units "
                           f"but the target asks for {target.lo} new units")
    problems.raise_if_errors()
    return targets


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
