"""The data and files of map.html, without a browser: Leaflet inlined, reference layers by zoom, parents, readiness."""

from __future__ import annotations

import json
import re

import pytest
from map_fixture import write_map_scenario

from planner import pipeline
from planner.maps.data import prepare_map
from planner.maps.html import level_data, pack_rings, page_data, render_html
from planner.maps.markers import parent_names

GAPS = [{"unit": "00101", "type": "task", "severity": "critical", "text": "no owner"},
        {"unit": "00903", "type": "seal", "severity": "high", "text": "late seal"},
        {"unit": "00904", "type": "staff", "severity": "low", "text": "surplus"}]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory):
    scenario, graph = pipeline.open_scenario(write_map_scenario(tmp_path_factory.mktemp("page") / "scenario"))
    evaluation = pipeline.evaluate(scenario, graph)
    return scenario, prepare_map(scenario, graph, evaluation, GAPS)


def test_the_page_inlines_leaflet_and_asks_for_no_file(prepared):
    _, data = prepared
    html = render_html(data)
    assert "Leaflet 1.9.4, a JS library for interactive maps" in html and "Vladimir Agafonkin" in html
    assert "sourceMappingURL" not in html and not re.search(r"url\((?!#default#VML)", html)
    # the one address: Leaflet's attribution link, which the page switches off
    assert not re.search(r"""(src|href)=["'](?!data:|#|https://leafletjs\.com)""", html)
    # the code, the data, and the rings of each of the three detail levels
    assert html.count("<script") == 5 and html.count('<script type="application/json"') == 4
    assert render_html(data) == html


def test_every_boundary_travels_at_each_detail_level(prepared):
    _, data = prepared
    document = page_data(data)
    assert document["detail"]["tolerances"] == [1.0, 4.0, 16.0]  # grid units: a quarter, one, four display tolerances
    assert document["detail"]["names"] == ["fine", "medium", "coarse"]
    assert document["detail"]["metres"] == [round(t * data.step, 1) for t in (1.0, 4.0, 16.0)]
    references = document["references"]
    assert [r["key"] for r in references] == ["province_old", "district_old"]
    assert references[1]["code"] == ["D0", "D1", "D2", "D3"]
    assert all(len(r["label"]) == len(r["name"]) == len(r["code"]) for r in references)
    assert "geom" not in document["old"] and "geom" not in document["new"]  # the rings are in the levels' elements
    html = render_html(data)
    for k in range(3):
        level = level_data(data, k)
        assert f'<script type="application/json" id="map-level-{k}">' in html
        assert len(level["old"]) == 24 and len(level["new"]) == 8
        assert all(rings and all(isinstance(ring, str) for ring in rings) for rings in level["old"] + level["new"])
        assert [len(layer) for layer in level["references"]] == [len(r["code"]) for r in references]
        assert all(all(rings for rings in layer) for layer in level["references"])


def test_rings_travel_as_polyline_text():
    # zigzag-coded numbers in 5-bit groups, 63 + group (+ 32 when another group follows): Google's polyline algorithm
    assert pack_rings([[[0, 0, 4, 0, 0, 4, -4, 0], [1, -1, 16, -17]], None, []]) == [
        ["??G??GF?", "A@_@`@"], None, []]
    text = pack_rings([[[123456, -98765, 1, -1]]])[0][0]
    assert set(text) <= {chr(c) for c in range(63, 127)}


def test_old_units_carry_their_parents_names(prepared):
    scenario, data = prepared
    document = page_data(data)
    assert document["old"]["parents"][0] == "D0, P1"
    assert parent_names(scenario, ["00100", "00123", "nope"]) == ["D0, P1", "D3, P1", ""]


def test_readiness_comes_from_the_gaps_when_the_evaluation_has_none(prepared):
    _, data = prepared
    figures = dict(zip(page_data(data)["new"]["code"], page_data(data)["new"]["figures"]))
    assert {code: figures[code]["readiness"] for code in ("00900", "00903", "00904", "00905")} == {
        "00900": "not_ready", "00903": "at_risk", "00904": "ready", "00905": "ready"}
    assert figures["00900"]["population_short"] >= 0 and "area_short_km2" in figures["00900"]
    words = json.loads(json.dumps(page_data(data)["readinessWords"]))
    assert words == {"not_ready": "not ready", "at_risk": "at risk", "ready": "ready"}
