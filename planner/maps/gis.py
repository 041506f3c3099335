"""GIS files of a plan for QGIS and other GIS tools: ``plan.gpkg`` and ``plan.geojson``.

``plan.gpkg`` (a GeoPackage) holds these layers, all in lon/lat (EPSG:4326, WGS 84):

- ``new_units``: one multipolygon per new unit (the union of its old units' boundaries as the
  scenario gives them), with every figure of ``units.csv`` and the unit's gaps (count in all,
  per severity, and the most serious);
- ``old_units``: one multipolygon per old unit with its name, kind, parent units, population,
  area, and the new unit it goes to;
- ``seats``: one point per new unit at its seat (the seat old unit's point);
- ``gaps``: one point per gap, at the point where the map marks the unit (inside the unit);
- one layer per reference layer of the map (:mod:`planner.maps.layers`), named by its key
  (``province_old``, ``district_old``, ``province_new``): one multipolygon per parent unit with
  its code, name and the layer's title, dissolved from the old units' boundaries as the map draws
  them (cleaned into an exact coverage and simplified for display, so neighbours share edges).

``plan.geojson`` holds the ``new_units`` layer alone (RFC 7946 coordinates, lon/lat, with the
CRS stated as ``urn:ogc:def:crs:OGC:1.3:CRS84``, the lon/lat order of EPSG:4326).

Both are deterministic: features sorted by code, coordinates rounded to 7 decimals (about
1 cm), figures to the decimals of ``units.csv``.  The GeoJSON is written here as text, so two
runs give the same bytes; the GeoPackage is written by GDAL (pyogrio) with its one timestamp
(``gpkg_contents.last_change``) set to the scenario's effective date, which makes it
byte-identical from run to run as well.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pyogrio
import shapely
import shapely.geometry
from pyogrio.raw import write as write_layer

from planner.evaluation.evaluate import Evaluation
from planner.evaluation.report import FLOAT_DECIMALS
from planner.inputs.scenario import Scenario
from planner.maps.data import MapData
from planner.maps.layers import ReferenceLayer
from planner.outputs import write_text
from planner.severities import SEVERITIES, severity_rank, worst_severity

GIS_FILES = ("plan.gpkg", "plan.geojson")
#: The CRS of both files.
CRS = "EPSG:4326"
#: How the GeoJSON states it (lon/lat order, as RFC 7946 coordinates are).
GEOJSON_CRS = "urn:ogc:def:crs:OGC:1.3:CRS84"
#: Decimals of coordinates (degrees): about 1 cm.
COORDINATE_DECIMALS = 7
#: Decimals of a float figure that FLOAT_DECIMALS does not name.
OTHER_DECIMALS = 6
#: The timestamp GDAL writes when the scenario has no effective date.
NO_DATE = "1970-01-01"


def write_gis(out: str | Path, scenario: Scenario, graph: nx.Graph, evaluation: Evaluation, data: MapData) -> None:
    """Write ``plan.gpkg`` and ``plan.geojson`` of an evaluated plan into ``out``.

    Parameters
    ----------
    out : str or Path
        The output folder.
    scenario : Scenario
        For the old units' boundaries (lon/lat), names, parents and the effective date.
    graph : networkx.Graph
        The unit graph: the units' points (``lon``, ``lat``) and the map's projection.
    evaluation : Evaluation
        The evaluated plan: its figures per new unit.
    data : MapData
        The prepared map (:func:`planner.maps.data.prepare_map`): the gaps placed on new units and
        the points where the map marks them.
    """
    out = Path(out)
    layers = gis_layers(scenario, graph, evaluation, data)
    write_text(out / "plan.geojson", geojson_text(layers["new_units"]))
    date = scenario.effective_date.isoformat() if scenario.effective_date else NO_DATE
    _write_geopackage(out / "plan.gpkg", layers, f"{date}T00:00:00Z")


def gis_layers(scenario: Scenario, graph: nx.Graph, evaluation: Evaluation,
               data: MapData) -> dict[str, pd.DataFrame]:
    """The layers, each a table sorted by code with its shapes in a ``geometry`` column (lon/lat).

    Parameters
    ----------
    scenario, graph, evaluation, data
        As :func:`write_gis` takes them.

    Returns
    -------
    dict
        ``new_units``, ``old_units``, ``seats``, ``gaps`` and each reference layer's key -> DataFrame.
    """
    plan = evaluation.plan
    units = evaluation.units.sort_values("new_unit", ignore_index=True)
    old_codes = sorted(plan.assignment)
    shapes = {code: _lonlat(scenario.geometries.get(code)) for code in old_codes}
    members: dict[str, list[Any]] = {}
    for code in old_codes:
        if shapes[code] is not None:
            members.setdefault(plan.assignment[code], []).append(shapes[code])
    new_units = _rounded(units).assign(**_gap_counts(units["new_unit"], data))
    new_units["geometry"] = [_union(members.get(code, [])) for code in units["new_unit"]]
    names = dict(zip(units["new_unit"], units["name"]))
    inverse = graph.graph["projection"].inverse
    return {"new_units": new_units, "old_units": _old_units(scenario, plan.assignment, names, shapes),
            "seats": _seats(graph, units), "gaps": _gaps(data, names, inverse),
            **{layer.key: _reference(layer, data, inverse) for layer in data.references}}


def geojson_text(layer: pd.DataFrame, name: str = "new_units") -> str:
    """A layer as GeoJSON text: one feature a line, ``id`` the first column, the CRS stated.

    Examples
    --------
    >>> layer = pd.DataFrame({"code": ["A"], "population": [12.0], "geometry": [shapely.Point(105.5, 20.25)]})
    >>> print(geojson_text(layer, "seats"), end="")
    {"type":"FeatureCollection","name":"seats","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
    {"type":"Feature","id":"A","properties":{"code":"A","population":12.0},"geometry":{"type":"Point","coordinates":[105.5,20.25]}}
    ]}
    """
    head = {"type": "FeatureCollection", "name": name, "crs": {"type": "name", "properties": {"name": GEOJSON_CRS}}}
    lines = []
    for values in layer.to_dict("records"):
        shape = values.pop("geometry")
        feature = {"type": "Feature", "id": next(iter(values.values())),
                   "properties": {k: _json_value(v) for k, v in values.items()},
                   "geometry": None if shape is None else shapely.geometry.mapping(shape)}
        lines.append(_compact(feature))
    return _compact(head)[:-1] + ',"features":[\n' + ",\n".join(lines) + ("\n" if lines else "") + "]}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _json_value(value: Any) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    return value


def _lonlat(shape: Any) -> Any:
    """A polygon as a multipolygon with coordinates rounded to :data:`COORDINATE_DECIMALS`."""
    if shape is None or shape.is_empty:
        return None
    rounded = shapely.transform(shape, lambda xy: np.round(xy, COORDINATE_DECIMALS))
    parts = [p for p in getattr(rounded, "geoms", [rounded]) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.MultiPolygon(parts) if parts else None


def _union(shapes: list[Any]) -> Any:
    if not shapes:
        return None
    merged = shapes[0] if len(shapes) == 1 else shapely.union_all(np.array(shapes, dtype=object))
    return _lonlat(shapely.normalize(merged))


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns rounded to the decimals of the CSV files (NaN stays missing)."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype.kind == "f":
            frame[column] = frame[column].round(FLOAT_DECIMALS.get(column, OTHER_DECIMALS))
    return frame


def _gap_counts(codes: pd.Series, data: MapData) -> dict[str, list[Any]]:
    """Per new unit: ``gaps`` (count), ``gaps_<severity>`` for each severity, ``worst_severity``."""
    found: dict[str, list[str]] = {}
    for gap in data.gaps:
        found.setdefault(gap.unit, []).append(gap.severity)
    columns: dict[str, list[Any]] = {"gaps": [len(found.get(c, [])) for c in codes]}
    for severity in SEVERITIES:
        columns[f"gaps_{severity}"] = [found.get(c, []).count(severity) for c in codes]
    columns["worst_severity"] = [worst_severity(found.get(c, [])) or "" for c in codes]
    return columns


def _old_units(scenario: Scenario, assignment: dict[str, str], names: dict[str, str],
               shapes: dict[str, Any]) -> pd.DataFrame:
    table = scenario.units.reindex(sorted(assignment))
    frame = pd.DataFrame({"code": table.index.astype(str), "name": table["name"].astype(str),
                          "kind": table["kind"].astype(str)})
    for level in scenario.parent_levels:
        frame[level] = table[level].astype(str).to_numpy()
        if level in scenario.parent_names:
            frame[f"{level}_name"] = [scenario.parent_names[level].get(c, "") for c in frame[level]]
    frame["population"] = table["population"].astype(float).to_numpy()
    frame["area_km2"] = table["area_km2"].astype(float).to_numpy()
    frame["new_unit"] = [assignment[c] for c in frame["code"]]
    frame["new_name"] = [names.get(n, n) for n in frame["new_unit"]]
    frame["geometry"] = [shapes[c] for c in frame["code"]]
    return _rounded(frame)


def _seats(graph: nx.Graph, units: pd.DataFrame) -> pd.DataFrame:
    rows = units[units["seat"].astype(str) != ""]
    frame = pd.DataFrame({"new_unit": rows["new_unit"].astype(str), "new_name": rows["name"].astype(str),
                          "seat": rows["seat"].astype(str), "seat_name": rows["seat_name"].astype(str)})
    frame["geometry"] = [_point(graph.nodes[s].get("lon"), graph.nodes[s].get("lat")) if s in graph else None
                         for s in frame["seat"]]
    return frame.reset_index(drop=True)


def _gaps(data: MapData, names: dict[str, str], inverse: Any) -> pd.DataFrame:
    index = {u.code: u for u in data.new}
    gaps = sorted(data.gaps, key=lambda g: (g.unit, severity_rank(g.severity), g.type, g.text))
    points = []
    for gap in gaps:
        unit = index[gap.unit]
        x, y = (data.origin[0] + unit.label[0] * data.step, data.origin[1] + unit.label[1] * data.step)
        points.append(None if unit.shape is None else _point(*inverse.transform(x, y)))
    return pd.DataFrame({"new_unit": [g.unit for g in gaps], "new_name": [names.get(g.unit, g.unit) for g in gaps],
                         "type": [g.type for g in gaps], "severity": [g.severity for g in gaps],
                         "severity_rank": [severity_rank(g.severity) + 1 for g in gaps],
                         "text": [g.text for g in gaps], "geometry": points})


def _reference(layer: ReferenceLayer, data: MapData, inverse: Any) -> pd.DataFrame:
    """A reference layer's parent units in lon/lat (from the map's grid)."""
    codes = sorted(layer.shapes)

    def to_lonlat(xy: np.ndarray) -> np.ndarray:
        lon, lat = inverse.transform(data.origin[0] + xy[:, 0] * data.step, data.origin[1] + xy[:, 1] * data.step)
        return np.column_stack([lon, lat])

    shapes = [_lonlat(shapely.normalize(shapely.transform(layer.shapes[c], to_lonlat))) for c in codes]
    return pd.DataFrame({"code": codes, "name": [layer.names.get(c, c) for c in codes],
                         "layer": [layer.title] * len(codes), "geometry": shapes})


def _point(lon: Any, lat: Any) -> Any:
    if lon is None or lat is None or pd.isna(lon) or pd.isna(lat):
        return None
    return shapely.Point(round(float(lon), COORDINATE_DECIMALS), round(float(lat), COORDINATE_DECIMALS))


GEOMETRY_TYPES = {"new_units": "MultiPolygon", "old_units": "MultiPolygon", "seats": "Point", "gaps": "Point"}


def _write_geopackage(path: Path, layers: dict[str, pd.DataFrame], timestamp: str) -> None:
    """The layers into one GeoPackage, written beside ``path`` and moved in (GDAL's timestamp fixed)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gpkg", dir=path.parent)
    os.close(handle)
    os.unlink(temporary)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": timestamp})
    try:
        for name, frame in layers.items():
            fields = [c for c in frame.columns if c != "geometry"]
            geometry = np.array([None if g is None else shapely.to_wkb(g) for g in frame["geometry"]], dtype=object)
            write_layer(temporary, geometry, [_field(frame[c]) for c in fields], fields, layer=name, driver="GPKG",
                        geometry_type=GEOMETRY_TYPES.get(name, "MultiPolygon"), crs=CRS, encoding="UTF-8", append=False)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def _field(column: pd.Series) -> np.ndarray:
    if column.dtype == object or str(column.dtype) in ("string", "str"):
        return np.array([str(v) for v in column], dtype=object)
    return column.to_numpy()
