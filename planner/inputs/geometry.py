"""Unit boundaries: the polygons of the ``boundaries:`` file, checked and repaired.

:func:`read_geometries` takes the features of a vector table and gives one polygon per
unit code, reporting features with a missing, unknown or duplicate id, an empty or
non-polygonal geometry, or an invalid polygon (repaired with :func:`shapely.make_valid`
when the scenario allows it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shapely

from planner.inputs.problems import ProblemList
from planner.inputs.selection import Selection
from planner.inputs.tables import Table


def read_geometries(table: Table, id_column: str, codes: set[str] | None, repair: bool,
                    problems: ProblemList, selection: Selection | None = None,
                    unit_label: Callable[[str], str] = str) -> dict[str, Any]:
    """The polygon of each unit in a vector table, every problem recorded on the way.

    Parameters
    ----------
    table : Table
        A vector table (``table.geometries`` set).
    id_column : str
        The column holding the unit codes.
    codes : set of str or None
        The codes of the units table (None when it could not be read: ids are not checked).
    repair : bool
        Repair invalid polygons (a warning) instead of reporting them as errors.
    problems : ProblemList
        Receives the errors and warnings.
    selection : Selection, optional
        The scenario's selection (``units.where``): features of the units it leaves out are
        ignored, counted in one warning.
    unit_label : callable, optional
        A unit in messages (code, name and parent's name); default: its code.

    Returns
    -------
    dict
        Unit code -> shapely Polygon or MultiPolygon, in the file's coordinates.
    """
    geometries: dict[str, Any] = {}
    first: dict[str, int] = {}
    repaired: list[str] = []
    ignored = 0
    unknown: list[str] = []
    for i, geometry in enumerate(table.geometries or []):
        code = table.frame.at[i, id_column]
        if selection is not None and selection.is_left_out(code):
            ignored += 1
            continue
        if code and codes is not None and code not in codes:
            unknown.append(f"{table.where(i)} ('{code}')")
            continue
        if not _known_id(table, i, code, id_column, first, problems):
            continue
        first[code] = i
        checked = _checked_polygon(table, i, unit_label(code), geometry, repair, problems, repaired)
        if checked is not None:
            geometries[code] = checked
    if repaired:
        problems.warn(table.name, "", "geometry",
                      f"{len(repaired)} invalid polygon(s) repaired: {', '.join(repaired[:10])}")
    if selection is not None:
        selection.note(problems, table.name, ignored, "feature(s)", column=id_column)
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        problems.error(table.name, "", id_column, f"{len(unknown)} feature(s) name units that are not in the units "
                       f"table: {shown}; check boundaries.id, or pick the region of a larger file with units.where")
    if codes is not None:
        _warn_absent(table, id_column, codes, geometries, problems, unit_label)
    return geometries


def _known_id(table: Table, i: int, code: str, id_column: str, first: dict[str, int], problems: ProblemList) -> bool:
    """Whether feature ``i`` has an id not seen before (else a problem is recorded)."""
    where = table.where(i)
    if not code:
        problems.error(table.name, where, id_column, "missing id: expected a unit code")
        return False
    if code in first:
        problems.error(table.name, where, id_column,
                       f"duplicate id '{code}' (first at {table.where(first[code])})")
        return False
    return True


def _checked_polygon(table: Table, i: int, code: str, geometry: Any, repair: bool, problems: ProblemList,
                     repaired: list[str]) -> Any:
    """The polygon of feature ``i``, repaired if allowed (noted in ``repaired``), or None with a problem."""
    where = table.where(i)
    if geometry is None or geometry.is_empty:
        problems.error(table.name, where, "geometry", f"unit {code} has no geometry: expected a polygon")
        return None
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        problems.error(table.name, where, "geometry",
                       f"unit {code} has a {geometry.geom_type}: expected a polygon")
        return None
    if geometry.is_valid:
        return geometry
    reason = shapely.is_valid_reason(geometry)
    if not repair:
        problems.error(table.name, where, "geometry", f"unit {code} has an invalid polygon ({reason})")
        return None
    fixed = polygonal(shapely.make_valid(geometry))
    if fixed is None:
        problems.error(table.name, where, "geometry",
                       f"unit {code} has an invalid polygon that cannot be repaired ({reason})")
        return None
    repaired.append(f"{code} ({reason})")
    return fixed


def _warn_absent(table: Table, id_column: str, codes: set[str], geometries: dict[str, Any],
                 problems: ProblemList, unit_label: Callable[[str], str]) -> None:
    """Warn of the units without a polygon (no warning when none of them has one)."""
    absent = sorted(codes - geometries.keys())
    if absent and len(absent) < len(codes):
        shown = ", ".join(map(unit_label, absent[:12])) + (" ..." if len(absent) > 12 else "")
        problems.warn(table.name, "", id_column,
                      f"{len(absent)} unit(s) have no polygon: {shown}; they have no neighbours "
                      "unless links connect them")


def polygonal(geometry: Any) -> Any:
    """The polygonal part of a repaired geometry, or None when nothing with area is left.

    Parameters
    ----------
    geometry : shapely geometry
        Typically the result of :func:`shapely.make_valid`.

    Returns
    -------
    shapely geometry or None
        The geometry itself when it is a polygon with area, the union of the polygons of a
        collection, or None.
    """
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry if geometry.area > 0 else None
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon") and g.area > 0]
        if parts:
            return shapely.union_all(parts)
    return None
