"""The LP bound on new units meeting the standard: never below what a plan can reach, and tighter than
dividing population by the minimum where the access limit or the units' sizes stand in the way."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from ortools.sat.python import cp_model

from planner.optimize.bounds import _resource_bound, lone_seats, primary_bound, seat_requirements
from planner.optimize.connected_bound import connected_packing_bound
from planner.optimize.lp_bound import packing_bound
from planner.optimize.region import CountTarget, example_region
from planner.optimize.scoring import connected, group_status
from planner.rules.standards import MEETS


def exact_packing(region, preset) -> int:
    """The most disjoint contiguous new units meeting the standard, by enumeration and CP-SAT."""
    sets = [members for k in range(1, region.size + 1) for members in itertools.combinations(range(region.size), k)
            if connected(region, list(members)) and group_status(region, preset, list(members)) == MEETS
            and any(all(region.reachable(u, s) for u in members) for s in members)]
    model = cp_model.CpModel()
    y = [model.NewBoolVar("") for _ in sets]
    for u in range(region.size):
        model.AddAtMostOne([v for v, members in zip(y, sets) if u in members])
    model.Maximize(sum(y))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.Solve(model) == cp_model.OPTIMAL
    return int(solver.ObjectiveValue())


@pytest.mark.parametrize("seed", range(4))
def test_the_bound_is_never_below_the_best_packing(seed: int) -> None:
    region, preset = example_region(columns=4, rows=3)
    rng = np.random.default_rng(seed)
    region = replace(region, population=rng.uniform(2000, 15000, region.size),
                     area=rng.uniform(5, 25, region.size), access_max_km=2.3)
    bound = packing_bound(region, seat_requirements(region, preset), []).value
    best = exact_packing(region, preset)
    assert best <= bound <= _resource_bound(region, preset)


def test_the_access_limit_tightens_the_bound() -> None:
    """Units 1 km apart with 0.5 km of access cannot join: no new unit can meet the standard,
    though population and area would allow two."""
    region, preset = example_region(columns=4, rows=1, population=9000, area_km2=20)
    region = replace(region, access_max_km=0.5, target=CountTarget("max_p", 1, 4))
    assert _resource_bound(region, preset) >= 2
    assert packing_bound(region, seat_requirements(region, preset), []).value == 0
    assert primary_bound(region, preset, "strict") == (0, "lp")


def test_the_bound_is_skipped_when_the_plan_reaches_the_count() -> None:
    region, preset = example_region(columns=3, rows=2)
    region = replace(region, target=CountTarget("count", 2, 2))
    assert primary_bound(region, preset, "soft", objective=2) == (2, "count")


def test_units_left_as_they_were_do_not_count_alone() -> None:
    """Under vn-2025 a commune left by itself is unchanged, never meeting the standard: four
    communes that each meet it alone make at most two new units that meet it."""
    region, preset = example_region(columns=4, rows=1, population=20000, area_km2=40)
    region = replace(region, target=CountTarget("max_p", 1, 4))
    assert packing_bound(region, seat_requirements(region, preset), []).value == 4
    assert lone_seats(region, preset) == frozenset(range(4))
    assert primary_bound(region, preset, "strict") == (2, "lp")
    assert exact_packing(region, preset) == 2


def star_region():
    """Four communes of 8,000 residents around a small one that borders each of them."""
    region, preset = example_region(columns=5, rows=1, population=8000, area_km2=30)
    population = np.array([100.0, 8000.0, 8000.0, 8000.0, 8000.0])
    return replace(region, population=population, neighbours=[[1, 2, 3, 4], [0], [0], [0], [0]],
                   target=CountTarget("max_p", 1, 5)), preset


def test_contiguity_tightens_the_max_p_bound() -> None:
    """Two communes of the star meet the standard together, but only through the centre: the
    sets without contiguity give 2, the contiguous ones 1, as many as a plan can have."""
    region, preset = star_region()
    assert packing_bound(region, seat_requirements(region, preset), [], not_alone=lone_seats(region, preset)).value == 2
    assert exact_packing(region, preset) == 1
    assert primary_bound(region, preset, "strict") == (1, "lp_contiguous")


@pytest.mark.parametrize("seed", range(4))
def test_the_contiguous_bound_is_never_below_the_best_packing(seed: int) -> None:
    region, preset = example_region(columns=4, rows=3)
    rng = np.random.default_rng(seed)
    region = replace(region, population=rng.uniform(2000, 15000, region.size),
                     area=rng.uniform(5, 25, region.size), target=CountTarget("max_p", 1, region.size))
    requirements, lone = seat_requirements(region, preset), lone_seats(region, preset)
    first = packing_bound(region, requirements, [], not_alone=lone)
    tighter = connected_packing_bound(region, requirements, first, [], not_alone=lone)
    assert exact_packing(region, preset) <= tighter <= first.value


def test_max_p_counts_units_kept_unchanged() -> None:
    """A small commune the scenario keeps unchanged is a new unit of its own: the max-p bound counts it,
    so it is never below a plan's count (the four others make two new units meeting the standard: 3 in all)."""
    region, preset = example_region(columns=5, rows=1, population=8000, area_km2=30)
    region = replace(region, population=np.array([8000.0, 8000.0, 8000.0, 8000.0, 100.0]), unchanged=[4],
                     target=CountTarget("max_p", 1, 5))
    bound, method = primary_bound(region, preset, "strict")
    assert bound >= 3 and method in ("resource", "lp", "lp_contiguous")
    without = replace(region, unchanged=[])
    assert bound == primary_bound(without, preset, "strict")[0] + 1
