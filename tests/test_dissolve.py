"""Units dissolved from a finer table (units.dissolve): sums, polygons, points, access from the parts, checks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from planner import pipeline
from planner.cli import main
from planner.demo.synthetic import write_scenario
from planner.inputs.problems import InputError
from planner.inputs.scenario import load_scenario

SCENARIO = """name: Districts of a synthetic province
effective_date: 2025-07-01
preset: generic
units:
  path: units.csv
  columns: {id: code, name: name, population: population, area_km2: area_km2}
  dissolve:
    by: district_code
    name: district_name
    kind: unit
    parents: {province: province_code}
    parent_names: {province: province_name}
boundaries: {path: boundaries.geojson, id: code, tolerance_m: 20}
"""


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic province of 120 communes in 5 districts; the districts are the scenario's units."""
    folder = tmp_path_factory.mktemp("dissolve") / "districts"
    write_scenario(folder, 120, 3)
    (folder / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def communes(province: Path) -> pd.DataFrame:
    frame = pd.read_csv(province / "units.csv", dtype=str)
    features = json.loads((province / "boundaries.geojson").read_text(encoding="utf-8"))["features"]
    polygons = {f["properties"]["code"]: shape(f["geometry"]) for f in features}
    frame["geometry"] = [polygons[c] for c in frame["code"]]
    return frame.astype({"population": float, "area_km2": float})


def test_sums_names_and_parents(province: Path, communes: pd.DataFrame) -> None:
    scenario = load_scenario(province)
    units = scenario.units
    districts = communes.groupby("district_code")
    assert list(units.index) == sorted(communes["district_code"].unique())
    assert units["population"].to_dict() == pytest.approx(districts["population"].sum().to_dict())
    assert units["area_km2"].to_dict() == pytest.approx(districts["area_km2"].sum().to_dict())
    assert units["name"].to_dict() == districts["district_name"].first().to_dict()
    assert set(units["province"]) == set(communes["province_code"])
    assert scenario.parent_names["province"] == dict(zip(communes["province_code"], communes["province_name"]))
    assert scenario.parts is not None and len(scenario.parts) == len(communes)
    assert scenario.parts["unit"].to_dict() == dict(zip(communes["code"], communes["district_code"]))


def test_polygons_are_the_union_of_the_parts(province: Path, communes: pd.DataFrame) -> None:
    scenario = load_scenario(province)
    for district, group in communes.groupby("district_code"):
        polygon = scenario.geometries[district]
        assert polygon.is_valid
        assert polygon.area == pytest.approx(sum(g.area for g in group["geometry"]), rel=1e-6)
        assert all(polygon.buffer(1e-9).contains(g) for g in group["geometry"])


def test_points_are_population_weighted(province: Path, communes: pd.DataFrame) -> None:
    scenario = load_scenario(province)
    polygons = np.array(communes["geometry"], dtype=object)
    points = shapely.centroid(polygons)
    outside = ~shapely.contains(polygons, points)
    points[outside] = shapely.point_on_surface(polygons[outside])
    communes = communes.assign(lon=shapely.get_x(points), lat=shapely.get_y(points))
    assert scenario.parts["lon"].to_dict() == pytest.approx(dict(zip(communes["code"], communes["lon"])))
    for district, group in communes.groupby("district_code"):
        w = group["population"].to_numpy()
        lon, lat = np.radians(group["lon"].to_numpy()), np.radians(group["lat"].to_numpy())
        x, y, z = w @ np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]) / w.sum()
        assert scenario.units.at[district, "lon"] == pytest.approx(math.degrees(math.atan2(y, x)), abs=1e-6)
        assert scenario.units.at[district, "lat"] == pytest.approx(math.degrees(math.atan2(z, math.hypot(x, y))),
                                                                   abs=1e-6)
    # the unit graph stands each district at that point, and districts sharing a border are neighbours
    scenario, graph = pipeline.open_scenario(province)
    first = scenario.units.index[0]
    lon, lat = graph.graph["projection"].inverse.transform(graph.nodes[first]["x"], graph.nodes[first]["y"])
    assert (lon, lat) == pytest.approx((scenario.units.at[first, "lon"], scenario.units.at[first, "lat"]), abs=1e-6)
    assert nx.is_connected(graph)


