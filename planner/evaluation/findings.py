"""Findings: where a plan departs from its scenario's decisions, target, access limit, nesting and names.

Every plan is checked, official, hand-drawn or the optimizer's: the findings are reported
(``findings.csv``, a section of ``report.md``, counts in ``summary.json``, a sheet of the
workbook), never raised as errors, and the plan is evaluated all the same.  One row per
finding, with the check, the new unit, the old units concerned, what was found, what the
scenario expects and where the rule is written.  The checks (``docs/review.md``):

- ``merge_together``, ``keep_apart``, ``unchanged``, ``fixed_seats``, ``max_members``: the
  scenario's ``decisions``;
- ``target``: the count (in all and per parent unit, ``by_parent``) or the reduction; the
  modes ``max_p`` and ``min_count`` set no number to check;
- ``access``: old units farther from their new seat than ``access.max_km``;
- ``nesting``: new units whose members lie in different parent units of the ``merge_within``
  level (the scenario's, maybe mapped: a province plan a commune plan must respect; else the preset's);
- ``name_kind_word``, ``name_duplicate``, ``name_fix``: a name with the word of another kind,
  a name two new units of one parent share, a fix of ``decisions.names`` that names no unit.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from planner.inputs.plan import Plan
from planner.inputs.scenario import Scenario

CHECKS = ("merge_together", "keep_apart", "unchanged", "fixed_seats", "max_members", "target", "access",
          "nesting", "name_kind_word", "name_duplicate", "name_fix")
FINDING_COLUMNS = ["check", "new_unit", "units", "found", "expected", "rule"]
MEANINGS = {
    "merge_together": "units the scenario merges together are in one new unit",
    "keep_apart": "units the scenario keeps apart are in different new units",
    "unchanged": "units the scenario leaves unchanged are new units of their own",
    "fixed_seats": "units the scenario makes seats hold the seat of their new unit",
    "max_members": "no new unit has more old units than decisions.max_members",
    "target": "the number of new units meets the target (in all and per parent unit)",
    "access": "no old unit is farther from its new seat than access.max_km",
    "nesting": "every new unit lies inside one parent unit of the merge_within level (the scenario's, else the "
               "preset's)",
    "name_kind_word": "no name carries the kind word of another kind",
    "name_duplicate": "no two new units of one parent unit share a name",
    "name_fix": "every fix of decisions.names names a new unit",
}
#: Findings listed in report.md (all of them are in findings.csv and the workbook).
SHOWN_IN_REPORT = 60


def plan_findings(scenario: Scenario, plan: Plan, units: pd.DataFrame, members: pd.DataFrame,
                  unused_fixes: list[str] | None = None) -> pd.DataFrame:
    """Every finding of ``plan`` against ``scenario``, sorted by check (in :data:`CHECKS` order),
    new unit and old units.

    Parameters
    ----------
    scenario : Scenario
        Gives the decisions, target, access limit, parent level and preset.
    plan : Plan
        The evaluated plan (seats, names and kinds filled in).
    units, members : pandas.DataFrame
        The evaluation's tables (:data:`planner.evaluation.evaluate.UNIT_COLUMNS`; members with
        ``distance_km``).
    unused_fixes : list of str, optional
        Codes of ``decisions.names`` that named no new unit.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FINDING_COLUMNS`, all text.
    """
    groups = plan.groups()
    rows = (_decision_findings(scenario, plan, groups) + _target_findings(scenario, plan, groups)
            + _access_findings(scenario, members) + _nesting_findings(scenario, groups)
            + _name_findings(scenario, plan, units, unused_fixes or []))
    frame = pd.DataFrame(rows, columns=FINDING_COLUMNS).astype(str)
    order = frame["check"].map(CHECKS.index)
    return frame.assign(_order=order).sort_values(["_order", "new_unit", "units", "found"]) \
        .drop(columns="_order").reset_index(drop=True)


def finding_counts(findings: pd.DataFrame) -> dict[str, int]:
    """Findings per check (every check, 0 included), for ``summary.json``."""
    counts = findings["check"].value_counts()
    return {check: int(counts.get(check, 0)) for check in CHECKS}


def _row(check: str, new_unit: str, units: list[str], found: str, expected: str, rule: str) -> dict[str, Any]:
    return {"check": check, "new_unit": new_unit, "units": ";".join(sorted(units)), "found": found,
            "expected": expected, "rule": rule}


def _decision_findings(scenario: Scenario, plan: Plan, groups: dict[str, list[str]]) -> list[dict[str, Any]]:
    decisions, of = scenario.decisions, plan.assignment
    rows = []
    for i, group in enumerate(decisions.merge_together, start=1):
        news = sorted({of[c] for c in group if c in of})
        if len(news) > 1:
            rows.append(_row("merge_together", ";".join(news), group, f"in {len(news)} new units: {', '.join(news)}",
                             "all in one new unit", f"decisions.merge_together group {i}"))
    for i, group in enumerate(decisions.keep_apart, start=1):
        by_unit: dict[str, list[str]] = {}
        for code in group:
            if code in of:
                by_unit.setdefault(of[code], []).append(code)
        rows += [_row("keep_apart", new, codes, f"{len(codes)} of them in {new}", "each in a different new unit",
                      f"decisions.keep_apart group {i}") for new, codes in sorted(by_unit.items()) if len(codes) > 1]
    for code in decisions.unchanged:
        members = groups.get(of.get(code, ""), [])
        if len(members) > 1:
            rows.append(_row("unchanged", of[code], [code], f"merged with {len(members) - 1} other unit(s)",
                             "a new unit of its own", "decisions.unchanged"))
    for code in decisions.fixed_seats:
        seat = plan.seats.get(of.get(code, ""))
        if code in of and seat != code:
            rows.append(_row("fixed_seats", of[code], [code], f"the seat is {seat}", f"the seat is {code}",
                             "decisions.fixed_seats"))
    if decisions.max_members:
        rows += [_row("max_members", new, members, f"{len(members)} old units",
                      f"at most {decisions.max_members}", "decisions.max_members")
                 for new, members in groups.items() if len(members) > decisions.max_members]
    return rows


def _target_findings(scenario: Scenario, plan: Plan, groups: dict[str, list[str]]) -> list[dict[str, Any]]:
    target, before, after = scenario.target, len(scenario.units), len(groups)
    rows = []
    if target.mode == "count" and target.count is not None and after != target.count:
        rows.append(_row("target", "", [], f"{after} new units", f"{target.count} new units", "target.count"))
    if target.mode == "reduction" and before:
        cut = 1.0 - after / before
        low, high = target.reduction_min or 0.0, 1.0 if target.reduction_max is None else target.reduction_max
        if not low - 1e-9 <= cut <= high + 1e-9:
            rows.append(_row("target", "", [], f"{after} new units: {cut:.1%} fewer",
                             f"{low:.0%} to {high:.0%} fewer ({_count_range(before, low, high)} new units)",
                             "target.reduction"))
    level, by_parent, keys = scenario.by_parent_counts()
    if by_parent and level:
        parent_of = scenario.units[level].astype(str)
        counts: dict[str, int] = {}
        for new, members in groups.items():
            seat = plan.seats.get(new, members[0])
            counts[parent_of[seat]] = counts.get(parent_of[seat], 0) + 1
        rows += [_row("target", parent, [], f"{counts.get(parent, 0)} new units", f"{count} new units",
                      "target.by_parent." + (parent if keys[parent] == [parent] else "{" + ",".join(keys[parent])
                                             + "} summed"))
                 for parent, count in sorted(by_parent.items()) if counts.get(parent, 0) != count]
    return rows


def _count_range(before: int, low: float, high: float) -> str:
    most, fewest = math.floor(before * (1 - low) + 1e-9), math.ceil(before * (1 - high) - 1e-9)
    return f"{fewest} to {most}"


def _access_findings(scenario: Scenario, members: pd.DataFrame) -> list[dict[str, Any]]:
    limit = scenario.access_max_km
    if not limit:
        return []
    far = members[members["distance_km"] > limit]
    return [_row("access", str(r.new_unit), [str(r.unit)], f"{float(r.distance_km):.3f} km from the seat {r.seat}",
                 f"at most {limit:g} km", "access.max_km") for r in far.itertuples()]


def _nesting_findings(scenario: Scenario, groups: dict[str, list[str]]) -> list[dict[str, Any]]:
    level = scenario.merge_level
    if level is None:
        return []
    parent_of = scenario.units[level].astype(str)
    rows = []
    for new, members in groups.items():
        parents = sorted({parent_of[c] for c in members})
        if len(parents) > 1:
            rows.append(_row("nesting", new, members, f"members in {len(parents)} {level} units: {', '.join(parents)}",
                             f"all in one {level}", scenario.merge_source))
    return rows


def _name_findings(scenario: Scenario, plan: Plan, units: pd.DataFrame, unused: list[str]) -> list[dict[str, Any]]:
    rule, level = scenario.preset.naming, scenario.merge_level
    rows = []
    seen: dict[tuple[str, str], list[str]] = {}
    for unit in units.itertuples():
        word_kind, _ = rule.split(str(unit.name))
        if word_kind is not None and word_kind != unit.kind:
            rows.append(_row("name_kind_word", str(unit.new_unit), [str(unit.seat)],
                             f"'{unit.name}' carries the word of {word_kind}", f"the word of {unit.kind}",
                             f"preset naming ({unit.name_source})"))
        parent = str(scenario.units.at[unit.seat, level]) if level else ""
        seen.setdefault((parent, str(unit.name).casefold()), []).append(str(unit.new_unit))
    for (parent, _), news in sorted(seen.items()):
        if len(news) > 1:
            name = plan.names.get(news[0], "")
            rows += [_row("name_duplicate", new, [], f"'{name}' also names {', '.join(n for n in news if n != new)}",
                          f"a name unique within {level or 'the plan'} {parent}".rstrip(), "preset naming")
                     for new in news]
    rows += [_row("name_fix", plan.assignment.get(code, ""), [code],
                  f"'{scenario.decisions.names[code]}' not used: another fix names the same new unit",
                  "one fix per new unit", f"decisions.names.{code}") for code in unused]
    return rows
