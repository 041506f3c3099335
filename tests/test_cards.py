"""One card per new unit: cards.html printed by real headless Chromium (one A4 page each) and the cards sheet.

Chromium is required (Debian: ``apt-get install chromium``; CI's ``.ci/run`` installs it), driven through playwright
(``browser_pages``): the browser test fails, not skips, when either is missing.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pandas as pd
import pypdf
import pytest
from browser_pages import chromium, open_page
from map_fixture import HOSTILE, write_map_scenario
from openpyxl import load_workbook

from planner import pipeline
from planner.cli import main
from planner.transition.cards import card_words, render_cards, unit_cards
from planner.transition.readiness import unit_status

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "demo"
A4_POINTS = (595.0, 842.0)


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cards") / "out"
    assert main(["evaluate", str(DEMO), "--out", str(out), "--no-maps"]) == 0
    return out


@pytest.fixture(scope="module")
def demo_cards():
    scenario, graph = pipeline.open_scenario(DEMO)
    evaluation = pipeline.evaluate(scenario, graph)
    report = pipeline.find_plan_gaps(scenario, graph, evaluation)
    return scenario, evaluation, report, unit_cards(scenario, evaluation, report)


def number(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def test_cards_print_one_a4_page_per_new_unit_with_its_figures(demo_out):
    with chromium() as browser:
        page, seen = open_page(browser, demo_out / "cards.html")
        pdf = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
        assert seen.errors == [] and seen.requests[1:] == []
    units = pd.read_csv(demo_out / "units.csv", dtype={"new_unit": str, "seat": str})
    members = pd.read_csv(demo_out / "members.csv", dtype={"unit": str, "new_unit": str})
    assert len(pdf.pages) == len(units) == 100
    assert all(abs(float(p.mediabox.width) - A4_POINTS[0]) < 1 and abs(float(p.mediabox.height) - A4_POINTS[1]) < 1
               for p in pdf.pages)
    gaps = pd.read_csv(demo_out / "gaps.csv", dtype={"unit": str})
    below_units = units[units["status"] == "below"]
    with_gaps = below_units[below_units["new_unit"].isin(gaps["unit"])]
    below = (with_gaps if len(with_gaps) else below_units).iloc[0]
    index = units.index[units["new_unit"] == below["new_unit"]][0]
    text = " ".join(pdf.pages[index].extract_text().split())
    assert below["name"] in text and below["seat_name"] in text and f"new unit {below['new_unit']}" in text
    assert f"population {number(below['population'])}" in text and f"area {number(below['area_km2'], 3)} km²" in text
    assert "below the standard" in text
    short = below["population_short"] if below["population_short"] > 0 else below["area_short_km2"]
    assert number(short, 0 if below["population_short"] > 0 else 3) in text
    assert f"{number(below['access_max_km'], 3)} km" in text
    for name in members.loc[members["new_unit"] == below["new_unit"], "name"]:
        assert name in text
    own = gaps.loc[gaps["unit"] == below["new_unit"], "severity"]
    assert f"gaps on the go-live day ({len(own)})" in text
    words = card_words()
    status = unit_status(list(own), words)
    assert f"readiness on the go-live day: {words['readiness']['words'][status]}" in text
    assert f"card {index + 1} of 100" in text


def test_the_cards_sheet_has_one_row_per_new_unit(demo_out):
    sheet = load_workbook(demo_out / "plan.xlsx", read_only=True)["cards"]
    rows = list(sheet.values)
    header, body = list(rows[0]), rows[1:]
    units = pd.read_csv(demo_out / "units.csv", dtype={"new_unit": str, "seat": str})
    assert [r[0] for r in body] == list(units["new_unit"])
    first = dict(zip(header, body[0]))
    unit = units.iloc[0]
    assert (first["name"], first["seat_name"], first["population"]) == (unit["name"], unit["seat_name"],
                                                                        unit["population"])
    assert first["n_members"] == unit["n_constituents"]
    assert first["readiness"] in set(card_words()["readiness"]["words"].values())
    assert first["standard"].startswith("population >= ")
    gaps = pd.read_csv(demo_out / "gaps.csv", dtype={"unit": str})
    assert sum(dict(zip(header, r))["gaps"] for r in body) == int(gaps["unit"].isin(units["new_unit"]).sum())


def test_every_label_comes_from_the_words_file(demo_cards):
    scenario, evaluation, report, _ = demo_cards
    words = copy.deepcopy(card_words())
    english = dict(words["labels"])
    words["labels"] = {key: f"[{key.upper()}]" + ("{count}" if "{count}" in value else "")
                       + ("{number}/{total}" if "{number}" in value else "") for key, value in english.items()}
    words["readiness"]["words"] = {key: f"[READY-{key}]" for key in words["readiness"]["words"]}
    cards = unit_cards(scenario, evaluation, report, words)
    html = render_cards(scenario, evaluation, cards, words)
    for phrase in ("readiness on the go-live day", "old units merged", "what and how to fix", "legal basis",
                   "mean distance to the seat", "takes effect", "card 1 of"):
        assert phrase not in html
    assert "[READINESS]" in html and "[MEMBERS]" in html and "[READY-not_ready]" in html
    assert all(card["name"] in html for card in cards)  # Vietnamese names written as UTF-8, not as entities
    assert render_cards(scenario, evaluation, cards, words) == html


def test_kind_words_and_legal_basis_come_from_the_preset(demo_cards):
    scenario, _, _, cards = demo_cards
    kinds = {card["kind"]: card["kind_word"] for card in cards}
    assert kinds == {kind: scenario.preset.naming.words_of(kind)[0] for kind in kinds}
    sources = {scenario.preset.source_text(str(rule.source)) for rule in scenario.preset.standards}
    judged = [card for card in cards if card["status"] in ("meets", "below", "waived")]
    assert judged and all(any(source in card["legal_basis"] for source in sources) for card in judged)
    for card in (card for card in cards if card["status"] == "waived"):
        assert scenario.preset.source_text(str(scenario.preset.waiver["source"])) in card["legal_basis"]


def test_names_are_printed_as_text(tmp_path):
    scenario, graph = pipeline.open_scenario(write_map_scenario(tmp_path / "scenario"))
    evaluation = pipeline.evaluate(scenario, graph)
    report = pipeline.find_plan_gaps(scenario, graph, evaluation)
    html = render_cards(scenario, evaluation, unit_cards(scenario, evaluation, report))
    assert HOSTILE in "".join(scenario.units["name"]) and HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
