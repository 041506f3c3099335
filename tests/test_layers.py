"""Reference layers (old and new parents' boundaries) and the shared-edge simplification, on real data."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from planner import pipeline
from planner.inputs.scenario import load_scenario
from planner.maps import prepare_map
from planner.maps.layers import GAPS_PER_TOLERANCE, dissolve, reference_layers, simplify_coverage, zoom_levels
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def thanh_hoa():
    return pipeline.open_scenario(ROOT / "scenarios" / "vn-thanh-hoa")


def narrow_holes(shape, width: float) -> list:
    """The holes of a polygon narrower than ``width`` (the diameter of the largest circle inside them)."""
    holes = [shapely.Polygon(ring) for part in getattr(shape, "geoms", [shape]) for ring in part.interiors]
    return [h for h in holes if 2 * shapely.maximum_inscribed_circle(h).length < width]


def test_dissolving_keeps_the_shared_edges():
    squares = {f"{x}{y}": shapely.box(x, y, x + 1, y + 1) for x in range(4) for y in range(2)}
    rows = dissolve(squares, {code: f"row{code[1]}" for code in squares} | {"00": ""})
    assert sorted(rows) == ["row0", "row1"]
    assert rows["row0"].area == 3.0 and rows["row1"].equals(shapely.box(0, 1, 4, 2))
    assert shapely.coverage_is_valid(list(rows.values()))


@pytest.mark.shared_data
def test_neighbours_keep_their_shared_edges_on_a_real_province(thanh_hoa):
    scenario, graph = thanh_hoa
    shapes = {c: graph.nodes[c]["geometry"] for c in sorted(graph.nodes) if graph.nodes[c].get("geometry")}
    tolerance, gap_width = 25.0, GAPS_PER_TOLERANCE * scenario.tolerance_m
    given = list(shapes.values())
    # the boundaries as given overlap and leave slivers: simplifying them as they are keeps that
    assert not shapely.coverage_is_valid(shapely.coverage_simplify(given, tolerance))
    assert narrow_holes(shapely.union_all(given), gap_width)
    simplified = simplify_coverage(shapes, tolerance, gap_width=gap_width)
    assert sorted(simplified) == sorted(shapes)
    result = list(simplified.values())
    assert shapely.coverage_is_valid(result)
    assert all(shapely.is_valid(result))
    union = shapely.union_all(result)
    overlap = sum(s.area for s in result) - union.area
    assert overlap < 1e-6 * union.area  # no overlaps
    assert narrow_holes(union, gap_width) == []  # no slivers between neighbours
    # the same area within a small share
    assert union.area == pytest.approx(shapely.union_all(given).area, rel=0.01)
    vertices = []
    for level in zoom_levels(simplified, tolerance):
        assert shapely.coverage_is_valid(list(level.values()))
        vertices.append(int(shapely.get_num_coordinates(list(level.values())).sum()))
    assert vertices[0] > vertices[1] > vertices[2]  # coarser zooms, fewer vertices


@pytest.mark.shared_data
def test_thanh_hoa_has_its_province_and_26_districts(thanh_hoa):
    scenario, graph = thanh_hoa
    data = prepare_map(scenario, graph, pipeline.evaluate(scenario, graph))
    layers = {layer.key: layer for layer in data.references}
    assert sorted(layers) == ["district_old", "province_old"]  # no mapped parent level in this scenario
    # the GSO list of 2025-07-18 has 26 districts in Thanh Hóa (Đông Sơn joined Thanh Hóa city in 2024)
    assert len(layers["district_old"].shapes) == 26 and len(layers["province_old"].shapes) == 1
    assert layers["province_old"].level == 0 and layers["district_old"].level == 1
    assert layers["province_old"].names == {"38": "Tỉnh Thanh Hóa"}
    assert all(shapely.is_valid(np.array(list(layers["district_old"].shapes.values()), dtype=object)))
    # the districts tile the province: their union is the province's outline
    districts = shapely.union_all(list(layers["district_old"].shapes.values()))
    assert districts.symmetric_difference(layers["province_old"].shapes["38"]).area < 1e-6 * districts.area
    # the old units' display polygons tile the map too, up to the grid's step (their vertices are rounded to it)
    shapes = [u.shape for u in data.old if u.shape is not None]
    union = shapely.union_all(shapes)
    assert abs(sum(s.area for s in shapes) - union.area) < 1e-6 * union.area
    gap_width = GAPS_PER_TOLERANCE * scenario.tolerance_m / data.step
    assert all(2 * shapely.maximum_inscribed_circle(h).length < 1.0
               for h in narrow_holes(union, gap_width))  # narrower than one grid step


@pytest.mark.shared_data
@pytest.mark.slow
def test_the_country_has_63_old_provinces_and_34_new():
    scenario = load_scenario(ROOT / "scenarios" / "vn-2025")
    layers = {layer.key: layer for layer in reference_layers(scenario, scenario.geometries)}
    assert len(layers["province_old"].shapes) == 63
    assert len(layers["province_new"].shapes) == 34
    assert [layers[k].level for k in ("province_new", "province_old", "district_old")] == [0, 1, 2]
    assert layers["province_old"].names["38"] == "Tỉnh Thanh Hóa"
