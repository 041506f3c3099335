"""Deterministic generator of a synthetic, Vietnamese-like province.

The province is fictional: an irregular blob of land placed around lon 105.0-106.5, lat
19.3-20.6, mountainous in the west and lowland towards an eastern coast, with one small island
commune offshore.
Communes are Voronoi cells of a variable-density point set clipped to the province outline, so that
mountain communes are large (about 40-150 km2), lowland communes medium (8-30 km2) and the wards of
the provincial capital and of the towns small (1-8 km2). Every number comes from a
:class:`numpy.random.Generator` seeded by the caller: the same ``(n_units, seed)`` gives the same
province, and :func:`write_scenario` writes the same bytes.

The generator is used for the bundled demo scenario (``scenarios/demo``, 300 units, seed 7) and by
the scaling benchmarks (200 to 2,000 units).

Run ``python -m planner.demo.synthetic OUT_FOLDER --units 300 --seed 7`` to write a scenario folder.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import LineString, MultiPoint, Polygon

__all__ = [
    "BASELINE_COLUMNS",
    "LINK_COLUMNS",
    "UNIT_COLUMNS",
    "SyntheticProvince",
    "adjacency_pairs",
    "main",
    "make_province",
    "write_scenario",
]

UNIT_COLUMNS = [
    "code",
    "name",
    "type",
    "district_code",
    "district_name",
    "province_code",
    "province_name",
    "population",
    "area_km2",
    "terrain",
    "staff",
]
BASELINE_COLUMNS = ["unit", "new_unit", "new_name", "new_kind"]
LINK_COLUMNS = ["a", "b", "kind", "note"]

COMMUNE = "Xã"
WARD = "Phường"
TOWNSHIP = "Thị trấn"
MOUNTAINOUS = "mountainous"
OTHER = "other"
#: Terrain written for the island commune (the brief asks for two values only; the vn-2026 preset
#: also knows "island").
ISLAND_TERRAIN = OTHER

#: Centre of the local Lambert azimuthal equal-area projection used to build the province (and to
#: measure areas): the province is generated in kilometres around this point.
LON0, LAT0 = 105.75, 19.95
_LAEA = f"+proj=laea +lat_0={LAT0} +lon_0={LON0} +datum=WGS84 +units=m +no_defs"
_FIRST_UNIT_CODE = 90001
_DECIMALS = 5  # lon/lat decimals of the polygons (about 1 m)

# Mean target cell area (km2) by zone, and the core cell area of urban centres.
_MOUNTAIN_AREA = 78.0
_LOWLAND_AREA = 19.5
_CAPITAL_CORE = 1.8
_TOWN_CORE = 2.2
_WARD_SHARE_CAPITAL = 0.6
_WARD_SHARE_TOWN = 0.4
_MAX_WARD_AREA = 8.0
_MIN_COMMUNE_AREA = 6.0  # smaller cells of an urban district are wards

# Syllables of invented place names (the combinations are fictional; a match with a real place is
# chance).
_LOWLAND_FIRST = (
    "An", "Bình", "Cẩm", "Đông", "Hòa", "Hợp", "Hưng", "Kim", "Lạc", "Long", "Minh", "Nam", "Nghĩa",
    "Ngọc", "Phú", "Phúc", "Quang", "Quảng", "Tân", "Thạch", "Thanh", "Thiệu", "Thọ", "Thuận",
    "Tiến", "Trung", "Vĩnh", "Xuân", "Yên", "Định", "Hải", "Hoằng", "Nga", "Triệu", "Vạn", "Đồng",
    "Hà", "Lộc", "Mỹ", "Phong", "Tây", "Bắc", "Cao", "Đức", "Hiệp", "Khánh", "Lâm", "Lương", "Mai",
    "Nhân", "Phước", "Quý", "Tường", "Văn", "Vinh", "Hồng", "Thái", "Hoàng", "Liên", "Tam",
    "Thiện", "Gia", "Hạnh", "Thắng", "Diên",
)  # fmt: skip
_LOWLAND_SECOND = (
    "Bình", "Sơn", "Phú", "Lập", "Hòa", "Thịnh", "Lộc", "Hưng", "Thành", "Phong", "Lợi", "Tiến",
    "Hải", "Giang", "Trung", "Long", "An", "Khê", "Lâm", "Hà", "Thủy", "Đông", "Tây", "Nam", "Bắc",
    "Xuyên", "Hội", "Châu", "Điền", "Ninh", "Quang", "Mỹ", "Phúc", "Thọ", "Khang", "Tường", "Vinh",
    "Hiệp", "Định", "Đức", "Nghĩa", "Thuận", "Yên", "Lương", "Tâm", "Tân", "Minh", "Hồng", "Quý",
    "Trạch", "Cường", "Thắng", "Kỳ", "Lạc", "Trinh", "Hợp",
)  # fmt: skip
_MOUNTAIN_FIRST = (
    "Mường", "Na", "Pù", "Nậm", "Tam", "Trung", "Xuân", "Lũng", "Sa", "Ban", "Bản", "Tén", "Phà",
    "Khe", "Yên", "Lâm", "Thành", "Cổ", "Điền", "Tân", "Hiền", "Quang", "Phú", "Sơn", "Bát", "Kỳ",
    "Cẩm", "Lương", "Thiết", "Giao",
)  # fmt: skip
_MOUNTAIN_SECOND = (
    "Lý", "Chanh", "Mèo", "Nhi", "Khến", "Chừa", "Xá", "Pầng", "Lạn", "Tằn", "Kiệt", "Thàng",
    "Hiêu", "Ống", "Lát", "Ly", "Puồng", "Chiểu", "Xuân", "Thượng", "Hạ", "Sơn", "Lâm", "Quang",
    "Thành", "Phú", "Khê", "Lung", "Mòn", "Cát",
)  # fmt: skip
_ISLAND_NAMES = ("Hòn Sen", "Hòn Lan", "Hòn Yến", "Hòn Cò", "Hòn Vàng")
_CAPITAL_NAME = "Thành phố Demo"


@dataclass
class SyntheticProvince:
    """A generated province.

    Attributes
    ----------
    units : pandas.DataFrame
        One row per commune-level unit with the columns of :data:`UNIT_COLUMNS`, sorted by ``code``
        (which sorts by district).
    polygons : list of shapely.Polygon
        Boundary of each unit in lon/lat (WGS84), aligned with the rows of ``units``. Coordinates
        are rounded to 5 decimals, exterior rings counter-clockwise; ``area_km2`` is the area of
        these polygons in an equal-area projection.
    baseline : pandas.DataFrame
        A hand-drawn-looking merger plan, columns :data:`BASELINE_COLUMNS`, one row per unit, sorted
        by ``unit``.
    links : pandas.DataFrame
        Non-border connections (the island ferry), columns :data:`LINK_COLUMNS`.
    seed : int
        The seed the province was generated with.
    """

    units: pd.DataFrame
    polygons: list[Polygon]
    baseline: pd.DataFrame
    links: pd.DataFrame
    seed: int = 7

    def adjacency(self) -> list[tuple[str, str]]:
        """Return the pairs of unit codes whose polygons share a border.

        Returns
        -------
        list of tuple of str
            Sorted pairs ``(a, b)`` with ``a < b``.
        """
        codes = self.units["code"].tolist()
        return sorted(
            tuple(sorted((codes[i], codes[j]))) for i, j in adjacency_pairs(self.polygons)
        )

    def write(self, folder: str | Path) -> None:
        """Write ``units.csv``, ``boundaries.geojson``, ``links.csv`` and ``baseline.csv``.

        Parameters
        ----------
        folder : str or pathlib.Path
            Destination folder, created if missing. Existing files of the same names are replaced.
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        units = self.units
        rows = []
        for rec in units.itertuples(index=False):
            row = rec._asdict()
            row["population"] = str(int(row["population"]))
            row["staff"] = str(int(row["staff"]))
            row["area_km2"] = f"{float(row['area_km2']):.3f}"
            rows.append([str(row[c]) for c in UNIT_COLUMNS])
        _write_csv(out / "units.csv", UNIT_COLUMNS, rows)
        _write_csv(
            out / "baseline.csv",
            BASELINE_COLUMNS,
            [[str(v) for v in r] for r in self.baseline[BASELINE_COLUMNS].itertuples(index=False)],
        )
        _write_csv(
            out / "links.csv",
            LINK_COLUMNS,
            [[str(v) for v in r] for r in self.links[LINK_COLUMNS].itertuples(index=False)],
        )
        lines = [
            _feature_json(code, poly)
            for code, poly in zip(units["code"].tolist(), self.polygons, strict=True)
        ]
        text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
        with open(out / "boundaries.geojson", "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


def make_province(
    n_units: int,
    seed: int = 7,
    *,
    province_code: str = "99",
    province_name: str = "Tỉnh Demo",
) -> SyntheticProvince:
    """Generate a synthetic province of ``n_units`` commune-level units.

    Parameters
    ----------
    n_units : int
        Number of units, island included (40 to 9,000).
    seed : int, default 7
        Seed of the random generator; the result is a pure function of ``(n_units, seed)`` and the
        province code and name.
    province_code : str, default "99"
        Value of the ``province_code`` column.
    province_name : str, default "Tỉnh Demo"
        Value of the ``province_name`` column.

    Returns
    -------
    SyntheticProvince
        Units, polygons, the baseline plan and the ferry link of the island.

    Raises
    ------
    ValueError
        If ``n_units`` is outside the supported range.

    Notes
    -----
    About ``n_units / 25`` districts are drawn, a third of them mountainous (the west of the
    province). The capital district ("Thành phố Demo") and the towns ("Thị xã ...", about one per
    150 units: two for 300 units) hold the wards; each other district has one township
    ("Thị trấn ...", its seat). Exactly two pairs of
    adjacent communes in neighbouring districts share the same name. One island commune lies a few
    kilometres off the east coast, joined to the nearest coastal commune by a ferry link.
    """
    if not 40 <= n_units <= 9000:
        raise ValueError(f"n_units must be between 40 and 9000, got {n_units}")
    rng = np.random.default_rng(seed)
    n_main = n_units - 1
    n_districts = max(4, round(n_units / 25))
    n_mountain_d = max(1, round(n_districts / 3))
    n_towns = max(1, round(n_units / 150))
    land = _Landscape(rng, n_main, n_districts, n_mountain_d, n_towns)

    pts = _sample_points(rng, n_main, land)
    cells = _relax(pts, land, iterations=3)
    cells = _wiggle(rng, cells, land)
    island_km = _island(rng, land)

    to_ll = Transformer.from_crs(_LAEA, "EPSG:4326", always_xy=True)
    to_m = Transformer.from_crs("EPSG:4326", _LAEA, always_xy=True)
    geoms_km = [*cells, island_km]
    polys = _to_lonlat(geoms_km, to_ll)
    areas = shapely.area(_project(polys, to_m)) / 1e6
    areas = np.round(areas, 3)
    centroids = shapely.get_coordinates(shapely.centroid(np.asarray(geoms_km, dtype=object)))
    island = n_main

    graph = nx.Graph()
    graph.add_nodes_from(range(n_units))
    for (i, j), length in adjacency_pairs(polys, with_length=True).items():
        graph.add_edge(i, j, length=length)

    mountain = _terrain(graph, centroids, land, n_main)
    district, seeds = _districts(graph, centroids, mountain, land, n_main)
    # Island: district of the nearest mainland unit (distance in metres).
    poly_m = _project(polys, to_m)
    dists = shapely.distance(poly_m[:n_main], poly_m[island])
    nearest_coastal = int(np.argmin(dists))
    district = np.append(district, district[nearest_coastal])
    mountain = np.append(mountain, False)

    # District metadata: order capital, towns, then rural districts north to south.
    n_d = int(district.max()) + 1
    dcent = np.array([centroids[:n_main][district[:n_main] == d].mean(axis=0) for d in range(n_d)])
    d_urban = {0: "capital", **{1 + k: "town" for k in range(n_towns)}}
    rural = sorted(
        (d for d in range(n_d) if d not in d_urban),
        key=lambda d: (-round(dcent[d, 1] / 15.0), dcent[d, 0]),
    )
    d_order = [*sorted(d_urban), *rural]
    base = 900 if n_d <= 99 else 100
    d_code = {d: f"{base + pos + 1:03d}" for pos, d in enumerate(d_order)}
    d_mountain = {d: bool(mountain[:n_main][district[:n_main] == d].all()) for d in range(n_d)}

    # Kinds.
    kind = np.array([COMMUNE] * n_units, dtype=object)
    for d, role in d_urban.items():
        members = np.flatnonzero(district[:n_main] == d)
        cx, cy = land.centres[d][:2]
        dist_c = np.hypot(centroids[members, 0] - cx, centroids[members, 1] - cy)
        share = _WARD_SHARE_CAPITAL if role == "capital" else _WARD_SHARE_TOWN
        n_wards = max(1, round(share * len(members)))
        for rank_c, i in enumerate(members[np.argsort(dist_c, kind="stable")]):
            # The core is urban; so is any small peri-urban cell of the district.
            if areas[i] <= (_MAX_WARD_AREA if rank_c < n_wards else _MIN_COMMUNE_AREA):
                kind[i] = WARD
    for d in rural:
        members = np.flatnonzero(district[:n_main] == d)
        sx, sy = centroids[seeds[d]]
        dist_s = np.hypot(centroids[members, 0] - sx, centroids[members, 1] - sy)
        kind[members[int(np.argmin(dist_s))]] = TOWNSHIP

    # Row order: district, kind (wards, township, communes), north to south, west to east.
    rank = {WARD: 0, TOWNSHIP: 1, COMMUNE: 2}
    pos_in_d = {d: p for p, d in enumerate(d_order)}
    order = sorted(
        range(n_units),
        key=lambda i: (
            pos_in_d[int(district[i])],
            i == island,
            rank[kind[i]],
            -round(float(centroids[i, 1]), 1),
            round(float(centroids[i, 0]), 1),
        ),
    )
    if _FIRST_UNIT_CODE + n_units - 1 > 99999:
        raise ValueError("too many units for 5-digit codes")
    codes = {i: f"{_FIRST_UNIT_CODE + r:05d}" for r, i in enumerate(order)}

    # Names.
    names = _Names(rng)
    d_base: dict[int, str] = {}
    d_name: dict[int, str] = {}
    for d in d_order:
        if d_urban.get(d) == "capital":
            d_base[d] = "Demo"
            d_name[d] = _CAPITAL_NAME
        else:
            mountain_style = d_mountain[d] and rng.random() < 0.5
            d_base[d] = names.take(mountain_style)
            prefix = "Thị xã" if d_urban.get(d) == "town" else "Huyện"
            d_name[d] = f"{prefix} {d_base[d]}"
    base_name: dict[int, str] = {}
    for i in order:
        d = int(district[i])
        if i == island:
            base_name[i] = _ISLAND_NAMES[int(rng.integers(len(_ISLAND_NAMES)))]
        elif kind[i] == TOWNSHIP:
            base_name[i] = d_base[d]
        else:
            base_name[i] = names.take(bool(mountain[i]) and rng.random() < 0.6)
    for a, b in _duplicate_pairs(rng, graph, district, kind, order, island):
        base_name[b] = base_name[a]

    # Population and staff, drawn in code order.
    population = np.zeros(n_units, dtype=np.int64)
    staff = np.zeros(n_units, dtype=np.int64)
    for i in order:
        population[i] = _population(rng, kind[i], bool(mountain[i]), areas[i], i == island)
    for i in order:
        staff[i] = _staff(rng, kind[i], bool(mountain[i]), int(population[i]), float(areas[i]))

    terrain = [MOUNTAINOUS if mountain[i] else OTHER for i in range(n_units)]
    terrain[island] = ISLAND_TERRAIN
    units = pd.DataFrame(
        {
            "code": [codes[i] for i in order],
            "name": [f"{kind[i]} {base_name[i]}" for i in order],
            "type": [kind[i] for i in order],
            "district_code": [d_code[int(district[i])] for i in order],
            "district_name": [d_name[int(district[i])] for i in order],
            "province_code": [str(province_code)] * n_units,
            "province_name": [str(province_name)] * n_units,
            "population": np.array([population[i] for i in order], dtype=np.int64),
            "area_km2": np.array([areas[i] for i in order], dtype=np.float64),
            "terrain": [terrain[i] for i in order],
            "staff": np.array([staff[i] for i in order], dtype=np.int64),
        },
        columns=UNIT_COLUMNS,
    )
    polygons = [polys[i] for i in order]
    new_index = {i: r for r, i in enumerate(order)}
    sorted_graph = nx.relabel_nodes(graph, new_index)
    baseline = _baseline(units, sorted_graph, new_index[island])
    km = float(dists[nearest_coastal]) / 1000.0
    pair = sorted((codes[nearest_coastal], codes[island]))
    links = pd.DataFrame(
        [[pair[0], pair[1], "ferry", f"ferry crossing about {km:.1f} km"]], columns=LINK_COLUMNS
    )
    return SyntheticProvince(units, polygons, baseline, links, seed)


def write_scenario(folder: str | Path, n_units: int = 300, seed: int = 7, **kwargs: Any) -> None:
    """Generate a province and write its scenario files.

    Writes ``units.csv``, ``boundaries.geojson``, ``links.csv`` and ``baseline.csv`` (UTF-8, LF line
    endings, byte-for-byte deterministic for the same arguments). ``scenario.yaml`` is not written.

    Parameters
    ----------
    folder : str or pathlib.Path
        Destination folder, created if missing.
    n_units : int, default 300
        Number of units, island included.
    seed : int, default 7
        Seed of the random generator.
    **kwargs
        Passed to :func:`make_province` (``province_code``, ``province_name``).
    """
    make_province(n_units, seed, **kwargs).write(folder)


def adjacency_pairs(
    polygons: Sequence[Any], *, with_length: bool = False
) -> list[tuple[int, int]] | dict[tuple[int, int], float]:
    """Find the pairs of polygons that share a border (a line, not a single point).

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
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    bounds = shapely.boundary(geoms)
    shared = shapely.length(shapely.intersection(bounds[left], bounds[right]))
    out = {
        (int(i), int(j)): float(s) for i, j, s in zip(left, right, shared, strict=True) if s > 1e-9
    }
    out = dict(sorted(out.items()))
    return out if with_length else list(out)


# --------------------------------------------------------------------------------------------------
# Landscape: outline, terrain line, urban centres and the target cell area field (all in km).


class _Field:
    """Smooth random scalar field with roughly standard-normal values (random Fourier features)."""

    def __init__(self, rng: np.random.Generator, length_km: float, n: int = 32) -> None:
        self.k = rng.normal(0.0, 1.0 / length_km, size=(n, 2))
        self.phase = rng.uniform(0.0, 2 * math.pi, size=n)
        self.scale = math.sqrt(2.0 / n)

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        arg = np.multiply.outer(x, self.k[:, 0]) + np.multiply.outer(y, self.k[:, 1]) + self.phase
        return self.scale * np.cos(arg).sum(axis=-1)


class _Landscape:
    """Province outline and the fields that drive the size of the communes."""

    def __init__(
        self,
        rng: np.random.Generator,
        n_main: int,
        n_districts: int,
        n_mountain_d: int,
        n_towns: int,
    ) -> None:
        # Outline of unit-equivalent radius (area pi), star-shaped around the origin.
        theta = np.linspace(0.0, 2 * math.pi, 240, endpoint=False)
        r = np.ones_like(theta)
        for k in range(2, 8):
            amp = rng.uniform(0.04, 0.13) / k**0.5
            r += amp * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
        for k in range(8, 30):
            r += rng.uniform(0.0, 0.012) * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
        r = np.maximum(r, 0.55)
        aspect = rng.uniform(0.85, 1.2)
        xy = np.column_stack([r * np.cos(theta) / math.sqrt(aspect), r * np.sin(theta)])
        xy[:, 1] *= math.sqrt(aspect)
        shape = Polygon(xy)
        self.norm = affinity.scale(
            shape, math.sqrt(math.pi / shape.area), math.sqrt(math.pi / shape.area), origin=(0, 0)
        )
        # Terrain line (normalised): mountains west of x = t + wave(y).
        self.wave = (rng.uniform(0.06, 0.12), rng.uniform(1.8, 2.8), rng.uniform(0, 2 * math.pi))
        self.wave2 = (rng.uniform(0.02, 0.05), rng.uniform(4.0, 6.0), rng.uniform(0, 2 * math.pi))
        self.f_mountain = _Field(rng, 22.0)
        self.f_lowland = _Field(rng, 14.0)
        # Fixed candidate sites for urban centres (normalised), with a jitter to break ties.
        cand = rng.uniform(-1.6, 1.6, size=(4000, 2))
        cand = cand[shapely.contains_xy(self.norm, cand[:, 0], cand[:, 1])][:700]
        self.cand = cand
        self.cand_jitter = rng.uniform(0.0, 0.05, size=len(cand))
        self.cand_edge = shapely.distance(shapely.points(cand), shapely.boundary(self.norm))
        self.y_capital = rng.uniform(-0.25, 0.25)
        cut = shapely.intersection(
            LineString([(-3.0, self.y_capital), (3.0, self.y_capital)]), self.norm
        )
        self.x_east = float(shapely.bounds(cut)[2])  # east coast at the capital's latitude
        self.n_towns = n_towns
        size = n_main / n_districts
        self.sigma_capital = math.sqrt(_WARD_SHARE_CAPITAL * size / 0.2)
        self.sigma_town = math.sqrt(_WARD_SHARE_TOWN * size / 0.2)
        self.mountain_share = n_mountain_d / n_districts
        self.n_districts = n_districts
        self.n_mountain_d = n_mountain_d
        self._solve(n_main)

    # -- geometry helpers -----------------------------------------------------------------------
    def line_x(self, yn: np.ndarray) -> np.ndarray:
        """Normalised x of the terrain line at normalised ``yn`` (before adding ``t``)."""
        a1, f1, p1 = self.wave
        a2, f2, p2 = self.wave2
        return a1 * np.sin(f1 * yn + p1) + a2 * np.sin(f2 * yn + p2)

    def is_mountain(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether points (km) lie west of the terrain line."""
        return np.asarray(x) / self.R < self.t + self.line_x(np.asarray(y) / self.R)

    def target_area(
        self,
        x: np.ndarray,
        y: np.ndarray,
        cache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Target cell area (km2) at points given in km.

        ``cache`` holds the values at these points of the two fields and of :meth:`line_x`.
        """
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if cache is None:
            cache = (self.f_mountain(x, y), self.f_lowland(x, y), self.line_x(y / self.R))
        fm, fl, lx = cache
        # Smooth step (a few km wide) across the terrain line keeps the field continuous.
        beyond = (self.R * (self.t + lx) - x) / 2.0
        m = 0.5 * (1.0 + np.tanh(beyond))
        a = np.exp(
            m * (math.log(_MOUNTAIN_AREA) + 0.3 * fm - self.offset[0])
            + (1 - m) * (math.log(_LOWLAND_AREA) + 0.2 * fl - self.offset[1])
        )
        for cx, cy, core, sigma in self.centres:
            w = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / sigma**2)
            a = a - (a - core) * w
        return a

    def _place_centres(self, t: float, radius: float) -> list[tuple[float, float, float, float]]:
        cand = self.cand
        margin = cand[:, 0] - (t + self.line_x(cand[:, 1]))
        ok = (margin >= 0.22) & (self.cand_edge >= 0.12)
        if ok.sum() < 1 + self.n_towns:
            ok = margin >= np.sort(margin)[-(1 + self.n_towns)]
        idx = np.flatnonzero(ok)
        pts = cand[idx]
        # Capital: a little inland from the east coast, at latitude y_capital.
        target = np.array([self.x_east - 0.3, self.y_capital])
        chosen = [int(idx[np.argmin(np.hypot(*(pts - target).T))])]
        for _ in range(self.n_towns):
            d = np.min(
                np.hypot(
                    pts[:, None, 0] - cand[chosen][None, :, 0],
                    pts[:, None, 1] - cand[chosen][None, :, 1],
                ),
                axis=1,
            )
            chosen.append(int(idx[np.argmax(d + self.cand_jitter[idx])]))
        out = []
        for n, c in enumerate(chosen):
            if n == 0:
                core, sigma = _CAPITAL_CORE, self.sigma_capital
            else:
                core, sigma = _TOWN_CORE, self.sigma_town
            out.append((float(cand[c, 0] * radius), float(cand[c, 1] * radius), core, sigma))
        return out

    def _solve(self, n_main: int) -> None:
        """Scale the outline and place the terrain line: ``n_main`` cells, a third mountainous."""
        self.R = math.sqrt(n_main * 34.0 / math.pi)
        self.t = 0.0
        self.offset = (0.0, 0.0)
        for _ in range(4):
            self.outline = affinity.scale(self.norm, self.R, self.R, origin=(0, 0))
            h = self.R / 70.0
            minx, miny, maxx, maxy = self.outline.bounds
            gx, gy = np.meshgrid(np.arange(minx, maxx, h) + h / 2, np.arange(miny, maxy, h) + h / 2)
            inside = shapely.contains_xy(self.outline, gx.ravel(), gy.ravel())
            gx, gy = gx.ravel()[inside], gy.ravel()[inside]
            cache = (self.f_mountain(gx, gy), self.f_lowland(gx, gy), self.line_x(gy / self.R))
            lo, hi = -1.5, 1.5
            for _ in range(16):
                self.t = 0.5 * (lo + hi)
                self.centres = self._place_centres(self.t, self.R)
                # Log offsets so that the mean cell area of each zone is the nominal one whatever
                # the random fields are (harmonic mean of the field over the zone).
                mask = gx / self.R < self.t + cache[2]
                self.offset = (
                    _log_harmonic_mean(0.3 * cache[0][mask]),
                    _log_harmonic_mean(0.2 * cache[1][~mask]),
                )
                inv = h * h / self.target_area(gx, gy, cache)
                share = inv[mask].sum() / inv.sum()
                if share > self.mountain_share:
                    hi = self.t
                else:
                    lo = self.t
            total = inv.sum()
            self.R *= math.sqrt(n_main / total)
        self.outline = affinity.scale(self.norm, self.R, self.R, origin=(0, 0))
        self.centres = self._place_centres(self.t, self.R)


def _log_harmonic_mean(log_values: np.ndarray) -> float:
    """Log of the harmonic mean of ``exp(log_values)`` (0 for an empty array)."""
    if log_values.size == 0:
        return 0.0
    return float(-np.log(np.mean(np.exp(-log_values))))


# --------------------------------------------------------------------------------------------------
# Geometry construction.


def _sample_points(rng: np.random.Generator, n: int, land: _Landscape) -> np.ndarray:
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


def _relax(pts: np.ndarray, land: _Landscape, iterations: int) -> list[Polygon]:
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


def _segmentize(ring: np.ndarray, land: _Landscape) -> np.ndarray:
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


def _wiggle(rng: np.random.Generator, cells: list[Polygon], land: _Landscape) -> list[Polygon]:
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


def _island(rng: np.random.Generator, land: _Landscape) -> Polygon:
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
    def fn(c: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(np.asarray(polys, dtype=object), fn)


def _to_lonlat(geoms_km: Sequence[Polygon], to_ll: Transformer) -> list[Polygon]:
    """Project km polygons to lon/lat, round to 5 decimals, orient counter-clockwise."""

    def fn(c: np.ndarray) -> np.ndarray:
        lon, lat = to_ll.transform(c[:, 0] * 1000.0, c[:, 1] * 1000.0)
        return np.round(np.column_stack([lon, lat]), _DECIMALS)

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


# --------------------------------------------------------------------------------------------------
# Terrain, districts, names, population.


def _terrain(graph: nx.Graph, centroids: np.ndarray, land: _Landscape, n_main: int) -> np.ndarray:
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
    land: _Landscape,
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
    for v in sorted(graph.neighbors(cell)):
        if v in in_zone and district[v] == -1:
            heapq.heappush(heap, (float(np.hypot(*(cen[v] - cen[seed]))), int(v)))


class _Names:
    """Draws unique invented base names."""

    def __init__(self, rng: np.random.Generator) -> None:
        low = [f"{a} {b}" for a in _LOWLAND_FIRST for b in _LOWLAND_SECOND if a != b]
        mtn = [f"{a} {b}" for a in _MOUNTAIN_FIRST for b in _MOUNTAIN_SECOND if a != b]
        self.pools = {
            False: [low[i] for i in rng.permutation(len(low))],
            True: [mtn[i] for i in rng.permutation(len(mtn))],
        }
        self.pos = {False: 0, True: 0}
        self.used: set[str] = set(_ISLAND_NAMES) | {"Demo"}

    def take(self, mountain_style: bool) -> str:
        for style in (mountain_style, not mountain_style):
            pool = self.pools[style]
            while self.pos[style] < len(pool):
                name = pool[self.pos[style]]
                self.pos[style] += 1
                if name not in self.used:
                    self.used.add(name)
                    return name
        raise RuntimeError("name pool exhausted")


def _duplicate_pairs(
    rng: np.random.Generator,
    graph: nx.Graph,
    district: np.ndarray,
    kind: np.ndarray,
    order: list[int],
    island: int,
) -> list[tuple[int, int]]:
    """Two pairs of adjacent communes in different districts that will share one name."""
    rank = {i: r for r, i in enumerate(order)}
    cands = sorted(
        (
            (min(i, j, key=rank.__getitem__), max(i, j, key=rank.__getitem__))
            for i, j in graph.edges
            if island not in (i, j)
            and district[i] != district[j]
            and kind[i] == COMMUNE
            and kind[j] == COMMUNE
        ),
        key=lambda p: (rank[p[0]], rank[p[1]]),
    )
    pairs: list[tuple[int, int]] = []
    used_units: set[int] = set()
    used_districts: set[int] = set()
    for k in rng.permutation(len(cands)):
        a, b = cands[int(k)]
        if {a, b} & used_units or {int(district[a]), int(district[b])} & used_districts:
            continue
        pairs.append((a, b))
        used_units |= {a, b}
        used_districts |= {int(district[a]), int(district[b])}
        if len(pairs) == 2:
            break
    return pairs


def _draw(rng: np.random.Generator, median: float, sigma: float, lo: float, hi: float) -> int:
    """Lognormal draw, redrawn until inside ``[lo, hi]``."""
    for _ in range(100):
        v = median * math.exp(sigma * rng.standard_normal())
        if lo <= v <= hi:
            return int(round(v))
    return int(round(min(max(median, lo), hi)))


def _population(
    rng: np.random.Generator, kind: str, mountain: bool, area: float, island: bool
) -> int:
    if island:
        return _draw(rng, 4500, 0.2, 3000, 6500)
    if kind == WARD:
        return _draw(rng, 12500 * (area / 3.0) ** 0.2, 0.35, 5000, 25000)
    if kind == TOWNSHIP:
        if mountain:
            return _draw(rng, 6500, 0.25, 4000, 10000)
        return _draw(rng, 10000, 0.25, 6000, 16000)
    if mountain:
        return _draw(rng, 4300 * (area / _MOUNTAIN_AREA) ** 0.3, 0.3, 2000, 8000)
    return _draw(rng, 8200 * (area / _LOWLAND_AREA) ** 0.35, 0.28, 4000, 14000)


def _staff(
    rng: np.random.Generator, kind: str, mountain: bool, population: int, area: float
) -> int:
    """Cadres and civil servants: class I/II/III headcount (Decree 33/2023 style) plus noise."""
    if kind == WARD:
        std_pop, std_area, levels = 7000, 5.5, (23, 21, 19)
    elif mountain:
        std_pop, std_area, levels = 5000, 50.0, (22, 20, 18)
    else:
        std_pop, std_area, levels = 8000, 30.0, (22, 20, 18)
    score = population / std_pop + area / std_area
    level = levels[0] if score >= 2.2 else levels[1] if score >= 1.4 else levels[2]
    return int(min(23, max(18, level + int(rng.integers(0, 2)))))


# --------------------------------------------------------------------------------------------------
# Baseline plan.


def _standard(kind: str, mountain_area_share: float) -> tuple[int, float]:
    if kind == WARD:
        return 21000, 5.5
    if mountain_area_share >= 2 / 3:
        return 5000, 100.0
    return 16000, 30.0


def _baseline(units: pd.DataFrame, graph: nx.Graph, island: int) -> pd.DataFrame:
    """A greedy, hand-drawn-looking plan: groups of 2-5 adjacent units inside each district."""
    codes = units["code"].tolist()
    kinds = units["type"].tolist()
    pops = units["population"].to_numpy()
    areas = units["area_km2"].to_numpy()
    mtn = (units["terrain"] == MOUNTAINOUS).to_numpy()
    dist = units["district_code"].tolist()

    def group_kind(g: list[int]) -> str:
        ward_pop = sum(int(pops[i]) for i in g if kinds[i] == WARD)
        return WARD if 2 * ward_pop > sum(int(pops[i]) for i in g) else COMMUNE

    def meets(g: list[int]) -> bool:
        area = float(sum(areas[i] for i in g))
        share = float(sum(areas[i] for i in g if mtn[i])) / area
        need_pop, need_area = _standard(group_kind(g), share)
        return sum(int(pops[i]) for i in g) >= need_pop and area >= need_area

    def border(v: int, g: list[int]) -> float:
        return sum(graph.edges[v, u]["length"] for u in g if graph.has_edge(v, u))

    groups: list[list[int]] = []
    for dcode in sorted(set(dist)):
        members = [i for i in range(len(codes)) if dist[i] == dcode and i != island]
        mset = set(members)
        owner: dict[int, int] = {}
        dgroups: list[list[int]] = []
        for seed in members:
            if seed in owner:
                continue
            g = [seed]
            owner[seed] = len(dgroups)
            while len(g) < 5:
                cand = sorted(
                    {v for u in g for v in graph.neighbors(u) if v in mset and v not in owner}
                )
                if not cand or (len(g) >= 3 and (meets(g) or len(g) >= 4)):
                    break
                v = max(
                    cand,
                    key=lambda c: ((kinds[c] == WARD) == (kinds[seed] == WARD), border(c, g), -c),
                )
                g.append(v)
                owner[v] = len(dgroups)
            dgroups.append(g)
        # Singletons join a neighbouring group, or take a member from one.
        for k in range(len(dgroups)):
            g = dgroups[k]
            if len(g) != 1:
                continue
            u = g[0]
            nbr_groups = sorted(
                {owner[v] for v in graph.neighbors(u) if v in mset and owner[v] != k}
            )
            open_groups = [j for j in nbr_groups if len(dgroups[j]) < 5]
            if open_groups:
                j = min(open_groups, key=lambda j: (len(dgroups[j]), -border(u, dgroups[j]), j))
                dgroups[j].append(u)
                owner[u] = j
                dgroups[k] = []
                continue
            for v in sorted(graph.neighbors(u)):
                j = owner.get(v)
                if j is None or j == k or len(dgroups[j]) < 3:
                    continue
                rest = [w for w in dgroups[j] if w != v]
                if nx.is_connected(graph.subgraph(rest)):
                    dgroups[j] = rest
                    dgroups[k] = [u, v]
                    owner[v] = k
                    break
        groups.extend(g for g in dgroups if g)
    groups.append([island])

    groups.sort(key=lambda g: min(codes[i] for i in g))
    width = max(3, len(str(len(groups))))
    base_names = [
        n.split(" ", 1)[1] if not n.startswith(TOWNSHIP) else n[len(TOWNSHIP) + 1 :]
        for n in units["name"].tolist()
    ]
    used: set[str] = set()
    rows = []
    for n, g in enumerate(groups, start=1):
        new_unit = f"N{n:0{width}d}"
        kind = group_kind(g)
        members = sorted(g, key=lambda i: codes[i])
        if len(g) == 1:
            name = f"{kind} {base_names[members[0]]}"
        else:
            name = next(
                (
                    f"{kind} {base_names[i]} Mới"
                    for i in members
                    if f"{kind} {base_names[i]} Mới" not in used
                ),
                f"{kind} {base_names[members[0]]} Mới {n}",
            )
        used.add(name)
        rows.extend([codes[i], new_unit, name, kind] for i in members)
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame(rows, columns=BASELINE_COLUMNS)


# --------------------------------------------------------------------------------------------------
# Writers and command line.


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _ring_text(coords: np.ndarray) -> str:
    return "[" + ",".join(f"[{x:.{_DECIMALS}f},{y:.{_DECIMALS}f}]" for x, y in coords) + "]"


def _feature_json(code: str, poly: Polygon) -> str:
    rings = [np.asarray(poly.exterior.coords)] + [np.asarray(r.coords) for r in poly.interiors]
    coords = ",".join(_ring_text(r) for r in rings)
    return (
        '{"type":"Feature","properties":{"code":' + json.dumps(code, ensure_ascii=False) + "},"
        '"geometry":{"type":"Polygon","coordinates":[' + coords + "]}}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m planner.demo.synthetic OUT_FOLDER --units 300 --seed 7``.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status.
    """
    parser = argparse.ArgumentParser(
        prog="python -m planner.demo.synthetic",
        description=(
            "Write a synthetic Vietnamese-like province (units.csv, boundaries.geojson, links.csv, "
            "baseline.csv) into OUT_FOLDER. Output is byte-for-byte deterministic for a seed."
        ),
    )
    parser.add_argument("folder", metavar="OUT_FOLDER", help="destination folder (created)")
    parser.add_argument("--units", type=int, default=300, help="number of units (default 300)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--province-code", default="99", help="province code (default 99)")
    parser.add_argument("--province-name", default="Tỉnh Demo", help="province name")
    args = parser.parse_args(argv)
    write_scenario(
        args.folder,
        n_units=args.units,
        seed=args.seed,
        province_code=args.province_code,
        province_name=args.province_name,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
