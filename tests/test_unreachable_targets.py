"""Islands and sparse parents: a per-parent target that a parent's separate parts cannot meet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_boundaries
from shapely.geometry import box

from planner import pipeline
from planner.inputs.problems import InputError
from planner.optimize import Infeasible, OptimizeSettings

#: Two provinces: Mainland, four communes in a row; Islands, two communes far apart with no link.
UNITS = [("00001", "Xã An", "01", 0), ("00002", "Xã Bình", "01", 1), ("00003", "Xã Cát", "01", 2),
         ("00004", "Xã Dương", "01", 3), ("00005", "Xã Hòn Mê", "02", 10), ("00006", "Xã Hòn Nẹ", "02", 12)]


def islands(folder: Path, target: str) -> Path:
    """The two provinces under ``target`` (the text of the scenario's target section)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["code,name,type,district_code,province_code,province_name,population,area_km2,terrain"]
    units = []
    for code, name, province, column in UNITS:
        rows.append(f"{code},{name},Xã,{province}1,{province},{'Mainland' if province == '01' else 'Islands'},"
                    f"9000,40,other")
        units.append({"code": code, "geometry": box(105 + column * 0.03, 20, 105 + (column + 1) * 0.03, 20.03)})
    (folder / "units.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    write_boundaries(folder / "boundaries.geojson", units)
    (folder / "scenario.yaml").write_text(
        "name: Islands\neffective_date: 2025-07-01\npreset: vn-2025\n"
        "units:\n  path: units.csv\n  columns: {id: code, name: name, kind: type, population: population, "
        "area_km2: area_km2, terrain: terrain, parents: {district: district_code, province: province_code}, "
        "parent_names: {province: province_name}}\n"
        f"boundaries: {{path: boundaries.geojson, id: code, tolerance_m: 20}}\ntarget: {target}\n", encoding="utf-8")
    return folder


def optimize(folder: Path):
    scenario, graph = pipeline.open_scenario(folder)
    return scenario, graph, pipeline.optimize(scenario, graph, OptimizeSettings(solves=20, workers=1))


def test_a_parent_of_separate_parts_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(Infeasible) as raised:
        optimize(islands(tmp_path / "s", "{by_parent: {'01': 2, '02': 1}}"))
    message = str(raised.value)
    assert "parent unit 02 Islands: its units form 2 separate parts" in message
    assert "unreachable: relax" in message


def test_relax_gives_the_nearest_count_with_a_warning(tmp_path: Path) -> None:
    scenario, graph, result = optimize(islands(tmp_path / "s", "{by_parent: {'01': 2, '02': 1}, unreachable: relax}"))
    groups = result.plan.groups()
    in_islands = {new for new, members in groups.items() if set(members) <= {"00005", "00006"}}
    assert len(in_islands) == 2 and len(groups) == 4  # Islands gets 2 (its two parts), Mainland keeps its 2
    assert result.warnings == ["parent unit 02 Islands: the target of 1 new units cannot be met (its units form 2 "
                               "separate parts with no shared border or link); planned with 2 "
                               "(target: unreachable: relax)"]
    assert result.summary()["target_relaxed"] == result.warnings[0]


def test_too_few_units_for_the_count_is_relaxed_too(tmp_path: Path) -> None:
    folder = islands(tmp_path / "s", "{by_parent: {'01': 2, '02': 3}}")
    with pytest.raises(InputError, match="parent unit 02 Islands has 2 units but the target asks for 3 new units"):
        optimize(folder)
    _, _, result = optimize(islands(tmp_path / "t", "{by_parent: {'01': 2, '02': 3}, unreachable: relax}"))
    assert result.warnings and "(it has only 2 units); planned with 2" in result.warnings[0]


def test_plan_prints_the_warning_and_writes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from planner.cli import main

    folder = islands(tmp_path / "s", "{by_parent: {'01': 2, '02': 1}, unreachable: relax}")
    assert main(["plan", str(folder), "--solves", "20", "--workers", "1", "--out", str(tmp_path / "out")]) == 0
    assert "warning parent unit 02 Islands: the target of 1 new units cannot be met" in capsys.readouterr().err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert "parent unit 02 Islands" in summary["target_relaxed"]
    assert "| target_relaxed | parent unit 02 Islands" in (tmp_path / "out" / "report.md").read_text("utf-8")


def test_a_wrong_choice_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="key target.unreachable: 'maybe' is not a choice: expected error"):
        pipeline.open_scenario(islands(tmp_path / "s", "{count: 3, unreachable: maybe}"))


def test_infeasibility_messages_name_units_with_their_parent(tmp_path: Path) -> None:
    folder = islands(tmp_path / "s", "{by_parent: {'01': 2, '02': 2}}")
    text = (folder / "scenario.yaml").read_text("utf-8")
    (folder / "scenario.yaml").write_text(text + "decisions: {merge_together: [['00005', '00006']]}\n", "utf-8")
    with pytest.raises(Infeasible) as raised:
        optimize(folder)
    assert "00005 Xã Hòn Mê (Islands), 00006 Xã Hòn Nẹ (Islands)" in str(raised.value)


def test_input_messages_name_units_with_their_parent(tmp_path: Path) -> None:
    folder = islands(tmp_path / "s", "{count: 3}")
    text = (folder / "scenario.yaml").read_text("utf-8")
    (folder / "scenario.yaml").write_text(
        text + "decisions: {merge_together: [['00005', '00006']], keep_apart: [['00005', '00006']]}\n", "utf-8")
    with pytest.raises(InputError, match=r"units 00005 Xã Hòn Mê \(Islands\) and 00006 Xã Hòn Nẹ \(Islands\) are both"):
        pipeline.open_scenario(folder)
