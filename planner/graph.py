"""The unit graph: units as nodes, shared borders and explicit links as edges.

Adjacency comes from polygons: two units are neighbours when their boundaries run side by
side for at least ``min_shared_border_m`` metres within ``tolerance_m`` of each other,
which absorbs the slivers and gaps of real boundary data while leaving out units that
only touch at a corner.  Lengths and areas are measured in a Lambert azimuthal equal-area
projection centred on the scenario's data.  Units that no border reaches (islands, or
parts of the map cut off from the rest) stay in the graph and are reported;
explicit links (ferries, bridges) connect them.

Examples
--------
>>> from planner.inputs.scenario import load_scenario
>>> graph = build_graph(load_scenario("scenarios/demo"))
>>> graph.number_of_nodes(), graph.graph["islands"]
(300, [])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pyproj
import shapely

from planner.inputs.scenario import Scenario

BORDER = "border"


@dataclass(frozen=True)
class Projection:
    """A local equal-area projection and its transforms to and from lon/lat."""

    crs: pyproj.CRS
    forward: pyproj.Transformer
    inverse: pyproj.Transformer

    @classmethod
    def centred_on(cls, lon: float, lat: float) -> Projection:
        crs = pyproj.CRS.from_proj4(
            f"+proj=laea +lat_0={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m +no_defs"
        )
        wgs84 = pyproj.CRS.from_epsg(4326)
        return cls(
            crs,
            pyproj.Transformer.from_crs(wgs84, crs, always_xy=True),
            pyproj.Transformer.from_crs(crs, wgs84, always_xy=True),
        )

    def project(self, geometries: np.ndarray) -> np.ndarray:
        """Project an array of lon/lat geometries to metres."""
        return shapely.transform(geometries, lambda xy: np.column_stack(
            self.forward.transform(xy[:, 0], xy[:, 1])))


def projection_for(scenario: Scenario) -> Projection:
    """The projection centred on the bounding box of the scenario's polygons and points."""
    bounds = [g.bounds for g in scenario.geometries.values()]
    lons = scenario.units["lon"].dropna()
    lats = scenario.units["lat"].dropna()
    if bounds:
        box = np.array(bounds)
        lon = (box[:, 0].min() + box[:, 2].max()) / 2
        lat = (box[:, 1].min() + box[:, 3].max()) / 2
    elif len(lons):
        lon, lat = float(lons.mean()), float(lats.mean())
    else:
        lon, lat = 0.0, 0.0
    return Projection.centred_on(float(lon), float(lat))


def build_graph(scenario: Scenario) -> nx.Graph:
    """Build the unit graph of a scenario.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    networkx.Graph
        Nodes are unit codes with the units' attributes plus ``x``, ``y`` (metres, in the
        graph's projection), ``lon``, ``lat`` and ``geometry`` (projected polygon, or None).
        Edges carry ``kind`` (``border`` or the link's kind) and ``border_m``.
        ``graph.graph`` holds ``projection``, ``islands`` (lists of codes cut off from the
        largest part, with no link) and ``linked_parts`` (parts joined only by links).
    """
    projection = projection_for(scenario)
    codes = [c for c in scenario.units.index if c in scenario.geometries]
    lonlat = np.array([scenario.geometries[c] for c in codes], dtype=object)
    projected = projection.project(lonlat) if len(codes) else np.array([], dtype=object)
    graph = nx.Graph(projection=projection, scenario=scenario.name)
    _add_nodes(graph, scenario, dict(zip(codes, projected)), projection)
    for a, b, length in shared_borders(projected, codes, scenario.tolerance_m,
                                       scenario.min_shared_border_m):
        graph.add_edge(a, b, kind=BORDER, border_m=length)
    for a, b in scenario.removed_adjacencies:
        if graph.has_edge(a, b) and graph.edges[a, b]["kind"] == BORDER:
            graph.remove_edge(a, b)
    before_links = [sorted(c) for c in nx.connected_components(graph)]
    for link in scenario.links:
        graph.add_edge(link.a, link.b, kind=link.kind, border_m=0.0, note=link.note)
    graph.graph["islands"] = _cut_off_parts(graph)
    graph.graph["linked_parts"] = [part for part in _minor_parts(before_links)
                                   if part not in graph.graph["islands"]]
    return graph


