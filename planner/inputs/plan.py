"""Plans: which new unit each old unit goes to, with the new units' names, kinds and seats.

A plan file is a CSV with one row per old unit::

    unit,unit_name,new_unit,new_name,new_kind,seat
    14755,Phường Hàm Rồng,14758,Phường Hàm Rồng,ward,14755

Only ``unit`` and ``new_unit`` are required.  ``seat`` is the code of the old unit that
holds the new unit's seat (repeated on each row of the new unit).  An official mapping
with other column names (``merger_2025.csv``) is read through a column mapping; an old
unit listed under several new units (a split) is assigned to its primary new unit and the
split is recorded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from planner.inputs.problems import ProblemList
from planner.inputs.selection import Selection
from planner.inputs.tables import Table, read_table
from planner.outputs import write_csv

PLAN_COLUMNS = ("unit", "new_unit", "new_name", "new_kind", "seat", "share")


@dataclass(frozen=True)
class Split:
    """An old unit divided between new units; planner keeps it whole in ``primary``."""

    unit: str
    primary: str
    others: tuple[str, ...]


@dataclass
class Plan:
    """An assignment of old units to new units.

    Attributes
    ----------
    assignment : dict
        Old unit code -> new unit id.
    names, kinds, seats : dict
        New unit id -> name, declared kind (preset vocabulary), seat (an old unit code).
        Missing entries are derived by the evaluation (see :mod:`planner.evaluation.evaluate`).
    splits : list of Split
        Old units the source divided between new units.
    label : str
        Where the plan came from, for reports.
    """

    assignment: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    seats: dict[str, str] = field(default_factory=dict)
    splits: list[Split] = field(default_factory=list)
    label: str = "plan"

    def groups(self) -> dict[str, list[str]]:
        """New unit id -> sorted old unit codes, sorted by new unit id."""
        groups: dict[str, list[str]] = defaultdict(list)
        for unit, new in self.assignment.items():
            groups[new].append(unit)
        return {new: sorted(groups[new]) for new in sorted(groups)}


def read_plan(
    path: Path,
    name: str,
    problems: ProblemList,
    *,
    units: set[str] | None = None,
    columns: dict[str, str] | None = None,
    where: dict[str, str] | None = None,
    kind_values: dict[str, str] | None = None,
    selection: Selection | None = None,
) -> Plan | None:
    """Read a plan file (or an official mapping through ``columns``).

    Parameters
    ----------
    path, name : Path, str
        The file and how to name it in messages.
    problems : ProblemList
        Where problems go; None is returned when the plan cannot be used.
    units : set of str, optional
        The scenario's unit codes: rows naming other units are errors, and units missing
        from the plan are errors too.
    columns : dict, optional
        Plan field -> column of the file (``{"unit": "old_code", "share": ...}``).
    where : dict, optional
        Keep only rows whose column equals the value (``{"selected": "True"}``).
    kind_values : dict, optional
        Maps the file's kind names (``Phường``) to the preset's kinds (``ward``).
    selection : Selection, optional
        The scenario's selection (``units.where``): rows of the units it leaves out are ignored,
        counted in one warning.
    """
    table = read_table(path, name, problems)
    if table is None:
        return None
    mapping = {key: key for key in PLAN_COLUMNS if key in table.frame.columns}
    mapping.update(columns or {})
    missing = [f"'{mapping.get(key, key)}' ({key})" for key in ("unit", "new_unit")
               if mapping.get(key, key) not in table.frame.columns]
    for column, _ in (where or {}).items():
        if column not in table.frame.columns:
            missing.append(f"'{column}' (filter)")
    if missing:
        problems.error(name, table.header, ", ".join(missing),
                       f"column not found; the file has: {', '.join(table.frame.columns)}")
        return None
    before = len(problems.errors)
    keep = _kept_rows(table, mapping["unit"], where or {}, selection, problems)
    rows = _plan_rows(table, mapping, keep, problems, units, kind_values or {})
    plan = _assemble(rows, table, name, problems)
    if units is not None:
        absent = sorted(units - plan.assignment.keys())
        if absent:
            shown = ", ".join(absent[:20]) + (" ..." if len(absent) > 20 else "")
            problems.error(name, "", mapping["unit"],
                           f"{len(absent)} unit(s) of the scenario are not in the plan: {shown}")
    plan.label = name
    return None if len(problems.errors) > before else plan


def _kept_rows(table: Table, unit_column: str, where: dict[str, str], selection: Selection | None,
               problems: ProblemList) -> pd.Series:
    """Which rows of a plan table count: those of ``where`` that name no unit the selection leaves out."""
    frame = table.frame
    keep = pd.Series(True, index=frame.index)
    for column, value in where.items():
        keep &= frame[column] == str(value)
    if selection is not None and selection.left_out:
        outside = keep & frame[unit_column].isin(selection.left_out)
        selection.note(problems, table.name, int(outside.sum()), "row(s)", column=unit_column)
        keep &= ~outside
    return keep


def _plan_rows(table: Table, mapping: dict[str, str], keep: pd.Series,
               problems: ProblemList, units: set[str] | None,
               kind_values: dict[str, str]) -> list[dict]:
    """The usable rows (``keep``) of a plan table; problems are recorded for the others."""
    frame = table.frame
    rows = []
    for i in frame.index[keep]:
        row = {key: frame.at[i, column] for key, column in mapping.items() if column in frame}
        row["index"] = int(i)
        usable = True
        for key in ("unit", "new_unit"):
            if not row.get(key):
                problems.error(table.name, table.where(i), mapping[key], "empty: expected a code")
                usable = False
        if units is not None and row.get("unit") and row["unit"] not in units:
            problems.error(table.name, table.where(i), mapping["unit"],
                           f"unknown unit '{row['unit']}': not in the scenario's units table")
            usable = False
        if row.get("share"):
            try:
                row["share"] = float(row["share"])
            except ValueError:
                problems.error(table.name, table.where(i), mapping["share"],
                               f"'{row['share']}' is not a number")
                row["share"] = 0.0
        if row.get("new_kind"):
            row["new_kind"] = kind_values.get(row["new_kind"], row["new_kind"])
        if usable:
            rows.append(row)
    return rows


def _assemble(rows: list[dict], table: Table, name: str, problems: ProblemList) -> Plan:
    options: dict[str, list[dict]] = defaultdict(list)
    plan = Plan({})
    for row in rows:
        options[row["unit"]].append(row)
        new = row["new_unit"]
        for key, target in (("new_name", plan.names), ("new_kind", plan.kinds), ("seat", plan.seats)):
            value = row.get(key)
            if not value:
                continue
            if target.setdefault(new, value) != value:
                problems.error(name, table.where(row["index"]), key,
                               f"new unit {new} already has {key} '{target[new]}', not '{value}'")
    for unit, choices in options.items():
        best = max(choices, key=lambda r: (r.get("share") or 0.0, -r["index"]))
        plan.assignment[unit] = best["new_unit"]
    _give_every_new_unit_a_member(plan, options)
    for unit, choices in sorted(options.items()):
        targets = sorted({r["new_unit"] for r in choices})
        if len(targets) > 1:
            primary = plan.assignment[unit]
            plan.splits.append(Split(unit, primary, tuple(t for t in targets if t != primary)))
    return plan


def _give_every_new_unit_a_member(plan: Plan, options: dict[str, list[dict]]) -> None:
    """A new unit made only of parts of split units would vanish: give it its largest part."""
    news = {r["new_unit"] for choices in options.values() for r in choices}
    for new in sorted(news - set(plan.assignment.values())):
        candidates = [(r.get("share") or 0.0, unit) for unit, choices in options.items()
                      for r in choices if r["new_unit"] == new]
        counts = defaultdict(int)
        for assigned in plan.assignment.values():
            counts[assigned] += 1
        for _share, unit in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if counts[plan.assignment[unit]] > 1:
                plan.assignment[unit] = new
                break


def plan_frame(plan: Plan, unit_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The plan as the rows of a plan file, sorted by new unit and unit."""
    names = unit_names or {}
    rows = [
        {
            "unit": unit,
            "unit_name": names.get(unit, ""),
            "new_unit": new,
            "new_name": plan.names.get(new, ""),
            "new_kind": plan.kinds.get(new, ""),
            "seat": plan.seats.get(new, ""),
        }
        for new, members in plan.groups().items()
        for unit in members
    ]
    return pd.DataFrame(rows, columns=["unit", "unit_name", "new_unit", "new_name", "new_kind", "seat"])


