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
    assert main(["demo", "--out", "out", "--json", "--solves", "16", "--free-count"]) == 0
    generated = tmp_path / "out" / "scenario"
    agencies = [f"agencies/{table.name}" for table in sorted((DEMO / "agencies").glob("*.csv"))]
    # the six agency tables, the seal capacity table and the five go-live operations tables
    assert [Path(a).stem for a in agencies] == sorted([
        "agencies", "tasks", "transfer_rules", "procedures", "service_points", "places", "seal_capacity",
        "body_capacity", "handover", "records", "positions", "buildings"])
    for name in ("units.csv", "boundaries.geojson", "links.csv", "baseline.csv", "scenario.yaml", *agencies):
        assert (generated / name).read_bytes() == (DEMO / name).read_bytes(), name
    summaries = json.loads(capsys.readouterr().out)
    assert summaries["baseline"]["units_before"] == summaries["plan"]["units_before"] == 300
    # like with like: the optimizer at the hand-drawn plan's count, then at the preset's 60-70 % reduction
    assert summaries["plan"]["units_after"] == summaries["baseline"]["units_after"] == 100
    assert 90 <= summaries["plan_free_count"]["units_after"] <= 120
    for side in ("plan", "plan_free_count"):
        assert summaries[side]["noncontiguous"] == 0
        assert {"status", "objective", "bound", "gap", "solve_seconds"} <= set(summaries[side])
    # the optimizer's plans have agency tables from the generator of the hand-drawn plan's
    for side, folder in (("plan", "plan"), ("plan_free_count", "plan-free-count")):
        tables = sorted(p.name for p in (tmp_path / "out" / f"agencies-{folder}").glob("*.csv"))
        assert tables == sorted(Path(a).name for a in agencies)
        assert summaries[side]["transition"]["agency_source"] == "scenario"
    for side in ("baseline", "plan", "plan-free-count"):
        for name in ("plan.csv", "units.csv", "summary.json", "report.md", "gaps.csv", "map.html"):
            assert (tmp_path / "out" / side / name).exists(), (side, name)
        # seals registered for each plan's own new bodies, staff counted from those bodies on every side
        assert json.loads((tmp_path / "out" / side / "summary.json").read_text("utf-8"))["gaps"]["seal_missing"] == 0
        staffing = (tmp_path / "out" / side / "staffing.csv").read_text("utf-8").splitlines()
        assert staffing[1:] and all(",bodies of the new unit," in row for row in staffing[1:])
    # written beside --out and moved in: what the summaries record names the final folders, never the temporary one
    out = (tmp_path / "out").resolve()
    for side in ("baseline", "plan", "plan-free-count"):
        text = (out / side / "summary.json").read_text("utf-8")
        assert ".planner-new-" not in text and ".planner-old-" not in text
    tasks = json.loads((out / "plan" / "summary.json").read_text("utf-8"))["scenario_inputs"]["agencies.tasks"]
    # named relative to the scenario folder, so the file names no machine's folders
    assert tasks["path"] == "../agencies-plan/tasks.csv"
    assert (out / "scenario" / tasks["path"]).resolve() == out / "agencies-plan" / "tasks.csv"
    assert [p.name for p in tmp_path.iterdir() if ".planner-" in p.name] == []