def shared_borders(polygons: np.ndarray, codes: list[str], tolerance_m: float,
                   min_shared_m: float, *, exact: bool = False) -> list[tuple[str, str, float]]:
    """Pairs of polygons whose boundaries run together, with the shared length in metres.

    The length of ``a``'s boundary inside ``b`` grown by the tolerance, averaged with the
    same measured from ``b``, estimates the shared border even where the two outlines do
    not coincide exactly.  Pairs under ``min_shared_m`` (corner contacts) are dropped.

    With ``exact``, for a clean coverage whose neighbours share their vertices (such as
    the synthetic demo's cells), the tolerance is not used: the shared border is the
    common part of the two outlines, its length unrounded in the polygons' own units.
    """
    if len(polygons) < 2:
        return []
    if exact:
        return _common_outlines(polygons, codes, min_shared_m)
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="dwithin", distance=max(tolerance_m, 1e-6))
    keep = left < right
    left, right = left[keep], right[keep]
    grown = shapely.buffer(polygons, max(tolerance_m, 1e-6), quad_segs=2)
    outlines = shapely.boundary(polygons)
    forward = shapely.length(shapely.intersection(outlines[left], grown[right]))
    backward = shapely.length(shapely.intersection(outlines[right], grown[left]))
    lengths = (forward + backward) / 2.0
    return [(codes[i], codes[j], round(float(length), 1))
            for i, j, length in zip(left, right, lengths) if length >= min_shared_m]


def _common_outlines(polygons: np.ndarray, codes: list[str],
                     min_shared_m: float) -> list[tuple[str, str, float]]:
    """The exact form of :func:`shared_borders`: lengths of the intersections of the outlines."""
    left, right = shapely.STRtree(polygons).query(polygons, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    outlines = shapely.boundary(polygons)
    lengths = shapely.length(shapely.intersection(outlines[left], outlines[right]))
    return [(codes[i], codes[j], float(length))
            for i, j, length in zip(left, right, lengths) if length >= min_shared_m]


def _add_nodes(graph: nx.Graph, scenario: Scenario, projected: dict[str, Any],
               projection: Projection) -> None:
    units = scenario.units
    for code, row in units.iterrows():
        attributes = {key: row[key] for key in units.columns}
        polygon = projected.get(code)
        if polygon is not None:
            point = polygon.centroid
            if not polygon.contains(point):
                point = polygon.representative_point()
            x, y = point.x, point.y
            lon, lat = projection.inverse.transform(x, y)
        elif not np.isnan(row["lon"]):
            lon, lat = float(row["lon"]), float(row["lat"])
            x, y = projection.forward.transform(lon, lat)
        else:
            x = y = lon = lat = float("nan")
        attributes.update(x=float(x), y=float(y), lon=float(lon), lat=float(lat), geometry=polygon)
        graph.add_node(code, **attributes)


def _minor_parts(components: list[list[str]]) -> list[list[str]]:
    """All components but the largest (ties: the one with the smallest code)."""
    if len(components) <= 1:
        return []
    ordered = sorted(components, key=lambda c: (-len(c), c[0]))
    return sorted(ordered[1:], key=lambda c: c[0])


def _cut_off_parts(graph: nx.Graph) -> list[list[str]]:
    return _minor_parts([sorted(c) for c in nx.connected_components(graph)])


def distance_km(graph: nx.Graph, a: str, b: str) -> float:
    """Straight-line distance in km between the points of two units (NaN when unknown)."""
    na, nb = graph.nodes[a], graph.nodes[b]
    return float(np.hypot(na["x"] - nb["x"], na["y"] - nb["y"]) / 1000.0)
