"""Every bad input gets a clear message (file, row or feature, column, expectation) and exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from tests.conftest import ROOT, SCENARIO_YAML, grid_units, write_grid_scenario


def run_cli(capsys, *args: str) -> tuple[int, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_valid_scenario_passes(grid_scenario: Path, capsys) -> None:
    status, output = run_cli(capsys, "validate", str(grid_scenario))
    assert status == 0, output
    assert "12 units" in output


def test_missing_and_duplicate_ids(tmp_path: Path, capsys) -> None:
    units = grid_units()
    units[3]["code"] = ""
    units[5]["code"] = units[4]["code"]
    folder = write_grid_scenario(tmp_path / "s", units)
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "units.csv, row 5: column 'code': missing id" in output
    assert "units.csv, row 7: column 'code': duplicate id '00005' (first at row 6)" in output


def test_non_numeric_and_negative_figures_all_reported(tmp_path: Path, capsys) -> None:
    units = grid_units()
    units[1]["population"] = "many"
    units[2]["area_km2"] = "-4"
    units[6]["population"] = "-10"
    folder = write_grid_scenario(tmp_path / "s", units)
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "row 3: column 'population': 'many' is not a number" in output
    assert "row 4: column 'area_km2': -4 is not allowed: expected a area_km2 of 0 or more" in output
    assert "row 8: column 'population': -10 is not allowed" in output
    assert "3 problem(s) found" in output


def test_invalid_geometry_is_an_error_when_repair_is_off(tmp_path: Path, capsys) -> None:
    from shapely.geometry import Polygon

    units = grid_units()
    units[2]["geometry"] = Polygon([(105.06, 20.0), (105.09, 20.03), (105.09, 20.0), (105.06, 20.03)])  # bow tie
    yaml_text = SCENARIO_YAML.replace("  tolerance_m: 20", "  tolerance_m: 20\n  repair_invalid: false")
    folder = write_grid_scenario(tmp_path / "s", units, yaml_text)
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert ("boundaries.geojson, feature 3: column 'geometry': unit 00003 Xã Ô 3 has an invalid polygon "
            "(Self-intersection") \
        in output


def test_invalid_geometry_is_repaired_with_a_warning(tmp_path: Path, capsys) -> None:
    from shapely.geometry import Polygon

    units = grid_units()
    units[2]["geometry"] = Polygon([(105.06, 20.0), (105.09, 20.03), (105.09, 20.0), (105.06, 20.03)])
    folder = write_grid_scenario(tmp_path / "s", units)
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 0, output
    assert "1 invalid polygon(s) repaired: 00003 Xã Ô 3 (Self-intersection" in output


def test_missing_geometry(tmp_path: Path, capsys) -> None:
    units = grid_units()
    units[4]["geometry"] = None
    folder = write_grid_scenario(tmp_path / "s", units)
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert ("boundaries.geojson, feature 5: column 'geometry': unit 00005 Xã Ô 5 has no geometry: "
            "expected a polygon") in output


def test_unknown_preset(tmp_path: Path, capsys) -> None:
    folder = write_grid_scenario(tmp_path / "s", yaml_text=SCENARIO_YAML.replace("vn-2025", "vn-2099"))
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "scenario.yaml, key preset: column 'preset': unknown preset 'vn-2099': expected one of " in output
    assert "dk-2007, ee-2017, generic, vn-2025, vn-2025-provinces, vn-2026" in output


def test_plan_naming_unknown_units(tmp_path: Path, capsys) -> None:
    folder = write_grid_scenario(tmp_path / "s")
    baseline = (folder / "baseline.csv").read_text(encoding="utf-8").replace("00007,", "99999,")
    (folder / "baseline.csv").write_text(baseline, encoding="utf-8")
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "baseline.csv, row 8: column 'unit': unknown unit '99999': not in the scenario's units table" in output
    assert "1 unit(s) of the scenario are not in the plan: 00007" in output


def test_plan_given_on_the_command_line_is_checked(grid_scenario: Path, tmp_path: Path, capsys) -> None:
    plan = tmp_path / "other.csv"
    plan.write_text("unit,new_unit\n00001,A\n12345,A\n", encoding="utf-8")
    out = tmp_path / "out"
    status, output = run_cli(capsys, "evaluate", str(grid_scenario), "--plan", str(plan), "--out", str(out))
    assert status == 2
    assert "other.csv, row 3: column 'unit': unknown unit '12345'" in output
    assert "11 unit(s) of the scenario are not in the plan" in output
    assert not out.exists(), "nothing may be written when the input is bad"


def test_unreadable_file(tmp_path: Path, capsys) -> None:
    folder = write_grid_scenario(tmp_path / "s")
    (folder / "boundaries.geojson").write_text("{ this is not json", encoding="utf-8")
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "boundaries.geojson: cannot be read as GEOJSON" in output


def test_missing_file(tmp_path: Path, capsys) -> None:
    folder = write_grid_scenario(tmp_path / "s")
    (folder / "units.csv").unlink()
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "units.csv: file not found" in output


def test_non_utf8_file(tmp_path: Path, capsys) -> None:
    folder = write_grid_scenario(tmp_path / "s")
    text = (folder / "units.csv").read_text(encoding="utf-8")
    (folder / "units.csv").write_bytes(text.encode("cp1258", errors="replace"))
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "units.csv, byte " in output and "the file is not UTF-8 text" in output


def test_missing_column_and_unknown_kind_reported_together(tmp_path: Path, capsys) -> None:
    units = grid_units()
    units[0]["type"] = "Quận"
    yaml_text = SCENARIO_YAML.replace("area_km2: area_km2", "area_km2: dien_tich")
    folder = write_grid_scenario(tmp_path / "s", units, yaml_text)
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "units.csv, row 1: column 'dien_tich': column for 'area_km2' not found" in output
    assert "units.csv, row 2: column 'type': unknown kind 'Quận'" in output


def test_decisions_naming_unknown_or_conflicting_units(tmp_path: Path, capsys) -> None:
    yaml_text = SCENARIO_YAML + ("decisions:\n  merge_together: [['00001', '00002']]\n"
                                 "  keep_apart: [['00001', '00002']]\n  unchanged: ['4']\n")
    folder = write_grid_scenario(tmp_path / "s", yaml_text=yaml_text)
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "key decisions.unchanged: unknown unit '4'" in output
    assert "units 00001 Xã Ô 1 and 00002 Xã Ô 2 are both in merge_together group 1 and in keep_apart" in output


def test_bad_yaml(tmp_path: Path, capsys) -> None:
    folder = write_grid_scenario(tmp_path / "s", yaml_text="name: [unclosed\n")
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "scenario.yaml: not valid YAML" in output


def test_command_line_exit_status_and_no_traceback(tmp_path: Path) -> None:
    units = grid_units()
    units[1]["population"] = "n/a"
    folder = write_grid_scenario(tmp_path / "s", units)
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "validate", str(folder)],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "'n/a' is not a number" in result.stderr


@pytest.mark.parametrize("suffix", [".gpkg", ".shp", ".xlsx"])
def test_other_formats_are_read(tmp_path: Path, suffix: str, capsys) -> None:
    """Units and boundaries in GeoPackage, Shapefile or XLSX give the same scenario."""
    import pandas as pd
    import pyogrio.raw
    import shapely

    folder = write_grid_scenario(tmp_path / "s")
    units = grid_units()
    frame = pd.read_csv(folder / "units.csv", dtype=str)
    if suffix == ".xlsx":
        frame.to_excel(folder / "units.xlsx", index=False)
        text = SCENARIO_YAML.replace("path: units.csv", "path: units.xlsx")
    else:
        fields = {c: frame[c].to_numpy(dtype=object) for c in frame.columns}
        wkb = shapely.to_wkb([u["geometry"] for u in units])
        driver = "GPKG" if suffix == ".gpkg" else "ESRI Shapefile"
        pyogrio.raw.write(str(folder / f"units{suffix}"), wkb, list(fields.values()), list(fields),
                          geometry_type="Polygon", crs="EPSG:4326", driver=driver, encoding="UTF-8")
        text = SCENARIO_YAML.replace("path: units.csv", f"path: units{suffix}").replace(
            "path: boundaries.geojson", f"path: units{suffix}")
        if suffix == ".shp":  # shapefile field names are cut to 10 characters
            text = text.replace("district: district_code, province: province_code",
                                "district: district_c, province: province_c")
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    status, output = run_cli(capsys, "evaluate", str(folder), "--out", str(out), "--json")
    assert status == 0, output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["units_before"] == 12 and summary["units_after"] == 6
    plan = (out / "plan.csv").read_text(encoding="utf-8")
    assert "00001" in plan


@pytest.mark.parametrize("solver, message", [
    ("{time_limit_s: 0}", "key solver.time_limit_s: 0 is not a time limit"),
    ("{solves: 0}", "solver.solves"),
    ("{solves: many}", "solver.solves"),
])
def test_solver_effort_and_emergency_stop_are_checked(tmp_path: Path, capsys, solver: str, message: str) -> None:
    folder = write_grid_scenario(tmp_path / "s", yaml_text=SCENARIO_YAML + f"solver: {solver}\n")
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2, output
    assert message in output


def test_solver_effort_is_read(tmp_path: Path) -> None:
    from planner.inputs.scenario import load_scenario
    from planner.optimize import OptimizeSettings

    folder = write_grid_scenario(tmp_path / "s", yaml_text=SCENARIO_YAML + "solver: {solves: 70, seed: 2}\n")
    settings = OptimizeSettings.from_solver(load_scenario(folder).solver, workers=1)
    assert (settings.total_solves(units=12), settings.seed, settings.workers) == (70, 2, 1)
    assert settings.time_limit_s == OptimizeSettings().time_limit_s   # only an emergency stop, by default far


def test_an_empty_units_table_is_one_line(tmp_path: Path, capsys) -> None:
    folder = write_grid_scenario(tmp_path / "s")
    (folder / "units.csv").write_text((folder / "units.csv").read_text("utf-8").splitlines()[0] + "\n",
                                      encoding="utf-8")
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "1 problem(s) found" in output
    assert "units.csv: the units table has no rows" in output


def test_errors_in_the_units_table_do_not_hide_the_others(tmp_path: Path, capsys) -> None:
    """A bad cell in the units table, an unknown unit in the baseline and one in the decisions: all three at once."""
    units = grid_units()
    units[2]["population"] = "abc"
    folder = write_grid_scenario(tmp_path / "s", units, SCENARIO_YAML + 'decisions:\n  fixed_seats: ["99999"]\n')
    baseline = folder / "baseline.csv"
    baseline.write_text(baseline.read_text("utf-8") + "77777,N99\n", encoding="utf-8")
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert "units.csv, row 4: column 'population': 'abc' is not a number" in output
    assert "key decisions.fixed_seats: unknown unit '99999'" in output
    assert "baseline.csv, row 14: column 'unit': unknown unit '77777'" in output


def test_a_reduction_written_as_fractions_is_read(tmp_path: Path) -> None:
    from planner.inputs.scenario import load_scenario

    yaml_text = SCENARIO_YAML + "target: {reduction: {min: 1/2, max: 2/3}}\n"
    folder = write_grid_scenario(tmp_path / "s", yaml_text=yaml_text)
    target = load_scenario(folder).target
    assert (target.reduction_min, round(target.reduction_max, 4)) == (0.5, 0.6667)