def test_access_is_measured_from_the_parts(province: Path, tmp_path: Path) -> None:
    scenario, graph = pipeline.open_scenario(province)
    codes = list(scenario.units.index)
    baseline = pd.DataFrame({"unit": codes, "new_unit": ["A"] * 2 + ["B"] * (len(codes) - 2)})
    (province / "baseline.csv").write_text(baseline.to_csv(index=False), encoding="utf-8")
    plan_path = province / "baseline.csv"
    assert main(["evaluate", str(province), "--plan", str(plan_path), "--out", str(tmp_path / "out")]) == 0
    parts = pd.read_csv(tmp_path / "out" / "parts.csv", dtype={"part": str, "unit": str, "seat": str})
    members = pd.read_csv(tmp_path / "out" / "members.csv", dtype={"unit": str, "seat": str})
    units = pd.read_csv(tmp_path / "out" / "units.csv", dtype={"seat": str})
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert len(parts) == len(scenario.parts)
    # each part's distance is the straight line from its own point to the seat's point
    forward = graph.graph["projection"].forward
    for row in parts.sample(10, random_state=1).itertuples():
        x, y = forward.transform(scenario.parts.at[row.part, "lon"], scenario.parts.at[row.part, "lat"])
        seat = graph.nodes[row.seat]
        assert row.distance_km == pytest.approx(math.hypot(x - seat["x"], y - seat["y"]) / 1000, abs=1e-3)
    # a new unit's access and the headline figures are read over the parts, weighted by population
    for unit in units.itertuples():
        own = parts[parts["new_unit"] == unit.new_unit]
        mean = (own["distance_km"] * own["population"]).sum() / own["population"].sum()
        assert unit.access_mean_km == pytest.approx(mean, abs=2e-3)
        assert unit.access_max_km == pytest.approx(own["distance_km"].max(), abs=1e-3)
    assert summary["access_max_km"] == pytest.approx(parts["distance_km"].max(), abs=1e-3)
    assert summary["access_max_km"] > members["distance_km"].max()
    # an old unit's distance is its residents' mean distance, so the seat's own district is not at 0 km
    seats = members[members["unit"] == members["seat"]]
    assert (seats["distance_km"] > 0).all()


def test_where_keeps_the_units_of_the_parts_kept(province: Path) -> None:
    scenario = load_scenario(province, where={"district_code": ("901", "902")})
    assert list(scenario.units.index) == ["901", "902"]
    assert set(scenario.parts["unit"]) == {"901", "902"}
    assert scenario.selection.is_left_out("903")


def test_bad_dissolve_sections_are_reported_together(province: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    for name in ("units.csv", "boundaries.geojson"):
        (folder / name).write_bytes((province / name).read_bytes())
    units = pd.read_csv(folder / "units.csv", dtype=str, keep_default_na=False)
    units.loc[3, "district_name"] = "Huyện Khác"
    units.to_csv(folder / "units.csv", index=False)
    text = SCENARIO.replace("kind: unit", "kind: {default: province}").replace(
        "parents: {province: province_code}", "parents: {province: province_id}")
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_scenario(folder)
    messages = [str(p) for p in raised.value.errors]
    assert any("province_id" in m and "units.dissolve.parents.province" in m for m in messages), messages
    (folder / "scenario.yaml").write_text(SCENARIO.replace("kind: unit", "kind: {default: province}"),
                                          encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_scenario(folder)
    messages = [str(p) for p in raised.value.errors]
    assert any("row 5" in m and "'district_name'" in m and "expected one value per unit" in m
               for m in messages), messages
    assert any("unknown kind 'province'" in m for m in messages), messages
    # the command line says so without a traceback
    assert main(["validate", str(folder)]) == 2
