"""The optimizer: reproducible plans that respect contiguity, parents, decisions and standards."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCENARIO_YAML, grid_units, scenario_yaml, write_grid_scenario

from planner import pipeline
from planner.cli import main
from planner.demo.synthetic import write_scenario
from planner.optimize import Infeasible, OptimizeSettings, optimize

SYNTHETIC_YAML = scenario_yaml(
    "Synthetic test province",
    "boundaries: {path: boundaries.geojson, id: code, tolerance_m: 50}\nlinks: {path: links.csv}\n"
    "target: {count: 22}\naccess: {max_km: 25}\nsolver: {time_limit_s: 60, seed: 3, workers: 1}\n")
SOLVES = "30"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    write_scenario(folder, n_units=60, seed=11)
    (folder / "scenario.yaml").write_text(SYNTHETIC_YAML, encoding="utf-8")
    return folder


def two_province_grid(folder: Path, decisions: str = "", target: str = "target: {count: 4}\n") -> Path:
    """The 3 x 4 grid cut into two provinces (columns 0-1 and 2-3), with decisions."""
    units = grid_units()
    for i, unit in enumerate(units):
        unit["province_code"] = "01" if i % 4 < 2 else "02"
    yaml = SCENARIO_YAML + target + "access: {max_km: 10}\n" + decisions
    return write_grid_scenario(folder, units, yaml)


def check_plan(scenario, graph, plan) -> None:
    """Every produced plan: contiguous new units inside one parent, decisions kept."""
    evaluation = pipeline.evaluate(scenario, graph, plan)
    assert evaluation.summary["noncontiguous"] == 0
    groups = plan.groups()
    level = scenario.merge_level
    for new, members in groups.items():
        assert plan.seats[new] in members
        assert len({scenario.units.at[c, level] for c in members}) == 1, f"{new} crosses parents"
    decisions = scenario.decisions
    for group in decisions.merge_together:
        assert len({plan.assignment[c] for c in group}) == 1
    for group in decisions.keep_apart:
        assert len({plan.assignment[c] for c in group}) == len(group)
    for code in decisions.unchanged:
        assert groups[plan.assignment[code]] == [code]
    for code in decisions.fixed_seats:
        assert plan.seats[plan.assignment[code]] == code
    if decisions.max_members:
        assert max(len(m) for m in groups.values()) <= decisions.max_members
    return evaluation


def test_same_seed_and_settings_give_the_same_plan_csv(synthetic: Path, tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        assert main(["plan", str(synthetic), "--out", str(out), "--solves", SOLVES, "--workers", "1"]) == 0
        outputs.append((out / "plan.csv").read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == 61


def test_count_target_plan_meets_rules_and_counts_agree_with_evaluation(synthetic: Path) -> None:
    scenario, graph = pipeline.open_scenario(synthetic)
    result = optimize(scenario, graph, OptimizeSettings(time_limit_s=60, seed=3, workers=1, solves=40))
    evaluation = check_plan(scenario, graph, result.plan)
    assert evaluation.summary["units_after"] == 22
    # the model's own reading of the standards is the evaluation's
    assert result.meets_standard == evaluation.summary["meets_standard"]
    assert result.waived == evaluation.summary["waived"]
    assert result.objective == evaluation.summary["meets_standard"]
    assert result.bound >= result.objective
    assert evaluation.summary["access_max_km"] <= 25.0 + 1e-6


def test_max_p_plan_has_every_unit_meeting_the_standard(synthetic: Path) -> None:
    scenario, graph = pipeline.open_scenario(synthetic)
    result = optimize(scenario, graph, OptimizeSettings(time_limit_s=60, seed=1, workers=1, solves=30,
                                                        target="max_p"))
    evaluation = check_plan(scenario, graph, result.plan)
    assert evaluation.summary["meets_standard"] == evaluation.summary["units_after"] == result.objective
    assert result.bound >= result.objective


def test_decisions_and_parents_are_respected(tmp_path: Path) -> None:
    decisions = ("decisions:\n  merge_together: [['00001', '00005']]\n  keep_apart: [['00003', '00004']]\n"
                 "  unchanged: ['00012']\n  fixed_seats: ['00010']\n  max_members: 3\n")
    folder = two_province_grid(tmp_path / "grid", decisions, "target: {count: 6}\n")
    scenario, graph = pipeline.open_scenario(folder)
    result = optimize(scenario, graph, OptimizeSettings(time_limit_s=60, seed=0, workers=1, solves=20))
    evaluation = check_plan(scenario, graph, result.plan)
    assert evaluation.summary["units_after"] == 6
    assert result.meets_standard == evaluation.summary["meets_standard"]


def test_infeasible_decisions_are_named(tmp_path: Path) -> None:
    decisions = "decisions:\n  keep_apart: [['00001', '00002', '00005', '00006']]\n"
    folder = two_province_grid(tmp_path / "grid", decisions, "target: {count: 5}\n")
    scenario, graph = pipeline.open_scenario(folder)
    with pytest.raises(Infeasible) as caught:
        optimize(scenario, graph, OptimizeSettings(time_limit_s=60, seed=0, workers=1, solves=10))
    text = " ".join(caught.value.reasons)
    assert "parent unit 01" in text
    assert "keep_apart group 1" in text and "target of" in text


def test_units_that_cannot_reach_the_standard_are_named(tmp_path: Path, capsys) -> None:
    folder = two_province_grid(tmp_path / "grid", "", "target: {max_p: true}\n")
    assert main(["plan", str(folder), "--out", str(tmp_path / "out"), "--solves", "5", "--workers", "1",
                 "--access-max-km", "1"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach a group meeting the standard" in err
    assert "00001" in err
    assert not (tmp_path / "out").exists()
