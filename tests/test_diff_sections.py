"""planner diff reports a change in every section of a scenario, and --exit-code is 1 for each.

Each test changes one section of a copy of the bundled demo (scenarios/demo, copied into
tmp_path; the repository is never edited) and compares the copy with an untouched copy.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from diff_helpers import PROJECT_ROOT, isolate_git
from ruamel.yaml import YAML

from planner.cli import main

DEMO = PROJECT_ROOT / "scenarios" / "demo"


@pytest.fixture
def demo_pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the demo scenario: A (kept) and B (to change)."""
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(DEMO, a)
    shutil.copytree(DEMO, b)
    return a, b


def edit_yaml(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the scenario document of ``folder`` (comments are not kept: the test reads settings)."""
    yaml = YAML(typ="safe", pure=True)
    path = folder / "scenario.yaml"
    document = yaml.load(path.read_text("utf-8"))
    change(document)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(document, stream)


def edit_csv(path: Path, change: Callable[[list[dict[str, str]]], None]) -> None:
    """Change the rows of a CSV file in place, keeping its columns."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        columns, rows = list(reader.fieldnames or []), list(reader)
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def diff_json(capsys: pytest.CaptureFixture[str], *inputs: str) -> dict[str, Any]:
    """Run ``planner diff --exit-code --json``; the sides must differ (status 1)."""
    capsys.readouterr()
    status = main(["diff", *inputs, "--exit-code", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert status == 1, result
    return result


def rule(result: dict[str, Any], key: str) -> dict[str, Any]:
    return next(r for r in result["rules"] if r["key"] == key)


def data(result: dict[str, Any], section: str) -> dict[str, Any]:
    return next(d for d in result["data"] if d["section"] == section)


def test_identical_copies_do_not_differ(demo_pair, capsys):
    a, b = demo_pair
    assert main(["diff", str(a), str(b), "--exit-code"]) == 0
    out = capsys.readouterr().out
    assert "Settings (scenario.yaml): 0 changes" in out and "Data: 0 files changed" in out
    assert out.endswith("no differences\n")


def test_units_table(demo_pair, capsys):
    a, b = demo_pair
    first: dict[str, str] = {}

    def grow(rows: list[dict[str, str]]) -> None:
        first.update(rows[0])
        rows[0]["population"] = str(int(rows[0]["population"]) + 1000)

    edit_csv(b / "units.csv", grow)
    result = diff_json(capsys, str(a), str(b))
    change = data(result, "units")
    assert change["changed"] == [{"row": first["code"], "column": "population", "a": first["population"],
                                  "b": str(int(first["population"]) + 1000)}]
    assert change["added"] == change["removed"] == []
    assert result["figures"]["population"]["delta"] == 1000


def test_units_settings(demo_pair, capsys):
    a, b = demo_pair
    edit_yaml(b, lambda d: d["units"]["columns"].pop("staff"))
    result = diff_json(capsys, str(a), str(b))
    assert rule(result, "units.columns.staff") == {"key": "units.columns.staff", "a": "staff", "b": None,
                                                   "added": [], "removed": []}
    assert [d["section"] for d in result["data"]] == []  # the same file, read another way


def test_boundaries(demo_pair, capsys):
    a, b = demo_pair
    path = b / "boundaries.geojson"
    collection = json.loads(path.read_text("utf-8"))
    feature = collection["features"][0]
    ring = feature["geometry"]["coordinates"][0]
    if feature["geometry"]["type"] == "MultiPolygon":
        ring = ring[0]
    ring[1] = [ring[1][0] + 0.0001, ring[1][1]]
    path.write_text(json.dumps(collection), encoding="utf-8")
    edit_yaml(b, lambda d: d["boundaries"].update(tolerance_m=60))
    result = diff_json(capsys, str(a), str(b))
    assert [(c["row"], c["column"]) for c in data(result, "boundaries")["changed"]] == [
        (str(feature["properties"]["code"]), "geometry")]
    assert rule(result, "boundaries.tolerance_m")["b"] == 60


def test_preset_and_overrides(demo_pair, capsys):
    a, b = demo_pair
    edit_yaml(b, lambda d: d.update(preset_overrides={"waiver": {"applies_to": ["ward"]}}))
    result = diff_json(capsys, str(a), str(b))
    assert rule(result, "preset_overrides.waiver.applies_to")["added"] == ["ward"]
    change = data(result, "preset rules")
    assert change["changed"] == [{"row": "waiver.applies_to", "column": "value", "a": "[commune, ward]",
                                  "b": "[ward]"}]


def test_target(demo_pair, capsys):
    a, b = demo_pair
    edit_yaml(b, lambda d: d.update(target={"count": 110}))
    result = diff_json(capsys, str(a), str(b))
    assert rule(result, "target.count")["b"] == 110
    assert rule(result, "target.reduction.min")["b"] is None


def test_decisions(demo_pair, capsys):
    a, b = demo_pair
    edit_yaml(b, lambda d: d["decisions"].update(unchanged=["90001"]))
    result = diff_json(capsys, str(a), str(b))
    assert rule(result, "decisions.unchanged")["added"] == ["90001"]


def test_links(demo_pair, capsys):
    a, b = demo_pair
    first: dict[str, str] = {}

    def rename(rows: list[dict[str, str]]) -> None:
        first.update(rows[0])
        rows[0]["note"] = "a new bridge"
        rows.append({"a": rows[0]["a"], "b": "90001", "kind": "ferry", "note": "a second ferry"})

    edit_csv(b / "links.csv", rename)
    result = diff_json(capsys, str(a), str(b))
    change = data(result, "links")
    # links have no id column (nor a unique first one once two start at the same unit): a changed row
    # shows as one removed and one added
    assert len(change["added"]) == 2 and len(change["removed"]) == 1
    assert first["note"] in change["removed"][0] and any("a new bridge" in row for row in change["added"])


def test_agency_table(demo_pair, capsys):
    a, b = demo_pair
    edit_csv(b / "agencies" / "tasks.csv", lambda rows: rows.pop())
    result = diff_json(capsys, str(a), str(b))
    change = data(result, "agencies.tasks")
    assert len(change["removed"]) == 1 and change["rows_a"] == change["rows_b"] + 1
    capsys.readouterr()
    main(["diff", str(a), str(b)])
    out = capsys.readouterr().out
    assert "Data: 1 file changed\n  agencies.tasks (agencies/tasks.csv): 0 added, 1 removed, 0 rows changed" in out


def test_agencies_section(demo_pair, capsys):
    a, b = demo_pair
    edit_yaml(b, lambda d: d["agencies"].update(seal_lead_time_days=10))
    result = diff_json(capsys, str(a), str(b))
    assert rule(result, "agencies.seal_lead_time_days")["b"] == 10
    assert result["figures"]["transition.seal_lead_time_days"]["delta"] == 7


def test_baseline(demo_pair, capsys):
    a, b = demo_pair
    moved: dict[str, str] = {}

    def move(rows: list[dict[str, str]]) -> None:
        units = {row["new_unit"]: row for row in rows}
        row = next(r for r in rows if sum(x["new_unit"] == r["new_unit"] for x in rows) > 2 and r["unit"] !=
                   r.get("seat"))
        target = next(new for new in sorted(units) if new != row["new_unit"])
        moved.update(unit=row["unit"], a=row["new_unit"], b=target)
        row["new_unit"] = target
        for column in ("new_name", "new_kind", "seat"):
            if column in row:
                row[column] = units[target][column]

    edit_csv(b / "baseline.csv", move)
    result = diff_json(capsys, str(a), str(b))
    assert [(m["unit"], m["a"], m["b"]) for m in result["moved"]] == [(moved["unit"], moved["a"], moved["b"])]


def test_output_folders_show_settings_and_data(demo_pair, tmp_path, capsys):
    a, b = demo_pair
    edit_yaml(b, lambda d: (d.update(target={"count": 100}), d["decisions"].update(max_members=9)))
    edit_csv(b / "units.csv", lambda rows: rows[0].update(area_km2="99.9"))
    for side in (a, b):
        assert main(["evaluate", str(side), "--out", str(tmp_path / f"out-{side.name}"), "--no-maps"]) == 0
    result = diff_json(capsys, str(tmp_path / "out-a"), str(tmp_path / "out-b"))
    assert result["a"]["source"] == "output"
    assert rule(result, "target.count")["b"] == 100 and rule(result, "decisions.max_members")["b"] == 9
    assert data(result, "units")["content_only"] is True
    assert [d["section"] for d in result["data"]] == ["units"]
    # an output folder against its own scenario: the same settings and data
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "out-a"), str(a), "--json"]) == 0
    same = json.loads(capsys.readouterr().out)
    assert same["rules"] == [] and same["data"] == []


