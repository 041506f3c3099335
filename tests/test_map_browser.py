"""map.html in real headless Chromium: loads offline, draws the plan, reacts, escapes names.

Chromium is required (Debian: ``apt-get install chromium``; CI's ``.ci/run`` installs it):
these tests fail, not skip, when it is missing.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from map_fixture import HOSTILE, write_map_scenario
from PIL import Image

from planner import pipeline
from planner.maps import write_maps
from planner.maps.browser import Browser, find_chromium
from planner.maps.colouring import PALETTE
from planner.severities import SEVERITY_COLOURS

GAPS = [
    {"unit": "00903", "type": "seal", "severity": "high", "text": "no seal on day one " + HOSTILE},
    {"unit": "00100", "type": "staff", "severity": "low", "text": "surplus staff"},
    {"unit": "00101", "type": "task", "severity": "critical", "text": "no one owns the land register"},
    {"unit": "00904", "type": "access", "severity": "medium", "text": "far from the seat"},
    {"unit": "00904", "type": "staff", "severity": "low", "text": "surplus staff"},
]


@pytest.fixture(scope="module")
def map_page(tmp_path_factory: pytest.TempPathFactory):
    if find_chromium() is None:
        pytest.fail("Chromium is needed for the map tests and was not found: apt-get install chromium "
                    "(or set PLANNER_CHROMIUM); CI's .ci/run installs it")
    folder = tmp_path_factory.mktemp("map")
    scenario, graph = pipeline.open_scenario(write_map_scenario(folder / "scenario"))
    evaluation = pipeline.evaluate(scenario, graph)
    write_maps(folder / "out", scenario, graph, evaluation, gaps=GAPS, title=f"Review {HOSTILE}")
    with Browser(width=1200, height=800) as browser:
        page = browser.open_page((folder / "out" / "map.html").resolve().as_uri())
        yield page, folder / "out"


def state(page) -> dict:
    return page.evaluate("window.plannerMap.state()")


def coloured_pixels(page) -> int:
    """Pixels of the base canvas painted in one of the palette's fill colours."""
    palette = json.dumps([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in PALETTE])
    return page.evaluate(f"""(() => {{
        const c = document.getElementById('base'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const palette = {palette}; let n = 0;
        for (let i = 0; i < d.length; i += 16)
            for (const p of palette) if (d[i] === p[0] && d[i + 1] === p[1] && d[i + 2] === p[2]) {{ n++; break; }}
        return n; }})()""")


def test_loads_with_no_console_error_and_no_network_request(map_page):
    page, out = map_page
    assert page.evaluate("window.plannerMap.ready") is True
    messages = page.messages()
    assert messages["errors"] == []
    page_url = (out / "map.html").resolve().as_uri()
    assert [url for url in messages["requests"] if url != page_url] == []


def test_draws_every_unit_of_the_plan(map_page):
    page, _ = map_page
    now = state(page)
    assert (now["units"], now["drawnNew"]) == (8, 8)
    assert (now["oldUnits"], now["drawnOld"]) == (24, 24)
    assert now["gapMarkers"] == 3
    assert now["labels"] > 0


def test_clicking_a_unit_opens_its_panel(map_page):
    page, _ = map_page
    x, y = page.evaluate("window.plannerMap.screenPoint('00903')")
    page.click(x, y)
    assert state(page)["selected"] == "00903"
    panel = page.evaluate("document.getElementById('panel').innerText")
    assert "Xã Mới 00903" in panel
    assert "Old units (3)" in panel
    assert "Gaps (1)" in panel and "no seal on day one" in panel
    assert "Failing criteria" in panel


def test_layer_toggles_change_the_drawing(map_page):
    page, _ = map_page
    filled = coloured_pixels(page)
    assert filled > 1000
    page.evaluate("document.getElementById('layer-after').click()")
    assert state(page)["layers"]["after"] is False
    assert state(page)["drawnNew"] == 0
    assert coloured_pixels(page) < filled / 100  # a few grey anti-aliased pixels may match
    page.evaluate("document.getElementById('layer-after').click()")
    assert coloured_pixels(page) == filled
    page.evaluate("document.getElementById('layer-gaps').click()")
    assert state(page)["gapMarkers"] == 0
    page.evaluate("document.getElementById('layer-gaps').click()")
    assert state(page)["gapMarkers"] == 3
    page.evaluate("document.getElementById('layer-before').click()")
    assert state(page)["layers"]["before"] is False and state(page)["oldLabels"] == 0
    page.evaluate("document.getElementById('layer-before').click()")
    page.evaluate("document.getElementById('colour-status').click()")
    assert state(page)["colourBy"] == "status"
    assert coloured_pixels(page) < filled
    page.evaluate("document.getElementById('colour-neighbours').click()")


