"""map.html in real headless Chromium (playwright): loads offline, draws the plan, reacts, escapes names.

The map scenario of ``map_fixture`` with its rows 2 and 3 in a second province (P2), so that the table's
parent filter and the markers grouped by parent have two parents.  Chromium is required: these tests fail,
not skip, when it is missing (``browser_pages``).
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
import shapely
from browser_pages import chromium, open_page
from map_fixture import COLUMNS, HOSTILE, ROWS, SIZE, SOUTH, WEST, write_map_scenario
from PIL import Image

from planner import pipeline
from planner.maps import write_maps
from planner.maps.colouring import PAGE_STATUS_COLOURS, PALETTE, READINESS_COLOURS, SEQUENTIAL
from planner.maps.data import prepare_map
from planner.maps.html import render_html
from planner.severities import SEVERITY_COLOURS

GAPS = [
    {"unit": "00903", "type": "seal", "severity": "high", "text": "no seal on day one " + HOSTILE},
    {"unit": "00100", "type": "staff", "severity": "low", "text": "surplus staff"},
    {"unit": "00101", "type": "task", "severity": "critical", "text": "no one owns the land register"},
    {"unit": "00904", "type": "access", "severity": "medium", "text": "far from the seat"},
    {"unit": "00904", "type": "staff", "severity": "low", "text": "surplus staff"},
]
NOTICE = f"Boundaries from a licensed source {HOSTILE}: do not pass on"


def two_province_scenario(folder: Path) -> Path:
    """The map scenario with rows 2 and 3 in province P2, and boundaries that may not be redistributed."""
    write_map_scenario(folder)
    units = folder / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace(",D2,P1", ",D2,P2").replace(",D3,P1", ",D3,P2"),
                     encoding="utf-8")
    scenario = folder / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("  tolerance_m: 20\n", "  tolerance_m: 20\n  redistribution: not_allowed\n"
                                     f"  notice: {json.dumps(NOTICE)}\n"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def map_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("map")
    scenario, graph = pipeline.open_scenario(two_province_scenario(folder / "scenario"))
    evaluation = pipeline.evaluate(scenario, graph)
    write_maps(folder / "out", scenario, graph, evaluation, gaps=GAPS, title=f"Review {HOSTILE}")
    return folder / "out"


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def map_page(browser, map_out):
    page, seen = open_page(browser, map_out / "map.html")
    yield page, seen
    page.close()


@pytest.fixture
def page(map_page):
    """The page at its first view and colouring, nothing selected."""
    page, _ = map_page
    page.evaluate("document.getElementById('zoom-reset').click()")
    colour(page, "neighbours")
    return page


def state(page) -> dict:
    return page.evaluate("window.plannerMap.state()")


def colour(page, mode: str) -> None:
    page.select_option("#colour-by", mode)


def pixel(page, pane: str, x: float, y: float) -> str:
    """The colour of a pane's canvas at a point of the page (CSS pixels), as #rrggbb."""
    selector = "#labels" if pane == "labels" else f".leaflet-{pane}-pane canvas"
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(f"""(() => {{ const c = document.querySelector({json.dumps(selector)});
        const r = c.getBoundingClientRect(), k = c.width / r.width;
        const d = c.getContext('2d').getImageData(Math.round(({x} - r.left) * k), Math.round(({y} - r.top) * k),
                                                  1, 1).data;
        return '#' + [d[0], d[1], d[2]].map(v => v.toString(16).padStart(2, '0')).join(''); }})()""")


def coloured_pixels(page, colours: list[str]) -> int:
    """Pixels of the fills canvas painted in one of ``colours`` (one in 16 looked at)."""
    rgb = json.dumps([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colours])
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # Leaflet paints then
    return page.evaluate(f"""(() => {{
        const c = document.querySelector('.leaflet-fills-pane canvas');
        if (!c) return 0;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, palette = {rgb}; let n = 0;
        for (let i = 0; i < d.length; i += 64)
            for (const p of palette)
                if (d[i] === p[0] && d[i + 1] === p[1] && d[i + 2] === p[2] && d[i + 3] === 255) {{ n++; break; }}
        return n; }})()""")


def markers(page) -> dict[str, tuple[str, int]]:
    """The gap markers drawn: unit (or parent) code -> (severity shown, number of gaps)."""
    return {m["code"]: (m["severity"], m["count"]) for m in page.evaluate("window.plannerMap.markers()")}


