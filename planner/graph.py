"""The unit graph: units as nodes, shared borders and explicit links as edges.

Adjacency comes from polygons: two units are neighbours when their outlines, snapped
together within ``tolerance_m``, share a line of at least ``min_shared_border_m`` metres
(:func:`shared_borders`), which absorbs the slivers and gaps of real boundary data while
leaving out units that only touch at a point (a corner: 0 m however wide the tolerance),
unless the scenario asks for ``contiguity: queen``.  Lengths and areas are measured in a Lambert azimuthal equal-area
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
#: ``contiguity: queen``: units within the tolerance of each other are neighbours, point contacts included.
QUEEN = "queen"
#: Two outlines run together where their directions differ by less than 30 degrees (cos 30 = 0.866), and
#: apart where they differ by more than 45 degrees (cos 45 = 0.707); between the two a step counts in part.
PARALLEL_COS = 0.866
APART_COS = 0.707
#: A line near another is sampled at least this many times (every ``tolerance / 2`` at most, 1 m at least).
SAMPLES = 40
MIN_STEP_M = 1.0


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
        largest part, with no link), ``linked_parts`` (parts joined only by links) and
        ``point_contacts`` (sorted ``(a, b, border_m)`` of the units within the tolerance of
        each other that share less than ``min_shared_border_m``: borders only with
        ``contiguity: queen``).
    """
    projection = projection_for(scenario)
    codes = [c for c in scenario.units.index if c in scenario.geometries]
    lonlat = np.array([scenario.geometries[c] for c in codes], dtype=object)
    projected = projection.project(lonlat) if len(codes) else np.array([], dtype=object)
    graph = nx.Graph(projection=projection, scenario=scenario.name)
    _add_nodes(graph, scenario, dict(zip(codes, projected)), projection)
    queen = scenario.contiguity == QUEEN
    short = []
    for a, b, length in contacts(projected, codes, scenario.tolerance_m):
        if length < scenario.min_shared_border_m:
            short.append((a, b, length))
        if queen or length >= scenario.min_shared_border_m:
            graph.add_edge(a, b, kind=BORDER, border_m=length)
    graph.graph["point_contacts"] = sorted(short)
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
                   min_shared_m: float, *, exact: bool = False,
                   queen: bool = False) -> list[tuple[str, str, float]]:
    """Pairs of polygons that share a border, with the shared length in metres.

    The outlines are snapped together within ``tolerance_m``: the shared border of ``a`` and
    ``b`` is the part of ``a``'s outline within the tolerance of ``b``, measured as it lies
    along ``b``'s outline where the two run in the same direction (within 30 degrees), and the
    same from ``b``; the smaller is kept.  Near a point contact every point of ``a``'s outline
    has the contact point as its nearest point of ``b``, so a corner measures 0 m however wide
    the tolerance, and the sides of a tip touching a straight outline leave it at an angle;
    a border measures its length, slivers and gaps between the two outlines absorbed.  Pairs
    under ``min_shared_m`` are dropped, unless ``queen`` (point contacts count): then every
    pair within the tolerance is a border.

    With ``exact``, for a clean coverage whose neighbours share their vertices (such as
    the synthetic demo's cells), the tolerance is not used: the shared border is the
    common part of the two outlines, its length unrounded in the polygons' own units.

    Parameters
    ----------
    polygons : numpy.ndarray
        Shapely polygons in metres (a projected CRS).
    codes : list
        The code of each polygon.
    tolerance_m : float
        Outlines closer than this are snapped together.
    min_shared_m : float
        The shortest shared border that makes two units neighbours.
    exact, queen : bool
        See above.

    Returns
    -------
    list of tuple
        ``(code_a, code_b, length)`` with ``a`` before ``b`` in ``codes``, length rounded to 0.1 m
        (unrounded with ``exact``).
    """
    if len(polygons) < 2:
        return []
    if exact:
        return _common_outlines(polygons, codes, min_shared_m)
    return [(a, b, length) for a, b, length in contacts(polygons, codes, tolerance_m)
            if queen or length >= min_shared_m]


