"""Proven bounds on a region's primary objective, and the units that can never meet the standard.

The bound is what ``summary.json`` reports as ``bound`` (and ``gap`` against it).  For
count and reduction targets, the number of new units meeting the standard is at most:

- the largest allowed count;
- total population (area) divided by the smallest population (area) minimum of any rule;
- the largest allowed count less the new units that must fall short: a **stranded** unit
  (:func:`stranded_units`) is in no new unit that meets the standard, and stranded units
  that share no possible seat need new units of their own.

- the LP relaxation of packing disjoint sets that could meet the standard
  (:mod:`planner.optimize.lp_bound`, column generation): it sees the access limit and units
  too small or too remote to help;
- for max-p, the same LP over contiguous sets only (:mod:`planner.optimize.connected_bound`),
  started from the first LP's contiguous sets.

Special-factor reductions (:mod:`planner.rules.reductions`) enter every bound as the lowest
minimum they could leave (:func:`~planner.rules.reductions.floor_share`), which keeps the
bounds proven whatever the factors of the units.

Under a preset that exempts units left as they were, a seat that can hold no other unit is
stranded (its unit alone is ``unchanged``, never meeting the standard), and the LP bound's
sets at a seat whose kind would stay the same alone hold at least one other unit
(:func:`lone_seats`).

For max-p with strict standards (every new unit meets the standard) the resource and LP bounds
apply to the count, plus the units the scenario keeps unchanged (new units of their own,
whatever their size); for min-count a lower bound on the count (connected parts, the size limit)
is negated.  :func:`primary_bound` also names the bound that was tightest (``bound_method``).
"""

from __future__ import annotations

import math

from planner.inputs.preset import Preset
from planner.optimize.connected_bound import connected_packing_bound
from planner.optimize.groups import Groups, components
from planner.optimize.lp_bound import Requirement, packing_bound
from planner.optimize.region import Region
from planner.rules.reductions import floor_share
from planner.rules.standards import MEETS, applicable_rules, merged_kind, unarranged_rule, waiver_min_constituents

#: Names of the bounds, as ``bound_method`` reports the tightest.
BOUND_METHODS = {"count": "the target's count", "resource": "population and area over the smallest minimums",
                 "stranded": "stranded units", "lp": "LP relaxation by column generation",
                 "lp_contiguous": "LP relaxation over contiguous sets by column generation",
                 "min_count": "connected parts and the size limit"}


def primary_bound(region: Region, preset: Preset, standards: str = "soft", plan: Groups | None = None,
                  statuses: dict[int, str] | None = None, objective: int | None = None,
                  stop_at: float | None = None, known: list[tuple[int, ...]] = ()) -> tuple[int, str]:
    """A proven upper bound on the primary objective of a region and the method that gave it.

    ``plan`` and ``statuses`` (seat -> status) seed the LP bound with the plan's new units that
    meet the standard, and ``known`` with other member sets that meet it (the search's pool);
    the LP bound is skipped when the plan's ``objective`` already reaches the other bounds.
    See the module docstring.
    """
    mode = region.target.mode
    if mode == "min_count":
        parts = len(components(region, list(range(region.size))))
        size_bound = math.ceil(region.size / region.max_members) if region.max_members else 1
        return -max(parts, size_bound, 1), "min_count"
    bounds = {"count": region.target.hi if mode != "max_p" else region.size}
    # max-p counts the units the scenario keeps unchanged as new units, whatever their size
    kept = len(region.unchanged) if mode == "max_p" else 0
    if mode in ("count", "reduction") or standards == "strict":
        bounds["resource"] = min(region.size, _resource_bound(region, preset) + kept)
    if mode in ("count", "reduction"):
        bounds["stranded"] = max(0, region.target.hi - len(separate_stranded(region, preset)))
    if (mode in ("count", "reduction") or standards == "strict") and \
            (objective is None or objective < min(bounds.values())):
        start = [tuple(m) for s, m in (plan or {}).items() if (statuses or {}).get(s) == MEETS] + list(known)
        requirements, lone = seat_requirements(region, preset), lone_seats(region, preset)
        first = packing_bound(region, requirements, start, stop_at, lone)
        bounds["lp"] = min(region.size, first.value + kept)
        if mode == "max_p" and (objective is None or objective < bounds["lp"]):
            bounds["lp_contiguous"] = min(region.size, kept + connected_packing_bound(
                region, requirements, first, start, stop_at, lone))
    method = min(bounds, key=lambda k: (bounds[k], list(BOUND_METHODS).index(k)))
    return bounds[method], method


def seat_requirements(region: Region, preset: Preset) -> dict[int, list[Requirement]]:
    """For each seat, the population and area minimums of the rules open to the units it could hold.

    A kind, terrain and context with no rule gives a requirement of nothing; other criteria
    than population and area are dropped (both only widen the relaxation).  Requirements
    another one makes redundant (no higher in either figure) are left out.
    """
    terrains = sorted({str(t["terrain"]) for t in preset.merged_terrain.get("tests") or []}
                      | {str(preset.merged_terrain.get("otherwise", "other"))})
    contexts = sorted(set(preset.data.get("contexts") or []) | {preset.default_context})
    found: dict[int, list[Requirement]] = {}
    for seat in range(region.size):
        options: set[Requirement] = set()
        for kind in sorted(_open_kinds(region, preset, reach(region, seat))):
            for terrain in terrains:
                for context in contexts:
                    rules = applicable_rules(preset, kind, terrain, context)
                    options |= {_requirement(rule, preset) for rule in rules} if rules else {Requirement(0.0, 0.0)}
        found[seat] = sorted(r for r in options if not any(
            o != r and o.population <= r.population and o.area <= r.area for o in options))
    return found


