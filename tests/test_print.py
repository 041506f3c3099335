"""The printed map and the atlas: paper and orientation, header and footer lines, the reference layers, the
notice of boundaries that may not be redistributed, and atlas.pdf (one page per parent unit plus the index)."""

from __future__ import annotations

import io
import json

import pytest
from map_fixture import write_map_scenario
from PIL import Image
from pypdf import PdfReader

from planner import pipeline
from planner.cli import main
from planner.maps import prepare_map, static
from planner.maps.atlas import page_data, render_atlas
from tests.conftest import ROOT

NOTICE = "GADM licence terms apply: do not pass these maps on"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    folder = write_map_scenario(tmp_path_factory.mktemp("print") / "scenario")
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(text.replace(
        "  tolerance_m: 20\n", f"  tolerance_m: 20\n  redistribution: not_allowed\n  notice: \"{NOTICE}\"\n"),
        encoding="utf-8")
    scenario, graph = pipeline.open_scenario(folder)
    return folder, scenario, graph, pipeline.evaluate(scenario, graph)


@pytest.fixture(scope="module")
def demo_by_district():
    """The demo with merges kept within districts: its 12 districts are the atlas's parents."""
    scenario, graph = pipeline.open_scenario(ROOT / "scenarios" / "demo",
                                             {"preset_overrides": {"merge_within": "district"}})
    return prepare_map(scenario, graph, pipeline.evaluate(scenario, graph), draft_date="2025-06-10")


def texts(figure) -> list[str]:
    return [t.get_text() for t in figure.texts] + [t.get_text() for t in figure.legends[0].get_texts()]


def test_the_header_and_footer_say_dates_sources_and_the_notice(small):
    _, scenario, graph, evaluation = small
    data = prepare_map(scenario, graph, evaluation, draft_date="2025-06-10")
    figure = static._figure(data)
    try:
        lines = texts(figure)
    finally:
        static.plt.close(figure)
    assert "Effective 2025-07-01" in lines and "Draft of 2025-06-10" in lines
    assert NOTICE in lines
    source = " ".join(line for line in lines if not line.startswith(("Effective", "Draft")))
    assert "24 old units from units.csv" in source and "population from population (24 units)" in source
    assert "boundaries from boundaries.geojson" in source
    assert "District boundaries before the arrangement (4)" in lines
    assert "Province boundaries before the arrangement (1)" in lines


def test_an_undated_draft_and_no_notice_when_redistribution_is_allowed(small):
    _, scenario, graph, evaluation = small
    scenario.document["boundaries"].pop("redistribution")
    try:
        data = prepare_map(scenario, graph, evaluation)
    finally:
        scenario.document["boundaries"]["redistribution"] = "not_allowed"
    assert data.notice == "" and data.draft_date == ""
    figure = static._figure(data)
    try:
        assert "Draft" in texts(figure) and NOTICE not in texts(figure)
    finally:
        static.plt.close(figure)


@pytest.mark.parametrize(("paper", "orientation", "pixels"), [
    ("A4", "portrait", (1654, 2338)), ("A4", "landscape", (2338, 1654)), ("A3", "landscape", (3308, 2338))])
def test_paper_and_orientation(small, paper, orientation, pixels):
    _, scenario, graph, evaluation = small
    png, _ = static.render_static(prepare_map(scenario, graph, evaluation), paper=paper, orientation=orientation)
    width, height = Image.open(io.BytesIO(png)).size
    assert (width, height) == pytest.approx(pixels, abs=2)


def test_an_unknown_paper_is_refused(small):
    _, scenario, graph, evaluation = small
    with pytest.raises(ValueError, match="unknown paper 'Letter': expected one of A4, A3"):
        static.render_static(prepare_map(scenario, graph, evaluation), paper="Letter")


def test_the_atlas_has_an_index_and_one_page_per_parent(demo_by_district):
    data = demo_by_district
    assert data.parents.level == "district" and len(data.parents.codes) == 12
    first, second = render_atlas(data), render_atlas(data)
    assert first == second
    pages = PdfReader(io.BytesIO(first)).pages
    assert len(pages) == 1 + 12
    assert "index of the atlas" in pages[0].extract_text()
    for number, name in enumerate(data.parents.names, start=2):
        text = pages[number - 1].extract_text()
        assert name in text and f"page {number} of 13" in text
        assert "Effective 2025-07-01" in text and "Draft of 2025-06-10" in text


def test_an_atlas_page_holds_its_parents_units_alone(demo_by_district):
    data = demo_by_district
    page = page_data(data, 3)
    chosen = [i for i, p in enumerate(data.parents.of_new) if p == 3]
    assert [u.code for u in page.new] == [data.new[i].code for i in chosen]
    assert sorted(u.code for u in page.old) == sorted(data.old[j].code for i in chosen for j in data.members[i])
    assert [[page.old[j].code for j in m] for m in page.members] == \
        [[data.old[j].code for j in data.members[i]] for i in chosen]
    assert {g.unit for g in page.gaps} <= {u.code for u in page.new}
    assert page.parents.codes == [data.parents.codes[3]] and page.parents.of_new == [0] * len(chosen)


def test_the_map_command_prints_on_a3_landscape_with_an_atlas(small, tmp_path, capsys):
    folder, *_ = small
    out = tmp_path / "out"
    assert main(["map", str(folder), "--out", str(out), "--paper", "A3", "--orientation", "landscape",
                 "--draft-date", "2025-06-10", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert str(out / "atlas.pdf") in summary["map_files"]
    assert Image.open(out / "map.png").size == pytest.approx((3308, 2338), abs=2)
    pages = PdfReader(out / "atlas.pdf").pages
    assert len(pages) == 2  # the index and the one province
    assert NOTICE in pages[1].extract_text()
    assert pages[0].mediabox.width == pytest.approx(16.54 * 72, abs=1)


def test_a_bad_paper_on_the_command_line_is_refused(small, tmp_path, capsys):
    folder, *_ = small
    with pytest.raises(SystemExit) as stop:
        main(["map", str(folder), "--out", str(tmp_path / "out"), "--paper", "A5"])
    assert stop.value.code == 2
    assert "invalid choice: 'A5'" in capsys.readouterr().err


def test_the_source_line_marks_population_columns_the_scenario_calls_estimates(tmp_path):
    folder = write_map_scenario(tmp_path / "scenario")
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    assert "\nunits:\n" in text
    text = text.replace("\nunits:\n", "\nunits:\n  estimated_population: [population]\n")
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    scenario, graph = pipeline.open_scenario(folder)
    data = prepare_map(scenario, graph, pipeline.evaluate(scenario, graph))
    assert "population from population (24 units, estimated)" in data.source
