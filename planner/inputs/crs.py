"""The coordinate reference system of a boundary file, and its polygons in lon/lat.

planner works on lon/lat (WGS84) polygons and measures them in a local equal-area
projection (:mod:`planner.graph`), so any boundary file is first brought to lon/lat:

- ``boundaries.crs`` in scenario.yaml, when given, is used (an override of the file's own);
- else the CRS the file declares (a GeoPackage's, a Shapefile's ``.prj``, GeoJSON's WGS84);
- a file that declares none is taken as lon/lat only when its coordinates fit
  (``|x| <= 180``, ``|y| <= 90``); otherwise it is an error asking for ``boundaries.crs``.

A lon/lat CRS whose coordinates do not fit (a GeoJSON written in metres without a ``crs``
member) is an error too, so metres are never read as degrees.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pyproj
import shapely

from planner.inputs.problems import ProblemList
from planner.inputs.tables import Table

LONLAT = pyproj.CRS.from_epsg(4326)
KEY = "key boundaries.crs"


def crs_label(crs: pyproj.CRS) -> str:
    """A short name of a CRS for messages: its authority code (``EPSG:32648``) or its name."""
    authority = crs.to_authority(min_confidence=70)
    return f"{authority[0]}:{authority[1]} ({crs.name})" if authority else crs.name


def to_lonlat(table: Table, setting: Any, problems: ProblemList, label: str) -> Table | None:
    """The boundary table with its geometries in lon/lat (WGS84), or None after an error.

    Parameters
    ----------
    table : Table
        A vector table as read (geometries in the file's coordinates, ``crs`` as declared).
    setting : object
        ``boundaries.crs`` of the scenario (an EPSG code, ``"EPSG:32648"``, a PROJ or WKT
        string), or None.
    problems : ProblemList
        Receives the errors and warnings (an override that differs from the file's CRS, a
        file without CRS taken as lon/lat).
    label : str
        The scenario file, for problems of ``boundaries.crs`` itself.

    Returns
    -------
    Table or None
        A copy of ``table`` whose geometries are lon/lat and whose ``crs`` is ``EPSG:4326``.
    """
    geometries = np.array(table.geometries or [], dtype=object)
    bounds = _bounds(geometries)
    crs = _source_crs(table, setting, bounds, problems, label)
    if crs is None:
        return None
    if not crs.equals(LONLAT, ignore_axis_order=True):
        geometries = _transformed(geometries, crs)
        bounds = _bounds(geometries)
        if bounds is not None and not np.all(np.isfinite(bounds)):
            problems.error(table.name, "", "geometry", f"the coordinates cannot be taken from {crs_label(crs)} to "
                           "lon/lat (some lie outside the area of that CRS): check the file's CRS or boundaries.crs")
            return None
    if bounds is not None and not _fits_lonlat(bounds):
        source = "boundaries.crs" if setting not in (None, "") else "the file's CRS"
        problems.error(table.name, "", "geometry",
                       f"the coordinates reach {_extent(bounds)}, which is not lon/lat in degrees, though "
                       f"{source} is {crs_label(crs)}: set boundaries.crs to the CRS the file is written in "
                       "(e.g. EPSG:32648 for UTM zone 48N)")
        return None
    return dataclasses.replace(table, geometries=list(geometries), crs="EPSG:4326")


def _source_crs(table: Table, setting: Any, bounds: np.ndarray | None, problems: ProblemList,
                label: str) -> pyproj.CRS | None:
    """The CRS the file's coordinates are in: the setting, the file's own or lon/lat when they fit."""
    declared = _parse(table.crs)
    if setting not in (None, ""):
        try:
            chosen = pyproj.CRS.from_user_input(setting)
        except pyproj.exceptions.CRSError:
            problems.error(label, KEY, "", f"'{setting}' is not a coordinate reference system: expected an EPSG "
                           "code such as EPSG:4326 (lon/lat) or EPSG:32648 (UTM zone 48N), or a PROJ or WKT text")
            return None
        if declared is not None and not chosen.equals(declared, ignore_axis_order=True):
            problems.warn(table.name, "", "geometry", f"the file declares {crs_label(declared)}; "
                          f"boundaries.crs {crs_label(chosen)} is used instead")
        return chosen
    if declared is not None:
        return declared
    if bounds is None or _fits_lonlat(bounds):
        if bounds is not None:
            problems.warn(table.name, "", "geometry", "the file declares no coordinate reference system; its "
                          "coordinates fit lon/lat, so they are read as EPSG:4326 (set boundaries.crs otherwise)")
        return LONLAT
    problems.error(table.name, "", "geometry",
                   f"the file declares no coordinate reference system and its coordinates reach {_extent(bounds)}, "
                   "which is not lon/lat: set boundaries.crs in the scenario (e.g. EPSG:32648 for UTM zone 48N)")
    return None


def _parse(text: str | None) -> pyproj.CRS | None:
    """The CRS a file declares (None when it declares none or GDAL's text cannot be read)."""
    if not text:
        return None
    try:
        return pyproj.CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        return None


def _transformed(geometries: np.ndarray, crs: pyproj.CRS) -> np.ndarray:
    """The geometries taken from ``crs`` to lon/lat (infinite coordinates where that fails)."""
    transformer = pyproj.Transformer.from_crs(crs, LONLAT, always_xy=True)

    def to_lonlat(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1], errcheck=False))

    return shapely.transform(geometries, to_lonlat)


def _bounds(geometries: np.ndarray) -> np.ndarray | None:
    """The bounds (xmin, ymin, xmax, ymax) of the non-empty geometries, None when there are none."""
    present = geometries[[g is not None and not g.is_empty for g in geometries]] if len(geometries) else geometries
    if not len(present):
        return None
    return shapely.total_bounds(present)


def _fits_lonlat(bounds: np.ndarray) -> bool:
    xmin, ymin, xmax, ymax = bounds
    return bool(-180.0 <= xmin and xmax <= 180.0 and -90.0 <= ymin and ymax <= 90.0)


def _extent(bounds: np.ndarray) -> str:
    xmin, ymin, xmax, ymax = bounds
    return f"x {xmin:.6g} to {xmax:.6g}, y {ymin:.6g} to {ymax:.6g}"
