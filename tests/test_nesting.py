"""A commune plan inside a province plan: the scenario's merge_within maps old provinces to new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner import pipeline
from planner.cli import main
from planner.inputs.plan import Plan
from planner.inputs.problems import InputError
from planner.optimize import OptimizeSettings
from tests.conftest import SCENARIO_YAML, grid_units, write_grid_scenario

#: The grid's columns 0 and 1 are the old provinces 01 and 02, which the map joins into N1; columns 2 and 3
#: are old province 03, alone in N2.
MAP = "old,new,new_name\n01,N1,Tỉnh Một\n02,N1,Tỉnh Một\n03,N2,Tỉnh Hai\n"
MERGE_WITHIN = ("merge_within:\n  by: province\n  map: {path: provinces.csv, from: old, to: new, name: new_name}\n"
                "  level: new_province\n")


def nested_grid(tmp_path: Path, rest: str = "") -> Path:
    units = grid_units()
    for i, unit in enumerate(units):
        unit["province_code"] = ("01", "02", "03", "03")[i % 4]
    folder = write_grid_scenario(tmp_path / "grid", units, SCENARIO_YAML + MERGE_WITHIN + rest)
    (folder / "provinces.csv").write_text(MAP, encoding="utf-8")
    return folder


def column_of(code: str) -> int:
    return (int(code) - 1) % 4


def test_the_mapped_parent_is_a_parent_level_and_the_merge_level(tmp_path):
    scenario, _ = pipeline.open_scenario(nested_grid(tmp_path))
    assert scenario.merge_level == "new_province" and scenario.parent_levels[-1] == "new_province"
    assert scenario.units["new_province"].tolist() == ["N1", "N1", "N2", "N2"] * 3
    assert scenario.parent_names["new_province"] == {"N1": "Tỉnh Một", "N2": "Tỉnh Hai"}
    assert scenario.merge_within.by == "province"


def test_a_commune_plan_crossing_a_new_province_line_is_reported(tmp_path):
    folder = nested_grid(tmp_path)
    scenario, graph = pipeline.open_scenario(folder)
    codes = list(scenario.units.index)
    # columns 0-1 of each row together cross the old line 01/02 (allowed: both in N1); columns 1-2 of row 0 cross
    # the new line N1/N2
    groups = {"A": [codes[0]], "B": [codes[1], codes[2]], "C": [codes[3]]}
    groups.update({f"R{r}": [codes[4 * r], codes[4 * r + 1]] for r in (1, 2)})
    groups.update({f"S{r}": [codes[4 * r + 2], codes[4 * r + 3]] for r in (1, 2)})
    plan = Plan({c: new for new, members in groups.items() for c in members})
    evaluation = pipeline.evaluate(scenario, graph, plan)
    nesting = evaluation.findings[evaluation.findings["check"] == "nesting"]
    assert nesting[["new_unit", "units", "found"]].values.tolist() == [
        ["B", f"{codes[1]};{codes[2]}", "members in 2 new_province units: N1, N2"]]
    assert nesting["rule"].iloc[0] == "scenario merge_within: province mapped by provinces.csv"
    units = evaluation.units.set_index("new_unit")
    assert units.at["B", "new_province"] == "N1;N2" and units.at["R1", "new_province"] == "N1"
    assert units.at["S1", "new_province_name"] == "Tỉnh Hai"


def test_the_report_names_each_unit_s_new_province(tmp_path):
    folder = nested_grid(tmp_path)
    out = tmp_path / "out"
    assert main(["evaluate", str(folder), "--out", str(out), "--no-maps"]) == 0
    units = pd.read_csv(out / "units.csv", dtype=str)
    assert set(units["new_province"]) == {"N1", "N2"}
    report = (out / "report.md").read_text("utf-8")
    assert "## New units by new_province" in report
    assert "| N1 | Tỉnh Một | 3 |" in report and "| N2 | Tỉnh Hai | 3 |" in report
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["findings"]["nesting"] == 0  # the baseline crosses old lines 01/02, inside N1


def test_the_optimizer_never_crosses_a_new_province_line(tmp_path):
    folder = nested_grid(tmp_path, 'target:\n  by_parent: {"01": 1, "02": 1, "03": 2}\n')
    scenario, graph = pipeline.open_scenario(folder)
    result = pipeline.optimize(scenario, graph, OptimizeSettings(solves=20, workers=1))
    groups = result.plan.groups()
    assert len(groups) == 4   # the old provinces' counts summed in each new province: 2 in N1, 2 in N2
    for members in groups.values():
        assert len({column_of(c) >= 2 for c in members}) == 1
    findings = pipeline.evaluate(scenario, graph, result.plan).findings
    assert not len(findings[findings["check"].isin(["nesting", "target"])])


def test_a_map_missing_a_parent_is_an_error(tmp_path):
    folder = nested_grid(tmp_path)
    (folder / "provinces.csv").write_text("old,new,new_name\n01,N1,Tỉnh Một\n02,N1,Tỉnh Một\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        pipeline.open_scenario(folder)
    assert "key merge_within.map" in str(caught.value) and "1 province code(s)" in str(caught.value)
    assert "03" in str(caught.value)


def test_diff_shows_the_new_provinces(tmp_path, capsys):
    folder = nested_grid(tmp_path)
    scenario, _ = pipeline.open_scenario(folder)
    codes = list(scenario.units.index)
    b = pd.read_csv(folder / "baseline.csv", dtype=str)
    b.loc[b["unit"] == codes[4], "new_unit"] = "N00"    # row 1, column 0 moves to row 0's unit: inside N1
    b.to_csv(tmp_path / "b.csv", index=False)
    assert main(["diff", str(folder / "baseline.csv"), str(tmp_path / "b.csv"), "--scenario", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "By new_province: 2 parent units, 1 with changes" in out
    assert "  N1 Tỉnh Một: new units 3, population" in out and "2 new units changed, 1 old unit moved" in out


def test_province_tasks_go_to_the_new_province(tmp_path):
    from planner.transition.transition import _Jurisdictions

    folder = nested_grid(tmp_path)
    # the new provinces take the codes of their seats' old provinces: 01 (with 02) and 03
    (folder / "provinces.csv").write_text("old,new,new_name\n01,01,Tỉnh Một\n02,01,Tỉnh Một\n03,03,Tỉnh Hai\n",
                                          encoding="utf-8")
    scenario, _ = pipeline.open_scenario(folder)
    bodies = pd.DataFrame([{"id": f"dept-{p}", "level": "province", "unit": p, "kind": "department",
                            "period": "both"} for p in ("01", "02", "03")])
    plan = pipeline.load_plan(scenario, None)
    in_02 = [c for c in scenario.units.index if scenario.units.at[c, "province"] == "02"]
    places = _Jurisdictions(scenario, bodies, plan, set())
    assert places.receivers("province", "department", "X", in_02) == ["dept-01"]
    # without the scenario's merge_within, the old province's own body receives
    plain = pipeline.open_scenario(folder, {"merge_within": None})[0]
    assert _Jurisdictions(plain, bodies, plan, set()).receivers("province", "department", "X", in_02) == ["dept-02"]
