"""Every plan is checked against its scenario: decisions, target, access, nesting and names, as findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd

from planner import pipeline
from planner.cli import main
from planner.evaluation.findings import CHECKS, FINDING_COLUMNS
from planner.optimize import OptimizeSettings
from tests.conftest import ROOT

DEMO = ROOT / "scenarios" / "demo"


def copy_demo(tmp_path: Path, replace: dict[str, str]) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    path = folder / "scenario.yaml"
    text = path.read_text("utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return folder


def baseline_groups() -> dict[str, list[str]]:
    table = pd.read_csv(DEMO / "baseline.csv", dtype=str)
    return {new: sorted(rows["unit"]) for new, rows in table.groupby("new_unit")}


def test_a_baseline_breaking_fixed_seats_and_the_count_is_reported(tmp_path, capsys):
    groups = baseline_groups()
    pair = next(members for members in groups.values() if len(members) >= 2)
    scenario, graph = pipeline.open_scenario(DEMO)
    seat = pipeline.evaluate(scenario, graph).plan.seats[pipeline.load_plan(scenario, None).assignment[pair[0]]]
    other = next(code for code in pair if code != seat)
    folder = copy_demo(tmp_path, {"decisions:\n": f'decisions:\n  fixed_seats: ["{other}"]\n',
                                  "target:\n  reduction: {min: 0.60, max: 0.70}": "target:\n  count: 110"})
    out = tmp_path / "out"
    status = main(["evaluate", str(folder), "--out", str(out), "--no-maps"])
    assert status == 0  # findings are not errors
    findings = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
    assert list(findings.columns) == FINDING_COLUMNS
    rows = findings[["check", "units", "found", "expected", "rule"]].values.tolist()
    assert ["fixed_seats", other, f"the seat is {seat}", f"the seat is {other}", "decisions.fixed_seats"] in rows
    assert ["target", "", "100 new units", "110 new units", "target.count"] in rows
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["findings"]["fixed_seats"] == 1 and summary["findings"]["target"] == 1
    assert summary["findings_total"] == len(findings) == 2
    assert set(summary["findings"]) == set(CHECKS)
    report = (out / "report.md").read_text("utf-8")
    assert "## Checks against the scenario" in report
    assert f"| fixed_seats | {findings.iloc[0]['new_unit']} | {other} | the seat is {seat} |" in report
    assert "| target |  |  | 100 new units | 110 new units | target.count |" in report
    sheet = openpyxl.load_workbook(out / "plan.xlsx", read_only=True)["findings"]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == FINDING_COLUMNS
    assert sheet.max_row == 3


def test_every_decision_access_nesting_and_the_reduction_are_checked(tmp_path):
    groups = baseline_groups()
    big = [members for members in groups.values() if len(members) >= 3]
    apart, merge, alone = big[0][:2], [big[1][0], big[2][0]], big[3][0]
    folder = copy_demo(tmp_path, {
        "decisions:\n  max_members: 8": (f"decisions:\n  max_members: 2\n  keep_apart: [{json.dumps(apart)}]\n"
                                         f"  merge_together: [{json.dumps(merge)}]\n  unchanged: [\"{alone}\"]"),
        "reduction: {min: 0.60, max: 0.70}": "reduction: {min: 0.70, max: 0.80}",
        "max_km: 25": "max_km: 8",
    })
    units = pd.read_csv(folder / "units.csv", dtype=str, keep_default_na=False)
    moved = big[4][0]
    units.loc[units["code"] == moved, "province_code"] = "98"   # one old unit in another province
    units.to_csv(folder / "units.csv", index=False)
    scenario, graph = pipeline.open_scenario(folder)
    evaluation = pipeline.evaluate(scenario, graph)
    findings, counts = evaluation.findings, evaluation.summary["findings"]
    assert counts["keep_apart"] == 1 and counts["merge_together"] == 1 and counts["unchanged"] == 1
    assert counts["max_members"] == sum(1 for members in groups.values() if len(members) > 2)
    assert counts["nesting"] == 1 and counts["target"] == 1
    assert counts["access"] == int((evaluation.members["distance_km"] > 8).sum()) > 0
    nesting = findings[findings["check"] == "nesting"].iloc[0]
    assert nesting["rule"] == "preset merge_within: province" and moved in nesting["units"].split(";")
    target = findings[findings["check"] == "target"].iloc[0]
    assert target["found"] == "100 new units: 66.7% fewer"
    assert target["expected"] == "70% to 80% fewer (60 to 90 new units)"
    assert list(findings["check"].map(CHECKS.index)) == sorted(findings["check"].map(CHECKS.index))
    again = pipeline.evaluate(scenario, graph).findings
    assert again.to_csv(index=False) == findings.to_csv(index=False)


def test_an_optimizer_plan_is_checked_too(tmp_path):
    scenario, graph = pipeline.open_scenario(DEMO)
    result = pipeline.optimize(scenario, graph, OptimizeSettings(solves=10, seed=0, workers=1,
                                                                 target="count", count=80))
    evaluation = pipeline.evaluate(scenario, graph, result.plan)
    assert evaluation.summary["units_after"] == 80
    target = evaluation.findings[evaluation.findings["check"] == "target"]
    assert target[["found", "rule"]].values.tolist() == [["80 new units: 73.3% fewer", "target.reduction"]]
    summary = pipeline.write_outputs(tmp_path / "plan", scenario, graph, evaluation, maps=False)
    assert summary["findings"]["target"] == 1
    assert (tmp_path / "plan" / "findings.csv").read_text("utf-8").count("\n") == 1 + evaluation.summary[
        "findings_total"]
