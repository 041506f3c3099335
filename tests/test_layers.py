"""Reference layers (old and new parents' boundaries) and the shared-edge simplification, on real data."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
import shapely.affinity

from planner import pipeline
from planner.inputs.scenario import load_scenario
from planner.maps import prepare_map
from planner.maps.data import DISPLAY_LEVEL, LEVEL_FACTORS
from planner.maps.layers import (
    GAPS_PER_TOLERANCE,
    clean_coverage,
    dissolve,
    reference_layers,
    simplify_coverage,
    zoom_levels,
)
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def thanh_hoa():
    return pipeline.open_scenario(ROOT / "scenarios" / "vn-thanh-hoa")


@pytest.fixture(scope="module")
def thanh_hoa_map(thanh_hoa):
    scenario, graph = thanh_hoa
    return prepare_map(scenario, graph, pipeline.evaluate(scenario, graph))


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


def zigzag_squares(overlap: float) -> dict:
    """A 3 x 2 tiling of 1000 m squares whose edges wiggle (a corner every 20 m, alternately 0.3 m and 6 m off the
    straight edge), the same points for both neighbours, with the middle square of the bottom row grown by
    ``overlap`` (overlaps and slivers)."""
    def edge(fixed, lo, hi, vertical):
        count, off = 50, {0: 0.0, 1: 0.3, 2: 0.0, 3: -6.0}
        points = [(fixed + (0 if k in (0, count) else off[k % 4]), lo + (hi - lo) * k / count)
                  for k in range(count + 1)]
        return points if vertical else [(y, x) for x, y in points]
    squares = {}
    for column in range(3):
        for row in range(2):
            x0, y0, x1, y1 = column * 1000.0, row * 1000.0, column * 1000.0 + 1000, row * 1000.0 + 1000
            ring = (edge(y0, x0, x1, False)[:-1] + edge(x1, y0, y1, True)[:-1] + edge(y1, x0, x1, False)[::-1][:-1]
                    + edge(x0, y0, y1, True)[::-1])
            squares[f"{column}{row}"] = shapely.Polygon(ring)
    squares["10"] = shapely.affinity.scale(squares["10"], 1 + overlap, 1 + overlap)
    return squares


def test_every_detail_level_keeps_the_shared_edges():
    given = zigzag_squares(0.004)  # 2 m over its neighbours on each side, slivers at its corners
    assert not shapely.coverage_is_valid(list(given.values()))
    cleaned = clean_coverage(given, gap_width=10.0)
    assert shapely.coverage_is_valid(list(cleaned.values()))
    tolerance, vertices = 4.0, []
    levels = zoom_levels(cleaned, tolerance, LEVEL_FACTORS)
    assert levels[DISPLAY_LEVEL] == simplify_coverage(given, tolerance, gap_width=10.0)  # the level printed
    for level in levels:
        shapes = list(level.values())
        assert sorted(level) == sorted(given) and shapely.coverage_is_valid(shapes)  # no overlap, edges shared
        union = shapely.union_all(shapes)
        assert union.area == pytest.approx(6e6, rel=1e-3) and narrow_holes(union, 10.0) == []  # no slivers
        assert len(getattr(union, "geoms", [union])) == 1
        vertices.append(int(shapely.get_num_coordinates(shapes).sum()))
    assert vertices[0] > vertices[1] > vertices[2]  # a quarter, one and four tolerances: the zigzag goes coarser


@pytest.mark.shared_data
def test_each_detail_level_of_a_real_province_tiles_the_map(thanh_hoa, thanh_hoa_map):
    scenario, _ = thanh_hoa
    data = thanh_hoa_map
    assert data.detail == (1.0, 4.0, 16.0)  # grid units: the map's grid step is a quarter of the display tolerance
    assert all(u.levels[DISPLAY_LEVEL] is u.shape for u in [*data.old, *data.new])  # printed as drawn at level 1
    gap_width = GAPS_PER_TOLERANCE * scenario.tolerance_m / data.step
    vertices = []
    for k in range(len(data.detail)):
        shapes = [u.levels[k] for u in data.old if u.levels[k] is not None]
        assert len(shapes) == len([u for u in data.old if u.shape is not None])
        union = shapely.union_all(shapes)
        assert abs(sum(s.area for s in shapes) - union.area) < 1e-6 * union.area  # no overlaps
        assert all(2 * shapely.maximum_inscribed_circle(h).length < 1.0
                   for h in narrow_holes(union, gap_width))  # no slivers: any gap narrower than one grid step
        # the old units' edges at this level: every reference line and new unit outline lies on them
        edges = shapely.union_all([s.boundary for s in shapes]).buffer(0.75)
        for layer in data.references:
            lines = shapely.union_all([g.boundary for g in layer.levels[k].values()])
            assert lines.difference(edges).length < 1e-3 * lines.length, (layer.key, k)
        outlines = shapely.union_all([u.levels[k].exterior if u.levels[k].geom_type == "Polygon" else
                                      shapely.MultiLineString([p.exterior for p in u.levels[k].geoms])
                                      for u in data.new if u.levels[k] is not None])
        assert outlines.difference(edges.buffer(1.0)).length < 1e-3 * outlines.length, k
        vertices.append(int(shapely.get_num_coordinates(shapes).sum()))
    assert vertices[0] > vertices[1] > vertices[2]


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
def test_thanh_hoa_has_its_province_and_26_districts(thanh_hoa, thanh_hoa_map):
    scenario, _ = thanh_hoa
    data = thanh_hoa_map
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
