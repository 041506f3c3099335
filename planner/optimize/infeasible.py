"""Why a scenario has no plan, in a planner's words.

Two layers:

1. pre-checks that name units and decisions directly: a count the units cannot give,
   merge-together groups whose members share no seat within the access limit, units
   that cannot reach any group meeting the standard (when standards are hard), a size
   limit too small for the count;
2. when the search still ends with broken constraints, the whole region's CP-SAT model is
   solved with every decision, the count target and the standards behind a named literal;
   CP-SAT then returns a set of those literals that cannot hold together
   (``sufficient_assumptions_for_infeasibility``), which is reported as conflicting decisions.
"""

from __future__ import annotations

from planner.inputs.preset import Preset
from planner.optimize.bounds import stranded_units
from planner.optimize.groups import components
from planner.optimize.model import SubProblem, solve
from planner.optimize.region import Region

#: Deterministic time of the whole-region solve that looks for conflicting decisions (a region's
#: model is large; infeasibility cores of real scenarios are found well within it).
EXPLAIN_DETERMINISTIC_TIME = 30.0


def precheck(region: Region, preset: Preset, standards: str) -> list[str]:
    """Reasons, found without search, why the region has no plan (empty when none is found)."""
    reasons: list[str] = []
    where = region.label
    target = region.target
    parts = components(region, list(range(region.size)))
    if target.hi < len(parts):
        reasons.append(f"{where}: its units form {len(parts)} separate parts (no shared border or link), "
                       f"so it needs at least {len(parts)} new units, but the target allows at most {target.hi} "
                       "(target: {unreachable: relax} plans it with the nearest count that can be met)")
    singles = set(region.unchanged)
    if singles and len(singles) < region.size and len(singles) >= target.hi:
        reasons.append(f"{where}: {len(singles)} units must stay unchanged, leaving no new unit for the other "
                       f"{region.size - len(singles)} units within the target of {target.hi}")
    if len(set(region.fixed_seats)) > target.hi:
        reasons.append(f"{where}: {len(set(region.fixed_seats))} fixed seats but at most {target.hi} new units")
    if region.max_members and region.max_members * target.hi < region.size:
        reasons.append(f"{where}: at most {region.max_members} members per new unit and at most {target.hi} "
                       f"new units cannot hold its {region.size} units")
    reasons += _merge_groups(region)
    if standards != "soft":
        reasons += _unreachable_standard(region, preset, standards)
    return reasons


def _names(region: Region, units: list[int]) -> str:
    return ", ".join(region.unit_label(u) for u in units)


def _merge_groups(region: Region) -> list[str]:
    reasons = []
    limit = region.access_max_km
    for i, group in enumerate(region.merge_together):
        if not any(all(region.reachable(u, s) for u in group) for s in range(region.size)):
            reasons.append(f"merge_together group {i + 1} ({_names(region, group)}): no unit lies within "
                           f"{limit:g} km of all its members, so they cannot share a seat")
        fixed = [u for u in group if u in region.fixed_seats]
        if len(fixed) > 1:
            reasons.append(f"merge_together group {i + 1}: {_names(region, fixed)} are all fixed seats, "
                           "but a new unit has one seat")
        for j, apart in enumerate(region.keep_apart):
            both = [u for u in apart if u in group]
            if len(both) > 1:
                reasons.append(f"merge_together group {i + 1} and keep_apart group {j + 1} both hold "
                               f"{_names(region, both)}")
    return reasons


def _unreachable_standard(region: Region, preset: Preset, standards: str) -> list[str]:
    """Units that no new unit meeting the standard (or, when hard, the waiver) can hold."""
    stranded = stranded_units(region, preset, waiver=standards == "hard")
    if not stranded:
        return []
    shown = stranded[:20]
    more = f" and {len(stranded) - len(shown)} more" if len(stranded) > len(shown) else ""
    limit = f"within {region.access_max_km:g} km" if region.access_max_km else "in reach"
    return [f"{region.label}: {len(stranded)} unit(s) cannot reach a group meeting the standard {limit} of any "
            f"seat, even taking every unit around that seat: {_names(region, shown)}{more}"]


def explain(region: Region, preset: Preset, standards: str, seed: int) -> list[str]:
    """Conflicting decisions from CP-SAT's infeasibility core on the whole region's model."""
    sub = SubProblem(list(range(region.size)), region.target.lo, region.target.hi, standards, 0, named=True)
    result = solve(region, preset, sub, seed=seed, deterministic_time=EXPLAIN_DETERMINISTIC_TIME)
    if result.status != "infeasible":
        if result.groups:
            return []
        return [f"no plan found for {region.label} within the search limits (feasibility not decided)"]
    names = [_describe(region, literal, standards) for literal in result.conflict]
    if not names:
        limit = f"{region.access_max_km:g} km" if region.access_max_km else "the access limit"
        return [f"{region.label}: no plan keeps every new unit contiguous with all members within {limit} of the seat"]
    return [f"{region.label}: these cannot all hold together: " + "; ".join(names)]


def _describe(region: Region, literal: str, standards: str) -> str:
    if literal == "target_count":
        t = region.target
        return f"the target of {t.lo} new units" if t.lo == t.hi else f"the target of {t.lo} to {t.hi} new units"
    if literal == "standards":
        return "every new unit meeting the standard" + (" (or the waiver)" if standards == "hard" else "")
    if literal == "max_members":
        return f"at most {region.max_members} members per new unit"
    kind, _, rest = literal.rpartition("_")
    if kind == "merge_together":
        return f"merge_together group {rest} ({_names(region, region.merge_together[int(rest) - 1])})"
    if kind == "keep_apart":
        return f"keep_apart group {rest} ({_names(region, region.keep_apart[int(rest) - 1])})"
    if literal.startswith("fixed_seat_"):
        code = literal[len("fixed_seat_"):]
        return f"fixed seat {region.unit_label(region.codes.index(code))}"
    return literal
