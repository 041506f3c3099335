"""Every table format reads integer, decimal, text, empty and NaN cells the same way.

The same units table is written as CSV, XLSX, GeoJSON, GeoPackage and Shapefile (the vector files by
pyogrio with numpy 2 scalars: int64, float64 with NaN, object text with None) and must give the same
text cells and the same scenario.  Figures with a comma are refused unless the scenario declares its marks.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio.raw
import pytest
import shapely

from planner.inputs.numbers import NumberFormat, cell_text
from planner.inputs.problems import InputError, ProblemList
from planner.inputs.scenario import load_scenario
from planner.inputs.tables import read_table
from tests.conftest import grid_units, write_grid_scenario

VECTOR_DRIVERS = {".geojson": "GeoJSON", ".gpkg": "GPKG", ".shp": "ESRI Shapefile"}
FORMATS = (".csv", ".xlsx", *VECTOR_DRIVERS)
#: Short column names (a Shapefile keeps 10 characters).
COLUMNS = ("code", "name", "type", "district", "province", "population", "area_km2", "staff", "note")


def typed_columns() -> dict[str, np.ndarray]:
    """The grid's units as typed columns: text, integers, decimals (one integral), NaN and None."""
    units = grid_units()
    n = len(units)
    area = np.array([1539.582, 9.0, 0.1, 12.25] * (n // 4), dtype=np.float64)
    staff = np.array([float(10 + i) if i % 3 else np.nan for i in range(n)], dtype=np.float64)
    note = np.array([None if i % 2 else f"Ghi chú {i}" for i in range(n)], dtype=object)
    return {
        "code": np.array([u["code"] for u in units], dtype=object),
        "name": np.array([u["name"] for u in units], dtype=object),
        "type": np.array([u["type"] for u in units], dtype=object),
        "district": np.array([u["district_code"] for u in units], dtype=object),
        "province": np.array([u["province_code"] for u in units], dtype=object),
        "population": np.array([int(u["population"]) for u in units], dtype=np.int64),
        "area_km2": area,
        "staff": staff,
        "note": note,
    }


def write_units(path: Path, columns: dict[str, np.ndarray], csv_cells: dict[str, list[str]] | None = None) -> None:
    """Write the columns in the format of ``path``'s suffix (CSV: ``csv_cells`` or each value's text)."""
    suffix = path.suffix
    if suffix == ".csv":
        cells = csv_cells or {c: [cell_text(v) for v in values] for c, values in columns.items()}
        pd.DataFrame(cells).to_csv(path, index=False)
    elif suffix == ".xlsx":
        pd.DataFrame({c: list(values) for c, values in columns.items()}).to_excel(path, index=False)
    else:
        wkb = shapely.to_wkb([u["geometry"] for u in grid_units()])
        pyogrio.raw.write(str(path), wkb, list(columns.values()), list(columns), geometry_type="Polygon",
                          crs="EPSG:4326", driver=VECTOR_DRIVERS[suffix], encoding="UTF-8")


def scenario_text(units_path: str, extra: str = "") -> str:
    return ("name: Formats\neffective_date: 2025-07-01\npreset: vn-2025\n"
            f"units:\n  path: {units_path}\n{extra}  columns:\n    id: code\n    name: name\n    kind: type\n"
            "    population: population\n    area_km2: area_km2\n    staff: staff\n"
            "    parents: {district: district, province: province}\n    extra: [note]\n"
            "boundaries:\n  path: boundaries.geojson\n  id: code\n")


def write_scenario(folder: Path, suffix: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_grid_scenario(folder)
    write_units(folder / f"units{suffix}", typed_columns())
    (folder / "scenario.yaml").write_text(scenario_text(f"units{suffix}", extra), encoding="utf-8")
    return folder


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_gives_the_same_cells(tmp_path: Path, suffix: str) -> None:
    """Integers, decimals (1539.582, an integral 9.0), text with Vietnamese letters, None and NaN."""
    path = tmp_path / f"units{suffix}"
    write_units(path, typed_columns())
    table = read_table(path, path.name, ProblemList())
    assert table is not None
    frame = table.frame[list(COLUMNS)]
    assert list(frame["area_km2"][:4]) == ["1539.582", "9", "0.1", "12.25"]
    assert list(frame["population"][:2]) == ["6000", "6500"]
    assert frame.at[0, "staff"] == "" and frame.at[1, "staff"] == "11"
    assert frame.at[0, "note"] == "Ghi chú 0" and frame.at[1, "note"] == ""
    assert frame.at[0, "code"] == "00001" and frame.at[0, "name"] == "Xã Ô 1"
    expected = pd.DataFrame({c: [cell_text(v) for v in values] for c, values in typed_columns().items()},
                            dtype=object)
    pd.testing.assert_frame_equal(frame, expected[list(COLUMNS)])


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_gives_the_same_scenario(tmp_path: Path, suffix: str) -> None:
    """The units read from each format equal those of the CSV (decimal columns accepted, NaN is missing)."""
    units = load_scenario(write_scenario(tmp_path / suffix[1:], suffix)).units
    reference = load_scenario(write_scenario(tmp_path / "reference", ".csv")).units
    pd.testing.assert_frame_equal(units, reference)
    assert units.at["00001", "area_km2"] == 1539.582
    assert math.isnan(units.at["00001", "staff"]) and units.at["00002", "staff"] == 11.0


@pytest.mark.parametrize(("cell", "text"), [
    (np.float64(1539.582), "1539.582"), (np.float32(1539.582), "1539.582"), (np.float64(12.0), "12"),
    (np.float64(1e20), "100000000000000000000"), (np.int32(7), "7"), (np.int64(-7), "-7"), (7.5, "7.5"),
    (np.nan, ""), (np.float32("nan"), ""), (None, ""), (pd.NA, ""), (pd.NaT, ""), (np.datetime64("NaT"), ""),
    (b"X\xc3\xa3", "Xã"), (np.bool_(True), "True"), ("00004", "00004"),
])
def test_cell_text_of_numpy_scalars(cell: object, text: str) -> None:
    assert cell_text(cell) == text


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".gpkg"])
def test_a_comma_in_a_figure_is_refused(tmp_path: Path, suffix: str) -> None:
    """'3,779' may be 3.779 or 3779: refused, with the row and column, unless the marks are declared."""
    folder = write_scenario(tmp_path / "s", suffix)
    columns = typed_columns()
    columns["area_km2"] = np.array(["3,779"] + [cell_text(v) for v in columns["area_km2"][1:]], dtype=object)
    write_units(folder / f"units{suffix}", columns)
    with pytest.raises(InputError) as error:
        load_scenario(folder)
    [problem] = [p for p in error.value.problems if p.severity == "error"]
    assert problem.column == "area_km2" and problem.where in ("row 2", "feature 1")
    assert "'3,779' has a comma" in problem.message and "units.decimal_mark" in problem.message


@pytest.mark.parametrize(("marks", "cell", "value"), [
    ("  decimal_mark: ','\n", "3,779", 3.779),
    ("  thousands_mark: ','\n", "3,779", 3779.0),
    ("  decimal_mark: ','\n  thousands_mark: '.'\n", "1.539,5", 1539.5),
    ("  decimal_mark: ','\n  thousands_mark: ' '\n", "1 539,5", 1539.5),
])
def test_declared_marks_are_used(tmp_path: Path, marks: str, cell: str, value: float) -> None:
    folder = write_scenario(tmp_path / "s", ".csv", marks)
    cells = {c: [cell_text(v) for v in values] for c, values in typed_columns().items()}
    cells["area_km2"] = [cell] + ["9"] * (len(cells["area_km2"]) - 1)
    write_units(folder / "units.csv", typed_columns(), cells)
    units = load_scenario(folder).units
    assert units.at["00001", "area_km2"] == pytest.approx(value)
    assert units.at["00002", "area_km2"] == 9.0


def test_a_figure_not_matching_the_declared_marks_is_refused(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path / "s", ".csv", "  decimal_mark: ','\n  thousands_mark: '.'\n")
    cells = {c: [cell_text(v) for v in values] for c, values in typed_columns().items()}
    cells["area_km2"][0] = "1539.582"  # a point, read as thousands: not groups of three digits
    write_units(folder / "units.csv", typed_columns(), cells)
    with pytest.raises(InputError) as error:
        load_scenario(folder)
    assert "is not a number written with the scenario's decimal mark ','" in str(error.value)


def test_marks_that_are_not_marks_are_refused(tmp_path: Path) -> None:
    folder = write_scenario(tmp_path / "s", ".csv", "  decimal_mark: ';'\n  thousands_mark: '.'\n")
    with pytest.raises(InputError) as error:
        load_scenario(folder)
    assert "';' is not a decimal mark" in str(error.value)


def test_number_format_parse() -> None:
    plain = NumberFormat()
    assert plain.parse("1e3") == 1000.0 and math.isnan(plain.parse("NaN"))
    with pytest.raises(ValueError, match="is not a number"):
        plain.parse("n/a")
    grouped = NumberFormat(thousands=",")
    assert grouped.parse("1,234,567.5") == 1234567.5
    with pytest.raises(ValueError):
        grouped.parse("12,34")
