"""Packing, recombination and bounds on Thanh Hóa's real units, and a bound that a plan reaches."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import SCENARIO_YAML, grid_units, write_grid_scenario

from planner import pipeline
from planner.optimize import OptimizeSettings, optimize
from planner.optimize.bounds import primary_bound, separate_stranded, stranded_units
from planner.optimize.first_plan import grown_plan
from planner.optimize.packing import candidate_groups, pack
from planner.optimize.recombine import Pool, recombine
from planner.optimize.region import CountTarget, regions_of
from planner.optimize.scoring import connected, group_status, group_violations, score
from planner.rules.standards import MEETS
from tests.conftest import ROOT

THANH_HOA = ROOT / "scenarios" / "vn-thanh-hoa"


@pytest.fixture(scope="module")
def thanh_hoa():
    """Thanh Hóa's one region with the official count and a 12.6 km access limit."""
    scenario, graph = pipeline.open_scenario(THANH_HOA)
    (region,) = regions_of(scenario, graph, {"38": CountTarget("count", 166, 166)}, 12.6)
    return scenario.preset, region


def assert_partition(region, groups) -> None:
    members = sorted(u for m in groups.values() for u in m)
    assert members == list(range(region.size))
    for seat, m in groups.items():
        assert seat in m and connected(region, m)
        assert group_violations(region, m, seat) == 0


@pytest.mark.shared_data
def test_packing_beats_growth_and_covers_every_unit(thanh_hoa) -> None:
    preset, region = thanh_hoa
    candidates = candidate_groups(region, preset, random.Random(0), variants=4)
    assert candidates == sorted(set(candidates))
    assert all(group_status(region, preset, list(c)) == MEETS for c in candidates)
    packed = pack(region, preset, candidates, seed=0, deterministic_time=1.0)
    assert_partition(region, packed)
    grown = grown_plan(region, preset, list(range(region.size)))
    packed_meets = score(region, preset, packed, "soft", 0)[2]
    assert packed_meets > score(region, preset, grown, "soft", 0)[2]
    assert packed == pack(region, preset, candidates, seed=0, deterministic_time=1.0)


@pytest.mark.shared_data
def test_recombination_keeps_what_it_has_and_finds_better_covers(thanh_hoa) -> None:
    preset, region = thanh_hoa
    grown = grown_plan(region, preset, list(range(region.size)))
    packed = pack(region, preset, candidate_groups(region, preset, random.Random(1), variants=2), seed=0,
                  deterministic_time=0.5)
    pool = Pool()
    pool.add(grown)
    pool.add_border_variants(region, packed)
    best = recombine(region, preset, pool, packed, "soft", 0, nodes=100, lo=1, hi=region.size)
    assert_partition(region, best)
    # the pool's one-unit border moves and re-placed seats shorten the distances at least
    assert score(region, preset, best, "soft", 0) > score(region, preset, packed, "soft", 0)
    assert score(region, preset, best, "soft", 0)[2] >= score(region, preset, packed, "soft", 0)[2]


@pytest.mark.shared_data
def test_thanh_hoa_has_no_stranded_unit_at_the_official_access(thanh_hoa) -> None:
    preset, region = thanh_hoa
    # Phường Hải Bình lies more than 14 km from each of its neighbours, but Xã Nghi Sơn could hold it
    assert stranded_units(region, preset) == []
    assert primary_bound(region, preset) == (166, "count")


def test_stranded_units_bound_the_units_meeting_the_standard(tmp_path: Path) -> None:
    """With 1 km of access no grid unit can join another, and none is big enough alone."""
    folder = write_grid_scenario(tmp_path / "grid", grid_units(), SCENARIO_YAML + "target: {count: 12}\n"
                                 "access: {max_km: 1}\n")
    scenario, graph = pipeline.open_scenario(folder)
    (region,) = regions_of(scenario, graph, {"01": CountTarget("count", 12, 12)}, 1.0)
    assert stranded_units(region, scenario.preset) == list(range(12))
    assert separate_stranded(region, scenario.preset) == list(range(12))
    result = optimize(scenario, graph, OptimizeSettings(time_limit_s=60, seed=0, workers=1, solves=5))
    assert (result.objective, result.bound, result.status) == (0, 0, "bound_reached")
