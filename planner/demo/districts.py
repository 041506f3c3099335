"""Terrain zones and districts of the synthetic province.

Each mainland cell is mountainous or not by the landscape's terrain line, with both zones made
connected; districts are grown from seeds inside each zone (a third of them in the mountains), the
capital and the towns around the landscape's urban centres. The island joins the district of the
nearest coastal cell. Nothing here is random: the result follows from the cells.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import networkx as nx
import numpy as np

from planner.demo.cells import Geometry
from planner.demo.landscape import Landscape

__all__ = ["CAPITAL", "TOWN", "Districts", "draw_districts"]

CAPITAL = "capital"
TOWN = "town"


@dataclass
class Districts:
    """The districts of a province, by cell index (generation order).

    Attributes
    ----------
    of_cell : numpy.ndarray
        District of each cell, island included.
    mountain : numpy.ndarray of bool
        Whether each cell is mountainous (the island is not).
    seeds : dict of int to int
        The seed cell of each district.
    urban : dict of int to str
        :data:`CAPITAL` (district 0) or :data:`TOWN` for the urban districts.
    rural : list of int
        The other districts, north to south.
    order : list of int
        Every district in code order: capital, towns, rural.
    codes : dict of int to str
        District codes (``"901"`` ...).
    all_mountain : dict of int to bool
        Whether all cells of a district are mountainous.
    """

    of_cell: np.ndarray
    mountain: np.ndarray
    seeds: dict[int, int]
    urban: dict[int, str]
    rural: list[int]
    order: list[int]
    codes: dict[int, str]
    all_mountain: dict[int, bool]


def draw_districts(geometry: Geometry) -> Districts:
    """Split the province into terrain zones and contiguous districts.

    Parameters
    ----------
    geometry : Geometry
        The cells of the province.

    Returns
    -------
    Districts
        Terrain, district of each cell and the districts' order and codes.
    """
    g, land, n_main = geometry.graph, geometry.land, geometry.island
    centroids = geometry.centroids
    mountain = _terrain(g, centroids, land, n_main)
    district, seeds = _districts(g, centroids, mountain, land, n_main)
    district = np.append(district, district[geometry.coast])
    mountain = np.append(mountain, False)

    # Order: capital, towns, then rural districts north to south.
    n_d = int(district.max()) + 1
    dcent = np.array([centroids[:n_main][district[:n_main] == d].mean(axis=0) for d in range(n_d)])
    urban = {0: CAPITAL, **{1 + k: TOWN for k in range(land.n_towns)}}
    rural = sorted(
        (d for d in range(n_d) if d not in urban),
        key=lambda d: (-round(dcent[d, 1] / 15.0), dcent[d, 0]),
    )
    order = [*sorted(urban), *rural]
    base = 900 if n_d <= 99 else 100
    codes = {d: f"{base + pos + 1:03d}" for pos, d in enumerate(order)}
    all_mountain = {d: bool(mountain[:n_main][district[:n_main] == d].all()) for d in range(n_d)}
    return Districts(district, mountain, seeds, urban, rural, order, codes, all_mountain)


def _terrain(graph: nx.Graph, centroids: np.ndarray, land: Landscape, n_main: int) -> np.ndarray:
    """Mountainous flag per mainland cell, with both zones made connected."""
    mountain = land.is_mountain(centroids[:n_main, 0], centroids[:n_main, 1]).astype(bool)
    main = graph.subgraph(range(n_main))
    for _ in range(6):
        changed = False
        for flag in (True, False):
            zone = [i for i in range(n_main) if mountain[i] == flag]
            comps = sorted(
                nx.connected_components(main.subgraph(zone)), key=lambda c: (-len(c), min(c))
            )
            for comp in comps[1:]:
                for i in comp:
                    mountain[i] = not flag
                changed = True
        if not changed:
            break
    return mountain


def _districts(
    graph: nx.Graph,
    centroids: np.ndarray,
    mountain: np.ndarray,
    land: Landscape,
    n_main: int,
) -> tuple[np.ndarray, dict[int, int]]:
    """Contiguous districts grown from seeds, a third of them in the mountain zone.

    District 0 is the capital, 1..n_towns the towns; the rest are rural.
    """
    district = np.full(n_main, -1, dtype=np.int64)
    seeds: dict[int, int] = {}
    n_low = land.n_districts - land.n_mountain_d
    cen = centroids[:n_main]
    next_id = 0
    for flag, k in ((False, n_low), (True, land.n_mountain_d)):
        zone = np.flatnonzero(mountain == flag)
        fixed: list[int] = []
        if not flag:
            for cx, cy, _, _ in land.centres:
                dist = np.hypot(cen[zone, 0] - cx, cen[zone, 1] - cy)
                for j in np.argsort(dist, kind="stable"):
                    if int(zone[j]) not in fixed:
                        fixed.append(int(zone[j]))
                        break
        k = min(k, len(zone))
        zone_seeds = _kmeans_seeds(cen, zone, k, fixed)
        ids = list(range(next_id, next_id + len(zone_seeds)))
        for d, s in zip(ids, zone_seeds, strict=True):
            seeds[d] = s
        _grow(graph, cen, zone, dict(zip(ids, zone_seeds, strict=True)), district)
        next_id += len(zone_seeds)
    return district, seeds


def _kmeans_seeds(cen: np.ndarray, zone: np.ndarray, k: int, fixed: list[int]) -> list[int]:
    """Seed cells of ``k`` districts: ``fixed`` first, others by farthest point, then k-means."""
    pts = cen[zone]
    chosen = list(fixed)
    if not chosen:
        c = pts.mean(axis=0)
        chosen.append(int(zone[np.argmax(np.hypot(*(pts - c).T))]))
    while len(chosen) < k:
        d = np.min(
            np.hypot(
                pts[:, None, 0] - cen[chosen][None, :, 0], pts[:, None, 1] - cen[chosen][None, :, 1]
            ),
            axis=1,
        )
        chosen.append(int(zone[np.argmax(d)]))
    means = cen[chosen].astype(float)
    n_fixed = len(fixed)
    for _ in range(15):
        lab = np.argmin(
            np.hypot(pts[:, None, 0] - means[None, :, 0], pts[:, None, 1] - means[None, :, 1]),
            axis=1,
        )
        for j in range(n_fixed, k):
            if np.any(lab == j):
                means[j] = pts[lab == j].mean(axis=0)
    out = list(fixed)
    for j in range(n_fixed, k):
        order = np.argsort(np.hypot(*(pts - means[j]).T), kind="stable")
        out.append(next(int(zone[o]) for o in order if int(zone[o]) not in out))
    return out


def _grow(
    graph: nx.Graph,
    cen: np.ndarray,
    zone: np.ndarray,
    seeds: dict[int, int],
    district: np.ndarray,
) -> None:
    """Balanced multi-source region growing inside ``zone``; writes into ``district``."""
    in_zone = set(int(i) for i in zone)
    size = {}
    heaps: dict[int, list[tuple[float, int]]] = {}
    for d, s in seeds.items():
        district[s] = d
        size[d] = 1
        heaps[d] = []
    for d, s in seeds.items():
        _push_frontier(graph, cen, s, seeds[d], in_zone, district, heaps[d])
    remaining = len(in_zone) - len(seeds)
    while remaining:
        progressed = False
        for d in sorted(size, key=lambda e: (size[e], e)):
            heap = heaps[d]
            while heap and district[heap[0][1]] != -1:
                heapq.heappop(heap)
            if not heap:
                continue
            _, cell = heapq.heappop(heap)
            district[cell] = d
            size[d] += 1
            remaining -= 1
            _push_frontier(graph, cen, cell, seeds[d], in_zone, district, heap)
            progressed = True
            break
        if not progressed:  # zone not connected (cannot happen after _terrain): attach leftovers
            for i in sorted(in_zone):
                if district[i] == -1:
                    near = min(seeds, key=lambda e: (np.hypot(*(cen[i] - cen[seeds[e]])), e))
                    district[i] = near
                    remaining -= 1


def _push_frontier(
    graph: nx.Graph,
    cen: np.ndarray,
    cell: int,
    seed: int,
    in_zone: set[int],
    district: np.ndarray,
    heap: list[tuple[float, int]],
) -> None:
    """Push the free neighbours of ``cell`` in the zone, keyed by their distance to the seed."""
    for v in sorted(graph.neighbors(cell)):
        if v in in_zone and district[v] == -1:
            heapq.heappush(heap, (float(np.hypot(*(cen[v] - cen[seed]))), int(v)))