def test_git_revisions_adding_the_agencies_section(tmp_path, monkeypatch, capsys):
    """The known failure: a commit adding the agencies: section and its tables was 'no differences'."""
    isolate_git(monkeypatch, tmp_path / "home")
    repo = tmp_path / "repo"
    scenario = repo / "scenarios" / "demo"
    shutil.copytree(DEMO, scenario)
    tables = scenario / "agencies"
    shutil.move(tables, tmp_path / "tables")
    edit_yaml(scenario, lambda d: d.pop("agencies"))

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "demo without agencies")
    shutil.move(tmp_path / "tables", tables)
    shutil.copy(DEMO / "scenario.yaml", scenario / "scenario.yaml")
    git("add", ".")
    git("commit", "-q", "-m", "agencies")
    monkeypatch.chdir(repo)
    result = diff_json(capsys, "HEAD~1", "HEAD", "scenarios/demo")
    assert rule(result, "agencies.tasks")["b"] == "agencies/tasks.csv"
    sections = {d["section"]: d for d in result["data"]}
    assert {f"agencies.{name}" for name in ("agencies", "tasks", "transfer_rules", "procedures", "service_points",
                                            "places")} <= set(sections)
    assert sections["agencies.tasks"]["path_a"] is None and sections["agencies.tasks"]["rows_b"] > 0
    assert result["figures"]["transition.agency_source"]["b"] == "scenario"
