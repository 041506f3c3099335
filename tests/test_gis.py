"""plan.gpkg and plan.geojson: read back with pyogrio (CRS, layers, row counts, a unit's figures), same bytes twice."""

from __future__ import annotations

import json

import pyogrio
import pyproj
import pytest
import shapely
from map_fixture import HOSTILE, write_map_scenario
from pyogrio.raw import read

from planner import pipeline
from planner.cli import main
from planner.maps import write_maps

GAPS = [{"unit": "00900", "type": "seal_late", "severity": s, "text": f"{s} gap"} for s in ("low", "critical")] + [
    {"unit": "00100", "type": "staff_surplus", "severity": "medium", "text": "surplus staff"},
    {"unit": "00903", "type": "task_no_owner", "severity": "high", "text": "no owner " + HOSTILE}]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("gis")
    scenario, graph = pipeline.open_scenario(write_map_scenario(folder / "scenario"))
    evaluation = pipeline.evaluate(scenario, graph)
    for name in ("one", "two"):
        write_maps(folder / name, scenario, graph, evaluation, gaps=GAPS)
    return folder, evaluation


def layer(path, name: str) -> tuple[dict, list, dict]:
    """Metadata, shapes and columns (name -> values) of one layer."""
    meta, _, geometry, values = read(path, layer=name)
    return meta, [None if g is None else shapely.from_wkb(g) for g in geometry], dict(zip(meta["fields"], values))


def test_the_geopackage_has_its_layers_in_lon_lat(written):
    folder, _ = written
    layers = {name: kind for name, kind in pyogrio.list_layers(folder / "one" / "plan.gpkg")}
    assert layers == {"new_units": "MultiPolygon", "old_units": "MultiPolygon", "seats": "Point", "gaps": "Point",
                      "province_old": "MultiPolygon", "district_old": "MultiPolygon"}
    for name in layers:
        info = pyogrio.read_info(folder / "one" / "plan.gpkg", layer=name)
        assert info["crs"] == "EPSG:4326"
        assert info["features"] == {"new_units": 8, "old_units": 24, "seats": 8, "gaps": 4, "province_old": 1,
                                    "district_old": 4}[name]


def test_the_reference_layers_are_the_parents_dissolved(written):
    folder, _ = written
    _, shapes, columns = layer(folder / "one" / "plan.gpkg", "district_old")
    assert columns["code"].tolist() == ["D0", "D1", "D2", "D3"]
    assert set(columns["layer"]) == {"District boundaries before the arrangement"}
    # each district is one row of six 0.05-degree squares: one polygon, 0.3 x 0.05 degrees
    for shape in shapes:
        assert len(shape.geoms) == 1
        west, south, east, north = shape.bounds
        assert east - west == pytest.approx(0.3, abs=0.002) and north - south == pytest.approx(0.05, abs=0.002)
    _, (province,), _ = layer(folder / "one" / "plan.gpkg", "province_old")
    assert province.area == pytest.approx(shapely.union_all(shapes).area, rel=1e-3)


def test_a_new_unit_carries_every_figure_and_its_gaps(written):
    folder, evaluation = written
    meta, shapes, columns = layer(folder / "one" / "plan.gpkg", "new_units")
    assert list(columns)[:len(evaluation.units.columns)] == list(evaluation.units.columns)
    i = list(columns["new_unit"]).index("00900")
    figures = evaluation.units.set_index("new_unit").loc["00900"]
    assert columns["population"][i] == round(figures["population"]) == 3000 + 3500 + 4000
    assert columns["area_km2"][i] == pytest.approx(figures["area_km2"], abs=5e-4)
    assert columns["status"][i] == figures["status"] and columns["name"][i] == "Xã Mới 00900"
    assert (columns["gaps"][i], columns["gaps_critical"][i], columns["gaps_low"][i]) == (3, 1, 1)
    assert columns["worst_severity"][i] == "critical"
    assert shapes[i].area == pytest.approx(3 * 0.05 * 0.05)
    assert shapes[i].bounds == pytest.approx((105.8, 20.0, 105.95, 20.05))
    assert HOSTILE in set(columns["name"])


def test_old_units_seats_and_gaps(written):
    folder, _ = written
    _, shapes, old = layer(folder / "one" / "plan.gpkg", "old_units")
    i = list(old["code"]).index("00100")
    assert (old["new_unit"][i], old["name"][i], old["district"][i], old["province"][i]) == ("00900", "Xã Ô 0-0 & Đồi",
                                                                                           "D0", "P1")
    assert shapes[i].equals(shapely.MultiPolygon([shapely.box(105.8, 20.0, 105.85, 20.05)]))
    _, points, seats = layer(folder / "one" / "plan.gpkg", "seats")
    assert list(seats["new_unit"]) == sorted(seats["new_unit"])
    units = layer(folder / "one" / "plan.gpkg", "new_units")
    for point, code in zip(points, seats["new_unit"]):
        assert units[1][list(units[2]["new_unit"]).index(code)].contains(point)
    _, points, gaps = layer(folder / "one" / "plan.gpkg", "gaps")
    assert list(zip(gaps["new_unit"], gaps["severity"])) == [("00900", "critical"), ("00900", "medium"),
                                                            ("00900", "low"), ("00903", "high")]
    assert list(gaps["severity_rank"]) == [1, 3, 4, 2]
    assert all(units[1][0].contains(p) for p in points[:3])


def test_the_geojson_states_its_crs_and_holds_the_new_units(written):
    folder, _ = written
    path = folder / "one" / "plan.geojson"
    info = pyogrio.read_info(path)
    assert pyproj.CRS(info["crs"]).equals(pyproj.CRS("EPSG:4326"), ignore_axis_order=True)
    assert info["features"] == 8
    document = json.loads(path.read_text(encoding="utf-8"))
    assert [f["id"] for f in document["features"]] == sorted(f["id"] for f in document["features"])
    first = document["features"][0]
    assert first["properties"]["new_unit"] == "00900" and first["properties"]["worst_severity"] == "critical"
    assert first["geometry"]["type"] == "MultiPolygon"
    _, shapes, _ = layer(folder / "one" / "plan.gpkg", "new_units")
    assert shapely.geometry.shape(first["geometry"]).equals(shapes[0])


def test_two_runs_give_the_same_bytes(written):
    folder, _ = written
    for name in ("plan.geojson", "plan.gpkg"):
        assert (folder / "one" / name).read_bytes() == (folder / "two" / name).read_bytes(), name


def test_the_map_command_lists_the_gis_files(written, tmp_path, capsys):
    folder, _ = written
    assert main(["map", str(folder / "scenario"), "--out", str(tmp_path / "out"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [p.rsplit("/", 1)[-1] for p in summary["map_files"]][-3:] == ["plan.gpkg", "plan.geojson", "atlas.pdf"]
    assert pyogrio.read_info(tmp_path / "out" / "plan.gpkg", layer="gaps")["crs"] == "EPSG:4326"
