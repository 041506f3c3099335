"""The ``boundaries:`` section of a scenario: the polygons and the rule that makes units neighbours.

:func:`read_boundaries` reads the vector file, brings it to lon/lat from its CRS or
``boundaries.crs`` (:mod:`planner.inputs.crs`) and checks its polygons
(:mod:`planner.inputs.geometry`).  :func:`read_contiguity` reads the settings of
adjacency: ``tolerance_m`` (outlines closer than this are snapped together),
``min_shared_border_m`` (the shortest shared line that makes two units neighbours,
default twice the tolerance) and ``contiguity`` (``rook``, the default: a shared line;
``queen``: a point contact is enough).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.inputs.crs import to_lonlat
from planner.inputs.geometry import read_geometries
from planner.inputs.problems import ProblemList
from planner.inputs.selection import Selection
from planner.inputs.tables import read_table

#: ``boundaries.contiguity``: a shared line of ``min_shared_border_m`` (rook) or any contact (queen).
CONTIGUITY_MODES = ("rook", "queen")
DEFAULT_TOLERANCE_M = 50.0


@dataclass(frozen=True)
class Contiguity:
    """When two units are neighbours (see :func:`planner.graph.shared_borders`).

    Attributes
    ----------
    tolerance_m : float
        Outlines closer than this are snapped together (slivers and gaps of real data).
    min_shared_border_m : float
        The shortest shared line, after snapping, that makes two units neighbours.
    mode : str
        ``rook`` (a shared line) or ``queen`` (units within the tolerance, point contacts included).
    """

    tolerance_m: float = DEFAULT_TOLERANCE_M
    min_shared_border_m: float = 2 * DEFAULT_TOLERANCE_M
    mode: str = "rook"


def read_contiguity(section: dict[str, Any], number: Callable[[str, Any], Any],
                    error: Callable[[str, str], None]) -> Contiguity:
    """The adjacency settings of the ``boundaries:`` section.

    Parameters
    ----------
    section : dict
        The ``boundaries:`` section ({} when absent).
    number : callable
        ``number(key, value)``: the value as a number of at least 0, or None with an error.
    error : callable
        ``error(key, message)``: records an error at a key of the scenario file.

    Returns
    -------
    Contiguity
        The settings, defaults where a value is absent or wrong.
    """
    tolerance = number("boundaries.tolerance_m", section.get("tolerance_m", DEFAULT_TOLERANCE_M))
    tolerance = DEFAULT_TOLERANCE_M if tolerance is None else tolerance
    minimum = number("boundaries.min_shared_border_m", section.get("min_shared_border_m", 2.0 * tolerance))
    mode = str(section.get("contiguity", "rook")).strip().lower()
    if mode not in CONTIGUITY_MODES:
        error("boundaries.contiguity", f"'{section.get('contiguity')}' is not a contiguity: expected rook "
              "(neighbours share a line of min_shared_border_m) or queen (a point contact is enough)")
        mode = "rook"
    return Contiguity(tolerance, 2.0 * tolerance if minimum is None else minimum, mode)


def read_boundaries(section: dict[str, Any], path: Path, codes: set[str] | None, problems: ProblemList,
                    label: str, selection: Selection | None = None,
                    unit_label: Callable[[str], str] = str) -> dict[str, Any]:
    """The polygons of the ``boundaries:`` file by unit code, in lon/lat ({} without one).

    Parameters
    ----------
    section : dict
        The ``boundaries:`` section (``path``, ``layer``, ``id``, ``crs``, ``repair_invalid``).
    path : pathlib.Path
        The file ``section['path']`` names (relative to the scenario folder).
    codes : set of str or None
        The codes of the units table (None when it could not be read).
    problems : ProblemList
        Receives the errors and warnings.
    label : str
        The scenario file, for problems of the section's keys.
    selection : Selection, optional
        The scenario's selection: features of the units it leaves out are ignored (counted in one warning).
    unit_label : callable, optional
        A unit in messages (code, name and parent's name, :mod:`planner.inputs.labels`); default: its code.

    Returns
    -------
    dict
        Unit code -> shapely polygon in lon/lat (WGS84).
    """
    name = str(section["path"])
    table = read_table(path, name, problems, layer=section.get("layer"))
    if table is None:
        return {}
    if table.geometries is None:
        problems.error(name, "", "", "boundaries must be a vector file (GeoJSON, GeoPackage or Shapefile)")
        return {}
    id_column = str(section.get("id", "code"))
    if id_column not in table.frame.columns:
        problems.error(name, table.header, id_column,
                       f"id column not found; the features have: {', '.join(table.frame.columns)}")
        return {}
    table = to_lonlat(table, section.get("crs"), problems, label)
    if table is None:
        return {}
    repair = bool(section.get("repair_invalid", True))
    return read_geometries(table, id_column, codes, repair, problems, selection, unit_label)


#: The notice of ``boundaries.redistribution: not_allowed`` without a ``boundaries.notice`` of its own.
DEFAULT_NOTICE = "The boundary data's licence does not allow redistribution: do not pass these maps on."


def redistribution_notice(document: dict[str, Any]) -> str:
    """The notice the maps show when the scenario's boundaries may not be redistributed, else ``""``.

    Parameters
    ----------
    document : dict
        The checked scenario document (:attr:`planner.inputs.scenario.Scenario.document`).

    Returns
    -------
    str

    Examples
    --------
    >>> redistribution_notice({"boundaries": {"redistribution": "not_allowed", "notice": "GADM: do not share"}})
    'GADM: do not share'
    >>> redistribution_notice({"boundaries": {"path": "b.geojson"}})
    ''
    """
    section = document.get("boundaries") or {}
    if str(section.get("redistribution", "allowed")).strip().lower() != "not_allowed":
        return ""
    return str(section.get("notice") or DEFAULT_NOTICE).strip()
