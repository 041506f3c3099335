"""The backbone on real data beside the project: Thanh Hóa, and the whole country (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner import pipeline
from planner.cli import main
from tests.conftest import ROOT

THANH_HOA = ROOT / "scenarios" / "vn-thanh-hoa"

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def thanh_hoa():
    return pipeline.open_scenario(THANH_HOA)


def test_thanh_hoa_graph(thanh_hoa) -> None:
    scenario, graph = thanh_hoa
    assert graph.number_of_nodes() == 547
    assert graph.graph["islands"] == []
    # shared borders come with their length in metres; corner contacts are left out
    lengths = [d["border_m"] for _, _, d in graph.edges(data=True)]
    assert min(lengths) >= scenario.min_shared_border_m
    assert 1400 < graph.number_of_edges() < 1600
    # codes stay strings with their leading digits
    assert all(isinstance(code, str) and len(code) == 5 for code in graph.nodes)


def test_thanh_hoa_official_plan(thanh_hoa) -> None:
    scenario, graph = thanh_hoa
    evaluation = pipeline.evaluate(scenario, graph)
    summary = evaluation.summary
    assert summary["units_before"] == 547
    assert summary["units_after"] == 166
    assert summary["noncontiguous"] == 0
    assert summary["meets_standard"] + summary["waived"] + summary["below_standard"] + summary["unchanged"] == 166
    # the official mapping splits some old units between new units: each is kept in its primary new unit
    assert summary["splits"] == len(evaluation.plan.splits) > 0
    split = next(s for s in evaluation.plan.splits if s.unit == "15772")
    assert split.primary == "15772" and set(split.others) == {"15796", "15835"}
    assert 2.0 < summary["access_mean_km"] < 3.5


def test_evaluate_writes_deterministic_files(tmp_path: Path, capsys) -> None:
    outputs = []
    for name in ("a", "b"):
        assert main(["evaluate", str(THANH_HOA), "--out", str(tmp_path / name)]) == 0
        outputs.append({p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())})
    assert outputs[0] == outputs[1]
    assert {"summary.json", "units.csv", "report.md", "plan.csv", "members.csv"} <= set(outputs[0])
    summary = json.loads(outputs[0]["summary.json"])
    for key in ("units_before", "units_after", "meets_standard", "waived", "below_standard", "noncontiguous",
                "access_mean_km", "access_max_km"):
        assert key in summary
    units = outputs[0]["units.csv"].decode("utf-8")
    assert "Phường Hàm Rồng" in units  # Vietnamese names intact
    report = outputs[0]["report.md"].decode("utf-8")
    assert "Resolution 76/2025/UBTVQH15" in report


@pytest.mark.slow
def test_whole_country_is_covered(tmp_path: Path) -> None:
    assert main(["evaluate", str(ROOT / "scenarios" / "vn-2025"), "--out", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["units_before"] == 10035
    assert len(summary["units_without_data"]) == 12
    plan_rows = (tmp_path / "plan.csv").read_text(encoding="utf-8").splitlines()
    assert len(plan_rows) == 1 + 10035
