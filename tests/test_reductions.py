"""Special-factor reductions (R1211 Art. 3a in vn-2025, R112 in vn-2026): each rule on small figures, in the rules,
the evaluation of a small scenario and the optimizer (real CP-SAT solves on small grids)."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import grid_units, scenario_yaml, write_boundaries

from planner.cli import main
from planner.inputs.numbers import NumberFormat
from planner.inputs.preset import load_preset
from planner.inputs.problems import InputError, ProblemList
from planner.inputs.scenario import load_scenario
from planner.optimize.bounds import seat_requirements, stranded_units
from planner.optimize.model import SubProblem, solve
from planner.optimize.region import example_region
from planner.optimize.scoring import group_status
from planner.rules.reductions import Factor, floor_share, read_factor_value, reduction_shares
from planner.rules.standards import BELOW, MEETS, judge


def vn(name: str = "vn-2025", **overrides):
    loaded = load_preset(name, ProblemList(), overrides=overrides or None)
    assert loaded is not None
    return loaded


def shares(preset, kind="commune", terrain="other", populations=(1000.0,), **values):
    found = reduction_shares(preset, kind, terrain, {k: list(v) for k, v in values.items()}, list(populations))
    return {attribute: (round(share, 4), rid) for attribute, (share, rid) in found.items()}


@pytest.mark.parametrize("share, terrain, border, expected", [
    (0.35, "mountainous", False, 0.5),
    (0.35, "other", True, 0.5),
    (0.35, "other", False, None),      # neither mountainous nor on the border
    (0.29, "mountainous", True, None),  # below 30 %
    (0.40, "mountainous", False, 0.45),
    (0.55, "mountainous", False, 0.4),
    (1.0, "mountainous", False, 0.2),   # never below 20 %
])
def test_the_ethnic_minority_reduction_halves_the_population_minimum_and_steps_down(share, terrain, border, expected):
    found = shares(vn(), terrain=terrain, ethnic_minority_share=[share], border=[border])
    assert found.get("population", (None,))[0] == expected
    if expected is not None:
        assert found["population"][1] == "ethnic-minority"


def test_a_merged_unit_takes_the_population_weighted_share_and_any_border():
    # 50 % of 3,000 people and 10 % of 7,000: 22 % together, below 30 %
    assert shares(vn(), terrain="mountainous", populations=(3000, 7000),
                  ethnic_minority_share=[0.5, 0.1], border=[False, False]) == {}
    # 60 % and 20 % of equal populations: 40 %, on the border through the first unit
    found = shares(vn(), populations=(5000, 5000), ethnic_minority_share=[0.6, 0.2], border=[True, False])
    assert found == {"population": (0.45, "ethnic-minority")}


def test_the_coastal_reduction_needs_every_old_unit_confirmed():
    assert shares(vn(), especially_difficult_coastal=[True]) == {"population": (0.5, "especially-difficult-coastal")}
    assert shares(vn(), populations=(1, 1), especially_difficult_coastal=[True, False]) == {}
    verdict = judge(vn(), kind="commune", terrain="other", context="other", population=9000, area_km2=40,
                    n_constituents=2, reductions=reduction_shares(vn(), "commune", "other",
                                                                  {"especially_difficult_coastal": [True, True]},
                                                                  [4500, 4500]))
    assert verdict.status == MEETS and verdict.reductions == ("especially-difficult-coastal",)
    assert judge(vn(), kind="commune", terrain="other", context="other", population=9000, area_km2=40,
                 n_constituents=2).status == BELOW


def test_the_red_river_delta_lowers_the_area_minimum_to_70_percent():
    found = shares(vn(), region=["red_river_delta"])
    assert found == {"area_km2": (0.7, "red-river-delta")}
    verdict = judge(vn(), kind="commune", terrain="other", context="other", population=20000, area_km2=22,
                    n_constituents=2, reductions=reduction_shares(vn(), "commune", "other",
                                                                  {"region": ["red_river_delta"]}, [20000]))
    assert verdict.status == MEETS  # 22 km2 >= 70 % of 30 km2
    assert shares(vn(), region=["mekong_delta"]) == {}
    # rural units only: a ward keeps its minimums
    assert shares(vn(), kind="ward", region=["red_river_delta"]) == {}


def test_several_factors_give_each_criterion_one_reduction_the_lowest():
    found = shares(vn(), terrain="mountainous", ethnic_minority_share=[0.75], border=[False],
                   especially_difficult_coastal=[True], region=["red_river_delta"])
    assert found == {"population": (0.3, "ethnic-minority"), "area_km2": (0.7, "red-river-delta")}


def test_vn_2026_has_the_coastal_and_delta_reductions_of_r112():
    vn2026 = vn("vn-2026")
    assert [r.id for r in vn2026.reductions] == ["especially-difficult-coastal", "red-river-delta"]
    assert shares(vn2026, especially_difficult_coastal=[True]) == {"population": (0.5, "especially-difficult-coastal")}


def test_a_hand_written_preset_declares_a_reduction_on_its_own_column(tmp_path):
    (tmp_path / "islands.yaml").write_text(
        "id: islands\nkinds: {input: [municipality], output: [municipality]}\n"
        "sources: {LAW: Municipalities Act}\n"
        "standards:\n  - {id: m, kind: municipality, criteria: [{attribute: population, min: 5000}],"
        " source: LAW s. 2}\n"
        "factors:\n  island: {type: flag, merge: any}\n"
        "reductions:\n  - {id: island, attribute: population, share: 0.7, when: [{factor: island, equals: true}],"
        " source: LAW s. 3}\n", encoding="utf-8")
    preset = load_preset("islands.yaml", ProblemList(), base_dir=tmp_path)
    assert preset is not None
    found = reduction_shares(preset, "municipality", "other", {"island": [False, True]}, [2000, 2000])
    assert found == {"population": (0.7, "island")}
    assert judge(preset, kind="municipality", terrain="other", context="other", population=4000, area_km2=1,
                 n_constituents=2, reductions=found).status == MEETS


@pytest.mark.parametrize("reduction, words", [
    ({"id": "x", "attribute": "population", "share": 0.5, "when": [{"factor": "nope", "equals": True}],
      "source": "R1211 Art. 3a"}, "names 'nope', which is not a key of 'factors'"),
    ({"id": "x", "attribute": "population", "share": 0.5, "when": [], "source": "R9"}, "cites 'R9'"),
    ({"id": "x", "attribute": "staff", "share": 0.5, "source": "R1211"}, "needs an attribute"),
])
def test_a_wrong_reduction_is_reported(reduction, words):
    problems = ProblemList()
    assert load_preset("vn-2025", problems, overrides={"reductions": [reduction]}) is None
    assert any(words in str(p) for p in problems.errors), [str(p) for p in problems.errors]


# -- a small scenario ---------------------------------------------------------------------------

def write_scenario(folder: Path, columns: dict[str, list[str]]) -> Path:
    """The 3 x 4 grid (commune populations 6,000-11,500, 9 km2 each), merged by pairs, with factor columns."""
    folder.mkdir(parents=True, exist_ok=True)
    units = grid_units()
    names = ["code", "name", "type", "district_code", "province_code", "population", "area_km2", "terrain",
             *columns]
    with (folder / "units.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, names, extrasaction="ignore")
        writer.writeheader()
        for i, unit in enumerate(units):
            writer.writerow({**unit, "type": "Xã", "area_km2": "20", **{c: v[i] for c, v in columns.items()}})
    write_boundaries(folder / "boundaries.geojson", units)
    pairs = ["unit,new_unit"] + [f"{u['code']},N{i // 2}" for i, u in enumerate(units)]
    (folder / "baseline.csv").write_text("\n".join(pairs) + "\n", encoding="utf-8")
    (folder / "scenario.yaml").write_text(scenario_yaml(
        "Factors", "boundaries:\n  path: boundaries.geojson\n  id: code\n  tolerance_m: 20\n"
        "baseline:\n  path: baseline.csv\n"), encoding="utf-8")
    return folder


def test_the_evaluation_applies_the_reductions_and_counts_them(tmp_path):
    coastal = ["true", "true"] + ["false"] * 10          # N0: units 1 and 2, 6,000 + 6,500 people
    folder = write_scenario(tmp_path / "s", {"ethnic_minority_share": ["0.1"] * 12, "border": [""] * 12,
                                             "especially_difficult_coastal": coastal, "region": [""] * 12})
    assert main(["evaluate", str(folder), "--out", str(tmp_path / "out")]) == 0
    with (tmp_path / "out" / "units.csv").open(encoding="utf-8") as stream:
        rows = {row["new_unit"]: row for row in csv.DictReader(stream)}
    assert rows["N0"]["status"] == "meets" and rows["N0"]["reduction"] == "especially-difficult-coastal"
    assert rows["N1"]["status"] == "below" and rows["N1"]["reduction"] == ""  # 15,000 < 16,000
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert summary["reductions_applied"] == {"especially-difficult-coastal": 1, "ethnic-minority": 0,
                                             "red-river-delta": 0}
    assert summary["reductions_skipped"] == []


def test_a_scenario_without_the_columns_skips_the_reductions_and_says_so_once(tmp_path):
    folder = write_scenario(tmp_path / "s", {"especially_difficult_coastal": ["true"] * 12})
    scenario = load_scenario(folder)
    said = [str(w) for w in scenario.warnings if "special-factor" in str(w)]
    assert len(said) == 1
    assert "column 'border, ethnic_minority_share, region': not in the units table" in said[0]
    assert "ethnic-minority (R1211 Art. 3a(1)) skipped" in said[0] and "red-river-delta" in said[0]
    assert [r.id for r in scenario.preset.reductions] == ["especially-difficult-coastal"]
    assert main(["evaluate", str(folder), "--out", str(tmp_path / "out")]) == 0
    report = (tmp_path / "out" / "report.md").read_text("utf-8")
    assert "skipped, the units table lacking their columns: ethnic-minority (R1211 Art. 3a(1))" in report


def test_a_wrong_factor_value_is_reported_with_its_row(tmp_path):
    folder = write_scenario(tmp_path / "s", {"ethnic_minority_share": ["35"] + ["0.1"] * 11})
    with pytest.raises(InputError) as raised:
        load_scenario(folder)
    assert any("expected a share from 0 to 1" in str(p) and "ethnic_minority_share" in str(p)
               for p in raised.value.problems)


# -- the optimizer ------------------------------------------------------------------------------

def coastal_region():
    """Four communes in a row, 5,000 people and 20 km2 each; the two on the left confirmed coastal."""
    region, preset = example_region(columns=4, rows=1, population=5000.0, area_km2=20.0)
    region = replace(region, factors={"especially_difficult_coastal": [True, True, False, False]})
    return region, replace(preset, reductions=tuple(r for r in preset.reductions
                                                    if r.id == "especially-difficult-coastal"))


def test_scoring_and_the_model_see_the_reduced_minimum():
    region, preset = coastal_region()
    assert group_status(region, preset, [0, 1]) == MEETS      # 10,000 >= 50 % of 16,000
    assert group_status(region, preset, [2, 3]) == BELOW
    assert group_status(region, preset, [1, 2]) == BELOW      # not every old unit is coastal
    result = solve(region, preset, SubProblem(list(range(4)), 2, 2, "soft", 0), seed=0, deterministic_time=1.0)
    statuses = [group_status(region, preset, m) for m in result.groups.values()]
    assert result.meets == statuses.count(MEETS) == 1
    assert sorted(map(sorted, result.groups.values())) == [[0, 1], [2, 3]]


def test_the_model_sees_the_ethnic_minority_steps():
    region, preset = example_region(columns=4, rows=1, population=1200.0, area_km2=60.0)
    region = replace(region, terrains=["mountainous"] * 4,
                     factors={"ethnic_minority_share": [0.9, 0.9, 0.3, 0.3], "border": [False] * 4})
    preset = replace(preset, reductions=tuple(r for r in preset.reductions if r.id == "ethnic-minority"))
    # mountainous communes: 5,000 people; 90 % ethnic minorities leave 20 % (1,000), 30 % leave 50 % (2,500)
    assert group_status(region, preset, [0, 1]) == MEETS      # 2,400 >= 1,000
    assert group_status(region, preset, [2, 3]) == BELOW      # 2,400 < 2,500
    assert group_status(region, preset, [1, 2]) == MEETS      # 60 %: 35 %, 1,750
    result = solve(region, preset, SubProblem(list(range(4)), 2, 2, "soft", 0), seed=0, deterministic_time=1.0)
    statuses = [group_status(region, preset, m) for m in result.groups.values()]
    assert result.meets == statuses.count(MEETS) == 1


def test_the_bounds_use_the_lowest_share_a_reduction_may_leave():
    region, preset = coastal_region()
    assert floor_share(preset, "commune", "population") == 0.5
    assert floor_share(preset, "ward", "population") == 1.0
    requirements = seat_requirements(region, preset)[0]
    assert min(r.population for r in requirements if r.population) == 2500.0  # mountainous 5,000 x 50 %
    near = replace(region, access_max_km=1.5, population=np.full(4, 4000.0))  # 12,000 at most: below any ward
    assert stranded_units(near, preset) == []
    assert stranded_units(near, replace(preset, reductions=())) == [0, 1, 2, 3]



@pytest.mark.parametrize(("kind", "raw", "marks", "expected"), [
    ("flag", 1.0, None, True),             # a spreadsheet's number cell
    ("flag", 0.0, None, False),
    ("flag", "Y", None, True),             # the yes/no words of every table
    ("share", "0,35", NumberFormat(decimal=","), 0.35),
    ("share", 0.3, None, 0.3),
    ("share", "", None, None),
])
def test_factor_cells_are_read_like_every_other_cell(kind, raw, marks, expected) -> None:
    value = read_factor_value(Factor("f", kind, "any" if kind == "flag" else "population_mean"), raw, marks)
    assert (value != value) if expected is None else value == expected


def test_a_share_with_a_comma_needs_the_scenarios_decimal_mark() -> None:
    with pytest.raises(ValueError, match="expected a share"):
        read_factor_value(Factor("f", "share", "population_mean"), "0,35")
