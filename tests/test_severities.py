"""Gap severities: one order, read from planner/templates/severities.yaml, used by every ranking."""

from __future__ import annotations

import itertools
from importlib import resources

from map_fixture import write_map_scenario

from planner import pipeline
from planner.inputs.yamlio import load_yaml
from planner.maps import prepare_map
from planner.maps.html import page_data
from planner.severities import (
    OTHER_SEVERITY_COLOUR,
    SEVERITIES,
    SEVERITY_COLOURS,
    severity_colour,
    severity_rank,
    worst_severity,
)
from planner.transition import gaps as gap_rules

FOUR = ("critical", "high", "medium", "low")


def test_the_order_is_the_data_file_s():
    document = load_yaml((resources.files("planner") / "templates" / "severities.yaml").read_text("utf-8"))
    assert SEVERITIES == tuple(document["order"]) == FOUR
    assert list(SEVERITY_COLOURS) == list(FOUR)
    assert len(set(SEVERITY_COLOURS.values()) | {OTHER_SEVERITY_COLOUR}) == 5


def test_the_gap_rules_give_only_ranked_severities():
    assert {gap_rules.CRITICAL, gap_rules.HIGH, gap_rules.MEDIUM, gap_rules.LOW} == set(SEVERITIES)
    assert tuple(gap_rules.SEVERITIES) == SEVERITIES


def test_critical_is_the_worst_in_any_order_and_an_unknown_word_ranks_last():
    for mix in itertools.permutations(FOUR):
        assert worst_severity(mix) == "critical"
        assert worst_severity([s for s in mix if s != "critical"]) == "high"
        assert worst_severity(["low", "medium", *[s for s in mix if s in ("low", "medium")]]) == "medium"
    assert sorted(["urgent", *FOUR[::-1]], key=severity_rank) == [*FOUR, "urgent"]
    assert worst_severity(["urgent", "low"]) == "low" and worst_severity([]) is None
    assert severity_colour("urgent") == OTHER_SEVERITY_COLOUR
    assert severity_colour("critical") == SEVERITY_COLOURS["critical"]


def test_the_map_page_carries_the_order(tmp_path):
    scenario, graph = pipeline.open_scenario(write_map_scenario(tmp_path / "scenario"))
    evaluation = pipeline.evaluate(scenario, graph)
    data = prepare_map(scenario, graph, evaluation, [{"unit": "00900", "type": "seal", "severity": s} for s in FOUR])
    page = page_data(data)
    assert page["severities"] == list(FOUR)
    assert page["severityColours"] == SEVERITY_COLOURS