def tick(page, kind: str, value: str) -> None:
    page.click(f"#gap-filter input[data-{kind}=\"{value}\"]")


def search(page, text: str) -> list[str]:
    page.fill("#search", text)
    return page.eval_on_selector_all("#results button", "bs => bs.map(b => b.textContent)")


def test_loads_with_leaflet_no_console_error_and_no_network_request(map_page, map_out):
    page, seen = map_page
    assert page.evaluate("window.plannerMap.ready") is True
    assert page.evaluate("typeof L.map") == "function" and page.evaluate("L.version") == "1.9.4"
    assert seen.errors == []
    assert [url for url in seen.requests if url != (map_out / "map.html").resolve().as_uri()] == []
    # the code, the map's data and one data element per detail level (fine, medium, coarse)
    assert page.evaluate("document.scripts.length") == 5
    assert page.evaluate("[...document.scripts].filter(s => s.type !== 'application/json').length") == 1


def test_draws_every_unit_of_the_plan(page):
    now = state(page)
    assert (now["units"], now["drawnNew"]) == (8, 8)
    assert (now["oldUnits"], now["drawnOld"]) == (24, 24)
    assert now["gapMarkers"] == 3
    assert now["labels"] > 0


def test_clicking_a_unit_opens_its_panel(page):
    x, y = page.evaluate("window.plannerMap.screenPoint('00903')")
    page.mouse.click(x, y)
    assert state(page)["selected"] == "00903"
    panel = page.inner_text("#panel")
    assert "Xã Mới 00903" in panel and "Old units (3)" in panel
    assert "Gaps (1)" in panel and "no seal on day one" in panel and "Failing criteria" in panel
    assert "P1" in panel


def test_layer_toggles_change_the_drawing(page):
    filled = coloured_pixels(page, PALETTE)
    assert filled > 500
    page.click("#layer-after")
    assert state(page)["layers"]["after"] is False and state(page)["drawnNew"] == 0
    assert coloured_pixels(page, PALETTE) == 0
    page.click("#layer-after")
    assert coloured_pixels(page, PALETTE) == filled
    page.click("#layer-gaps")
    assert state(page)["gapMarkers"] == 0
    page.click("#layer-gaps")
    assert state(page)["gapMarkers"] == 3
    page.click("#layer-before")
    assert state(page)["layers"]["before"] is False and state(page)["oldLabels"] == 0
    page.click("#layer-before")


def test_reference_layers_toggle_and_take_their_detail_from_the_zoom(page):
    now = state(page)
    keys = sorted(k for k in now["layers"] if k.startswith("ref-"))
    assert keys == ["ref-district_old", "ref-province_old"]
    titles = page.inner_text("#layer-refs")
    assert "Province boundaries before the arrangement" in titles
    zoomed_out = now["refLevel"]["province_old"]
    page.evaluate("window.plannerMap.zoomTo('00900')")
    for _ in range(4):
        page.click("#zoom-in")
    assert state(page)["refLevel"]["province_old"] <= zoomed_out
    assert state(page)["refLevel"]["province_old"] == 0
    page.click("#layer-ref-province_old")
    assert state(page)["refLevel"]["province_old"] == -1
    page.click("#layer-ref-province_old")


#: The zigzag of the wiggly boundaries: 2 m to either side of the straight edge, a corner every 60 m (in degrees
#: near 20 N); at the fixture's display tolerance of about 5 m the fine level (1.3 m) keeps it, the coarse (21 m)
#: straightens it.
WIGGLE, WIGGLE_STEP = 0.000019, 0.00055


def wiggly_edge(fixed: float, lo: float, hi: float, vertical: bool) -> list[tuple[float, float]]:
    """The points of one grid edge from ``lo`` to ``hi``, zigzagging across it: the same points for both sides."""
    count = round((hi - lo) / WIGGLE_STEP)
    points = []
    for k in range(count + 1):
        along = lo + (hi - lo) * k / count
        across = fixed + (0.0 if k in (0, count) else WIGGLE if k % 2 else -WIGGLE)
        points.append((across, along) if vertical else (along, across))
    return points


