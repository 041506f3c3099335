"""Settings of the wrong shape and unknown keys: every one is an input error naming the file and the key.

Each case is a mistake a user made (a list where a mapping is expected, a word where a number is,
``no`` for true or false, a misspelt key): ``planner validate`` exits with status 2 and names the
file and the key, instead of a traceback later or a setting silently read otherwise.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from planner.cli import main
from planner.inputs.problems import ProblemList
from planner.inputs.settings import PRESET, SCENARIO, check_document, check_scenario
from planner.inputs.yamlio import load_yaml
from tests.conftest import SCENARIO_YAML, write_grid_scenario

BASE = load_yaml(SCENARIO_YAML)


def dump(document: dict[str, Any]) -> str:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(document, stream)
    return stream.getvalue()


def set_key(document: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """A copy of ``document`` with the dotted ``key`` set to ``value``."""
    document = copy.deepcopy(document)
    *path, last = key.split(".")
    holder = document
    for part in path:
        holder = holder.setdefault(part, {})
    holder[last] = value
    return document


def validate(capsys: pytest.CaptureFixture[str], folder: Path) -> tuple[int, str]:
    status = main(["validate", str(folder)])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


# (key set, value, key named in the message, words of the message)
CASES = [
    ("units.columns.parents", ["district_code", "province_code"], "units.columns.parents", "expected a mapping"),
    ("units.kind_values", ["Xã"], "units.kind_values", "expected a mapping"),
    ("units.contexts", ["other"], "units.contexts", "got a list"),
    ("baseline.columns", ["unit", "new_unit"], "baseline.columns", "expected a mapping"),
    ("baseline.where", ["selected"], "baseline.where", "expected a mapping"),
    ("preset_overrides", {"standards": 5}, "preset_overrides.standards", "expected a list of standards"),
    ("preset_overrides", {"valid_from": "soon"}, "preset_overrides.valid_from", "'soon' is not a date"),
    ("preset_overrides", {"access": {"max_km": "far"}}, "preset_overrides.access.max_km", "'far' is not a number"),
    ("preset_overrides", {"waiver": {"min_constituents": "three"}}, "preset_overrides.waiver.min_constituents",
     "'three' is not a whole number"),
    ("preset_overrides", {"merged_terrain": {"tests": [{"terrain": "mountainous", "min_share": "most"}]}},
     "preset_overrides.merged_terrain.tests[0].min_share", "'most' is not a share"),
    ("target", {"count": 0}, "target.count", "0 is not a whole number of at least 1"),
    ("boundaries.repair_invalid", "no", "boundaries.repair_invalid", "expected true or false, got 'no'"),
    ("target", {"reduction": {"min": 0.8, "max": 0.5}}, "target.reduction", "min 0.8 is above max 0.5"),
    ("units.columns.extra", "population", "units.columns.extra", "expected a list of columns, got 'population'"),
    ("preset_overrides", {"standardz": []}, "preset_overrides.standardz", "did you mean 'standards'?"),
    ("preset_overrides", {"waiver": {"enable": False}}, "preset_overrides.waiver.enable",
     "did you mean 'enabled'?"),
    ("units.columns.populaton", "population", "units.columns.populaton", "did you mean 'population'?"),
    ("solver.seeed", 3, "solver.seeed", "did you mean 'seed'?"),
    ("solver.time_limit_s", 0, "solver.time_limit_s", "0 is not a time limit"),
    ("access.max_km", float("nan"), "access.max_km", "is not a number above 0"),
    ("decisions.merge_together", ["00001", "00002"], "decisions.merge_together[0]", "expected a list"),
    ("links", "ferry", "links", "expected {path: links.csv} or a list"),
    ("preset_overrides", {"staffing": {"surplus_years": None}}, "preset_overrides.staffing.surplus_years",
     "expected a whole number, got nothing (leave the key out for the default)"),
    ("units.columns.id", None, "units.columns.id", "expected a text, got nothing"),
]


@pytest.mark.parametrize("key, value, named, words", CASES, ids=[f"{c[0]}={c[1]!r}" for c in CASES])
def test_a_setting_of_the_wrong_shape_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        key: str, value: Any, named: str, words: str) -> None:
    folder = write_grid_scenario(tmp_path / "s", yaml_text=dump(set_key(BASE, key, value)))
    status, output = validate(capsys, folder)
    assert status == 2, output
    assert f"{folder / 'scenario.yaml'}, key {named}: " in output, output
    assert words in output, output
    assert "Traceback" not in output and "bug in planner" not in output


def test_a_misspelt_section_is_an_error_with_the_closest_key(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    document = copy.deepcopy(BASE)
    document["boundries"] = document.pop("boundaries")
    folder = write_grid_scenario(tmp_path / "s", yaml_text=dump(document))
    status, output = validate(capsys, folder)
    assert status == 2, output
    assert "scenario.yaml, key boundries: unknown key 'boundries': did you mean 'boundaries'?" in output


def test_every_problem_is_reported_in_one_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = set_key(set_key(BASE, "target", {"count": 0}), "boundaries.repair_invalid", "no")
    document = set_key(set_key(document, "units.columns.extra", "population"), "acces", {"max_km": 5})
    folder = write_grid_scenario(tmp_path / "s", yaml_text=dump(document))
    status, output = validate(capsys, folder)
    assert status == 2
    for key in ("target.count", "boundaries.repair_invalid", "units.columns.extra", "acces"):
        assert f"key {key}: " in output, output
    assert "did you mean 'access'?" in output


def test_a_custom_preset_with_an_unknown_key_or_a_wrong_value_names_the_preset(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "s"
    write_grid_scenario(folder, yaml_text=dump(set_key(BASE, "preset", "./mine.yaml")))
    (folder / "mine.yaml").write_text("extends: vn-2025\nid: mine\nwaivr: {enabled: false}\n"
                                      "access: {max_km: -3}\n", encoding="utf-8")
    status, output = validate(capsys, folder)
    assert status == 2, output
    assert "preset mine, key waivr: unknown key 'waivr': did you mean 'waiver'?" in output
    assert "preset mine, key access.max_km: -3 is not a number above 0" in output


def test_settings_of_the_right_shape_pass_and_are_typed() -> None:
    problems = ProblemList()
    document = {"name": "A", "solver": {"seed": "4", "time_limit_s": 30},
                "preset_overrides": {"merged_terrain": {"tests": [{"terrain": "mountainous", "min_share": "3/4"}]},
                                     "valid_from": "2025-01-01"},
                "units": {"path": "u.csv", "where": {"province_code": [38, "40"], "selected": True}}}
    cleaned = check_scenario(document, problems, "s.yaml")
    assert problems.items == []
    assert cleaned["solver"] == {"seed": 4, "time_limit_s": 30}
    assert cleaned["preset_overrides"]["merged_terrain"]["tests"][0]["min_share"] == "3/4"
    assert str(cleaned["preset_overrides"]["valid_from"]) == "2025-01-01"
    assert cleaned["units"]["where"] == document["units"]["where"]


def test_the_shipped_presets_and_scenarios_have_the_right_shape() -> None:
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "planner" / "presets").glob("*.yaml")):
        problems = ProblemList()
        check_document(PRESET, {k: v for k, v in load_yaml(path.read_text("utf-8")).items() if k != "extends"},
                       problems, path.name)
        assert problems.items == [], [str(p) for p in problems.items]
    for path in sorted((root / "scenarios").glob("*/scenario.yaml")):
        problems = ProblemList()
        check_document(SCENARIO, load_yaml(path.read_text("utf-8")), problems, path.name)
        assert problems.items == [], [str(p) for p in problems.items]


def test_a_control_character_in_a_setting_or_a_cell_is_an_input_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_grid_scenario(tmp_path / "s", yaml_text=dump(set_key(BASE, "name", "Grid\x16")))
    (folder / "units.csv").write_text((folder / "units.csv").read_text("utf-8").replace("Xã Ô 2", "Xã\x16Ô 2"),
                                      encoding="utf-8")
    status, output = validate(capsys, folder)
    assert status == 2, output
    assert "scenario.yaml, key name: the text holds the control character U+0016" in output
    assert "units.csv, row 3: column 'name': the cell holds the control character U+0016" in output
