"""The bundled demo scenario is what the project's own generator writes, and `planner demo` runs anywhere."""

from __future__ import annotations

import json
from pathlib import Path

from planner.cli import main
from planner.demo import demo_scenario_text
from tests.conftest import ROOT

DEMO = ROOT / "scenarios" / "demo"


def test_committed_demo_yaml_is_the_packaged_one() -> None:
    assert (DEMO / "scenario.yaml").read_text(encoding="utf-8") == demo_scenario_text()


def test_demo_runs_outside_a_checkout(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--out", "out", "--json"]) == 0
    generated = tmp_path / "out" / "scenario"
    for name in ("units.csv", "boundaries.geojson", "links.csv", "baseline.csv", "scenario.yaml"):
        assert (generated / name).read_bytes() == (DEMO / name).read_bytes(), name
    summary = json.loads(capsys.readouterr().out)
    assert summary["units_before"] == 300
