"""Tests of the synthetic province generator (planner.demo.synthetic)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import shapely

from planner.demo.synthetic import (
    BASELINE_COLUMNS,
    LINK_COLUMNS,
    UNIT_COLUMNS,
    SyntheticProvince,
    adjacency_pairs,
    main,
    make_province,
    write_scenario,
)
from planner.inputs.preset import load_preset
from planner.inputs.problems import ProblemList
from planner.rules.reductions import read_factor_value

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo"
FILES = ("units.csv", "boundaries.geojson", "links.csv", "baseline.csv")


@pytest.fixture(scope="module")
def demo() -> SyntheticProvince:
    return make_province(300, 7)


@pytest.fixture(scope="module")
def demo_graph(demo: SyntheticProvince) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(len(demo.units)))
    graph.add_edges_from(adjacency_pairs(demo.polygons))
    return graph


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, demo: SyntheticProvince) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    demo.write(folder)  # what write_scenario(folder, 300, 7) writes
    return folder


def _island_index(demo: SyntheticProvince, graph: nx.Graph) -> int:
    isolated = [i for i in graph.nodes if graph.degree(i) == 0]
    assert len(isolated) == 1
    return isolated[0]


def test_deterministic_bytes(tmp_path: Path) -> None:
    write_scenario(tmp_path / "a", n_units=80, seed=3)
    main([str(tmp_path / "b"), "--units", "80", "--seed", "3"])
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(FILES)
    write_scenario(tmp_path / "c", n_units=80, seed=4)
    a = (tmp_path / "a" / "units.csv").read_bytes()
    assert a != (tmp_path / "c" / "units.csv").read_bytes()


def test_committed_demo_is_fresh(written: Path) -> None:
    for name in FILES:
        assert (DEMO / name).read_bytes() == (written / name).read_bytes(), (
            f"scenarios/demo/{name} differs from a fresh generation: run "
            "python -m planner.demo.synthetic scenarios/demo --units 300 --seed 7"
        )


def test_files_format(written: Path, demo: SyntheticProvince) -> None:
    for name in FILES:
        data = (written / name).read_bytes()
        assert b"\r" not in data and data.endswith(b"\n")
        data.decode("utf-8")
    with open(written / "units.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == UNIT_COLUMNS
    assert len(rows) == 301
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
    assert all(len(r[8].split(".")[1]) == 3 for r in rows[1:])  # area_km2 with 3 decimals
    with open(written / "baseline.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == BASELINE_COLUMNS
    with open(written / "links.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == LINK_COLUMNS
    gj = json.loads((written / "boundaries.geojson").read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection"
    assert [f["properties"] for f in gj["features"]] == [{"code": c} for c in demo.units["code"]]
    for feature, poly in zip(gj["features"], demo.polygons, strict=True):
        assert feature["geometry"]["type"] == "Polygon"
        coords = np.asarray(feature["geometry"]["coordinates"][0])
        assert np.array_equal(coords, np.asarray(poly.exterior.coords))


def test_units_columns_and_values(demo: SyntheticProvince) -> None:
    u = demo.units
    assert list(u.columns) == UNIT_COLUMNS
    assert len(u) == len(demo.polygons) == 300
    assert all(isinstance(c, str) and len(c) == 5 and c.isdigit() for c in u["code"])
    assert u["code"].is_unique and u["code"].is_monotonic_increasing
    assert all(len(c) == 3 and c.isdigit() for c in u["district_code"])
    assert u["district_code"].is_monotonic_increasing  # codes sorted by district
    assert set(u["type"]) == {"Xã", "Phường", "Thị trấn"}
    assert set(u["terrain"]) == {"mountainous", "other"}
    assert u["staff"].between(18, 23).all()
    assert (u["population"] > 0).all()
    assert all(n.startswith(t + " ") for n, t in zip(u["name"], u["type"], strict=True))
    # About n/25 districts, a third of them mountainous as a whole.
    terr = u.groupby("district_code")["terrain"].agg(lambda s: set(s) - {"other"} or {"other"})
    assert 10 <= len(terr) <= 14
    assert sum(t == {"mountainous"} for t in terr) == 4
    # One township per rural district, wards only in the capital and the towns.
    names = u.groupby("district_code")["district_name"].first()
    assert names.iloc[0] == "Thành phố Demo"
    assert 1 <= names.str.startswith("Thị xã ").sum() <= 2
    rural = names[names.str.startswith("Huyện ")].index
    assert (u[u["type"] == "Thị trấn"].groupby("district_code").size() == 1).all()
    assert set(u.loc[u["type"] == "Thị trấn", "district_code"]) == set(rural)
    assert not set(u.loc[u["type"] == "Phường", "district_code"]) & set(rural)


def test_realistic_ranges(demo: SyntheticProvince) -> None:
    u = demo.units
    wards = u[u["type"] == "Phường"]
    assert len(wards) >= 15
    assert wards["area_km2"].between(1, 8).all()
    assert wards["population"].between(5000, 25000).all()
    xa = u[u["type"] == "Xã"]
    mtn = xa[xa["terrain"] == "mountainous"]
    low = xa[(xa["terrain"] == "other") & ~xa["district_name"].str.startswith(("Thành", "Thị"))]
    assert mtn["population"].between(2000, 8000).all()
    assert 40 <= mtn["area_km2"].median() <= 150
    assert 8 <= low["area_km2"].median() <= 30
    assert low["population"].between(4000, 14000).all()
    # Merging three units on average must be able to reach the 2025 standards.
    assert 3 * mtn["population"].median() >= 5000 and 3 * mtn["area_km2"].median() >= 100
    assert 3 * low["population"].median() >= 16000 and 3 * low["area_km2"].median() >= 30
    assert 3 * wards["population"].median() >= 21000 and 3 * wards["area_km2"].median() >= 5.5


def test_duplicate_names(demo: SyntheticProvince, demo_graph: nx.Graph) -> None:
    u = demo.units
    base = u["name"].str.replace(r"^(Xã|Phường|Thị trấn) ", "", regex=True)
    # Township names repeat their district name; apart from that, exactly two shared names.
    counts = base.value_counts()
    dups = counts[counts > 1]
    assert (dups == 2).all() and len(dups) == 2
    for name in dups.index:
        i, j = np.flatnonzero(base == name)
        assert u["district_code"].iloc[i] != u["district_code"].iloc[j]
        assert u["name"].iloc[i] == u["name"].iloc[j]
        assert demo_graph.has_edge(i, j)


def test_polygons_valid_disjoint_and_area(demo: SyntheticProvince) -> None:
    geoms = np.asarray(demo.polygons, dtype=object)
    assert all(g.geom_type == "Polygon" for g in geoms)
    assert shapely.is_valid(geoms).all()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]]))
    assert overlap.max() < 1e-9
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    assert 104.5 < minx and maxx < 107.0 and 19.0 < miny and maxy < 21.0
    # area_km2 agrees with the polygons (rough spherical check, 1 %).
    lat = shapely.get_coordinates(shapely.centroid(geoms))[:, 1]
    km2 = shapely.area(geoms) * 111.32**2 * np.cos(np.radians(lat))
    assert np.allclose(km2, demo.units["area_km2"], rtol=0.01)


def test_island_and_ferry(demo: SyntheticProvince, demo_graph: nx.Graph) -> None:
    island = _island_index(demo, demo_graph)
    others = [i for i in demo_graph.nodes if i != island]
    assert nx.is_connected(demo_graph.subgraph(others))
    code = demo.units["code"].iloc[island]
    assert len(demo.links) == 1
    link = demo.links.iloc[0]
    assert link["kind"] == "ferry" and code in (link["a"], link["b"])
    other = link["b"] if link["a"] == code else link["a"]
    j = int(np.flatnonzero(demo.units["code"] == other)[0])
    dist = shapely.distance(demo.polygons[island], np.asarray(demo.polygons, dtype=object))
    dist[island] = np.inf
    assert int(np.argmin(dist)) == j
    assert dist[j] > 0.02  # a few km offshore


def test_special_factors(demo: SyntheticProvince, demo_graph: nx.Graph) -> None:
    """The factor columns of the vn presets' reductions: read by the preset's own reader, shares high in the
    mountains and low in the lowland, the border on the mountains' west side, the island alone coastal."""
    u = demo.units
    preset = load_preset("vn-2025", ProblemList())
    assert preset is not None
    factors = preset.factors
    values = {name: [read_factor_value(factors[name], v) for v in u[name]] for name in factors}
    share = np.array(values["ethnic_minority_share"])
    mountain = (u["terrain"] == "mountainous").to_numpy()
    assert share[mountain].min() > share[~mountain].max()
    assert (share[mountain] >= 0.15).all() and (share[~mountain] <= 0.05).all()
    border = np.array(values["border"])
    assert 0 < border.sum() < mountain.sum() and not border[~mountain].any()
    coastal = np.array(values["especially_difficult_coastal"])
    assert coastal.sum() == 1 and coastal[_island_index(demo, demo_graph)]
    assert set(values["region"]) == {"north_central"}

