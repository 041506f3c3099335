"""Units at a coarser level: a finer table dissolved by a parent column.

A scenario whose ``units:`` section has a ``dissolve:`` key reads its table as the *parts* of
its units (communes, say) and builds one unit per value of the column ``dissolve.by``
(provinces)::

    units:
      path: communes.csv
      columns: {id: code, name: name, population: population, area_km2: area_km2}
      dissolve:
        by: province_code                  # one unit per value of this column
        name: province_name                # the unit's name (the same on each of its rows)
        kind: {default: province, values: {"01": centrally_run_city}}
        terrain: {default: other, values: {"02": mountainous}}
        parents: {region: region_code}     # optional levels above, with parent_names
        parent_names: {region: region_name}

A unit's population and area are the sums over its parts, its polygon the union of theirs and
its point the population-weighted point of its parts' points (a polygon's centroid, or a point
inside it when the centroid falls outside; the part's ``lon``/``lat`` without a polygon).  The
parts are kept (:attr:`planner.inputs.scenario.Scenario.parts`): the evaluation measures access
from each part to the seat of its new unit (:mod:`planner.evaluation.parts`).

:func:`read_dissolved` reads the parts and the units (through the same checks as any units
table, :mod:`planner.inputs.units`); :func:`dissolve_boundaries` unites the parts' polygons once
the boundaries are read.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from planner.inputs.preset import Preset
from planner.inputs.problems import ProblemList
from planner.inputs.scenario import NUMERIC_COLUMNS
from planner.inputs.selection import Selection
from planner.inputs.tables import Table
from planner.inputs.units import UnitsResult, read_units_table

#: The fields of ``units.columns`` read from the parts; the others describe the units (``dissolve:``).
PART_FIELDS = ("id", "name", *NUMERIC_COLUMNS, "lon", "lat")
#: The columns of :attr:`~planner.inputs.scenario.Scenario.parts`.
PART_COLUMNS = ["name", "unit", "population", "area_km2", "lon", "lat"]
#: The level under which :func:`selection_levels` records the units a selection leaves out.
UNIT_LEVEL = "<dissolved unit>"


class _UnitsTable(Table):
    """The table of the dissolved units: its rows are named by unit code in messages."""

    def where(self, index: int) -> str:
        return f"unit {self.frame['code'].iloc[index]}"

    @property
    def header(self) -> str:
        return ""


@dataclass
class _Spec:
    """The checked ``units.dissolve`` section."""

    by: str
    name: str | None
    kind: dict[str, Any]
    terrain: dict[str, Any] | None
    parents: dict[str, str]
    parent_names: dict[str, str]


def read_dissolved(table: Table, section: dict[str, Any], preset: Preset | None, problems: ProblemList,
                   label: str) -> tuple[UnitsResult, pd.DataFrame | None]:
    """Read the parts of ``table`` and the units they make (``units.dissolve``).

    Parameters
    ----------
    table : Table
        The table the ``units:`` section names (its rows are the parts), after ``units.where``.
    section : dict
        The whole ``units:`` section: ``columns`` describe the parts, ``dissolve`` the units.
    preset : Preset or None
        Gives the units' allowed kinds and contexts (None when it could not be read).
    problems : ProblemList
        Receives the errors and warnings.
    label : str
        The scenario file, for problems of the section itself.

    Returns
    -------
    units : tuple
        As :func:`~planner.inputs.units.read_units_table` gives it, for the dissolved units (their
        ``lon``/``lat`` are filled in by :func:`dissolve_boundaries`).
    parts : pandas.DataFrame or None
        Indexed by part code, sorted: ``name``, ``unit`` (its unit's code), ``population``,
        ``area_km2``, ``lon``, ``lat`` (NaN until :func:`dissolve_boundaries`); None after an error.
    """
    before = len(problems.errors)
    spec = _read_spec(section.get("dissolve"), table, problems, label)
    columns = section.get("columns") or {}
    columns = columns if isinstance(columns, dict) else {}
    ignored = sorted(set(columns) - set(PART_FIELDS))
    if ignored:
        problems.warn(label, "key units.columns", ", ".join(ignored), "not read when dissolving: the dissolved "
                      "units' kind, terrain and parents come from units.dissolve")
    scratch = ProblemList()
    marks = {key: section[key] for key in ("decimal_mark", "thousands_mark") if key in section}
    parts, _, _ = read_units_table(table, {k: columns[k] for k in PART_FIELDS if k in columns}, marks, None,
                                   scratch, label)
    # The parts have no terrain of their own: the reader's warning about it does not apply.
    problems.items.extend(p for p in scratch.items if p.column != "terrain")
    if spec is None or parts is None:
        return (None, [], {}), None
    id_column = str(columns.get("id", "code"))
    unit_of = dict(zip(table.frame[id_column], table.frame[spec.by]))
    parts = parts.assign(unit=[unit_of[c] for c in parts.index])
    for i, code in table.frame[spec.by].items():
        if not code:
            problems.error(table.name, table.where(i), spec.by, "missing code of the unit this part belongs to")
    units_table = _units_table(table, parts, spec, problems)
    units_section = {k: section[k] for k in ("contexts", "kind_values", "terrain_values") if k in section}
    result = read_units_table(units_table, _units_columns(spec), units_section, preset, problems, label)
    if len(problems.errors) > before:
        return (None, [], {}), None
    return result, parts.reindex(columns=PART_COLUMNS)


def dissolve_boundaries(units: pd.DataFrame, parts: pd.DataFrame,
                        geometries: Mapping[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Unite the parts' polygons and place each unit at the population-weighted point of its parts.

    Parameters
    ----------
    units : pandas.DataFrame
        The dissolved units (:func:`read_dissolved`); their ``lon``/``lat`` are set here.
    parts : pandas.DataFrame
        The parts (:func:`read_dissolved`); their ``lon``/``lat`` are set here.
    geometries : mapping
        Part code -> polygon in lon/lat (the scenario's boundaries, read for the parts).

    Returns
    -------
    parts : pandas.DataFrame
        With each part's point.
    geometries : dict
        Unit code -> the union of its parts' polygons (units with no polygon left out).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> units = pd.DataFrame({"lon": [math.nan], "lat": [math.nan]}, index=["A"])
    >>> parts = pd.DataFrame({"unit": ["A", "A"], "population": [100.0, 300.0],
    ...                       "lon": [math.nan] * 2, "lat": [math.nan] * 2}, index=["a1", "a2"])
    >>> parts, shapes = dissolve_boundaries(units, parts, {"a1": box(0, 0, 1, 1), "a2": box(1, 0, 2, 1)})
    >>> round(float(units.at["A", "lon"]), 3), shapes["A"].area
    (1.25, 2.0)
    """
    parts = parts.copy()
    codes = [c for c in parts.index if geometries.get(c) is not None]
    if codes:
        polygons = np.array([geometries[c] for c in codes], dtype=object)
        points = shapely.centroid(polygons)
        outside = ~shapely.contains(polygons, points)
        points[outside] = shapely.point_on_surface(polygons[outside])
        parts.loc[codes, "lon"] = shapely.get_x(points)
        parts.loc[codes, "lat"] = shapely.get_y(points)
    shapes = {}
    for unit, group in parts.groupby("unit", sort=True):
        own = [geometries[c] for c in group.index if geometries.get(c) is not None]
        if own:
            shape = shapely.union_all(np.array(own, dtype=object))
            shapes[str(unit)] = shape if shape.is_valid else shapely.make_valid(shape)
        lon, lat = weighted_point(group["lon"].to_numpy(float), group["lat"].to_numpy(float),
                                  group["population"].to_numpy(float))
        units.loc[unit, ["lon", "lat"]] = (lon, lat)
    return parts, shapes


def selection_levels(section: dict[str, Any]) -> dict[str, str]:
    """Level -> column of the dissolved units and their parents, for :func:`~planner.inputs.selection.select_units`."""
    raw = section.get("dissolve")
    if not isinstance(raw, dict) or not raw.get("by"):
        return {}
    parents = raw.get("parents") if isinstance(raw.get("parents"), dict) else {}
    return {UNIT_LEVEL: str(raw["by"]), **{str(k): str(v) for k, v in parents.items()}}


def unit_selection(selection: Selection) -> Selection:
    """The selection with the dissolved units it leaves out (all of their parts left out) among its codes."""
    units = selection.parents_left_out.get(UNIT_LEVEL, frozenset())
    return Selection(selection.where, selection.left_out | units, selection.parents_left_out)


def weighted_point(lon: np.ndarray, lat: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """The weighted mean of points on the sphere (equal weights when no weight is positive).

    The mean of two points on a parallel lies on the great circle between them, a little poleward.

    Examples
    --------
    >>> weighted_point(np.array([105.0, 107.0]), np.array([20.0, 20.0]), np.array([1.0, 3.0]))
    (106.5000381, 20.0021036)
    """
    known = ~(np.isnan(lon) | np.isnan(lat))
    if not known.any():
        return math.nan, math.nan
    lon, lat, weights = np.radians(lon[known]), np.radians(lat[known]), np.nan_to_num(weights[known])
    weights = np.clip(weights, 0.0, None)
    if weights.sum() <= 0:
        weights = np.ones_like(lon)
    xyz = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    x, y, z = weights @ xyz / weights.sum()
    return (round(float(np.degrees(np.arctan2(y, x))), 7),
            round(float(np.degrees(np.arctan2(z, math.hypot(x, y)))), 7))


def _read_spec(raw: Any, table: Table, problems: ProblemList, label: str) -> _Spec | None:
    """The ``units.dissolve`` section, checked against the table's columns (None after an error)."""
    if not isinstance(raw, dict):
        problems.error(label, "key units.dissolve", "", "expected a mapping: {by: column, name: column, kind: ...}")
        return None
    before = len(problems.errors)
    by = raw.get("by")
    if not by:
        problems.error(label, "key units.dissolve.by", "", "expected the column holding each part's unit code")
    named = {"by": by, "name": raw.get("name")}
    parents = _levels(raw, "parents", problems, label)
    parent_names = _levels(raw, "parent_names", problems, label)
    named.update({f"parents.{k}": v for k, v in parents.items()})
    named.update({f"parent_names.{k}": v for k, v in parent_names.items()})
    for key, column in named.items():
        if column and str(column) not in table.frame.columns:
            problems.error(table.name, table.header, str(column), f"column named by units.dissolve.{key} not "
                           f"found; the table has: {', '.join(table.frame.columns)}")
    kind = _values(raw.get("kind"), "kind", problems, label)
    terrain = _values(raw.get("terrain"), "terrain", problems, label) if "terrain" in raw else None
    if len(problems.errors) > before or kind is None:
        return None
    return _Spec(str(by), str(raw["name"]) if raw.get("name") else None, kind, terrain, parents, parent_names)


def _levels(raw: dict[str, Any], key: str, problems: ProblemList, label: str) -> dict[str, str]:
    """``dissolve.parents`` or ``dissolve.parent_names``: level -> column."""
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        problems.error(label, f"key units.dissolve.{key}", "", "expected a mapping: parent level -> column")
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _values(raw: Any, key: str, problems: ProblemList, label: str) -> dict[str, Any] | None:
    """``dissolve.kind`` or ``dissolve.terrain``: one value for every unit, or ``{default, values}``."""
    if isinstance(raw, str) and raw:
        return {"default": raw, "values": {}}
    values = raw.get("values") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not raw.get("default") and not values or not isinstance(values or {}, dict):
        problems.error(label, f"key units.dissolve.{key}", "", f"expected the units' {key}: one {key} for all "
                       f"(such as {key}: {'province' if key == 'kind' else 'other'}) or {{default: ..., values: "
                       "{unit code: ...}}")
        return None
    return {"default": str(raw.get("default") or ""), "values": {str(k): str(v) for k, v in (values or {}).items()}}


def _units_table(table: Table, parts: pd.DataFrame, spec: _Spec, problems: ProblemList) -> _UnitsTable:
    """One row of text per unit: code, name, kind, terrain, summed figures, parents."""
    raw = table.frame.assign(_unit=table.frame[spec.by])
    texts = {"name": spec.name, **{level: c for level, c in spec.parents.items()},
             **{f"{level}_name": c for level, c in spec.parent_names.items()}}
    rows = []
    for unit, group in raw.groupby("_unit", sort=True):
        row = {"code": str(unit)}
        for field_name, column in texts.items():
            row[field_name] = _one_value(table, group, column, str(unit), problems) if column else str(unit)
        row["kind"] = spec.kind["values"].get(str(unit), spec.kind["default"])
        if spec.terrain is not None:
            row["terrain"] = spec.terrain["values"].get(str(unit), spec.terrain["default"])
        own = parts[parts["unit"] == unit]
        for field_name in NUMERIC_COLUMNS:
            total = own[field_name].sum(min_count=1)
            row[field_name] = "" if pd.isna(total) else repr(float(total))
        rows.append(row)
    for key in ("kind", "terrain"):
        given = (getattr(spec, key) or {}).get("values", {})
        for code in sorted(set(given) - {row["code"] for row in rows}):
            problems.warn(table.name, "", spec.by, f"units.dissolve.{key}.values names unit '{code}', which no "
                          "row of the table belongs to")
    frame = pd.DataFrame(rows, dtype=object).fillna("")
    return _UnitsTable(f"{table.name} dissolved by {spec.by}", frame)


def _one_value(table: Table, group: pd.DataFrame, column: str, unit: str, problems: ProblemList) -> str:
    """The value ``column`` holds on every row of a unit (an error naming the rows when they differ)."""
    values = group[column]
    first = values.iloc[0]
    differ = values[values != first]
    if len(differ):
        shown = ", ".join(f"{table.where(i)} '{v}'" for i, v in list(differ.items())[:5])
        problems.error(table.name, table.where(int(values.index[0])), column,
                       f"unit {unit} has '{first}' here but other values in {shown}: expected one value per unit")
    return str(first)


def _units_columns(spec: _Spec) -> dict[str, Any]:
    """The column mapping of the dissolved units' table."""
    columns: dict[str, Any] = {"id": "code", "name": "name", "kind": "kind",
                               **{field_name: field_name for field_name in NUMERIC_COLUMNS}}
    if spec.terrain is not None:
        columns["terrain"] = "terrain"
    if spec.parents:
        columns["parents"] = {level: level for level in spec.parents}
    names = {level: f"{level}_name" for level in spec.parent_names if level in spec.parents}
    if names:
        columns["parent_names"] = names
    return columns
