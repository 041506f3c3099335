"""``--json`` on every command: a machine-readable summary on stdout, the same exit statuses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, scenario_yaml, write_grid_scenario
from diff_helpers import isolate_git

from planner.cli import main
from planner.commands import COMMANDS

DEMO = ROOT / "scenarios" / "demo"
PROBLEM_KEYS = {"file", "where", "column", "message", "severity"}


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    """Run the CLI; returns the exit status, stdout read as JSON, and stderr."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, json.loads(captured.out), captured.err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_json(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--json" in capsys.readouterr().out


def test_validate_json_on_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    status, result, _ = run_json(capsys, "validate", str(DEMO), "--json")
    assert status == 0
    assert result["valid"] is True and result["name"] == "Tỉnh Demo"
    assert result["counts"] == {"errors": 0, "warnings": 0} and result["problems"] == []
    assert (result["units"], result["polygons"], result["baseline_new_units"]) == (300, 300, 100)
    assert result["agencies"]["source"] == "scenario"
    assert result["graph"]["units"] == 300 and result["graph"]["cut_off"] == []
    assert result["graph"]["linked_only"] == [["90244"]]


def test_validate_json_lists_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    yaml_text = scenario_yaml("Grid", "boundaries:\n  path: boundaries.geojson\n  id: code\n"
                              "baseline:\n  path: baseline.csv\n", terrain=False)
    folder = write_grid_scenario(tmp_path / "grid", yaml_text=yaml_text)
    status, result, _ = run_json(capsys, "validate", str(folder), "--json")
    assert status == 0 and result["valid"] is True
    assert result["counts"]["errors"] == 0 and result["counts"]["warnings"] == len(result["problems"]) >= 1
    assert all(set(problem) == PROBLEM_KEYS for problem in result["problems"])
    assert any(p["column"] == "terrain" and p["severity"] == "warning" for p in result["problems"])


def test_validate_json_on_errors_exits_2_with_the_plain_message(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_grid_scenario(tmp_path / "grid")
    with (folder / "baseline.csv").open("a", encoding="utf-8") as stream:
        stream.write("99999,N99\n")
    status, result, err = run_json(capsys, "validate", str(folder), "--json")
    assert status == 2
    assert result["valid"] is False and result["counts"]["errors"] >= 1
    errors = [p for p in result["problems"] if p["severity"] == "error"]
    assert len(errors) == result["counts"]["errors"]
    assert all(set(problem) == PROBLEM_KEYS for problem in result["problems"])
    assert any("99999" in p["message"] for p in errors)
    assert "problem(s) found" in err and "99999" in err


def test_a_user_error_with_json_is_plain_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["evaluate", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "--json"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert "problem(s) found" in captured.err


def test_evaluate_and_gaps_json(grid_scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, summary, _ = run_json(capsys, "evaluate", str(grid_scenario), "--out", str(tmp_path / "ev"),
                                  "--no-maps", "--json")
    assert status == 0
    assert summary["units_before"] == 12 and summary["units_after"] == 6
    assert summary == json.loads((tmp_path / "ev" / "summary.json").read_text("utf-8"))
    status, gaps, _ = run_json(capsys, "gaps", str(grid_scenario), "--out", str(tmp_path / "gp"), "--no-maps", "--json")
    assert status == 0
    assert set(gaps) == {"gaps", "gaps_by_severity", "transition", "seal_schedule", "readiness"}
    assert gaps["readiness"] == summary["readiness"] and gaps["seal_schedule"]["seals"] > 0
    assert gaps["gaps"] == summary["gaps"]


def test_map_json_names_the_files_written(grid_scenario: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "maps"
    status, summary, _ = run_json(capsys, "map", str(grid_scenario), "--out", str(out), "--json")
    assert status == 0
    assert summary["map_files"] == [str(out / name) for name in ("map.html", "map.png", "map.svg",
                                                                          "plan.gpkg", "plan.geojson",
                                                                          "atlas.pdf")]
    assert all(Path(path).exists() for path in summary["map_files"])
    assert summary["map_colours"] >= 2 and summary["units_after"] == 6


def test_plan_json(grid_scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, summary, _ = run_json(capsys, "plan", str(grid_scenario), "--out", str(tmp_path / "plan"), "--json",
                                  "--target-count", "4", "--solves", "8", "--workers", "1")
    assert status == 0
    assert summary["status"] in ("bound_reached", "feasible") and summary["units_after"] == 4
    assert summary["objective"] <= summary["bound"]
    assert summary == json.loads((tmp_path / "plan" / "summary.json").read_text("utf-8"))


def test_demo_json(grid_scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, result, _ = run_json(capsys, "demo", "--scenario", str(grid_scenario), "--out", str(tmp_path / "demo"),
                                 "--json", "--solves", "8")
    assert status == 0
    assert set(result) == {"baseline", "plan"}
    assert result["plan"]["units_after"] == result["baseline"]["units_after"]  # the same count
    assert result["plan"]["status"] in ("bound_reached", "feasible") and result["baseline"]["units_after"] == 6
    assert result["plan"]["lns_solves"] >= 1


def test_diff_json(grid_scenario: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "moved.csv"
    lines = (grid_scenario / "baseline.csv").read_text("utf-8").splitlines()
    lines[1] = lines[1].split(",")[0] + ",N01"  # 00001 joins 00003 and 00004
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, result, _ = run_json(capsys, "diff", str(grid_scenario / "baseline.csv"), str(plan),
                                 "--scenario", str(grid_scenario), "--json", "--exit-code")
    assert status == 1
    assert result["counts"]["moved"] == 1
    assert result["moved"][0]["unit"] == "00001" and result["moved"][0]["b"] == "N01"


MESSY = "preset: vn-2025\nname: Messy\n"


def test_fmt_json_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy, tidy = tmp_path / "messy.yaml", tmp_path / "tidy.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text("name: Tidy\npreset: vn-2025\n", encoding="utf-8")
    status, result, _ = run_json(capsys, "fmt", "--check", "--diff", "--json", str(messy), str(tidy))
    assert status == 1
    assert (result["check"], result["checked"], result["changed"], result["written"]) == (True, 2, 1, 0)
    files = {Path(entry["path"]).name: entry for entry in result["files"]}
    assert files["messy.yaml"]["changed"] is True and "+name: Messy" in files["messy.yaml"]["diff"]
    assert files["tidy.yaml"] == {"path": str(tidy), "changed": False, "diff": ""}
    assert messy.read_text("utf-8") == MESSY
    status, result, _ = run_json(capsys, "fmt", "--json", str(messy), str(tidy))
    assert status == 0
    assert (result["check"], result["changed"], result["written"]) == (False, 1, 1)
    assert "diff" not in result["files"][0]
    assert messy.read_text("utf-8") == "name: Messy\npreset: vn-2025\n"


def test_git_setup_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    isolate_git(monkeypatch, tmp_path / "home")
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    status, first, _ = run_json(capsys, "git-setup", "--repo", str(repo), "--command", "planner diff --textconv",
                                "--json")
    assert status == 0
    assert first["scope"] == "local" and Path(first["attributes_file"]) == repo.resolve() / ".gitattributes"
    assert "diff.planner-plan.textconv = planner diff --textconv" in first["changed"]
    assert ".gitattributes: plan.csv diff=planner-plan" in first["changed"] and first["unchanged"] == []
    status, again, _ = run_json(capsys, "git-setup", "--repo", str(repo), "--command", "planner diff --textconv",
                                "--json")
    assert status == 0
    assert again["changed"] == [] and sorted(again["unchanged"]) == sorted(first["changed"])
