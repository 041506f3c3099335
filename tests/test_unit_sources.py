"""Where a unit's figures come from: a fallback list of population columns, the terrain's source,
and contexts keyed on the parent a table maps the unit's parent to (old province -> new province)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import grid_units, write_boundaries

from planner.cli import main
from planner.inputs.problems import InputError
from planner.inputs.scenario import load_scenario

COLUMNS = ["code", "name", "type", "district_code", "province_code", "population_adj", "population_est",
           "area_km2", "terrain_est", "terrain_est_source"]


def write_units(folder: Path) -> list[dict]:
    """The 3 x 4 grid: the west half in old province 01, the east half in 02; the first four units have
    an adjusted population; units 1-4 have an official terrain, the others an estimate."""
    units = grid_units()
    rows = []
    for i, unit in enumerate(units):
        rows.append({**unit, "province_code": "01" if i % 4 < 2 else "02",
                     "population_adj": str(7000 + i) if i < 4 else "", "population_est": unit["population"],
                     "terrain_est": "mountainous" if i % 4 == 0 else "other",
                     "terrain_est_source": "official_district_list" if i < 4 else "elevation_estimate"})
    with (folder / "units.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    write_boundaries(folder / "boundaries.geojson", units)
    baseline = ["unit,new_unit"] + [f"{u['code']},N{i // 4}{i % 4 // 2}" for i, u in enumerate(units)]
    (folder / "baseline.csv").write_text("\n".join(baseline) + "\n", encoding="utf-8")
    return rows


def scenario(folder: Path, contexts: str, mapping: str = "old,new\n01,X1\n02,X2\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_units(folder)
    (folder / "provinces.csv").write_text(mapping, encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        "name: Sources\neffective_date: 2025-07-01\npreset: vn-2025\n"
        "units:\n  path: units.csv\n  columns:\n    id: code\n    name: name\n    kind: type\n"
        "    population: [population_adj, population_est]\n    area_km2: area_km2\n"
        "    terrain: terrain_est\n    terrain_source: terrain_est_source\n"
        "    parents: {district: district_code, province: province_code}\n"
        "  estimated_terrain: [elevation_estimate]\n" + contexts
        + "boundaries:\n  path: boundaries.geojson\n  id: code\n  tolerance_m: 20\n"
        "baseline:\n  path: baseline.csv\n", encoding="utf-8")
    return folder


MAPPED = ("  contexts:\n    by: province\n    map: {path: provinces.csv, from: old, to: new}\n"
          "    values: {X2: centrally_run_city}\n")


def test_population_falls_back_and_each_unit_says_which_figure_it_used(tmp_path):
    loaded = load_scenario(scenario(tmp_path / "s", MAPPED))
    units = loaded.units
    assert units.loc["00001", "population"] == 7000 and units.loc["00001", "population_source"] == "population_adj"
    assert units.loc["00005", "population"] == 8000 and units.loc["00005", "population_source"] == "population_est"
    assert list(units["terrain_estimated"]) == [False] * 4 + [True] * 8


def test_contexts_are_keyed_on_the_mapped_parent(tmp_path):
    units = load_scenario(scenario(tmp_path / "s", MAPPED)).units
    assert units.loc["00001", "context"] == "other" and units.loc["00003", "context"] == "centrally_run_city"


def test_outputs_count_the_sources(tmp_path):
    folder = scenario(tmp_path / "s", MAPPED)
    assert main(["evaluate", str(folder), "--out", str(tmp_path / "out")]) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert summary["population_sources"] == {"population_adj": 4, "population_est": 8}
    assert summary["terrain_sources"] == {"elevation_estimate": 8, "official_district_list": 4}
    assert summary["terrain_estimated"] == 8
    with (tmp_path / "out" / "members.csv").open(encoding="utf-8") as stream:
        members = {row["unit"]: row for row in csv.DictReader(stream)}
    assert members["00001"]["population_source"] == "population_adj"
    assert members["00012"]["terrain_source"] == "elevation_estimate"
    report = (tmp_path / "out" / "report.md").read_text("utf-8")
    assert "4 unit(s) from population_adj, 8 unit(s) from population_est" in report
    assert "**8 old unit(s) have estimated terrain**" in report


@pytest.mark.parametrize("mapping, contexts, words", [
    ("old,new\n01,X1\n", MAPPED, "1 province code(s) of the units are not in the map: 02"),
    ("old,new\n01,X1\n01,X3\n02,X2\n", MAPPED, "'01' is mapped to 'X1' above and to 'X3' here"),
    ("old,nouveau\n01,X1\n", MAPPED, "column named by units.contexts.map not found"),
    ("old,new\n", "  contexts:\n    by: province\n    map: {path: provinces.csv}\n", "expected {path: table"),
])
def test_a_wrong_map_is_reported(tmp_path, mapping, contexts, words):
    with pytest.raises(InputError) as raised:
        load_scenario(scenario(tmp_path / "s", contexts, mapping))
    assert any(words in str(p) for p in raised.value.problems), [str(p) for p in raised.value.problems]


def test_a_fallback_column_the_table_lacks_is_reported(tmp_path):
    folder = scenario(tmp_path / "s", MAPPED)
    text = (folder / "scenario.yaml").read_text("utf-8").replace("population_est]", "population_2024]")
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_scenario(folder)
    assert any("population_2024" in str(p) and "units.columns.population" in str(p) for p in raised.value.problems)
