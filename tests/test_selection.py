"""Selecting a region: ``units.where`` and ``--where`` pick one province of a table holding two."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import grid_units, scenario_yaml, write_boundaries, write_units_csv

from planner.cli import main
from planner.inputs.problems import InputError
from planner.inputs.scenario import load_scenario
from planner.inputs.selection import parse_where_options

REST = ("boundaries:\n  path: boundaries.geojson\n  id: code\n  tolerance_m: 20\n"
        "baseline:\n  path: baseline.csv\n"
        "links:\n  - {a: '00001', b: '00016', kind: ferry}\n  - {a: '00001', b: '00006', kind: bridge}\n"
        "decisions:\n  merge_together: [['00003', '00004'], ['00005', '00006']]\n"
        "  unchanged: ['00008']\n  names: {'00001': Xã Một, '00004': Xã Bốn}\n"
        "agencies:\n  agencies: agencies.csv\n")


def two_provinces(folder: Path, where: str = "") -> Path:
    """A 4 x 4 grid: the west half is province 01, the east half province 02 (8 units each)."""
    folder.mkdir(parents=True, exist_ok=True)
    units = grid_units(4, 4)
    for i, unit in enumerate(units):
        east = i % 4 >= 2
        unit["province_code"] = "02" if east else "01"
        unit["district_code"] = "021" if east else "011"
    write_units_csv(folder / "units.csv", units)
    write_boundaries(folder / "boundaries.geojson", units)
    baseline = ["unit,new_unit"] + [f"{u['code']},N{i // 4}{i % 4 // 2}" for i, u in enumerate(units)]
    (folder / "baseline.csv").write_text("\n".join(baseline) + "\n", encoding="utf-8")
    (folder / "agencies.csv").write_text(
        "id,name,level,unit,period,kind,staff\n"
        "A1,Council 1,commune,00001,before,council,10\nA4,Council 4,commune,00004,before,council,10\n"
        "P1,Office 1,province,01,before,office,50\nP2,Office 2,province,02,before,office,50\n", encoding="utf-8")
    units_where = f"  where: {where}\n" if where else ""
    text = scenario_yaml("Two provinces", REST)
    text = text.replace("units:\n  path: units.csv\n", "units:\n  path: units.csv\n" + units_where)
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    return folder


def warnings_of(scenario) -> list[str]:
    return [str(w) for w in scenario.warnings]


def test_the_whole_table_without_a_selection(tmp_path: Path) -> None:
    scenario = load_scenario(two_provinces(tmp_path / "s"))
    assert len(scenario.units) == 16 and len(scenario.geometries) == 16 and len(scenario.links) == 2
    assert not any("selection" in w for w in warnings_of(scenario))


@pytest.mark.parametrize("where", ['{province_code: "01"}', "{province_code: [\"01\"]}", "{province_code: 1}"])
def test_units_where_keeps_one_province_and_counts_what_it_ignores(tmp_path: Path, where: str) -> None:
    folder = two_provinces(tmp_path / "s", where)
    if where.endswith("1}"):  # a number is compared as text: 1 is not "01"
        with pytest.raises(InputError, match="keeps none of the 16 units; the table has province_code: 01, 02"):
            load_scenario(folder)
        return
    scenario = load_scenario(folder)
    assert sorted(scenario.units.index) == [u["code"] for u in grid_units(4, 4) if int(u["code"]) % 4 in (1, 2)]
    assert set(scenario.geometries) == set(scenario.units.index)
    assert set(scenario.baseline.assignment) == set(scenario.units.index)
    assert [(link.a, link.b) for link in scenario.links] == [("00001", "00006")]
    assert scenario.decisions.merge_together == [["00005", "00006"]]
    assert scenario.decisions.unchanged == [] and scenario.decisions.names == {"00001": "Xã Một"}
    notes = [w for w in warnings_of(scenario) if "selection (province_code = 01)" in w]
    assert len(notes) == 5, notes  # the units table, boundaries, baseline, links, decisions: one note each
    assert any("8 of 16 units left out" in w for w in notes)
    assert any("boundaries.geojson" in w and "8 feature(s)" in w for w in notes)
    assert any("baseline.csv" in w and "8 row(s)" in w for w in notes)
    assert any("key links" in w and "1 item(s)" in w for w in notes)
    assert any("key decisions" in w and "4 item(s)" in w for w in notes)


def test_agency_rows_of_units_left_out_are_ignored(tmp_path: Path) -> None:
    from planner.transition.agencies import load_agency_layer

    scenario = load_scenario(two_provinces(tmp_path / "s", '{province_code: "01"}'))
    layer = load_agency_layer(scenario)
    assert sorted(layer.agencies.index) == ["A1", "P1"]
    assert any("agencies.csv" in str(w) and "2 row(s) naming units left out" in str(w) for w in layer.warnings)


def test_the_command_line_where_picks_the_region(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = two_provinces(tmp_path / "s")
    assert main(["validate", str(folder), "--where", "province_code=02", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["units"] == 8 and report["polygons"] == 8 and report["valid"]
    assert main(["validate", str(folder), "--where", "province_code=01", "--where", "province_code=02",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["units"] == 16
    out = tmp_path / "out"
    assert main(["evaluate", str(folder), "--where", "province_code=02", "--out", str(out), "--no-maps",
                 "--json"]) == 0
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["units_before"] == 8
    assert "province_code = 02" in (out / "report.md").read_text("utf-8")


def test_the_command_line_where_is_over_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = two_provinces(tmp_path / "s", '{province_code: "01"}')
    assert main(["validate", str(folder), "--where", "province_code=02", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["units"] == 8
    scenario = load_scenario(folder, where={"province_code": ("02",)})
    assert scenario.document["units"]["where"] == {"province_code": ["02"]}
    assert set(scenario.units["province"]) == {"02"}


def test_a_wrong_where_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = two_provinces(tmp_path / "s")
    assert main(["validate", str(folder), "--where", "region=9"]) == 2
    assert "column named by units.where not found; the table has: code, name" in capsys.readouterr().err
    assert main(["validate", str(folder), "--where", "province_code"]) == 2
    assert "expected COLUMN=VALUE" in capsys.readouterr().err
    with pytest.raises(InputError, match="key units.where: expected a mapping"):
        load_scenario(two_provinces(tmp_path / "t", '["01"]'))


def test_where_options_are_parsed_in_order() -> None:
    assert parse_where_options(["a=1", "b=x=y", "a=2", "a=1"]) == {"a": ("1", "2"), "b": ("x=y",)}
    assert parse_where_options(None) == {}


def test_features_of_units_not_in_the_table_are_one_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A regional units table beside national boundaries: one line, not one error per feature."""
    folder = two_provinces(tmp_path / "s")
    lines = (folder / "units.csv").read_text("utf-8").splitlines()
    (folder / "units.csv").write_text("\n".join([lines[0]] + [r for r in lines[1:] if ",01," in r]) + "\n", "utf-8")
    for name in ("baseline.csv", "agencies.csv"):
        (folder / name).write_text((folder / name).read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    text = (folder / "scenario.yaml").read_text("utf-8").split("baseline:")[0]
    (folder / "scenario.yaml").write_text(text, "utf-8")
    assert main(["validate", str(folder)]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "boundaries.geojson" in line]
    assert len(errors) == 1, errors
    assert "8 feature(s) name units that are not in the units table: feature 3 ('00003'), feature 4 ('00004')" \
        in errors[0]
    assert "pick the region of a larger file with units.where" in errors[0]
