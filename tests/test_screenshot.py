"""planner map --screenshot: the drawn page saved by the machine's Chromium (through playwright), or a plain
error when there is no Chromium.  Apart from the browser tests, whose open playwright session would clash
with the command's own."""

from __future__ import annotations

import json
from pathlib import Path

from map_fixture import write_map_scenario
from PIL import Image

from planner.cli import main


def test_the_map_command_saves_a_screenshot_of_the_drawn_page(tmp_path: Path, capsys) -> None:
    scenario = write_map_scenario(tmp_path / "scenario")
    out = tmp_path / "maps"
    assert main(["map", str(scenario), "--out", str(out), "--screenshot", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert str(out / "map-screenshot.png") in summary["map_files"] and summary["map_load_s"] > 0
    with Image.open(out / "map-screenshot.png") as image:
        assert image.size == (1280, 860)
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 10  # a drawn map, not a blank page
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_screenshot_without_chromium_is_a_plain_error(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PLANNER_CHROMIUM", str(tmp_path / "no-such-chromium"))
    scenario = write_map_scenario(tmp_path / "scenario")
    assert main(["map", str(scenario), "--out", str(tmp_path / "maps"), "--screenshot"]) == 1
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "no screenshot: Chromium was not found" in text and "Traceback" not in text
    assert not (tmp_path / "maps" / "map-screenshot.png").exists()