def write_plan(plan: Plan, path: Path, unit_names: dict[str, str] | None = None) -> None:
    """Write a plan file (atomically), sorted by new unit then unit."""
    write_csv(plan_frame(plan, unit_names), path)


def set_seats(plan: Plan, seats: Any, problems: ProblemList, file: str, key: str) -> None:
    """Give the new units of ``plan`` the seats a scenario states (``baseline.seats``: new unit -> old unit).

    For an official mapping without a seat column.  A seat that is not a member of its new unit, or a new
    unit the plan lacks, is an error at ``key``; a seat the plan's file gives is replaced.

    Examples
    --------
    >>> plan, problems = Plan({"a": "N", "b": "N"}), ProblemList()
    >>> set_seats(plan, {"N": "b", "M": "c"}, problems, "scenario.yaml", "baseline.seats")
    >>> plan.seats, [p.message for p in problems.errors]
    ({'N': 'b'}, ["new unit 'M' is not in the plan"])
    """
    if seats is None:
        return
    if not isinstance(seats, dict):
        problems.error(file, f"key {key}", "", "expected a mapping: new unit -> the old unit holding its seat")
        return
    groups = plan.groups()
    for new, seat in sorted((str(k), str(v)) for k, v in seats.items()):
        if new not in groups:
            problems.error(file, f"key {key}.{new}", "", f"new unit '{new}' is not in the plan")
        elif seat not in groups[new]:
            problems.error(file, f"key {key}.{new}", "", f"'{seat}' is not one of the old units of new unit "
                           f"{new} ({', '.join(groups[new])})")
        else:
            plan.seats[new] = seat