def contacts(polygons: np.ndarray, codes: list[str], tolerance_m: float) -> list[tuple[str, str, float]]:
    """Every pair of polygons within ``tolerance_m`` of each other, with its shared border.

    The shared border is measured as :func:`shared_borders` says (0 m for a point contact).

    Parameters
    ----------
    polygons : numpy.ndarray
        Shapely polygons in metres.
    codes : list
        The code of each polygon.
    tolerance_m : float
        The snapping tolerance.

    Returns
    -------
    list of tuple
        ``(code_a, code_b, length)``, length in metres rounded to 0.1 m.
    """
    if len(polygons) < 2:
        return []
    reach = max(tolerance_m, 1e-6)
    left, right = shapely.STRtree(polygons).query(polygons, predicate="dwithin", distance=reach)
    keep = left < right
    left, right = left[keep], right[keep]
    grown = shapely.buffer(polygons, reach, quad_segs=2)
    outlines = shapely.boundary(polygons)
    near_left = shapely.intersection(outlines[left], grown[right])  # a's outline near b
    near_right = shapely.intersection(outlines[right], grown[left])
    step = max(tolerance_m, 10.0) / 2.0
    lengths = np.minimum(_length_along(near_left, near_right, step), _length_along(near_right, near_left, step))
    return [(codes[i], codes[j], round(float(length), 1)) for i, j, length in zip(left, right, lengths)]


def _length_along(lines: np.ndarray, targets: np.ndarray, step: float) -> np.ndarray:
    """For each k, the length of ``lines[k]`` as its points project onto ``targets[k]``.

    The lines are sampled every ``step`` metres (short lines more finely); each pair of consecutive samples adds the
    distance between their nearest points on the target (at most the distance between the
    samples themselves) when the two run in the same direction (the nearest points at least
    :data:`PARALLEL_COS` times as far apart as the samples), so a line whose points all
    project onto one point, or that leaves the target at an angle, measures 0.
    """
    fine = np.clip(np.nan_to_num(shapely.length(lines)) / SAMPLES, MIN_STEP_M, step)
    parts, part_of = _line_parts(shapely.segmentize(lines, fine))
    lengths = np.zeros(len(lines))
    if not len(parts):
        return lengths
    coords, point_part = shapely.get_coordinates(parts, return_index=True)
    pair = part_of[point_part]
    nearest = shapely.get_point(shapely.shortest_line(shapely.points(coords), targets[pair]), 1)
    projected = np.column_stack([shapely.get_x(nearest), shapely.get_y(nearest)])  # NaN: an empty target
    same = point_part[1:] == point_part[:-1]
    along = np.hypot(*(coords[1:] - coords[:-1]).T)
    across = np.hypot(*(projected[1:] - projected[:-1]).T)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.clip((across / along - APART_COS) / (PARALLEL_COS - APART_COS), 0.0, 1.0)
    steps = np.nan_to_num(np.where(same, weight * np.minimum(along, across), 0.0))
    return np.bincount(pair[1:], weights=steps, minlength=len(lines))


def _line_parts(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The line strings of each geometry (intersections give lines, points and collections), with their index."""
    parts, index = shapely.get_parts(geometries, return_index=True)
    while len(parts):
        types = shapely.get_type_id(parts)
        multi = np.isin(types, (5, 7))  # MultiLineString, GeometryCollection
        if not multi.any():
            break
        inner, inner_index = shapely.get_parts(parts[multi], return_index=True)
        parts = np.concatenate([parts[~multi], inner])
        index = np.concatenate([index[~multi], index[multi][inner_index]])
    lines = shapely.get_type_id(parts) == 1
    parts, index = parts[lines], index[lines]
    order = np.argsort(index, kind="stable")
    return parts[order], index[order]


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
    # Dissolved units stand at the population-weighted point of their parts (planner.inputs.dissolve).
    weighted = scenario.parts is not None
    for code, row in units.iterrows():
        attributes = {key: row[key] for key in units.columns}
        polygon = projected.get(code)
        if polygon is not None and not (weighted and not np.isnan(row["lon"])):
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
