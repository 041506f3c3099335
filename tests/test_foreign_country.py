"""Acceptance: a country planner was not made for, run as a new user would run it.

Nordmark (:mod:`planner.demo.foreign`, written by planner's own generator): a GeoPackage units table
in EPSG:3035 with decimal columns, a county that is a grid of squares with corner contacts, a county of
three islands, the generic preset.  ``validate``, ``plan``, ``evaluate``, ``map`` and ``diff`` run clean
on the whole country and on one county picked with ``--where``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import pyogrio
import pytest

from planner import pipeline
from planner.cli import main
from planner.demo.foreign import ORIGIN, SQUARE_M, write_foreign_country

GRID = "01"
REGION = ["--where", f"county={GRID}"]


def run(*argv: str) -> str:
    """Run the CLI; assert it ends with status 0, no error and no traceback; returns what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        status = main(list(argv))
    text = printed.getvalue()
    assert status == 0, text
    assert "Traceback" not in text and "error" not in text.lower(), text
    return text


@pytest.fixture(scope="module")
def nordmark(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_foreign_country(tmp_path_factory.mktemp("foreign") / "nordmark")


@pytest.fixture(scope="module", params=["country", "county 01"])
def runs(request: pytest.FixtureRequest, nordmark: Path) -> dict[str, tuple[Path, str]]:
    """Every command on the whole country, or on county 01 picked with --where: command -> (folder, printed)."""
    where = REGION if request.param != "country" else []
    root = nordmark.parent / request.param.replace(" ", "-")
    out = {name: root / name for name in ("evaluate", "plan", "map")}
    results = {"validate": (nordmark, run("validate", str(nordmark), *where))}
    results["evaluate"] = (out["evaluate"], run("evaluate", str(nordmark), *where, "--out", str(out["evaluate"])))
    results["plan"] = (out["plan"], run("plan", str(nordmark), *where, "--solves", "20", "--out", str(out["plan"])))
    results["map"] = (out["map"], run("map", str(nordmark), *where, "--plan", str(out["plan"] / "plan.csv"),
                                      "--out", str(out["map"])))
    results["diff"] = (root, run("diff", str(out["evaluate"]), str(out["plan"])))
    results["where"] = (root, " ".join(where))
    return results


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_files_are_a_foreign_country(nordmark: Path) -> None:
    info = pyogrio.read_info(nordmark / "units.gpkg", layer="units")
    assert info["crs"] == "EPSG:3035"
    assert dict(zip(info["fields"], info["dtypes"])) == {
        "code": "object", "name": "object", "county": "object", "county_name": "object", "population": "int64",
        "area_km2": "float64", "land_share": "float64"}
    scenario, _ = pipeline.open_scenario(nordmark)
    assert scenario.preset.id == "generic" and len(scenario.units) == 28
    assert scenario.units.index[0] == "0101" and scenario.units.loc["0305", "name"] == "Tøvik"
    _meta, _fids, _wkb, fields = pyogrio.raw.read(nordmark / "units.gpkg", layer="units")
    assert list(scenario.units["land_share"]) == [repr(float(x)) for x in fields[-1]]  # the decimals as written
    assert all(0.9 * SQUARE_M**2 / 1e6 <= a <= SQUARE_M**2 / 1e6 for a in scenario.units["area_km2"][:16])


def test_corner_contacts_are_no_borders(nordmark: Path) -> None:
    """In the grid county, units are neighbours exactly when their squares share a side."""
    scenario, graph = pipeline.open_scenario(nordmark, where={"county": (GRID,)})
    cells = {code: (i // 4, i % 4) for i, code in enumerate(sorted(scenario.units.index))}
    edges = {frozenset(e) for e in graph.edges}
    rook = {frozenset((a, b)) for a, (ra, ca) in cells.items() for b, (rb, cb) in cells.items()
            if abs(ra - rb) + abs(ca - cb) == 1}
    assert edges == rook and len(rook) == 24


def test_validate_lists_the_corner_contacts(runs: dict[str, tuple[Path, str]]) -> None:
    printed = runs["validate"][1]
    units = 16 if runs["where"][1] else 28
    assert f"ok Nordmark: {units} units, preset generic, {units} polygons" in printed
    assert "point contact(s)" in printed and "0101 Ålby - 0106 Granby (0 m)" in printed
    assert ("cut off from the rest" in printed) == (not runs["where"][1])  # the islands


def test_evaluate_reads_decimals_and_metres(runs: dict[str, tuple[Path, str]], nordmark: Path) -> None:
    folder = runs["evaluate"][0]
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    scenario, _ = pipeline.open_scenario(nordmark)
    units = _rows(folder / "units.csv")
    kept = [code for code in scenario.units.index if not runs["where"][1] or code.startswith(GRID)]
    assert summary["units_before"] == len(kept) and summary["noncontiguous"] == 0
    assert sum(float(u["area_km2"]) for u in units) == pytest.approx(scenario.units.loc[kept, "area_km2"].sum(),
                                                                     abs=0.01)
    # two side by side squares of 5 km: 5 km from one centre to the other, read in the file's metres
    assert 4.9 < summary["access_max_km"] < 5.5


def test_plan_relaxes_the_island_county(runs: dict[str, tuple[Path, str]]) -> None:
    folder, printed = runs["plan"]
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["noncontiguous"] == 0
    if runs["where"][1]:
        assert "target_relaxed" not in summary or not summary["target_relaxed"]
        assert {row["unit"][:2] for row in _rows(folder / "plan.csv")} == {GRID}
    else:
        assert "warning parent unit 03 Øyane: the target of 2 new units cannot be met" in printed
        assert "03 Øyane" in summary["target_relaxed"]


def test_map_draws_the_country_in_lon_lat(runs: dict[str, tuple[Path, str]]) -> None:
    folder = runs["map"][0]
    assert all((folder / name).stat().st_size > 0 for name in ("map.html", "map.png", "map.svg", "plan.gpkg"))
    geojson = json.loads((folder / "plan.geojson").read_text(encoding="utf-8"))
    lon, lat = geojson["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 9 < lon < 11 and 53 < lat < 54.5  # EPSG:3035 metres around (4300 km, 3400 km) are about 10 E, 53.7 N
    assert ORIGIN == (4_300_000.0, 3_400_000.0)


def test_diff_compares_the_baseline_and_the_plan(runs: dict[str, tuple[Path, str]]) -> None:
    printed = runs["diff"][1]
    assert "New units:" in printed and "Old units moved:" in printed
