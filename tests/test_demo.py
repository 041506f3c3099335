"""The bundled demo scenario is what the project's own generator writes, and `planner demo` runs anywhere."""

from __future__ import annotations

import json
from pathlib import Path

from planner.cli import main
from planner.demo.bundled import demo_scenario_text
from tests.conftest import ROOT

DEMO = ROOT / "scenarios" / "demo"


def test_committed_demo_yaml_is_the_packaged_one() -> None:
    assert (DEMO / "scenario.yaml").read_text(encoding="utf-8") == demo_scenario_text()


def test_demo_runs_outside_a_checkout(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--out", "out", "--json", "--solves", "16"]) == 0
    generated = tmp_path / "out" / "scenario"
    agencies = [f"agencies/{table.name}" for table in sorted((DEMO / "agencies").glob("*.csv"))]
    assert len(agencies) == 6
    for name in ("units.csv", "boundaries.geojson", "links.csv", "baseline.csv", "scenario.yaml", *agencies):
        assert (generated / name).read_bytes() == (DEMO / name).read_bytes(), name
    summaries = json.loads(capsys.readouterr().out)
    assert summaries["baseline"]["units_before"] == summaries["plan"]["units_before"] == 300
    # the optimizer keeps to the preset's 60-70 % reduction and reports its figures
    assert 90 <= summaries["plan"]["units_after"] <= 120
    assert summaries["plan"]["noncontiguous"] == 0
    assert {"status", "objective", "bound", "gap", "solve_seconds"} <= set(summaries["plan"])
    for side in ("baseline", "plan"):
        for name in ("plan.csv", "units.csv", "summary.json", "report.md", "gaps.csv", "map.html"):
            assert (tmp_path / "out" / side / name).exists(), (side, name)
