"""The cells of the synthetic province: Voronoi cells of a variable-density point set clipped to
the outline of the :class:`~planner.demo.landscape.Landscape`, relaxed, their edges bent, plus one
small island offshore; then projected to lon/lat and joined by their shared borders.

Cells are built in km in a local Lambert azimuthal equal-area projection centred on
(:data:`LON0`, :data:`LAT0`); areas are measured in metres in the same projection.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiPoint, Polygon

from planner.demo.landscape import Landscape
from planner.graph import shared_borders

__all__ = ["DECIMALS", "LAT0", "LON0", "Geometry", "adjacency_pairs", "draw_geometry"]

#: Centre of the local Lambert azimuthal equal-area projection used to build the province (and to
#: measure areas): the province is generated in kilometres around this point.
LON0, LAT0 = 105.75, 19.95
_LAEA = f"+proj=laea +lat_0={LAT0} +lon_0={LON0} +datum=WGS84 +units=m +no_defs"
DECIMALS = 5  # lon/lat decimals of the polygons (about 1 m)
#: Shortest border that makes two cells neighbours (in degrees, the unit of the lon/lat polygons):
#: cells that meet at a corner only share a length of 0; real borders are at least 1e-5 (the grid).
_MIN_SHARED = 1e-9


@dataclass
class Geometry:
    """The cells of a province in generation order, the island last.

    Attributes
    ----------
    land : Landscape
        The landscape the cells were drawn in.
    polygons : list of shapely.Polygon
        Cells in lon/lat, rounded to :data:`DECIMALS` decimals, counter-clockwise.
    areas : numpy.ndarray
        Area of each cell in km2 (equal-area projection), rounded to 3 decimals.
    centroids : numpy.ndarray
        Centroid of each cell in km, shape ``(n, 2)``.
    graph : networkx.Graph
        Nodes ``0 .. n-1``; an edge per shared border, with its ``length`` in degrees.
    island : int
        Index of the island cell (the last).
    coast : int
        Index of the mainland cell nearest to the island.
    ferry_km : float
        Distance from the island to that cell.
    """

    land: Landscape
    polygons: list[Polygon]
    areas: np.ndarray
    centroids: np.ndarray
    graph: nx.Graph
    island: int
    coast: int
    ferry_km: float


def draw_geometry(rng: np.random.Generator, n_units: int) -> Geometry:
    """Draw the landscape and the cells of a province of ``n_units`` units.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of every random number (drawn in a fixed order).
    n_units : int
        Number of cells, island included.

    Returns
    -------
    Geometry
        The cells, their areas, centroids and border graph.

    Notes
    -----
    About ``n_units / 25`` districts are planned, a third of them mountainous, and one town per
    150 units; the landscape is shaped for them.
    """
    n_main = n_units - 1
    n_districts = max(4, round(n_units / 25))
    n_mountain_d = max(1, round(n_districts / 3))
    n_towns = max(1, round(n_units / 150))
    land = Landscape(rng, n_main, n_districts, n_mountain_d, n_towns)
    pts = _sample_points(rng, n_main, land)
    cells = _relax(pts, land, iterations=3)
    cells = _wiggle(rng, cells, land)
    geoms_km = [*cells, _island(rng, land)]
    polys = _to_lonlat(geoms_km, Transformer.from_crs(_LAEA, "EPSG:4326", always_xy=True))
    poly_m = _project(polys, Transformer.from_crs("EPSG:4326", _LAEA, always_xy=True))
    areas = np.round(shapely.area(poly_m) / 1e6, 3)
    centroids = shapely.get_coordinates(shapely.centroid(np.asarray(geoms_km, dtype=object)))
    graph = nx.Graph()
    graph.add_nodes_from(range(n_units))
    for (i, j), length in adjacency_pairs(polys, with_length=True).items():
        graph.add_edge(i, j, length=length)
    dists = shapely.distance(poly_m[:n_main], poly_m[n_main])
    coast = int(np.argmin(dists))
    return Geometry(
        land, polys, areas, centroids, graph, n_main, coast, float(dists[coast]) / 1000.0
    )


def adjacency_pairs(
    polygons: Sequence[Any], *, with_length: bool = False
) -> list[tuple[int, int]] | dict[tuple[int, int], float]:
    """Find the pairs of polygons that share a border (a line, not a single point).

    The pairs are :func:`planner.graph.shared_borders` in its ``exact`` form: the cells of the
    province share their vertices, so no tolerance is needed.

    Parameters
    ----------
    polygons : sequence of shapely geometries
        Polygons in any coordinate system.
    with_length : bool, default False
        Return a mapping to the length of the shared border instead of a list.

    Returns
    -------
    list of tuple of int or dict
        Sorted index pairs ``(i, j)`` with ``i < j``; with ``with_length`` a dict from those pairs
        to the shared length in the polygons' units.
    """
    geoms = np.asarray(polygons, dtype=object)
    borders = shared_borders(geoms, list(range(len(geoms))), 0.0, _MIN_SHARED, exact=True)
    out = dict(sorted(((i, j), length) for i, j, length in borders))
    return out if with_length else list(out)


def _sample_points(rng: np.random.Generator, n: int, land: Landscape) -> np.ndarray:
    """Blue-noise points with density proportional to 1 / target area, exactly ``n`` of them."""
    minx, miny, maxx, maxy = land.outline.bounds
    gx, gy = np.meshgrid(np.linspace(minx, maxx, 120), np.linspace(miny, maxy, 120))
    a_min = float(land.target_area(gx.ravel(), gy.ravel()).min())
    pts = np.empty((n, 2))
    rad = np.empty(n)
    m = 0
    factor = 0.75
    fails = 0
    while m < n:
        cand = np.column_stack([rng.uniform(minx, maxx, 512), rng.uniform(miny, maxy, 512)])
        cand = cand[shapely.contains_xy(land.outline, cand[:, 0], cand[:, 1])]
        a = land.target_area(cand[:, 0], cand[:, 1])
        keep = rng.random(len(cand)) < a_min / a
        cand, a = cand[keep], a[keep]
        for (cx, cy), ac in zip(cand, a, strict=True):
            rc = math.sqrt(ac)
            if m:
                d2 = (pts[:m, 0] - cx) ** 2 + (pts[:m, 1] - cy) ** 2
                if np.any(d2 < (factor * 0.5 * (rc + rad[:m])) ** 2):
                    fails += 1
                    if fails > 300:
                        factor *= 0.97
                        fails = 0
                    continue
            pts[m] = cx, cy
            rad[m] = rc
            m += 1
            fails = 0
            if m == n:
                break
    return pts


def _voronoi_cells(pts: np.ndarray, outline: Polygon) -> list[Polygon]:
    """Voronoi cells of ``pts`` clipped to ``outline``, each a single polygon (input order)."""
    env = shapely.buffer(shapely.envelope(outline), outline.length)
    vor = shapely.voronoi_polygons(MultiPoint(pts), extend_to=env, ordered=True)
    raw = shapely.get_parts(vor)
    clipped = shapely.intersection(raw, outline)
    # Snap to a 1 mm grid so that vertices shared by neighbours are bit-identical.
    clipped = shapely.transform(clipped, lambda c: np.round(c, 6))
    cells: list[Polygon] = []
    orphans: list[Polygon] = []
    for g, p in zip(clipped, pts, strict=True):
        parts = [q for q in shapely.get_parts(g) if q.geom_type == "Polygon" and q.area > 0]
        parts.sort(key=lambda q: (-q.area, q.bounds))
        own = next((q for q in parts if q.contains(shapely.Point(p))), parts[0])
        cells.append(own)
        orphans.extend(q for q in parts if q is not own)
    for piece in orphans:
        lengths = shapely.length(
            shapely.intersection(shapely.boundary(piece), shapely.boundary(cells))
        )
        k = int(np.argmax(lengths))
        merged = shapely.union(cells[k], piece)
        if merged.geom_type != "Polygon":
            merged = max(shapely.get_parts(merged), key=lambda q: q.area)
        cells[k] = merged
    return cells


def _relax(pts: np.ndarray, land: Landscape, iterations: int) -> list[Polygon]:
    """Density-weighted Lloyd steps (regular shapes, sizes kept), then the final clipped cells.

    Each cell is fanned into triangles from its seed; the weighted centroid uses the weight
    ``target_area ** -2`` at the triangle centroids, so that point density follows ``1 / area``.
    """
    for _ in range(iterations):
        cells = _voronoi_cells(pts, land.outline)
        rings = shapely.get_exterior_ring(np.asarray(cells, dtype=object))
        xy, idx = shapely.get_coordinates(rings, return_index=True)
        same = idx[:-1] == idx[1:]
        v0, v1, cell = xy[:-1][same], xy[1:][same], idx[:-1][same]
        p = pts[cell]
        area = 0.5 * (
            (v0[:, 0] - p[:, 0]) * (v1[:, 1] - p[:, 1])
            - (v1[:, 0] - p[:, 0]) * (v0[:, 1] - p[:, 1])
        )
        g = (p + v0 + v1) / 3.0
        w = area / land.target_area(g[:, 0], g[:, 1]) ** 2
        wsum = np.bincount(cell, weights=w, minlength=len(pts))
        cx = np.bincount(cell, weights=w * g[:, 0], minlength=len(pts)) / wsum
        cy = np.bincount(cell, weights=w * g[:, 1], minlength=len(pts)) / wsum
        pts = np.column_stack([cx, cy])
    return _voronoi_cells(pts, land.outline)


def _segmentize(ring: np.ndarray, land: Landscape) -> np.ndarray:
    """Densify a closed ring; each edge is split the same way whichever cell it belongs to."""
    p, q = ring[:-1], ring[1:]
    length = np.hypot(q[:, 0] - p[:, 0], q[:, 1] - p[:, 1])
    mid = 0.5 * (p + q)
    step = np.clip(0.15 * np.sqrt(land.target_area(mid[:, 0], mid[:, 1])), 0.3, 2.0)
    counts = np.maximum(1, np.ceil(length / step).astype(int))
    out = [ring[:1]]
    for k in range(len(p)):
        n = int(counts[k])
        if n > 1:
            a, b = p[k], q[k]
            flip = (a[0], a[1]) > (b[0], b[1])
            if flip:
                a, b = b, a
            inner = a + (np.arange(1, n)[:, None] / n) * (b - a)
            out.append(inner[::-1] if flip else inner)
        out.append(q[k][None, :])
    return np.vstack(out)


def _wiggle(rng: np.random.Generator, cells: list[Polygon], land: Landscape) -> list[Polygon]:
    """Bend the straight Voronoi edges with a smooth displacement field (shared edges stay shared).

    The field is continuous, so neighbours move their common vertices alike; should bending ever
    make two cells overlap, the amplitude is halved and the cells bent again.
    """
    wavelengths = np.array([2.5, 4.0, 6.0, 9.0, 14.0, 21.0, 32.0])
    n = len(wavelengths)
    ang = rng.uniform(0, 2 * math.pi, size=(2, n))
    kvec = (
        np.stack([np.cos(ang), np.sin(ang)], axis=-1) * (2 * math.pi / wavelengths)[None, :, None]
    )
    phase = rng.uniform(0, 2 * math.pi, size=(2, n))
    dense = [
        [_segmentize(np.asarray(c.exterior.coords), land)]
        + [_segmentize(np.asarray(r.coords), land) for r in c.interiors]
        for c in cells
    ]

    def displace(xy: np.ndarray, gain: float) -> np.ndarray:
        a = land.target_area(xy[:, 0], xy[:, 1])
        amp = gain * np.minimum(0.06 * np.sqrt(a)[:, None], 0.025 * wavelengths[None, :])
        out = xy.copy()
        for axis in range(2):
            arg = xy @ kvec[axis].T + phase[axis]
            out[:, axis] += (amp * np.sin(arg)).sum(axis=1)
        return out

    gain = 1.0
    for _ in range(4):
        result = [
            Polygon(displace(rings[0], gain), [displace(r, gain) for r in rings[1:]])
            for rings in dense
        ]
        if _is_clean_coverage(result):
            return result
        gain *= 0.5
    return cells


def _is_clean_coverage(polys: list[Polygon]) -> bool:
    """True if all polygons are valid and no two overlap (km2 tolerance 1e-6)."""
    geoms = np.asarray(polys, dtype=object)
    if not shapely.is_valid(geoms).all():
        return False
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]]))
    return bool((overlap < 1e-6).all())


def _island(rng: np.random.Generator, land: Landscape) -> Polygon:
    """A small blob a few km off the east coast (km coordinates)."""
    y0 = rng.uniform(-0.35, 0.35) * land.R
    line = LineString([(-10 * land.R, y0), (10 * land.R, y0)])
    x_coast = shapely.bounds(shapely.intersection(line, land.outline))[2]
    radius = rng.uniform(1.8, 2.4)
    gap = rng.uniform(5.0, 9.0)
    theta = np.linspace(0, 2 * math.pi, 20, endpoint=False)
    r = radius * (1 + 0.18 * np.cos(2 * theta + rng.uniform(0, 6.3)))
    r *= 1 + 0.08 * np.cos(3 * theta + rng.uniform(0, 6.3))
    blob = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    cx = x_coast + gap + radius
    island = Polygon(blob + [cx, y0])
    while shapely.distance(island, land.outline) < 4.0:
        cx += 1.0
        island = Polygon(blob + [cx, y0])
    return shapely.transform(island, lambda c: np.round(c, 6))


def _project(polys: Sequence[Polygon], transformer: Transformer) -> np.ndarray:
    """Apply ``transformer`` to every vertex of ``polys`` (an array of geometries)."""

    def fn(c: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(np.asarray(polys, dtype=object), fn)


def _to_lonlat(geoms_km: Sequence[Polygon], to_ll: Transformer) -> list[Polygon]:
    """Project km polygons to lon/lat, round to 5 decimals, orient counter-clockwise."""

    def fn(c: np.ndarray) -> np.ndarray:
        lon, lat = to_ll.transform(c[:, 0] * 1000.0, c[:, 1] * 1000.0)
        return np.round(np.column_stack([lon, lat]), DECIMALS)

    geoms = shapely.transform(np.asarray(geoms_km, dtype=object), fn)
    geoms = shapely.remove_repeated_points(geoms, 0.0)
    geoms = shapely.orient_polygons(geoms)
    out = []
    for g in geoms:
        if not g.is_valid:  # never seen; kept so that a rare rounding accident cannot crash
            fixed = shapely.make_valid(g)
            g = max(
                (q for q in shapely.get_parts(fixed) if q.geom_type == "Polygon"),
                key=lambda q: q.area,
            )
            g = shapely.orient_polygons(g)
        out.append(g)
    return out