def wiggly_boundaries(folder: Path) -> None:
    """Redraw the fixture's squares with zigzag edges, neighbours sharing every point of their edges."""
    path = folder / "boundaries.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    for feature in document["features"]:
        x0, y0, x1, y1 = shapely.geometry.shape(feature["geometry"]).bounds
        column, row = round((x0 - WEST) / SIZE), round((y0 - SOUTH) / SIZE)
        left, right = WEST + column * SIZE, WEST + (column + 1) * SIZE
        bottom, top = SOUTH + row * SIZE, SOUTH + (row + 1) * SIZE
        ring = (wiggly_edge(bottom, left, right, False)[:-1] + wiggly_edge(right, bottom, top, True)[:-1]
                + wiggly_edge(top, left, right, False)[::-1][:-1] + wiggly_edge(left, bottom, top, True)[::-1])
        feature["geometry"] = shapely.geometry.mapping(shapely.Polygon(ring))
    assert len(document["features"]) == COLUMNS * ROWS
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.fixture(scope="module")
def wiggly_page(browser, tmp_path_factory: pytest.TempPathFactory):
    """The map of the fixture with zigzag boundaries, in a fresh page."""
    folder = tmp_path_factory.mktemp("wiggly")
    scenario_folder = write_map_scenario(folder / "scenario")
    wiggly_boundaries(scenario_folder)
    scenario, graph = pipeline.open_scenario(scenario_folder)
    write_maps(folder / "out", scenario, graph, pipeline.evaluate(scenario, graph))
    page, seen = open_page(browser, folder / "out" / "map.html")
    yield page, seen
    page.close()


def test_zoomed_in_the_boundaries_are_drawn_finer_and_zoomed_out_coarser(wiggly_page):
    page, seen = wiggly_page
    whole = state(page)
    assert (whole["level"], whole["levelName"]) == (2, "coarse")  # the whole map: four display tolerances
    assert whole["levelsRead"] == 1  # the other levels are not even read yet
    coarse = page.evaluate("window.plannerMap.vertices('00900')")
    assert 4 <= coarse < 40  # the zigzag straightened: about the corners of three squares
    page.evaluate("window.plannerMap.zoomTo('00900')")
    for _ in range(4):
        page.click("#zoom-in")
    near = state(page)
    assert (near["level"], near["levelName"]) == (0, "fine") and near["levelMetres"] < whole["levelMetres"]
    fine = page.evaluate("window.plannerMap.vertices('00900')")
    assert fine > 20 * coarse  # the zigzag kept: a corner every 60 m of a 42 km outline
    assert near["refLevel"]["district_old"] == 0  # the reference layers follow the same level
    page.click("#zoom-reset")
    assert state(page)["level"] == 2 and page.evaluate("window.plannerMap.vertices('00900')") == coarse
    legend = page.inner_text("#legend")
    assert "zoomed in" in legend and "zoomed out" in legend and "coarser when zoomed out" not in legend
    assert seen.errors == []


def test_the_legend_gives_each_level_s_simplification(page):
    metres = page.evaluate("window.plannerMap.state().levelMetres")
    legend = page.inner_text("#legend")
    assert f"{metres:,.0f} m zoomed out" in legend and "the level chosen by the zoom" in legend