def lone_seats(region: Region, preset: Preset) -> frozenset[int]:
    """Units that meet no standard alone: under a preset that exempts units left as they were, a
    unit whose kind stays the same by itself is ``unchanged``, never meeting the standard (units
    the scenario keeps unchanged are left out: they are new units of their own by decision)."""
    if unarranged_rule(preset) != "exempt":
        return frozenset()
    kept = set(region.unchanged)
    return frozenset(u for u in range(region.size) if u not in kept
                     and merged_kind(preset, [region.kinds[u]], [float(region.population[u])]) == region.kinds[u])


def _requirement(rule, preset: Preset) -> Requirement:
    """A rule's minimums, lowered as far as a special-factor reduction could lower them (the bound stays proven)."""
    values = {c.attribute: float(c.minimum) * floor_share(preset, rule.kind, c.attribute) for c in rule.criteria}
    return Requirement(values.get("population", 0.0), values.get("area_km2", 0.0))


def _resource_bound(region: Region, preset: Preset) -> int:
    limit = region.size
    mins: dict[str, float] = {}
    for rule in preset.standards:
        values = {c.attribute: c.minimum * floor_share(preset, rule.kind, c.attribute) for c in rule.criteria}
        for attribute in ("population", "area_km2"):
            mins[attribute] = min(mins.get(attribute, math.inf), values.get(attribute, 0.0))
    for attribute, total in (("population", float(region.population.sum())), ("area_km2", float(region.area.sum()))):
        minimum = mins.get(attribute, 0.0)
        if minimum > 0:
            limit = min(limit, int(math.floor(total / minimum + 1e-9)))
    return limit


def reach(region: Region, seat: int) -> set[int]:
    """Every unit a new unit with this seat could hold (:meth:`Region.holding_tree`)."""
    return set(region.holding_tree(seat))


def stranded_units(region: Region, preset: Preset, waiver: bool = False) -> list[int]:
    """Units that no new unit meeting the standard (or, with ``waiver``, covered by it) can hold.

    A unit is stranded when, for every seat that could hold it, even all the units that seat
    could hold together fall short of the rules of every kind, terrain and context the new
    unit could take (populations and areas only grow with members, so no smaller new unit
    does better).  A kind, terrain and context with no rule counts as met; with ``waiver``, a
    seat that could hold enough units for the preset's waiver counts as met too.
    """
    waiver_min = waiver_min_constituents(preset) if waiver else None
    possible: set[int] = set()
    for seat in range(region.size):
        members = reach(region, seat)
        if (waiver_min is not None and len(members) >= waiver_min) or _may_meet(region, preset, members):
            possible |= members
    return [u for u in range(region.size) if u not in possible]


def separate_stranded(region: Region, preset: Preset) -> list[int]:
    """Stranded units no two of which any seat could hold together: each needs a new unit of its own."""
    stranded = stranded_units(region, preset)
    if not stranded:
        return []
    together: dict[int, set[int]] = {u: set() for u in stranded}
    wanted = set(stranded)
    for seat in range(region.size):
        held = reach(region, seat) & wanted
        for u in held:
            together[u] |= held
    chosen: list[int] = []
    for u in stranded:
        if all(v not in together[u] for v in chosen):
            chosen.append(u)
    return chosen


def _may_meet(region: Region, preset: Preset, members: set[int]) -> bool:
    """Whether some kind, terrain and context open to these members has a rule their totals meet.

    One unit that keeps its kind alone never meets it when the preset exempts units left as they were
    (it is ``unchanged``, not counted as meeting)."""
    index = sorted(members)
    if len(index) == 1 and unarranged_rule(preset) == "exempt":
        u = index[0]
        if merged_kind(preset, [region.kinds[u]], [float(region.population[u])]) == region.kinds[u]:
            return False
    totals = {"population": float(region.population[index].sum()), "area_km2": float(region.area[index].sum())}
    terrains = {str(t["terrain"]) for t in preset.merged_terrain.get("tests") or []}
    terrains.add(str(preset.merged_terrain.get("otherwise", "other")))
    contexts = set(preset.data.get("contexts") or []) | {preset.default_context}
    for kind in _open_kinds(region, preset, members):
        for terrain in sorted(terrains):
            for context in sorted(contexts):
                rules = applicable_rules(preset, kind, terrain, context)
                if not rules or any(all(totals.get(c.attribute, math.inf)
                                        >= c.minimum * floor_share(preset, kind, c.attribute) for c in rule.criteria)
                                    for rule in rules):
                    return True
    return False


def _open_kinds(region: Region, preset: Preset, members: set[int]) -> set[str]:
    """The kinds a new unit of some of these members may take (kept kinds only where a member has one)."""
    rule = preset.merged_kind
    present = {region.kinds[u] for u in members}
    kinds = {str(k) for k in rule.get("keep") or () if k in present}
    kinds.add(str(rule["kind"]))
    if rule.get("rule") != "fixed":
        kinds.add(str(rule.get("otherwise", rule["kind"])))
    return kinds
