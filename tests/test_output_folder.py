"""Output folders hold one run: stale files of planner's removed, a user's kept, a failure changes nothing."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

import planner.maps as maps
import planner.pipeline as pipeline_module
from planner.cli import main
from planner.output_folder import OUTPUT_NAMES, output_folder
from planner.outputs import write_text


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), hidden ones included."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    """Temporary folders of planner left beside an output folder."""
    return sorted(p.name for p in parent.iterdir() if ".planner-" in p.name)


def test_rerun_without_maps_removes_the_old_maps_and_keeps_a_users_file(grid_scenario, tmp_path):
    out = tmp_path / "out"
    assert main(["evaluate", str(grid_scenario), "--out", str(out)]) == 0
    written = {p.name for p in out.iterdir()}
    assert {"map.html", "map.png", "map.svg", "plan.gpkg", "plan.geojson", "report.md"} <= written
    write_text(out / "notes.md", "my notes on this plan\n")
    (out / "mine").mkdir()
    write_text(out / "mine" / "map.html", "a user's own page in a folder planner does not write\n")
    assert main(["evaluate", str(grid_scenario), "--out", str(out), "--no-maps"]) == 0
    names = {p.name for p in out.iterdir()}
    assert not names & {"map.html", "map.png", "map.svg", "plan.gpkg", "plan.geojson"}
    assert {"report.md", "plan.csv", "summary.json", "notes.md", "mine"} <= names
    assert (out / "notes.md").read_text() == "my notes on this plan\n"
    assert (out / "mine" / "map.html").exists()
    assert leftovers(tmp_path) == []


def test_every_file_an_evaluation_writes_is_one_of_planners_own(grid_scenario, tmp_path):
    out = tmp_path / "out"
    assert main(["plan", str(grid_scenario), "--from", "--out", str(out), "--solves", "4", "--workers", "1"]) == 0
    assert main(["map", str(grid_scenario), "--out", str(tmp_path / "map")]) == 0
    written = {p.name for folder in (out, tmp_path / "map") for p in folder.iterdir()}
    assert "moves.csv" in written and written <= OUTPUT_NAMES


def test_a_writer_failing_midway_leaves_the_folder_as_it_was(grid_scenario, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["evaluate", str(grid_scenario), "--out", str(out)]) == 0
    write_text(out / "notes.md", "mine\n")
    before = snapshot(out)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while drawing the maps")

    monkeypatch.setattr(pipeline_module, "write_maps", broken)
    other = tmp_path / "other-plan.csv"
    plan = (out / "plan.csv").read_text().splitlines()
    write_text(other, "unit,new_unit\n" + "".join(f"{row.split(',')[0]},X\n" for row in plan[1:]))
    assert main(["evaluate", str(grid_scenario), "--plan", str(other), "--out", str(out)]) == 70
    err = capsys.readouterr().err
    assert "bug in planner" in err and "disk full while drawing the maps" in err and "Traceback" not in err
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_a_failure_in_a_new_folder_creates_nothing(grid_scenario, tmp_path, monkeypatch):
    monkeypatch.setattr(maps, "render_static", lambda data, **_: (_ for _ in ()).throw(KeyboardInterrupt()))
    assert main(["map", str(grid_scenario), "--out", str(tmp_path / "new" / "maps")]) == 130
    assert not (tmp_path / "new" / "maps").exists()
    assert leftovers(tmp_path / "new") == []


def test_debug_shows_the_traceback(grid_scenario, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline_module, "write_maps", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        main(["evaluate", str(grid_scenario), "--out", str(tmp_path / "out"), "--debug"])
    with pytest.raises(ZeroDivisionError):
        main(["--debug", "evaluate", str(grid_scenario), "--out", str(tmp_path / "out")])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["evaluate", "plan", "gaps", "map"])
def test_out_naming_a_file_is_a_clear_error(grid_scenario, tmp_path, capsys, command):
    existing = tmp_path / "results.txt"
    write_text(existing, "not a folder\n")
    with pytest.raises(SystemExit) as stop:
        main([command, str(grid_scenario), "--out", str(existing)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--out is an existing file, not a folder" in err and "Traceback" not in err
    assert existing.read_text() == "not a folder\n"


def test_out_holding_a_scenario_is_refused(grid_scenario, capsys):
    before = snapshot(grid_scenario)
    with pytest.raises(SystemExit) as stop:
        main(["evaluate", str(grid_scenario), "--out", str(grid_scenario)])
    assert stop.value.code == 2 and "holds a scenario" in capsys.readouterr().err
    assert snapshot(grid_scenario) == before


def test_folders_of_a_run_are_merged_and_stale_ones_emptied_of_planners_files(tmp_path):
    out = tmp_path / "demo-output"
    with output_folder(out, OUTPUT_NAMES | {"baseline", "plan-free-count"}) as folder:
        for side in ("baseline", "plan-free-count"):
            write_text(folder / side / "report.md", f"{side}, first run\n")
            write_text(folder / side / "map.html", f"{side}, first run\n")
    write_text(out / "plan-free-count" / "notes.md", "mine\n")
    os.chmod(out / "baseline" / "report.md", 0o600)
    with output_folder(out, OUTPUT_NAMES | {"baseline", "plan-free-count"}) as folder:
        write_text(folder / "baseline" / "report.md", "baseline, second run\n")
    assert snapshot(out) == {"baseline/report.md": b"baseline, second run\n", "plan-free-count/notes.md": b"mine\n"}
    assert (out / "baseline" / "report.md").stat().st_mode & 0o777 == 0o600


def test_a_failed_rename_while_moving_in_is_undone(tmp_path, monkeypatch):
    out = tmp_path / "out"
    with output_folder(out) as folder:
        for name in ("plan.csv", "report.md", "summary.json", "map.html"):
            write_text(folder / name, f"{name}: first run\n")
    before = snapshot(out)
    real_replace, calls = os.replace, []

    def failing_replace(source, target):
        calls.append(target)
        if len(calls) == 5:
            raise OSError("device busy")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="device busy"), output_folder(out) as folder:
        for name in ("plan.csv", "report.md", "summary.json"):
            write_text(folder / name, json.dumps({name: "second run"}))
    assert len(calls) > 5
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_ctrl_c_while_moving_in_waits_for_the_move(tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_replace, pressed = os.replace, []

    def replace_with_ctrl_c(source, target):
        if Path(target).parent == out and not pressed:  # the first file moved into --out
            pressed.append(True)
            signal.raise_signal(signal.SIGINT)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_with_ctrl_c)
    with pytest.raises(KeyboardInterrupt), output_folder(out) as folder:
        for name in ("plan.csv", "report.md"):
            write_text(folder / name, "complete\n")
    assert snapshot(out) == {"plan.csv": b"complete\n", "report.md": b"complete\n"}
