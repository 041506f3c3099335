"""Map data, colouring, escaping, print files and the ``planner map`` command (no browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely
from map_fixture import HOSTILE, write_map_scenario
from PIL import Image

from planner import pipeline
from planner.cli import main
from planner.maps import prepare_map, write_maps
from planner.maps.colouring import colour_new_units, new_unit_adjacency
from planner.maps.html import encode_rings, render_html, script_json

THANH_HOA = Path("scenarios/vn-thanh-hoa")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    folder = write_map_scenario(tmp_path_factory.mktemp("small") / "scenario")
    scenario, graph = pipeline.open_scenario(folder)
    return folder, scenario, graph, pipeline.evaluate(scenario, graph)


@pytest.fixture(scope="module")
def thanh_hoa():
    scenario, graph = pipeline.open_scenario(THANH_HOA)
    return scenario, graph, pipeline.evaluate(scenario, graph)


@pytest.mark.shared_data
def test_neighbouring_new_units_differ_in_colour_on_thanh_hoa(thanh_hoa):
    scenario, graph, evaluation = thanh_hoa
    assignment = evaluation.plan.assignment
    colours = colour_new_units(graph, assignment)
    adjacency = new_unit_adjacency(graph, assignment)
    assert len(colours) == 166
    assert adjacency.number_of_edges() > 300
    assert all(colours[a] != colours[b] for a, b in adjacency.edges)
    assert max(colours.values()) + 1 <= 6


@pytest.mark.shared_data
def test_map_data_covers_the_plan_on_thanh_hoa(thanh_hoa):
    scenario, graph, evaluation = thanh_hoa
    data = prepare_map(scenario, graph, evaluation)
    assert len(data.new) == 166 and len(data.old) == 547
    assert all(u.shape is not None and u.shape.is_valid for u in data.new)
    assert all(u.shape is not None for u in data.old)
    # the display outlines stay close to the evaluation's shapes (grid step about 7 m)
    total = sum(shape.area for shape in evaluation.shapes.values()) / data.step**2
    drawn = sum(u.shape.area for u in data.new)
    assert drawn == pytest.approx(total, rel=0.01)
    assert data.status.count("below") == evaluation.summary["below_standard"]


def test_coverage_simplification_keeps_shared_edges():
    """The display simplification used by prepare_map leaves neither gaps nor overlaps."""
    shared = [(10, 0), (10.2, 2), (9.9, 4), (10.1, 6), (9.8, 8), (10, 10)]
    west = shapely.Polygon([(0, 0), *shared, (0, 10)])
    east = shapely.Polygon([(20, 0), *shared, (20, 10)])
    simplified = shapely.coverage_simplify([west, east], 1.0)
    assert shapely.get_num_coordinates(simplified).sum() < west.exterior.coords.__len__() * 2
    assert shapely.intersection(simplified[0], simplified[1]).area == pytest.approx(0)
    assert shapely.union_all(simplified).area == pytest.approx(200, rel=1e-3)


def test_script_json_cannot_close_the_script_element():
    text = script_json({"name": HOSTILE, "other": "a & b > c", "line": "\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["name"] == HOSTILE


def test_encode_rings_drops_repeated_points_and_keeps_holes():
    square = shapely.Polygon([(0, 0), (4, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2)]])
    rings = encode_rings(square)
    assert rings == [[0, 0, 4, 0, 0, 4, -4, 0], [1, 1, 1, 0, 0, 1]]


def test_page_is_self_contained_and_escapes_names(small):
    _, scenario, graph, evaluation = small
    html = render_html(prepare_map(scenario, graph, evaluation, title=HOSTILE))
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the title, escaped by the template
    assert html.count("<script") == 5 and html.count("</script>") == 5  # code, data, three detail levels
    assert not re.search(r"(src|href)=\"(?!data:|#|https://leafletjs\.com)", html)  # Leaflet's switched-off attribution
    assert "@import" not in html
    # Leaflet's only addresses: its home page (a comment, and the attribution link the page switches off), the SVG
    # namespace, and two bug reports in comments of its style sheet; nothing is fetched
    assert {url.split("/")[2] for url in re.findall(r"https?://[^\s\"'<>)]*", html)} <= {
        "leafletjs.com", "www.w3.org", "bugs.chromium.org", "bugzilla.mozilla.org"}


def test_outputs_are_deterministic_and_dateless(small, tmp_path):
    _, scenario, graph, evaluation = small
    gaps = [{"unit": "00903", "type": "seal", "severity": "high", "text": "no seal"}]
    for name in ("a", "b"):
        write_maps(tmp_path / name, scenario, graph, evaluation, gaps=gaps)
    for file in ("map.html", "map.png", "map.svg"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file
    svg = (tmp_path / "a" / "map.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    image = Image.open(tmp_path / "a" / "map.png")
    assert set(image.info) <= {"dpi"}
    assert sorted(image.size) in ([1654, 2338], [1654, 2339])  # A4 at 200 dpi
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 20


def test_gaps_for_old_units_go_to_their_new_unit_and_unknown_ones_are_kept_aside(small):
    _, scenario, graph, evaluation = small
    data = prepare_map(scenario, graph, evaluation, gaps=[
        {"unit": "00100", "type": "staff", "severity": "Low", "text": "x"},
        {"unit": "nowhere", "type": "seal", "severity": "high", "text": "y"}])
    assert [(g.unit, g.severity) for g in data.gaps] == [("00900", "low")]
    assert [g.unit for g in data.unplaced_gaps] == ["nowhere"]


def test_map_command_writes_the_maps_and_the_gis_files(small, tmp_path, capsys):
    folder = small[0]
    gaps = tmp_path / "gaps.csv"
    gaps.write_text("unit,type,severity,text\n00903,seal,high,no seal yet\n", encoding="utf-8")
    status = main(["map", str(folder), "--out", str(tmp_path / "out"), "--gaps", str(gaps), "--json"])
    assert status == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["map_gaps"] == 1 and summary["units_after"] == 8
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["atlas.pdf", "map.html", "map.png", "map.svg",
                                                                       "plan.geojson", "plan.gpkg"]


def test_map_command_names_the_row_of_an_unknown_gap_unit(small, tmp_path, capsys):
    folder = small[0]
    gaps = tmp_path / "gaps.csv"
    gaps.write_text("unit,type\n00903,seal\n12345,seal\n", encoding="utf-8")
    status = main(["map", str(folder), "--out", str(tmp_path / "out"), "--gaps", str(gaps)])
    assert status == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "12345" in err
    assert not (tmp_path / "out").exists()


def test_evaluate_writes_maps_unless_told_not_to(small, tmp_path):
    folder = small[0]
    assert main(["evaluate", str(folder), "--out", str(tmp_path / "with")]) == 0
    assert (tmp_path / "with" / "map.html").exists() and (tmp_path / "with" / "map.svg").exists()
    assert (tmp_path / "with" / "plan.gpkg").exists() and (tmp_path / "with" / "plan.geojson").exists()
    assert main(["evaluate", str(folder), "--out", str(tmp_path / "without"), "--no-maps"]) == 0
    assert (tmp_path / "without" / "report.md").exists() and not (tmp_path / "without" / "map.html").exists()
    assert not (tmp_path / "without" / "plan.gpkg").exists()
