"""The reader of a scenario's ``agencies:`` tables: each table checked, typed and cross-checked.

:class:`LayerReader` reads the tables (agencies, tasks, transfer rules, procedures, service
points, places) a scenario's ``agencies:`` section names, checks their columns and values and
the references between them, and records every problem with its file, row and column;
:func:`~planner.transition.agencies.load_agency_layer` runs it.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any

import pandas as pd

from planner.inputs.numbers import FALSE_WORDS, TRUE_WORDS
from planner.inputs.problems import ProblemList
from planner.inputs.scenario import Scenario
from planner.inputs.tables import Table, read_table
from planner.transition.agency_tables import (
    BASE_LEVEL,
    COLUMNS,
    PERIODS,
    REQUIRED,
    SERVICE_POINT_KINDS,
    empty_table,
    split_ids,
)
from planner.transition.procedure_levels import normalized, scenario_level_names

NO_DATE_WORDS = {"", "none", "no", "-"}
#: The column of an agency table naming a unit (of the units table) and of one naming a body (agencies.id).
UNIT_COLUMNS = {"agencies": "unit", "service_points": "site", "places": "unit"}
BODY_COLUMNS = {"tasks": "holder", "procedures": "body"}


class LayerReader:
    """Reads and checks the tables of an ``agencies:`` section, recording every problem.

    Parameters
    ----------
    scenario : Scenario
        Gives the scenario folder (paths are relative to it), the units and the parent levels.
    label : str
        The scenario file, as named in messages.
    problems : ProblemList
        Receives the errors and warnings.
    """

    def __init__(self, scenario: Scenario, label: str, problems: ProblemList):
        self.scenario = scenario
        self.label = label
        self.problems = problems
        self.levels = [BASE_LEVEL] + list(scenario.parent_levels)
        self.tables: dict[str, Table] = {}
        #: Bodies of units the scenario's selection leaves out (their tasks and procedures are ignored too).
        self.left_out_bodies: set[str] = set()

    def date(self, key: str, value: Any) -> dt.date | None:
        """The date at ``key`` of the section (None when absent, or with an error when wrong)."""
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problems.error(self.label, f"key {key}", "", f"'{value}' is not a date: expected YYYY-MM-DD")
            return None

    def whole(self, key: str, value: Any) -> int | None:
        """The whole number of 0 or more at ``key`` of the section (None with an error when wrong)."""
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if number < 0:
            self.problems.error(self.label, f"key {key}", "", f"'{value}' is not a whole number of 0 or more")
            return None
        return number

    def table(self, name: str, spec: Any) -> pd.DataFrame:
        """Read, check and type the table ``name`` (``spec``: its path, or {path, sheet})."""
        if isinstance(spec, str):
            spec = {"path": spec}
        if not isinstance(spec, dict) or not spec.get("path"):
            self.problems.error(self.label, f"key agencies.{name}", "path",
                                "expected the path of a table, relative to the scenario folder")
            return empty_table(name)
        table = read_table(self.scenario.folder / str(spec["path"]), str(spec["path"]), self.problems,
                           sheet=spec.get("sheet"))
        if table is None:
            return empty_table(name)
        missing = [c for c in REQUIRED[name] if c not in table.frame.columns]
        if missing:
            self.problems.error(table.name, "row 1", ", ".join(missing),
                                f"column not found: a {name} table has columns {', '.join(COLUMNS[name])} "
                                f"(required: {', '.join(REQUIRED[name])})")
            return empty_table(name)
        self.tables[name] = table
        frame = table.frame.copy()
        for column in COLUMNS[name]:
            if column not in frame.columns:
                frame[column] = ""
        frame = self.selected_rows(table, name, frame[COLUMNS[name]])
        for column in REQUIRED[name]:
            for i in frame.index[frame[column] == ""]:
                self.problems.error(table.name, table.where(i), column, f"missing {column}")
        if "id" in frame.columns:
            self.unique_ids(table, frame)
        return getattr(self, f"typed_{name}")(table, frame)

    def selected_rows(self, table: Table, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of table ``name`` that name no unit (or body of a unit) the scenario's selection leaves out;
        the others are counted in one warning."""
        selection = self.scenario.selection
        column = UNIT_COLUMNS.get(name) or BODY_COLUMNS.get(name)
        if not selection.where or column is None:
            return frame
        if name == "agencies":
            out = pd.Series([selection.is_left_out(unit, None if level == BASE_LEVEL else level)
                             for unit, level in zip(frame["unit"], frame["level"])], index=frame.index, dtype=bool)
            outside = self.outside_baseline(table, frame[~out])
            self.left_out_bodies = set(frame.loc[out, "id"]) | set(outside)
        elif name in BODY_COLUMNS:
            out = frame[column].isin(self.left_out_bodies)
        else:
            out = frame[column].isin(selection.left_out)
        selection.note(self.problems, table.name, int(out.sum()), "row(s)", column=column)
        return frame[~out & ~frame["id"].isin(self.left_out_bodies)] if name == "agencies" else frame[~out]

    def outside_baseline(self, table: Table, frame: pd.DataFrame) -> list[str]:
        """Ids of the bodies of new units the selected baseline does not have (counted in one warning)."""
        baseline = self.scenario.baseline
        if baseline is None:
            return []
        after = (frame["level"] == BASE_LEVEL) & (frame["period"] == "after") & (frame["unit"] != "")
        outside = after & ~frame["unit"].isin(set(baseline.assignment.values()))
        if outside.any():
            self.problems.warn(table.name, "", "unit", f"{int(outside.sum())} row(s) of new units that the baseline "
                               f"plan of the selection ({self.scenario.selection.describe()}) does not have ignored")
        return list(frame.loc[outside, "id"])

    def unique_ids(self, table: Table, frame: pd.DataFrame) -> None:
        """Report ids found twice."""
        first: dict[str, int] = {}
        for i, value in frame["id"].items():
            if value and value in first:
                self.problems.error(table.name, table.where(i), "id",
                                    f"duplicate id '{value}' (first at {table.where(first[value])})")
            first.setdefault(value, i)

    def flag(self, table: Table, i: int, column: str, raw: str) -> bool:
        """A yes/no cell (False, with an error, when it is neither)."""
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word not in FALSE_WORDS:
            self.problems.error(table.name, table.where(i), column, f"'{raw}' is not yes or no")
        return False

    def number(self, table: Table, i: int, column: str, raw: str, *, integer: bool = False) -> float:
        """A number of 0 or more (NaN when empty, or with an error when wrong)."""
        if raw == "":
            return math.nan
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if value < 0 or not math.isfinite(value) or (integer and value != int(value)):
            self.problems.error(table.name, table.where(i), column,
                                f"'{raw}' is not a {'whole ' if integer else ''}number of 0 or more")
            return math.nan
        return value

    def typed_agencies(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """The bodies with checked levels, periods and units, and typed staff, seals and flags."""
        frame = frame.copy()
        staff, moved, seal, signs, needs, one_stop = [], [], [], [], [], []
        for i, row in zip(frame.index, frame.to_dict("records")):
            if row["level"] and row["level"] not in self.levels:
                self.problems.error(table.name, table.where(i), "level",
                                    f"unknown level '{row['level']}': expected one of {', '.join(self.levels)}")
            if row["period"] and row["period"] not in PERIODS:
                self.problems.error(table.name, table.where(i), "period",
                                    f"unknown period '{row['period']}': expected one of {', '.join(PERIODS)}")
            self.check_unit(table, i, row)
            staff.append(self.number(table, i, "staff", row["staff"]))
            moved.append(self.transferred(table, i, row, staff[-1]))
            seal.append(self.seal_date(table, i, row["seal_registered"]))
            needs.append(self.flag(table, i, "needs_seal", row["needs_seal"]))
            signs.append(self.flag(table, i, "signs", row["signs"]) if row["signs"] else needs[-1])
            one_stop.append(self.flag(table, i, "one_stop", row["one_stop"]))
        frame["staff"], frame["seal_registered"], frame["needs_seal"] = staff, seal, needs
        frame["transferred_in"] = moved
        frame["signs"], frame["one_stop"], frame["origin"] = signs, one_stop, "scenario"
        return frame.drop_duplicates("id").set_index("id", drop=False).sort_index()

    def transferred(self, table: Table, i: int, row: dict[str, Any], staff: float) -> float:
        """The staff of a body transferred in from the district or the province: a number, at most ``staff``."""
        moved = self.number(table, i, "transferred_in", row["transferred_in"])
        if moved > staff or (math.isfinite(moved) and not math.isfinite(staff)):
            self.problems.error(table.name, table.where(i), "transferred_in",
                                f"'{row['transferred_in']}' is more than the body's staff ('{row['staff']}'): "
                                "expected the part of its staff transferred down from the district or province")
            return math.nan
        return moved

    def check_unit(self, table: Table, i: int, row: dict[str, Any]) -> None:
        """Report a body whose unit is not a unit (or parent) of its level."""
        level, unit, period = row["level"], row["unit"], row["period"]
        if not unit or level not in self.levels:
            return
        if level == BASE_LEVEL and period == "after":
            baseline = self.scenario.baseline
            if baseline is not None and unit not in set(baseline.assignment.values()):
                self.problems.warn(table.name, table.where(i), "unit",
                                   f"new unit '{unit}' is not in the baseline plan: the body is used only "
                                   "with a plan that has it")
            return
        if unit not in self.known_units(level):
            what = "unit code of the units table" if level == BASE_LEVEL else f"{level} code of the units table"
            self.problems.error(table.name, table.where(i), "unit", f"unknown {level} '{unit}': expected a {what}")

    @functools.cache  # noqa: B019 - one reader per scenario
    def known_units(self, level: str) -> frozenset[str]:
        """The codes of the units (or parents) of ``level``."""
        units = self.scenario.units
        return frozenset(units.index) if level == BASE_LEVEL else frozenset(units[level])

    def seal_date(self, table: Table, i: int, raw: str) -> dt.date | None:
        """The date a body's seal was registered, None when it has none."""
        return self.optional_date(table, i, "seal_registered", raw, "no seal is registered")

    def optional_date(self, table: Table, i: int, column: str, raw: str, empty: str) -> dt.date | None:
        """A YYYY-MM-DD cell, None when empty (with an error when wrong; ``empty`` says when it may be empty)."""
        if raw.strip().lower() in NO_DATE_WORDS:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            self.problems.error(table.name, table.where(i), column,
                                f"'{raw}' is not a date: expected YYYY-MM-DD, or empty when {empty}")
            return None

    def typed_tasks(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """The tasks, with their procedure counts as numbers."""
        frame = frame.copy()
        frame["procedures"] = [self.number(table, i, "procedures", v, integer=True)
                               for i, v in frame["procedures"].items()]
        return frame

    def typed_transfer_rules(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """The transfer rules, their levels checked."""
        for i, level in frame["to_level"].items():
            if level and level not in self.levels:
                self.problems.error(table.name, table.where(i), "to_level",
                                    f"unknown level '{level}': expected one of {', '.join(self.levels)}")
        return frame

    def typed_procedures(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """The procedures as read (their references are checked by :meth:`cross_check`)."""
        return frame

    def typed_service_points(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """The service points, their sites, kinds and coordinates checked."""
        return self.located(table, frame, "site", kinds=True)

    def typed_places(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """The places, their units and coordinates checked, their populations as numbers."""
        frame = self.located(table, frame, "unit", kinds=False)
        frame["population"] = [self.number(table, i, "population", v) for i, v in frame["population"].items()]
        return frame

    def located(self, table: Table, frame: pd.DataFrame, unit_column: str, *, kinds: bool) -> pd.DataFrame:
        """Check the unit (and kind) of each row and parse its ``lon``/``lat`` (NaN when absent or wrong)."""
        frame = frame.copy()
        self.check_sites(table, frame, unit_column, kinds=kinds)
        for axis, limit in (("lon", 180.0), ("lat", 90.0)):
            frame[axis] = [self.degrees(table, i, axis, raw, limit) for i, raw in frame[axis].items()]
        return frame

    def check_sites(self, table: Table, frame: pd.DataFrame, unit_column: str, *, kinds: bool) -> None:
        """Report unknown units and service point kinds, and a lon without a lat (or the reverse)."""
        codes = set(self.scenario.units.index)
        for i in frame.index:
            if frame.at[i, unit_column] and frame.at[i, unit_column] not in codes:
                self.problems.error(table.name, table.where(i), unit_column,
                                    f"unknown unit '{frame.at[i, unit_column]}': expected a code of the units table")
            if kinds and frame.at[i, "kind"] and frame.at[i, "kind"] not in SERVICE_POINT_KINDS:
                self.problems.error(table.name, table.where(i), "kind", f"unknown kind '{frame.at[i, 'kind']}': "
                                    f"expected one of {', '.join(SERVICE_POINT_KINDS)}")
            if bool(frame.at[i, "lon"]) != bool(frame.at[i, "lat"]):
                self.problems.error(table.name, table.where(i), "lon, lat", "give both lon and lat, or neither")

    def degrees(self, table: Table, i: int, axis: str, raw: str, limit: float) -> float:
        """A longitude or latitude within ``limit`` degrees (NaN when empty, or with an error when wrong)."""
        if not raw:
            return math.nan
        try:
            value = float(raw)
        except ValueError:
            value = math.inf
        if not abs(value) <= limit:
            self.problems.error(table.name, table.where(i), axis,
                                f"'{raw}' is not a {axis}itude in degrees (-{limit:g} to {limit:g})")
            return math.nan
        return value

    def cross_check(self, tables: dict[str, pd.DataFrame]) -> None:
        """References between tables: task holders and receivers, procedure bodies and tasks."""
        agencies = tables["agencies"]
        task_table = self.tables.get("tasks")
        if task_table is not None:
            self.check_task_references(task_table, tables["tasks"], agencies)
        procedure_table = self.tables.get("procedures")
        if procedure_table is not None:
            self.check_procedure_references(procedure_table, tables["procedures"], agencies, tables["tasks"])

    def check_task_references(self, table: Table, tasks: pd.DataFrame, agencies: pd.DataFrame) -> None:
        """Each task's holder is a body or a level; each receiver a body of the new map."""
        ids = set(agencies.index)
        receivers_ok = set(agencies.index[agencies["period"] != "before"]) if len(agencies) else set()
        for i, row in tasks.iterrows():
            if row["holder"] and row["holder"] not in ids and row["holder"] not in self.levels:
                self.problems.error(table.name, table.where(i), "holder",
                                    f"'{row['holder']}' is neither a body id of the agencies table nor a level "
                                    f"({', '.join(self.levels)})")
            for receiver in split_ids(row["receiver"]):
                if receiver not in receivers_ok:
                    self.problems.error(table.name, table.where(i), "receiver",
                                        f"'{receiver}' is not a body of the new map: expected the id of an "
                                        "agencies row with period after or both")

    def check_procedure_references(self, table: Table, procedures: pd.DataFrame, agencies: pd.DataFrame,
                                   tasks: pd.DataFrame) -> None:
        """Each procedure's body is a body id or name (a warning if not); its task a task id."""
        ids = set(agencies.index)
        names = set(agencies["name"]) if len(agencies) else set()
        task_ids = set(tasks["id"])
        levels, abbreviations = scenario_level_names(self.scenario)
        for i, row in procedures.iterrows():
            if (row["body"] and row["body"] not in ids and row["body"] not in names
                    and normalized(row["body"], abbreviations) not in levels):
                self.problems.warn(table.name, table.where(i), "body",
                                   f"'{row['body']}' matches no body id or name of the agencies table, nor the "
                                   "bodies of the abolished level (as in 'Ủy ban nhân dân cấp huyện')")
            if row["task"] and row["task"] not in task_ids:
                self.problems.error(table.name, table.where(i), "task",
                                    f"unknown task '{row['task']}': expected an id of the tasks table")