def test_screenshot_is_not_blank(map_page):
    page, out = map_page
    png = page.screenshot()
    (out / "screenshot.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1200, 800)
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50
    most_common_share = max(count for count, _ in colours) / (1200 * 800)
    assert most_common_share < 0.6


def test_hostile_names_are_text(map_page):
    page, _ = map_page
    assert page.evaluate("document.title") == f"Review {HOSTILE}"
    assert page.evaluate("document.getElementById('title').textContent") == f"Review {HOSTILE}"
    assert page.evaluate("document.scripts.length") == 2
    page.evaluate("(() => { const s = document.getElementById('search'); s.value = 'alert(1)';"
                  " s.dispatchEvent(new Event('input')); })()")
    results = page.evaluate("[...document.querySelectorAll('#results button')].map(b => b.firstChild.textContent)")
    assert results == [HOSTILE, HOSTILE]
    page.evaluate("document.querySelector('#results button').click()")
    assert page.evaluate("document.querySelector('#panel h2').textContent") == HOSTILE
    assert "&lt;script&gt;" in page.evaluate("document.getElementById('panel').innerHTML")
    assert page.evaluate("document.querySelectorAll('#panel script, #results script').length") == 0
    assert not [e for e in page.browser.events if e.get("method") == "Page.javascriptDialogOpening"]
    assert page.messages()["errors"] == []


def test_search_zooms_to_an_old_unit(map_page):
    page, _ = map_page
    page.evaluate("window.plannerMap.zoomTo('00900')")
    assert state(page)["selected"] == "00900"
    assert state(page)["drawnOld"] < 24


def markers(page) -> dict[str, tuple[str, int]]:
    """The gap markers drawn: unit (or parent) code -> (severity shown, number of gaps)."""
    return {m["code"]: (m["severity"], m["count"]) for m in page.evaluate("window.plannerMap.markers()")}


def pixel(page, x: float, y: float) -> str:
    """The colour of the base canvas at a CSS pixel, as #rrggbb."""
    return page.evaluate(f"""(() => {{ const c = document.getElementById('base'), r = c.width / c.clientWidth;
        const d = c.getContext('2d').getImageData(Math.round({x} * r), Math.round({y} * r), 1, 1).data;
        return '#' + [d[0], d[1], d[2]].map(v => v.toString(16).padStart(2, '0')).join(''); }})()""")


def test_each_unit_s_marker_shows_its_most_serious_gap_of_the_four(map_page):
    page, _ = map_page
    page.evaluate("document.getElementById('zoom-reset').click()")
    assert state(page)["gapMode"] == "units"
    assert markers(page) == {"00900": ("critical", 2), "00903": ("high", 1), "00904": ("medium", 2)}
    for marker in page.evaluate("window.plannerMap.markers()"):
        assert pixel(page, marker["x"] - 5, marker["y"]) == SEVERITY_COLOURS[marker["severity"]]
    legend = page.evaluate("document.getElementById('legend').innerText")
    assert [legend.index(f"gap, {s} severity") for s in ("critical", "high", "medium", "low")] == sorted(
        legend.index(f"gap, {s} severity") for s in ("critical", "high", "medium", "low"))


def tick(page, kind: str, value: str) -> None:
    page.evaluate(f"document.querySelector('#gap-filter input[data-{kind}=\"{value}\"]').click()")


def test_the_filters_choose_the_gaps_marked(map_page):
    page, _ = map_page
    page.evaluate("document.getElementById('zoom-reset').click()")
    boxes = page.evaluate("[...document.querySelectorAll('#gap-filter label')].map(l => l.textContent.trim())")
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
    assert markers(page) == {"00900": ("critical", 1)}
    assert state(page)["gapMarkers"] == 1
    for kind, value in (("type", "staff"), ("type", "access"), ("type", "seal")):
        tick(page, kind, value)
    assert markers(page) == {"00900": ("critical", 2), "00903": ("high", 1), "00904": ("medium", 2)}
    assert page.messages()["errors"] == []


def test_zoomed_out_the_markers_group_by_parent(map_page):
    page, out = map_page
    with Browser(width=500, height=400) as browser:
        small = browser.open_page((out / "map.html").resolve().as_uri())
        assert state(small)["gapMode"] == "units"
        for _ in range(3):
            small.evaluate("document.getElementById('zoom-out').click()")
        small.evaluate("window.plannerMap.render()")
        assert state(small)["gapMode"] == "parents"
        assert markers(small) == {"P1": ("critical", 5)}
        tick(small, "severity", "critical")
        assert markers(small) == {"P1": ("high", 4)}
        assert small.messages()["errors"] == []


def test_map_files_are_written(map_page):
    _, out = map_page
    assert sorted(p.name for p in Path(out).glob("map.*")) == ["map.html", "map.png", "map.svg"]
