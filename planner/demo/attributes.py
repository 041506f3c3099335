"""Attributes of the units of the synthetic province: kind, code, name, population, staff and special factors.

The capital's and the towns' districts hold the wards (their small central cells), each rural
district one township (its seat); every other unit is a commune. Codes follow the row order
(district, kind, north to south); invented names are drawn from syllable pools, with exactly two
pairs of adjacent communes in neighbouring districts sharing a name; population and staff are
drawn in code order. The special factors of the vn presets' reductions (R1211 Art. 3a) come last, so that they
change no other draw: the ethnic-minority share is high in the mountains (higher to the west) and low in the
lowland, the mountain units on the western outline lie on the national border, the island commune is an
especially difficult coastal commune, and the whole province is in one region (:data:`REGION`).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
from shapely.geometry import Point

from planner.demo.cells import Geometry
from planner.demo.districts import CAPITAL, TOWN, Districts
from planner.demo.landscape import LOWLAND_AREA, MOUNTAIN_AREA, WARD_SHARE_CAPITAL, WARD_SHARE_TOWN
from planner.demo.schema import (
    COMMUNE,
    ISLAND_TERRAIN,
    MOUNTAINOUS,
    OTHER,
    REGION,
    TOWNSHIP,
    UNIT_COLUMNS,
    WARD,
)

__all__ = ["draw_units"]

_FIRST_UNIT_CODE = 90001
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


def draw_units(
    rng: np.random.Generator,
    geometry: Geometry,
    districts: Districts,
    *,
    province_code: str,
    province_name: str,
) -> tuple[pd.DataFrame, list[int]]:
    """Draw the kind, code, name, population and staff of every unit.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the names, populations and staff (drawn in a fixed order).
    geometry : Geometry
        The cells of the province.
    districts : Districts
        Their terrain and districts.
    province_code, province_name : str
        Values of the province columns.

    Returns
    -------
    units : pandas.DataFrame
        One row per unit, columns :data:`~planner.demo.schema.UNIT_COLUMNS`, sorted by code.
    order : list of int
        The cell index of each row.
    """
    kind = _kinds(geometry, districts)
    order = _row_order(geometry, districts, kind)
    if _FIRST_UNIT_CODE + len(order) - 1 > 99999:
        raise ValueError("too many units for 5-digit codes")
    names = _Names(rng)
    d_base, d_name = _district_names(rng, names, districts)
    base_name = _unit_names(rng, names, geometry, districts, kind, order, d_base)
    mountain = districts.mountain
    population = {
        i: _population(rng, kind[i], bool(mountain[i]), geometry.areas[i], i == geometry.island)
        for i in order
    }
    staff = {
        i: _staff(rng, kind[i], bool(mountain[i]), population[i], float(geometry.areas[i]))
        for i in order
    }
    terrain = [MOUNTAINOUS if mountain[i] else OTHER for i in range(len(order))]
    terrain[geometry.island] = ISLAND_TERRAIN
    of_cell = [int(districts.of_cell[i]) for i in order]
    n = len(order)
    units = pd.DataFrame(
        {
            "code": [f"{_FIRST_UNIT_CODE + r:05d}" for r in range(n)],
            "name": [f"{kind[i]} {base_name[i]}" for i in order],
            "type": [kind[i] for i in order],
            "district_code": [districts.codes[d] for d in of_cell],
            "district_name": [d_name[d] for d in of_cell],
            "province_code": [str(province_code)] * n,
            "province_name": [str(province_name)] * n,
            "population": np.array([population[i] for i in order], dtype=np.int64),
            "area_km2": np.array([geometry.areas[i] for i in order], dtype=np.float64),
            "terrain": [terrain[i] for i in order],
            "staff": np.array([staff[i] for i in order], dtype=np.int64),
            **_special_factors(rng, geometry, mountain, order),
        },
        columns=UNIT_COLUMNS,
    )
    return units, order


def _special_factors(
    rng: np.random.Generator, geometry: Geometry, mountain: np.ndarray, order: list[int]
) -> dict[str, list[str]]:
    """The special-factor columns in row order, as text (share with 2 decimals, flags ``true``/``false``).

    A mountain unit's ethnic-minority share rises from about 0.3 at the edge of the mountains to about 0.85 in
    the far west, give or take 0.15; a lowland unit's lies between 0.005 and 0.05. A mountain unit on the
    western half of the outline (its centroid within the cell's own size of the outline) lies on the border.
    """
    outline = geometry.land.outline
    x = geometry.centroids[:, 0]
    west, middle = float(outline.bounds[0]), float(outline.centroid.x)
    edge = float(x[mountain].max()) if mountain.any() else middle
    share = np.where(
        mountain,
        0.3 + 0.55 * np.clip((edge - x) / max(edge - west, 1e-9), 0.0, 1.0) + rng.uniform(-0.15, 0.15, len(x)),
        rng.uniform(0.005, 0.05, len(x)),
    )
    share = np.clip(share, 0.0, 1.0)
    rim = outline.exterior
    border = [
        bool(mountain[i]) and x[i] < middle
        and rim.distance(Point(geometry.centroids[i])) < math.sqrt(float(geometry.areas[i]))
        for i in range(len(x))
    ]

    def flag(value: bool) -> str:
        return "true" if value else "false"

    return {
        "ethnic_minority_share": [f"{share[i]:.2f}" for i in order],
        "border": [flag(border[i]) for i in order],
        "especially_difficult_coastal": [flag(i == geometry.island) for i in order],
        "region": [REGION] * len(order),
    }


def _kinds(geometry: Geometry, districts: Districts) -> np.ndarray:
    """Wards at the centre of the urban districts, a township at the seat of each rural one."""
    n_main, centroids, areas = geometry.island, geometry.centroids, geometry.areas
    district = districts.of_cell[:n_main]
    kind = np.array([COMMUNE] * (n_main + 1), dtype=object)
    for d, role in districts.urban.items():
        members = np.flatnonzero(district == d)
        cx, cy = geometry.land.centres[d][:2]
        dist_c = np.hypot(centroids[members, 0] - cx, centroids[members, 1] - cy)
        share = WARD_SHARE_CAPITAL if role == CAPITAL else WARD_SHARE_TOWN
        n_wards = max(1, round(share * len(members)))
        for rank_c, i in enumerate(members[np.argsort(dist_c, kind="stable")]):
            # The core is urban; so is any small peri-urban cell of the district.
            if areas[i] <= (_MAX_WARD_AREA if rank_c < n_wards else _MIN_COMMUNE_AREA):
                kind[i] = WARD
    for d in districts.rural:
        members = np.flatnonzero(district == d)
        sx, sy = centroids[districts.seeds[d]]
        dist_s = np.hypot(centroids[members, 0] - sx, centroids[members, 1] - sy)
        kind[members[int(np.argmin(dist_s))]] = TOWNSHIP
    return kind


def _row_order(geometry: Geometry, districts: Districts, kind: np.ndarray) -> list[int]:
    """Cells in row order: district, kind (wards, township, communes), north to south, west to east."""
    rank = {WARD: 0, TOWNSHIP: 1, COMMUNE: 2}
    pos_in_d = {d: p for p, d in enumerate(districts.order)}
    centroids, district = geometry.centroids, districts.of_cell
    return sorted(
        range(len(kind)),
        key=lambda i: (
            pos_in_d[int(district[i])],
            i == geometry.island,
            rank[kind[i]],
            -round(float(centroids[i, 1]), 1),
            round(float(centroids[i, 0]), 1),
        ),
    )


def _district_names(
    rng: np.random.Generator, names: _Names, districts: Districts
) -> tuple[dict[int, str], dict[int, str]]:
    """Base name (shared by the township) and full name of each district, in code order."""
    d_base: dict[int, str] = {}
    d_name: dict[int, str] = {}
    for d in districts.order:
        if districts.urban.get(d) == CAPITAL:
            d_base[d] = "Demo"
            d_name[d] = _CAPITAL_NAME
        else:
            mountain_style = districts.all_mountain[d] and rng.random() < 0.5
            d_base[d] = names.take(mountain_style)
            prefix = "Thị xã" if districts.urban.get(d) == TOWN else "Huyện"
            d_name[d] = f"{prefix} {d_base[d]}"
    return d_base, d_name


def _unit_names(
    rng: np.random.Generator,
    names: _Names,
    geometry: Geometry,
    districts: Districts,
    kind: np.ndarray,
    order: list[int],
    d_base: dict[int, str],
) -> dict[int, str]:
    """Base name of each cell (without its kind), drawn in row order, then the two shared names."""
    island, mountain = geometry.island, districts.mountain
    base_name: dict[int, str] = {}
    for i in order:
        if i == island:
            base_name[i] = _ISLAND_NAMES[int(rng.integers(len(_ISLAND_NAMES)))]
        elif kind[i] == TOWNSHIP:
            base_name[i] = d_base[int(districts.of_cell[i])]
        else:
            base_name[i] = names.take(bool(mountain[i]) and rng.random() < 0.6)
    for a, b in _duplicate_pairs(rng, geometry.graph, districts.of_cell, kind, order, island):
        base_name[b] = base_name[a]
    return base_name


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
        return _draw(rng, 4300 * (area / MOUNTAIN_AREA) ** 0.3, 0.3, 2000, 8000)
    return _draw(rng, 8200 * (area / LOWLAND_AREA) ** 0.35, 0.28, 4000, 14000)


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