def test_districts_contiguous(demo: SyntheticProvince, demo_graph: nx.Graph) -> None:
    island = _island_index(demo, demo_graph)
    for _, idx in demo.units.groupby("district_code").indices.items():
        members = [int(i) for i in idx if i != island]
        assert nx.is_connected(demo_graph.subgraph(members))


def test_baseline(demo: SyntheticProvince, demo_graph: nx.Graph) -> None:
    u, b = demo.units, demo.baseline
    assert list(b.columns) == BASELINE_COLUMNS
    assert list(b["unit"]) == list(u["code"])  # every unit, once, sorted
    island = _island_index(demo, demo_graph)
    index = {c: i for i, c in enumerate(u["code"])}
    ids = sorted(set(b["new_unit"]))
    assert ids == [f"N{k:03d}" for k in range(1, len(ids) + 1)]
    assert 0.30 <= len(ids) / len(u) <= 0.37  # about a 65 % reduction
    assert set(b["new_kind"]) <= {"Xã", "Phường"}
    for new_unit, grp in b.groupby("new_unit"):
        members = [index[c] for c in grp["unit"]]
        assert grp["new_name"].nunique() == 1 and grp["new_kind"].nunique() == 1
        assert u["district_code"].iloc[members].nunique() == 1, new_unit
        if island in members:
            assert members == [island]
            continue
        assert 2 <= len(members) <= 5, new_unit
        assert nx.is_connected(demo_graph.subgraph(members)), new_unit
        pops = u.iloc[members]
        # vn-2025's kind rule (any_ward): a merger with a ward is a ward, else a commune
        expected = "Phường" if (pops["type"] == "Phường").any() else "Xã"
        assert grp["new_kind"].iloc[0] == expected
    assert b.groupby("new_unit")["new_name"].first().is_unique


def test_scaling_size() -> None:
    p = make_province(500, 7)
    assert len(p.units) == len(p.polygons) == len(p.baseline) == 500
    assert p.units["district_code"].nunique() == 20
    assert p.units["code"].is_unique
    assert 0.30 <= p.baseline["new_unit"].nunique() / 500 <= 0.37


def test_rejects_bad_size() -> None:
    with pytest.raises(ValueError):
        make_province(5)
