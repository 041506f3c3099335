"""Least-change repair (``planner plan --from PLAN --max-moves N``) on a small grid scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner import pipeline
from planner.cli import main
from planner.optimize import OptimizeSettings
from planner.review.moves import plan_moves

SETTINGS = OptimizeSettings(time_limit_s=60, seed=0, workers=1, solves=30)


def repair(scenario_folder: Path, max_moves: int | None):
    scenario, graph = pipeline.open_scenario(scenario_folder)
    settings, start = pipeline.repair_settings(scenario, graph, SETTINGS, scenario.baseline, max_moves)
    result = pipeline.optimize(scenario, graph, settings)
    evaluation = pipeline.evaluate(scenario, graph, result.plan)
    return start.start, evaluation, result


def test_no_moves_keeps_the_plan_as_it_is(grid_scenario: Path):
    start, repaired, _ = repair(grid_scenario, 0)
    assert plan_moves(start, repaired).empty
    assert repaired.plan.groups() == start.plan.groups()
    assert repaired.plan.seats == start.plan.seats
    assert repaired.summary["meets_standard"] == start.summary["meets_standard"]


@pytest.mark.parametrize("limit", [1, 3])
def test_a_move_limit_is_kept_and_the_count_too(grid_scenario: Path, limit: int):
    start, repaired, result = repair(grid_scenario, limit)
    moves = plan_moves(start, repaired)
    assert len(moves) <= limit
    assert repaired.summary["units_after"] == start.summary["units_after"]
    assert repaired.summary["meets_standard"] >= start.summary["meets_standard"]
    assert result.objective <= result.bound


def test_more_moves_repair_more(grid_scenario: Path):
    start, few, _ = repair(grid_scenario, 1)
    _, unlimited, _ = repair(grid_scenario, None)
    assert start.summary["meets_standard"] < unlimited.summary["meets_standard"]
    assert few.summary["meets_standard"] <= unlimited.summary["meets_standard"]
    assert unlimited.summary["noncontiguous"] == 0


def test_new_units_that_did_not_change_keep_their_id_and_name(grid_scenario: Path):
    start, repaired, _ = repair(grid_scenario, 2)
    moved_from = set(plan_moves(start, repaired)["from_unit"]) | set(plan_moves(start, repaired)["to_unit"])
    before, after = start.plan.groups(), repaired.plan.groups()
    untouched = [new for new in before if new not in moved_from]
    assert untouched
    for new in untouched:
        assert after[new] == before[new]
        assert repaired.plan.names.get(new, "") == start.plan.names.get(new, "")


def test_plan_from_the_baseline_writes_the_moves(grid_scenario: Path, tmp_path: Path, capsys):
    out = tmp_path / "repair"
    status = main(["plan", str(grid_scenario), "--from", "--max-moves", "2", "--solves", "20", "--workers", "1",
                   "--out", str(out), "--json"])
    assert status == 0
    summary = json.loads(capsys.readouterr().out)
    moves = pd.read_csv(out / "moves.csv", dtype=str)
    assert summary["moves"] == len(moves) <= 2
    assert list(moves.columns)[:3] == ["unit", "unit_name", "from_unit"]
    report = (out / "report.md").read_text("utf-8")
    assert "## Least-change repair" in report and f"{len(moves)} old unit(s) moved (at most 2 allowed)" in report


def test_max_moves_needs_a_plan_to_repair(grid_scenario: Path, tmp_path: Path, capsys):
    status = main(["plan", str(grid_scenario), "--max-moves", "2", "--out", str(tmp_path / "x")])
    assert status == 2
    assert "--max-moves needs --from" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_moves_stay_within_the_limit_when_new_ids_are_old_codes(grid_scenario: Path):
    """Official mappings name a new unit by one of its old units' codes; a new unit the repair makes
    elsewhere must not take the id of another start unit (that would hide or add moves)."""
    lines = (grid_scenario / "baseline.csv").read_text("utf-8").splitlines()
    first: dict[str, str] = {}
    rows = []
    for line in lines[1:]:
        code, new = line.split(",")
        first.setdefault(new, code)
        rows.append((code, new))
    (grid_scenario / "baseline.csv").write_text(
        "unit,new_unit\n" + "".join(f"{code},{first[new]}\n" for code, new in rows), encoding="utf-8")
    for limit in (1, 2, 3, 5):
        start, repaired, _ = repair(grid_scenario, limit)
        moves = plan_moves(start, repaired)
        assert len(moves) <= limit
        moved = {u for u in start.plan.assignment if start.plan.assignment[u] != repaired.plan.assignment[u]}
        assert moved == set(moves["unit"])
