"""Direct tests of the optimizer's stages on small grids of communes (no scenario files needed).

Each stage is called as :mod:`planner.optimize.pipeline` calls it; the grids come from
:func:`planner.optimize.region.example_region` (units 1 km apart, 6,000 residents and 12 km² each,
so three neighbours together meet the 2025 commune standard of 16,000 residents and 30 km²).
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from planner.optimize.dissolve import dissolve_weak
from planner.optimize.groups import attach_leftovers, components, grow, nearest, seat_of_medoid
from planner.optimize.infeasible import explain, precheck
from planner.optimize.model import SubProblem, solve
from planner.optimize.packing import candidate_groups
from planner.optimize.parallel import sequential_mapper
from planner.optimize.pipeline import optimize_region
from planner.optimize.polish import polish
from planner.optimize.region import CountTarget, example_region
from planner.optimize.scoring import connected, group_status, score
from planner.optimize.search import SearchSettings, search
from planner.rules.standards import MEETS


def assert_partition(region, groups):
    members = sorted(u for m in groups.values() for u in m)
    assert members == list(range(region.size))
    for seat, m in groups.items():
        assert seat in m
        assert connected(region, m)


def weak_count(region, preset, groups):
    return sum(group_status(region, preset, m) != MEETS for m in groups.values())


def test_grow_stops_at_the_standard_and_respects_reach():
    region, preset = example_region(columns=4, rows=1)
    growth = grow(region, preset, 0, nearest(region))
    assert growth.members == [0, 1, 2] and growth.complete
    limited = replace(region, access_max_km=1.0)
    assert grow(limited, preset, 0, nearest(limited)).members == [0, 1]
    assert not grow(limited, preset, 0, nearest(limited)).complete


def test_leftovers_join_a_neighbour_or_stand_alone():
    region, preset = example_region(columns=4, rows=1)
    groups = {1: [0, 1, 2]}
    attach_leftovers(region, preset, groups, [3])
    assert groups == {1: [0, 1, 2, 3]}
    far = replace(region, access_max_km=1.0)
    groups = {1: [0, 1, 2]}
    attach_leftovers(far, preset, groups, [3])
    assert groups == {1: [0, 1, 2], 3: [3]}


def test_medoid_seat_keeps_every_member_in_reach():
    region, _ = example_region(columns=5, rows=1)
    assert seat_of_medoid(region, [0, 1, 2, 3, 4], -1) == 2
    assert seat_of_medoid(replace(region, access_max_km=1.5), [0, 1, 2, 3, 4], -1) == -1
    assert seat_of_medoid(replace(region, fixed_seats=[4]), [0, 1, 2, 3, 4], -1) == 4


@pytest.mark.parametrize("seed", range(6))
def test_model_judges_new_units_as_the_evaluation_does(seed):
    """Free neighbourhood solves: the model's count of units meeting the standard is the evaluation's,
    for lowland, mountainous and mixed new units."""
    rng = random.Random(seed)
    region, preset = example_region(columns=4, rows=3)
    lowland = seed % 2 == 0
    region = replace(region, terrains=[rng.choice(["other"] if lowland else ["other", "other", "mountainous"])
                                       for _ in range(region.size)],
                     population=np.array([rng.choice([2000.0, 6000.0, 9000.0]) for _ in range(region.size)]),
                     area=np.array([rng.choice([12.0, 40.0]) for _ in range(region.size)]))
    k = rng.choice([3, 4, 5])
    result = solve(region, preset, SubProblem(list(range(region.size)), k, k, "soft", 0), seed=0,
                   deterministic_time=1.0)
    assert_partition(region, result.groups)
    assert result.meets == sum(group_status(region, preset, m) == MEETS for m in result.groups.values())


def test_a_lowland_neighbourhood_is_solved_to_units_meeting_the_standard():
    region, preset = example_region(columns=3, rows=2)
    result = solve(region, preset, SubProblem(list(range(6)), 2, 2, "soft", 0), seed=0, deterministic_time=0.5)
    assert result.meets == 2


def test_search_repairs_a_poor_plan_at_the_same_count():
    region, preset = example_region(columns=4, rows=3)
    region = replace(region, target=CountTarget("count", 4, 4))
    poor = {0: [0], 1: [1], 2: [2], 3: [3, 4, 5, 6, 7, 8, 9, 10, 11]}
    settings = SearchSettings(seed=3, solves=40, batch=1, deterministic_time=0.2)
    outcome = search(region, preset, poor, settings, sequential_mapper(region, preset))
    assert_partition(region, outcome.groups)
    assert len(outcome.groups) == 4
    assert outcome.score > score(region, preset, poor, "soft", 0)
    assert weak_count(region, preset, outcome.groups) == 0
    again = search(region, preset, poor, settings, sequential_mapper(region, preset))
    assert again.groups == outcome.groups


def test_search_stops_on_the_clock_and_says_so():
    region, preset = example_region(columns=4, rows=3)
    region = replace(region, target=CountTarget("count", 4, 4))
    poor = {0: [0], 1: [1], 2: [2], 3: [3, 4, 5, 6, 7, 8, 9, 10, 11]}
    settings = SearchSettings(seed=3, solves=40, batch=1, deterministic_time=0.2, stop_at=0.0)
    outcome = search(region, preset, poor, settings, sequential_mapper(region, preset))
    assert outcome.stopped_by_clock and outcome.solves == 0
    assert outcome.groups == poor


@pytest.mark.parametrize("count", [4, None])
def test_every_stage_honours_the_emergency_stop(count):
    """Past the stop, candidates, packing, dissolving, search, recombination and polish do no more
    work, and the region's plan is still a plan of the target's count, marked as stopped."""
    region, preset = example_region(columns=4, rows=3)
    if count is not None:
        region = replace(region, target=CountTarget("count", count, count))
    assert candidate_groups(region, preset, random.Random(0), stop_at=0.0) == []
    groups = {0: [0, 1, 4, 5], 2: [2, 3, 6, 7], 8: [8, 9, 10, 11]}
    stopped = polish(region, preset, groups, stop_at=0.0)
    assert sorted(stopped.values()) == sorted(groups.values())   # seats may move, no unit does
    settings = SearchSettings(seed=3, solves=40, batch=1, deterministic_time=0.2, stop_at=0.0)
    outcome = optimize_region(region, preset, settings)
    assert outcome.stopped_by_clock and outcome.solves == 0
    assert_partition(region, outcome.groups)
    if count is not None:
        assert len(outcome.groups) == count


def test_dissolving_weak_units_leaves_fewer_below_the_standard():
    region, preset = example_region(columns=3, rows=2)
    region = replace(region, target=CountTarget("count", 2, 2))
    groups = {0: [0], 1: [1, 2], 4: [3, 4, 5]}
    assert weak_count(region, preset, groups) == 2
    settings = SearchSettings(seed=0, deterministic_time=0.5)
    dissolved, solves = dissolve_weak(region, preset, groups, settings, sequential_mapper(region, preset))
    assert solves >= 1
    assert_partition(region, dissolved)
    assert weak_count(region, preset, dissolved) == 0
    assert len(dissolved) == 2


def test_dissolving_keeps_a_plan_with_no_weak_unit():
    region, preset = example_region(columns=3, rows=2)
    groups = {1: [0, 1, 2], 4: [3, 4, 5]}
    settings = SearchSettings(seed=0, deterministic_time=0.5)
    assert dissolve_weak(region, preset, groups, settings, sequential_mapper(region, preset)) == (groups, 0)


def test_polish_moves_seats_and_border_units_without_losing_a_status():
    region, preset = example_region(columns=6, rows=1)
    groups = {0: [0, 1, 2, 3], 5: [4, 5]}
    polished = polish(region, preset, groups)
    assert polished == {1: [0, 1, 2], 4: [3, 4, 5]}
    assert weak_count(region, preset, polished) == 0
    assert score(region, preset, polished, "soft", 0) > score(region, preset, groups, "soft", 0)


def test_polish_keeps_units_that_must_stay_unchanged():
    region, preset = example_region(columns=6, rows=1)
    region = replace(region, unchanged=[5])
    groups = {1: [0, 1, 2, 3, 4], 5: [5]}
    assert polish(region, preset, groups)[5] == [5]


def test_explanation_names_the_conflicting_decisions():
    region, preset = example_region(columns=3, rows=2)
    region = replace(region, target=CountTarget("count", 1, 1), keep_apart=[[0, 5]])
    assert precheck(region, preset, "soft") == []
    reasons = explain(region, preset, "soft", seed=0)
    assert len(reasons) == 1
    assert "keep_apart group 1 (00000 Xã 0, 00005 Xã 5)" in reasons[0]
    assert "the target of 1 new units" in reasons[0]


def test_explanation_is_empty_when_a_plan_exists():
    region, preset = example_region(columns=3, rows=2)
    region = replace(region, target=CountTarget("count", 2, 2), keep_apart=[[0, 5]])
    assert explain(region, preset, "soft", seed=0) == []


@pytest.mark.parametrize("standards", ["hard", "strict"])
def test_precheck_names_units_that_can_never_meet_the_standard(standards):
    region, preset = example_region(columns=2, rows=1, population=1000.0, area_km2=2.0)
    reasons = precheck(region, preset, standards)
    assert any("cannot reach a group meeting the standard" in r for r in reasons)
    assert precheck(region, preset, "soft") == []


def test_components_of_an_island():
    region, _ = example_region(columns=3, rows=1)
    island = replace(region, neighbours=[[1], [0], []])
    assert components(island, [0, 1, 2]) == [[0, 1], [2]]
