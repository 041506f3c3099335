"""The units table: the old units' codes, names, kinds, terrain, figures and parents.

:func:`read_units_table` reads the table a scenario's ``units:`` section names, through its
column mapping (``units.columns``): it checks the ids, maps kind and terrain names to
the preset's (:data:`~planner.inputs.scenario.DEFAULT_KIND_VALUES` and
:data:`~planner.inputs.scenario.DEFAULT_TERRAIN_VALUES`, plus the scenario's own),
parses the numbers and records every problem with its row and column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.inputs.contexts import unit_contexts
from planner.inputs.numbers import DECIMAL_MARKS, THOUSANDS_MARKS, NumberFormat
from planner.inputs.preset import Preset
from planner.inputs.problems import ProblemList
from planner.inputs.scenario import DEFAULT_KIND_VALUES, DEFAULT_TERRAIN_VALUES, NUMERIC_COLUMNS
from planner.inputs.tables import Table
from planner.rules.reductions import read_factor_value

#: What :func:`read_units_table` gives: the units (None after an error), the parent levels and their names.
UnitsResult = tuple[pd.DataFrame | None, list[str], dict[str, dict[str, str]]]


def read_units_table(table: Table, columns: dict[str, Any], section: dict[str, Any], preset: Preset | None,
               problems: ProblemList, label: str, parent_map: dict[str, str] | None = None) -> UnitsResult:
    """Read the units table through the scenario's column mapping.

    Parameters
    ----------
    table : Table
        The table the ``units:`` section names.
    columns : dict
        ``units.columns``: planner field -> column of the table (``parents`` and
        ``parent_names`` map a level to a column, ``extra`` lists columns kept as they are).
    section : dict
        The whole ``units:`` section (``kind_values``, ``terrain_values``, ``contexts``).
    preset : Preset or None
        Gives the allowed kinds and contexts and the defaults (None when it could not be read).
    problems : ProblemList
        Receives the errors and warnings.
    label : str
        The scenario file, for problems of the ``units:`` section itself.
    parent_map : dict, optional
        Parent -> mapped parent of ``units.contexts.map`` (:mod:`planner.inputs.contexts`).

    Returns
    -------
    units : pandas.DataFrame or None
        Indexed by code, sorted (see :class:`~planner.inputs.scenario.Scenario`); None when
        the table had errors.
    parent_levels : list of str
        The levels of ``units.columns.parents``, in their order.
    parent_names : dict
        Level -> parent code -> name, for the levels with ``units.columns.parent_names``.
    """
    return _UnitsReader(table, columns, section, preset, problems, label, parent_map).read()


@dataclass
class _UnitsReader:
    """Reads the units table through the scenario's column mapping."""

    table: Table
    columns: dict[str, Any]
    section: dict[str, Any]
    preset: Preset | None
    problems: ProblemList
    label: str
    parent_map: dict[str, str] | None = None
    marks: NumberFormat = field(default_factory=NumberFormat)

    def key_error(self, key: str, message: str) -> None:
        """An error in the scenario file, at ``key``."""
        self.problems.error(self.label, f"key {key}", "", message)

    def column(self, field_name: str, required: bool = False, default: str | None = None) -> str | None:
        """The table column mapped to ``field_name``, or None (with a problem when it is required or absent)."""
        column = self.columns.get(field_name, default)
        if column is None:
            if required:
                self.key_error(f"units.columns.{field_name}", f"expected the column holding the units' {field_name}")
            return None
        column = str(column)
        if column not in self.table.frame.columns:
            self.problems.error(self.table.name, self.table.header, column,
                                f"column for '{field_name}' not found; the table has: "
                                f"{', '.join(self.table.frame.columns)}")
            return None
        return column

    def read(self) -> UnitsResult:
        """The units, parent levels and parent names (see :func:`read_units_table`)."""
        frame = self.table.frame
        id_column = self.column("id", required=True, default="code" if "code" in frame else None)
        if id_column is None:
            return None, [], {}
        ids = frame[id_column]
        before = len(self.problems.errors)
        self.check_ids(ids, id_column)
        self.marks = self.number_format()
        units = pd.DataFrame(index=pd.Index(ids, dtype=object, name="code"))
        name_column = self.column("name", default="name" if "name" in frame else None)
        units["name"] = frame[name_column].to_numpy() if name_column else ids.to_numpy()
        units["kind"] = self.read_kinds()
        units["terrain"] = self.read_terrains()
        for field_name in NUMERIC_COLUMNS:
            required = field_name != "staff"
            if isinstance(self.columns.get(field_name), list):
                units[field_name], units[f"{field_name}_source"] = self.read_fallback(field_name, required)
            else:
                units[field_name] = self.read_numbers(field_name, required)
        self.read_sources(units)
        parent_levels, parent_names = self.read_parents(units)
        units["context"] = self.read_contexts(units)
        for axis, limit in (("lon", 180.0), ("lat", 90.0)):
            units[axis] = self.read_coordinates(axis, limit)
        self.read_extras(units)
        self.read_factors(units)
        if len(self.problems.errors) > before:
            return None, parent_levels, parent_names
        units = units.sort_index()
        return units, parent_levels, parent_names

    def read_parents(self, units: pd.DataFrame) -> tuple[list[str], dict[str, dict[str, str]]]:
        """Add one column per parent level to ``units``; the levels and the parents' names."""
        frame = self.table.frame
        parents = self.columns.get("parents") or {}
        parent_levels = [str(level) for level in parents]
        parent_names: dict[str, dict[str, str]] = {}
        for level in parent_levels:
            column = self.column_of(f"parents.{level}", parents[level])
            units[level] = frame[column].to_numpy() if column else ""
            name_col = (self.columns.get("parent_names") or {}).get(level)
            if name_col and self.column_of(f"parent_names.{level}", name_col):
                parent_names[level] = dict(zip(frame[column], frame[name_col])) if column else {}
        return parent_levels, parent_names

    def read_extras(self, units: pd.DataFrame) -> None:
        """Add the columns of ``units.columns.extra`` to ``units`` as they are."""
        for extra in self.columns.get("extra") or []:
            column = self.column_of("extra", extra)
            if column:
                units[column] = self.table.frame[column].to_numpy()

    def read_factors(self, units: pd.DataFrame) -> None:
        """Add the preset's factor columns (special-factor reductions) the table has, under the factor's name:
        the column of ``units.columns.factors`` or the column of that name.  A missing one is said once
        (:func:`planner.rules.reductions.active_reductions`), a wrong value with its row."""
        if self.preset is None:
            return
        mapped = self.columns.get("factors") or {}
        for name, factor in self.preset.factors.items():
            column = self.column_of(f"factors.{name}", mapped[name]) if name in mapped else (
                name if name in self.table.frame.columns else None)
            if column is None:
                continue
            values = []
            for i, raw in self.table.frame[column].items():
                try:
                    values.append(read_factor_value(factor, raw, self.marks))
                except ValueError as reason:
                    self.problems.error(self.table.name, self.table.where(i), column, f"'{raw}': {reason}")
                    values.append(None)
            units[name] = values

    def column_of(self, key: str, column: Any) -> str | None:
        """``column`` if the table has it, else None with a problem naming ``units.columns.<key>``."""
        column = str(column)
        if column not in self.table.frame.columns:
            self.problems.error(self.table.name, self.table.header, column,
                                f"column named by units.columns.{key} not found")
            return None
        return column

    def check_ids(self, ids: pd.Series, column: str) -> None:
        """Report missing and duplicate unit codes."""
        seen: dict[str, int] = {}
        for i, code in ids.items():
            if not code:
                self.problems.error(self.table.name, self.table.where(i), column, "missing id: expected a unit code")
            elif code in seen:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"duplicate id '{code}' (first at {self.table.where(seen[code])})")
            else:
                seen[code] = i

    def read_kinds(self) -> list[str]:
        """The preset kind of each unit (the preset's first kind when the table has no kind column)."""
        column = self.column("kind")
        if column is None:
            default = self.preset.input_kinds[0] if self.preset and self.preset.input_kinds else "unit"
            return [default] * len(self.table.frame)
        values = dict(DEFAULT_KIND_VALUES)
        values.update({str(k): str(v) for k, v in (self.section.get("kind_values") or {}).items()})
        allowed = set(self.preset.input_kinds) if self.preset and self.preset.input_kinds else None
        kinds = []
        for i, raw in self.table.frame[column].items():
            kind = values.get(raw, raw)
            if allowed is not None and kind not in allowed:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"unknown kind '{raw}': expected one of {', '.join(sorted(allowed))} "
                                    "(or map it with units.kind_values)")
            kinds.append(kind)
        return kinds

    def read_terrains(self) -> list[str]:
        """The terrain of each unit, empty when unknown."""
        column = self.column("terrain")
        n = len(self.table.frame)
        if column is None:
            if self.preset is None or self.preset.has_terrain_rule:
                self.problems.warn(self.table.name, "", "terrain",
                                   f"no terrain column: all {n} units have unknown terrain, treated as "
                                   f"'{self.preset.unknown_terrain if self.preset else 'other'}'")
            return [""] * n
        values = dict(DEFAULT_TERRAIN_VALUES)
        values.update({str(k): str(v) for k, v in (self.section.get("terrain_values") or {}).items()})
        terrains, unknown = [], []
        for i, raw in self.table.frame[column].items():
            if not raw:
                unknown.append(self.table.where(i))
                terrains.append("")
            elif raw.lower() in values or raw in values:
                terrains.append(values.get(raw, values.get(raw.lower(), raw)))
            else:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"unknown terrain '{raw}': expected one of "
                                    f"{', '.join(sorted(set(values)))} (or map it with units.terrain_values)")
                terrains.append("")
        if unknown and (self.preset is None or self.preset.has_terrain_rule):
            shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
            self.problems.warn(self.table.name, shown, column,
                               f"{len(unknown)} unit(s) with unknown terrain, treated as "
                               f"'{self.preset.unknown_terrain if self.preset else 'other'}'")
        return terrains

    def number_format(self) -> NumberFormat:
        """The marks of the table's figures (``units.decimal_mark``, ``units.thousands_mark``)."""
        decimal = str(self.section.get("decimal_mark", "."))
        thousands = self.section.get("thousands_mark")
        thousands = None if thousands in (None, "") else str(thousands)
        if decimal not in DECIMAL_MARKS:
            self.key_error("units.decimal_mark", f"'{decimal}' is not a decimal mark: expected '.' or ','")
            decimal = "."
        if thousands is not None and (thousands not in THOUSANDS_MARKS or thousands == decimal):
            self.key_error("units.thousands_mark",
                           f"'{thousands}' is not a thousands mark beside the decimal mark '{decimal}': expected "
                           + " or ".join(f"'{m}'" for m in THOUSANDS_MARKS if m != decimal and m.isprintable()))
            thousands = None
        return NumberFormat(decimal, thousands)

    def read_coordinates(self, axis: str, limit: float) -> Any:
        """The ``lon`` or ``lat`` column (degrees, NaN when empty), or NaN when not mapped."""
        column = self.column(axis)
        if column is None:
            return math.nan
        values = []
        for i, raw in self.table.frame[column].items():
            try:
                value = self.marks.parse(raw) if raw else math.nan
            except ValueError as reason:
                value = math.inf
                self.problems.error(self.table.name, self.table.where(i), column, f"'{raw}' {reason}: "
                                    f"expected a {axis} in degrees")
            if math.isfinite(value) and abs(value) > limit:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"{raw} is not a {axis}: expected degrees from -{limit:g} to {limit:g}")
            values.append(value if math.isfinite(value) else math.nan)
        return values

    def read_numbers(self, field_name: str, required: bool) -> list[float]:
        """One numeric field of each unit, NaN when empty or wrong."""
        column = self.column(field_name, required=required,
                             default=field_name if field_name in self.table.frame.columns else None)
        if column is None:
            return [math.nan] * len(self.table.frame)
        numbers, empty = self.parse_numbers(column, field_name)
        if required:
            self.warn_empty(field_name, column, empty)
        return numbers

    def read_fallback(self, field_name: str, required: bool) -> tuple[list[float], list[str]]:
        """A numeric field from a list of columns (the first one filled in each row), and the column used."""
        n = len(self.table.frame)
        mapped = [str(c) for c in self.columns[field_name]]
        found = [self.column_of(field_name, c) for c in mapped]
        if not mapped or None in found:
            if not mapped:
                self.key_error(f"units.columns.{field_name}", "expected a column or a list of columns")
            return [math.nan] * n, [""] * n
        values, sources = [math.nan] * n, [""] * n
        for column in mapped:
            numbers, _ = self.parse_numbers(column, field_name)
            for i, value in enumerate(numbers):
                if math.isnan(values[i]) and not math.isnan(value):
                    values[i], sources[i] = value, column
        if required:
            empty = [label for label, value in zip(self.table.frame.index, values) if math.isnan(value)]
            self.warn_empty(field_name, " / ".join(mapped), empty)
        return values, sources

    def read_sources(self, units: pd.DataFrame) -> None:
        """``terrain_source``: where each unit's terrain comes from (``units.columns.terrain_source``), as
        written, and ``terrain_estimated``: whether that source is one of ``units.estimated_terrain``."""
        if self.columns.get("terrain_source") is None:
            return
        column = self.column_of("terrain_source", self.columns["terrain_source"])
        if column:
            sources = [str(v) for v in self.table.frame[column]]
            estimated = {str(v) for v in self.section.get("estimated_terrain") or []}
            units["terrain_source"] = sources
            units["terrain_estimated"] = [v in estimated for v in sources]

    def parse_numbers(self, column: str, field_name: str) -> tuple[list[float], list[Any]]:
        """The figures of one column (NaN when empty or wrong) and the rows left empty."""
        numbers: list[float] = []
        empty: list[Any] = []
        for i, raw in self.table.frame[column].items():
            try:
                value = self.marks.parse(raw) if raw else math.nan
            except ValueError as reason:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"'{raw}' {reason}: expected the {field_name}")
                numbers.append(math.nan)
                continue
            if math.isnan(value):
                empty.append(i)
            elif not math.isfinite(value) or value < 0:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"{raw} is not allowed: expected a {field_name} of 0 or more")
                value = math.nan
            numbers.append(value)
        return numbers, empty

    def warn_empty(self, field_name: str, column: str, empty: list[Any]) -> None:
        """One warning naming the units without the figure."""
        if not empty:
            return
        id_column = str(self.columns.get("id", "code"))
        ids = self.table.frame[id_column] if id_column in self.table.frame else None
        names = [ids[i] if ids is not None else self.table.where(i) for i in empty]
        shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
        self.problems.warn(self.table.name, "", column,
                           f"{len(empty)} unit(s) have no {field_name}: {shown}; "
                           "they are kept in plans but left out of sums and standards")

    def read_contexts(self, units: pd.DataFrame) -> list[str]:
        """The context of each unit: a column, by parent (``units.contexts``) or the preset's default."""
        column = self.column("context")
        if column:
            return list(self.table.frame[column])
        return unit_contexts(units, self.section, self.preset, self.parent_map, self.problems, self.label)