def test_screenshot_is_not_blank(page, map_out):
    png = page.screenshot()
    (map_out / "screenshot.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1200, 800)
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50
    assert max(count for count, _ in colours) / (1200 * 800) < 0.6


def test_hostile_names_and_the_notice_are_text(map_page):
    page, seen = map_page
    assert page.title() == f"Review {HOSTILE}"
    assert page.text_content("#title") == f"Review {HOSTILE}"
    assert NOTICE in page.text_content("#notice")
    assert search(page, "alert(1)")[0].startswith(HOSTILE)
    page.click("#results button")
    assert page.text_content("#panel h2") == HOSTILE
    assert "&lt;script&gt;" in page.inner_html("#panel")
    assert page.evaluate("document.querySelectorAll('#panel script, #results script, #unit-table script, "
                         "#notice script').length") == 0
    assert seen.dialogs == [] and seen.errors == []


def test_no_notice_when_the_boundaries_may_be_passed_on(map_out, tmp_path):
    scenario, graph = pipeline.open_scenario(write_map_scenario(tmp_path / "scenario"))
    data = prepare_map(scenario, graph, pipeline.evaluate(scenario, graph))
    assert data.notice == "" and 'id="notice"' not in render_html(data)
    assert 'id="notice"' in render_html(dataclasses.replace(data, notice="licensed data"))


def test_search_ignores_accents_and_names_the_parents(page):
    hits = search(page, "xa o 0-0 & doi")
    assert hits == ["Xã Ô 0-0 & Đồi 00100 · D0, P1; old unit, now in Xã Mới 00900"]
    hits = search(page, "00907")
    assert hits == ["Xã Mới 00907 00907 · P2"]
    page.press("#search", "Enter")
    assert state(page)["selected"] == "00907" and state(page)["zoom"] > state(page)["fitZoom"]
    assert "P2" in search(page, "p2")[0]  # the reference layers are searched too
    search(page, "")


def table_codes(page) -> list[str]:
    return page.eval_on_selector_all("#unit-table tr[data-code]", "rows => rows.map(r => r.dataset.code)")


def test_the_table_sorts_filters_and_zooms_to_a_unit(page):
    assert len(table_codes(page)) == 8
    status = page.eval_on_selector_all("#unit-table tr[data-code] td:nth-child(3)",
                                       "cells => cells.map(c => c.textContent)")
    assert status == sorted(status, key=["below", "waived", "meets", "unchanged"].index)
    page.click("#unit-table th[data-sort=population]")
    populations = page.evaluate("[...document.querySelectorAll('#unit-table tr[data-code]')].map(r => "
                                "Number(r.children[4].textContent.replace(/,/g, '')))")
    assert populations == sorted(populations, reverse=True) and len(set(populations)) > 1
    page.click("#unit-table th[data-sort=population]")
    assert table_codes(page)[0] != table_codes(page)[-1]
    for key in ("shortfall", "area", "access", "gaps", "status"):
        page.click(f"#unit-table th[data-sort={key}]")
        assert len(table_codes(page)) == 8
    page.select_option("#table-parent", label="P2 (P2)")
    assert sorted(table_codes(page)) == ["00904", "00905", "00906", "00907"]
    assert page.text_content("#table-count") == "4 units"
    page.click("#unit-table tr[data-code='00905']")
    now = state(page)
    assert now["selected"] == "00905" and now["zoom"] > now["fitZoom"] and now["drawnOld"] < 24
    page.select_option("#table-parent", "")
    assert len(table_codes(page)) == 8


def test_colour_by_status_tells_waived_from_meets(page):
    colour(page, "status")
    assert state(page)["colourBy"] == "status"
    legend = page.inner_text("#legend")
    assert "meets the standard (4)" in legend and "meets only by the waiver (4)" in legend
    fills = {code: page.evaluate(f"window.plannerMap.fillOf('{code}')") for code in ("00900", "00903")}
    assert fills == {"00900": PAGE_STATUS_COLOURS["waived"], "00903": PAGE_STATUS_COLOURS["meets"]}
    assert PAGE_STATUS_COLOURS["waived"] != PAGE_STATUS_COLOURS["meets"]
    x, y = page.evaluate("window.plannerMap.screenPoint('00903')")
    assert pixel(page, "fills", x, y + 20) == PAGE_STATUS_COLOURS["meets"].lower()
    assert coloured_pixels(page, PALETTE) == 0


def test_colour_by_a_figure_in_quantile_classes(page):
    colour(page, "figure:population")
    rows = page.eval_on_selector_all("#legend .key[data-value]", "rows => rows.map(r => r.textContent)")
    assert 2 <= len(rows) <= 5 and all("(" in r for r in rows)
    assert sum(int(r.rsplit("(", 1)[1].rstrip(")")) for r in rows) == 8
    fills = {code: page.evaluate(f"window.plannerMap.fillOf('{code}')") for code in ("00900", "00907")}
    assert fills["00900"] == SEQUENTIAL[0] and fills["00907"] == SEQUENTIAL[-1]  # least and most populous
    colour(page, "figure:gaps")
    assert page.evaluate("window.plannerMap.fillOf('00901')") == SEQUENTIAL[0]  # no gaps: the lowest class


def test_colour_by_readiness_from_the_gaps(page):
    colour(page, "readiness")
    fills = {code: page.evaluate(f"window.plannerMap.fillOf('{code}')")
             for code in ("00900", "00903", "00904", "00901")}
    assert fills == {"00900": READINESS_COLOURS["not_ready"], "00903": READINESS_COLOURS["at_risk"],
                     "00904": READINESS_COLOURS["ready"], "00901": READINESS_COLOURS["ready"]}
    assert "not ready (1)" in page.inner_text("#legend")


def test_colour_by_access_colours_old_units_and_draws_lines_to_the_seat(page):
    colour(page, "access")
    old = {code: page.evaluate(f"window.plannerMap.oldFillOf('{code}')") for code in ("00100", "00101", "00102")}
    assert set(old.values()) <= set(SEQUENTIAL) and len(set(old.values())) >= 2
    assert page.evaluate("document.querySelector('.leaflet-old-pane canvas') !== null")
    page.evaluate("window.plannerMap.zoomTo('00900')")
    lines = page.evaluate("window.plannerMap.accessLines()")
    assert lines == 3  # one per old unit of the selected unit


def test_each_unit_s_marker_shows_its_most_serious_gap_of_the_four(page):
    assert state(page)["gapMode"] == "units"
    assert markers(page) == {"00900": ("critical", 2), "00903": ("high", 1), "00904": ("medium", 2)}
    for marker in page.evaluate("window.plannerMap.markers()"):
        x, y = page.evaluate("[document.querySelector('#labels').getBoundingClientRect().left, "
                             "document.querySelector('#labels').getBoundingClientRect().top]")
        assert pixel(page, "labels", x + marker["x"] - 4, y + marker["y"]) == SEVERITY_COLOURS[marker["severity"]]
    legend = page.inner_text("#legend")
    assert [legend.index(f"gap, {s} severity") for s in ("critical", "high", "medium", "low")] == sorted(
        legend.index(f"gap, {s} severity") for s in ("critical", "high", "medium", "low"))


def test_the_filters_choose_the_gaps_marked(page, map_page):
    boxes = page.eval_on_selector_all("#gap-filter label", "ls => ls.map(l => l.textContent.trim())")
    assert boxes[:4] == ["\u25cf critical (1)", "\u25cf high (1)", "\u25cf medium (1)", "\u25cf low (2)"]
    assert boxes[4:] == ["access (1)", "seal (1)", "staff (2)", "task (1)"]
    tick(page, "severity", "critical")
    assert markers(page) == {"00900": ("low", 1), "00903": ("high", 1), "00904": ("medium", 2)}
    tick(page, "severity", "low")
    assert markers(page) == {"00903": ("high", 1), "00904": ("medium", 1)}
    tick(page, "severity", "critical")
    tick(page, "severity", "low")
    tick(page, "type", "staff")
    assert markers(page) == {"00900": ("critical", 1), "00903": ("high", 1), "00904": ("medium", 1)}
    tick(page, "type", "access")
    tick(page, "type", "seal")
    assert markers(page) == {"00900": ("critical", 1)} and state(page)["gapMarkers"] == 1
    for kind, value in (("type", "staff"), ("type", "access"), ("type", "seal")):
        tick(page, kind, value)
    assert markers(page) == {"00900": ("critical", 2), "00903": ("high", 1), "00904": ("medium", 2)}
    assert map_page[1].errors == []


def test_zoomed_out_the_markers_group_by_parent(browser, map_out):
    small, seen = open_page(browser, map_out / "map.html", 500, 400)
    assert state(small)["gapMode"] == "units"
    for _ in range(3):
        small.click("#zoom-out")
    assert state(small)["gapMode"] == "parents"
    assert markers(small) == {"P1": ("critical", 3), "P2": ("medium", 2)}
    tick(small, "severity", "critical")
    assert markers(small) == {"P1": ("high", 2), "P2": ("medium", 2)}
    assert seen.errors == []
    small.close()


def test_a_pan_redraws_the_map_and_is_timed(page):
    before = state(page)["renders"]
    seconds = page.evaluate("window.plannerMap.panBy(60, 0)")
    page.wait_for_function(f"window.plannerMap.state().renders > {before}")
    assert isinstance(seconds, (int, float)) and seconds > 0
    assert state(page)["drawnNew"] == 8


def test_map_files_are_written(map_out):
    assert sorted(p.name for p in Path(map_out).glob("map.*")) == ["map.html", "map.png", "map.svg"]

