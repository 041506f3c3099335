"""The kind rule ``any_ward`` and units left as they were (``unchanged``), in the rules, the
evaluation and the optimizer (real CP-SAT solves on small grids)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planner.inputs.preset import load_preset
from planner.inputs.problems import ProblemList
from planner.optimize.bounds import stranded_units
from planner.optimize.model import SubProblem, solve
from planner.optimize.region import example_region
from planner.optimize.scoring import group_status, score
from planner.rules.standards import BELOW, MEETS, UNCHANGED, is_unarranged, judge, merged_kind


def preset(**overrides):
    loaded = load_preset("vn-2025", ProblemList(), overrides=overrides or None)
    assert loaded is not None
    return loaded


def test_a_ward_merged_with_communes_that_hold_most_people_is_a_ward():
    kinds, people = ["ward", "commune", "commune"], [5000, 9000, 8000]
    assert merged_kind(preset(), kinds, people) == "ward"
    majority = preset(merged_kind={"rule": "population_majority"})
    assert merged_kind(majority, kinds, people) == "commune"
    assert merged_kind(preset(), ["township", "commune", "commune"], [9000, 1000, 1000]) == "commune"
    assert merged_kind(preset(), ["township"], [9000]) == "commune"
    assert merged_kind(preset(), ["special_zone", "ward"], [100, 9000]) == "special_zone"


def test_vn_2026_reads_the_same_kind_rule():
    vn2026 = load_preset("vn-2026", ProblemList())
    assert merged_kind(vn2026, ["ward", "commune"], [1000, 90000]) == "ward"
    assert vn2026.exempts_unarranged


def test_a_unit_left_as_it_was_is_unchanged_not_below():
    figures = dict(kind="commune", terrain="other", context="other", population=9000, area_km2=20)
    exempt = judge(preset(), n_constituents=1, unarranged=True, **figures)
    assert exempt.status == UNCHANGED and exempt.as_judged == BELOW and exempt.failing
    judged = judge(preset(unarranged={"rule": "judged"}), n_constituents=1, unarranged=True, **figures)
    assert judged.status == BELOW
    # a township alone becomes a commune: its kind changes, so it is arranged and judged
    assert not is_unarranged(["township"], "commune")


@pytest.mark.parametrize("key, value, words", [
    ("merged_kind", {"rule": "largest"}, "unknown kind rule 'largest'"),
    ("unarranged", {"rule": "ignored"}, "unknown rule 'ignored'"),
])
def test_unknown_rules_are_reported(key, value, words):
    problems = ProblemList()
    assert load_preset("vn-2025", problems, overrides={key: value}) is None
    assert any(words in str(p) for p in problems.errors)


def big_units():
    """Four units 1 km apart, each meeting the commune standard alone (20,000 residents, 40 km²)."""
    return example_region(columns=4, rows=1, population=20000.0, area_km2=40.0)


def test_units_left_alone_never_count_as_meeting_the_standard():
    region, vn = big_units()
    singles = {u: [u] for u in range(4)}
    assert {group_status(region, vn, m) for m in singles.values()} == {UNCHANGED}
    assert score(region, vn, singles, "soft", 0).meets == 0
    assert score(region, vn, {0: [0, 1], 2: [2, 3]}, "soft", 0).meets == 2
    # under hard standards a unit left alone breaks them, unless the scenario keeps it unchanged
    assert score(region, vn, singles, "hard", 0).broken == 4
    assert score(replace(region, unchanged=[0, 1, 2, 3]), vn, singles, "hard", 0).broken == 0
    judged = preset(unarranged={"rule": "judged"})
    assert score(region, judged, singles, "soft", 0).meets == 4


@pytest.mark.parametrize("k", [2, 3, 4])
def test_the_model_counts_units_meeting_the_standard_as_the_evaluation_does(k):
    region, vn = big_units()
    result = solve(region, vn, SubProblem(list(range(4)), k, k, "soft", 0), seed=0, deterministic_time=1.0)
    statuses = [group_status(region, vn, m) for m in result.groups.values()]
    assert result.meets == statuses.count(MEETS)
    assert result.meets == 4 - k  # k new units of 4: only the merged ones count as meeting
    judged = preset(unarranged={"rule": "judged"})
    result = solve(region, judged, SubProblem(list(range(4)), k, k, "soft", 0), seed=0, deterministic_time=1.0)
    assert result.meets == k


def test_a_unit_no_other_can_join_is_stranded_when_units_left_alone_are_exempt():
    region, vn = big_units()
    far = replace(region, access_max_km=0.5, population=np.full(4, 20000.0))
    assert stranded_units(far, vn) == [0, 1, 2, 3]
    assert stranded_units(far, preset(unarranged={"rule": "judged"})) == []
