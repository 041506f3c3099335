"""The generic preset: a scenario of another country gives outputs with nothing Vietnamese in them."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from shapely.geometry import box, mapping

from planner.cli import main
from planner.inputs.preset import load_preset
from planner.inputs.problems import ProblemList

#: Words and citations of the Vietnamese presets and templates that must not reach a run of another country.
COUNTRY_WORDS = ("Xã", "Phường", "Thị trấn", "Đặc khu", "Ủy ban", "NĐ-CP", "UBTVQH", "QH15", "Decree", "Resolution",
                 "People's Committee", "D99", "R190", "D118", "R76", "vn-2025", "one-stop", "one_stop")
NAMES = ("Alder", "Birch", "Cedar", "Dale", "Elm", "Fern", "Glen", "Heath", "Ivy", "Juniper", "Kestrel", "Larch",
         "Maple", "Nettle", "Oak", "Pine", "Quarry", "Rowan", "Sedge", "Thorn")


def shires(folder: Path) -> Path:
    """Two shires of a 4 x 5 grid of parishes, with no kind and no terrain column, under the generic preset."""
    folder.mkdir(parents=True, exist_ok=True)
    rows, features = ["code,name,shire,shire_name,population,area_km2"], []
    for r in range(4):
        for c in range(5):
            i = r * 5 + c
            shire = "S1" if c < 3 else "S2"
            rows.append(f"P{i + 1:02d},{NAMES[i]},{shire},{'North' if shire == 'S1' else 'South'} Shire,"
                        f"{1500 + 400 * i},{12.5 + i}")
            features.append({"type": "Feature", "properties": {"code": f"P{i + 1:02d}"},
                             "geometry": mapping(box(10 + c / 20, 50 + r / 20, 10.05 + c / 20, 50.05 + r / 20))})
    (folder / "units.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "boundaries.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                                               encoding="utf-8")
    (folder / "baseline.csv").write_text("unit,new_unit\n" + "".join(f"P{i + 1:02d},N{i // 2}\n" for i in range(20)),
                                         encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        "name: Shires\neffective_date: 2030-01-01\npreset: generic\n"
        "units:\n  path: units.csv\n  columns: {id: code, name: name, population: population, area_km2: area_km2,"
        " parents: {shire: shire}, parent_names: {shire: shire_name}}\n"
        "boundaries: {path: boundaries.geojson, id: code}\nbaseline: {path: baseline.csv}\n", encoding="utf-8")
    return folder


def texts_of(folder: Path) -> dict[str, str]:
    """Every file of an output folder as text: the XML of a workbook, the bytes of a GeoPackage or PNG as UTF-8."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as workbook:
                texts[path.name] = "".join(workbook.read(n).decode("utf-8") for n in workbook.namelist())
        else:
            texts[path.name] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """validate, evaluate, plan, gaps and map on the shires: command -> (output folder, what it printed)."""
    root = tmp_path_factory.mktemp("generic")
    scenario = str(shires(root / "shires"))
    commands = {"validate": [], "evaluate": ["--out"], "plan": ["--solves", "20", "--out"], "gaps": ["--out"],
                "map": ["--out"]}
    results = {}
    for command, options in commands.items():
        out = root / f"out-{command}"
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            code = main([command, scenario, *options, *([str(out)] if options else [])])
        assert code == 0, printed.getvalue()
        results[command] = (out, printed.getvalue())
    return results


def test_the_generic_preset_is_shipped_and_valid() -> None:
    problems = ProblemList()
    preset = load_preset("generic", problems)
    assert not problems.items and preset is not None
    assert preset.output_kinds == ("unit",) and not preset.waiver_enabled and not preset.has_terrain_rule
    assert [c.attribute for c in preset.standards[0].criteria] == ["population"]
    assert "agency_templates" not in preset.data


@pytest.mark.parametrize("command", ["validate", "evaluate", "plan", "gaps", "map"])
def test_no_country_words_in_any_output(runs: dict[str, tuple[Path, str]], command: str) -> None:
    out, printed = runs[command]
    texts = texts_of(out) if out.exists() else {}
    assert command == "validate" or "report.md" in texts or "map.html" in texts
    for name, text in {**texts, "console": printed}.items():
        found = [word for word in COUNTRY_WORDS if word in text]
        assert not found, f"{command}: {name} holds {found}"


def test_no_terrain_waiver_or_agency_leftovers(runs: dict[str, tuple[Path, str]]) -> None:
    for command, (_out, printed) in runs.items():
        assert "terrain" not in printed and "waiver" not in printed, command
    out = runs["gaps"][0]
    report = (out / "report.md").read_text("utf-8")
    assert "waiver" not in report and "terrain" not in report and "seal" not in report
    assert "waiver" not in (out / "map.svg").read_text("utf-8")
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert sorted(summary["gaps"]) == ["access_beyond_threshold", "duplicate_place_name"]
    assert not {"seals_needed", "bodies_abolished", "staff_norm"} & set(summary["transition"])
    assert not {"bodies.csv", "task_transfers.csv", "staffing.csv"} & {p.name for p in out.iterdir()}
    with zipfile.ZipFile(out / "plan.xlsx") as workbook:
        sheets = workbook.read("xl/workbook.xml").decode("utf-8")
    assert "bodies" not in sheets and "staffing" not in sheets


def test_a_minimal_custom_preset_of_a_few_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The minimal custom preset of docs/presets.md: extends generic, its own figures and legal basis."""
    folder = shires(tmp_path / "shires")
    (folder / "my-preset.yaml").write_text(
        "extends: generic\nid: shires-2030\ntitle: Shires reform 2030\n"
        "sources:\n  ACT: Local Government Act 2029, s. 4\n"
        "standards:\n  - {id: parish, kind: unit, criteria: [{attribute: population, min: 4000},"
        " {attribute: area_km2, min: 25}], source: ACT}\n", encoding="utf-8")
    text = (folder / "scenario.yaml").read_text("utf-8").replace("preset: generic", "preset: ./my-preset.yaml")
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["evaluate", str(folder), "--out", str(out), "--no-maps"]) == 0
    report = (out / "report.md").read_text("utf-8")
    assert "population >= 4,000, area_km2 >= 25 | Local Government Act 2029, s. 4 |" in report
    assert "waiver" not in report and "waiver" not in capsys.readouterr().out


def test_fix_words_are_generic_unless_the_agency_template_gives_its_own() -> None:
    from planner.transition.fix_texts import fix_texts
    from planner.transition.template import load_template

    generic = fix_texts({}, {})
    assert set(generic) == {"seal_missing", "signing_without_seal", "procedure_cites_abolished_body",
                            "no_one_stop_center", "staff_over_cap"}
    assert not [w for text in generic.values() for w in COUNTRY_WORDS if w in text and "one" not in w]
    problems = ProblemList()
    vietnam = fix_texts(load_template("vn-2025", problems, "test"), {"cap_source": "R76 Art. 11"})
    assert not problems.items
    assert vietnam["seal_missing"] == "have the seal made and registered with the police (D99/2016)"
    assert vietnam["no_one_stop_center"].endswith("(D118/2025)") and "R190/2025" in vietnam[
        "procedure_cites_abolished_body"]
    assert vietnam["staff_over_cap"] == "bring the planned headcount down to the sum of the constituents' (R76 Art. 11)"
