"""Names of new units follow the preset's naming rule; the scenario can fix them; diff sees proper names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from planner import pipeline
from planner.cli import main
from planner.inputs.plan import Plan
from planner.inputs.preset import available_presets, load_preset
from planner.inputs.problems import ProblemList
from planner.optimize import OptimizeSettings
from planner.rules.naming import FROM_RULE, MADE_UNIQUE, NamingRule, NewUnit, name_units
from tests.conftest import ROOT

DEMO = ROOT / "scenarios" / "demo"


def preset(name: str):
    problems = ProblemList()
    loaded = load_preset(name, problems)
    assert loaded is not None, problems.items
    return loaded


@pytest.fixture(scope="module")
def demo():
    return pipeline.open_scenario(DEMO)


def copy_demo(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    return folder


def add_decisions(folder: Path, text: str) -> None:
    path = folder / "scenario.yaml"
    yaml_text = path.read_text("utf-8")
    assert "decisions:\n" in yaml_text
    path.write_text(yaml_text.replace("decisions:\n", "decisions:\n" + text, 1), encoding="utf-8")


def run_cli(capsys, *args: str) -> tuple[int, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.mark.parametrize("preset_id, old, kind, expected", [
    ("vn-2025", "Thị trấn Ngọc Lặc", "commune", "Xã Ngọc Lặc"),
    ("vn-2025", "Phường Quang Định", "commune", "Xã Quang Định"),
    ("vn-2025", "Xã An Bình", "ward", "Phường An Bình"),
    ("vn-2026", "Xã An Bình", "special_zone", "Đặc khu An Bình"),
    ("ee-2017", "Kuressaare linn", "municipality", "Kuressaare vald"),
    ("dk-2007", "Ærøskøbing Kommune", "municipality", "Ærøskøbing Kommune"),
])
def test_every_shipped_preset_names_by_the_seat_with_the_new_kind_word(preset_id, old, kind, expected):
    rule = preset(preset_id).naming
    assert rule.build(kind, rule.proper_name(old)) == expected


def test_every_shipped_preset_has_a_word_for_each_output_kind():
    for preset_id in available_presets():
        loaded = preset(preset_id)
        if "{kind_word}" not in loaded.naming.pattern:  # generic: a new unit is named by its seat alone
            assert not loaded.naming.kind_words, preset_id
            continue
        for kind in loaded.output_kinds:
            assert loaded.naming.words_of(kind), (preset_id, kind)


def test_a_preset_naming_section_with_errors_is_refused(tmp_path):
    custom = tmp_path / "custom.yaml"
    custom.write_text("extends: vn-2025\nid: custom\nnaming:\n  pattern: '{kind_word} X'\n"
                      "  kind_words: {ward: []}\n  duplicates: letters\n", encoding="utf-8")
    problems = ProblemList()
    assert load_preset(str(custom), problems) is None
    text = "\n".join(str(p) for p in problems.items)
    assert "expected a text holding {proper_name}" in text
    assert "no word for the kind 'ward'" in text
    assert "expected one of next_member, number" in text


def test_duplicates_keep_the_most_populous_seat_then_add_the_next_member_or_a_number():
    rule = NamingRule("{kind_word} {proper_name}", (("commune", ("Xã",)),))
    names = {"1": "Xã An", "2": "Xã An", "3": "Xã Bình", "4": "Xã An"}
    units = {"A": NewUnit("commune", "1", ("1",), "p", 100.0),
             "B": NewUnit("commune", "2", ("2", "3"), "p", 900.0),
             "C": NewUnit("commune", "4", ("4",), "p", 50.0),
             "D": NewUnit("commune", "4", ("4",), "q", 50.0)}
    named = name_units(rule, units, names, {})
    assert named == {"A": ("Xã An 2", MADE_UNIQUE),
                     "B": ("Xã An", FROM_RULE), "C": ("Xã An 3", MADE_UNIQUE), "D": ("Xã An", FROM_RULE)}
    units["A"] = NewUnit("commune", "1", ("1", "3"), "p", 1000.0)
    named = name_units(rule, units, names, {})
    assert named["A"] == ("Xã An", FROM_RULE)
    assert named["B"] == ("Xã An Bình", MADE_UNIQUE)
    assert name_units(rule, units, names, {"B": ("Xã An", "plan")})["A"] == ("Xã An Bình", MADE_UNIQUE)


def _check_names(scenario, evaluation) -> None:
    rule = scenario.preset.naming
    units = evaluation.units
    for unit in units.itertuples():
        kind, proper = rule.split(unit.name)
        assert kind == unit.kind, unit.name
    assert units["name"].is_unique
    assert evaluation.summary["findings"]["name_kind_word"] == 0
    assert evaluation.summary["findings"]["name_duplicate"] == 0


def test_an_optimizer_plan_names_units_by_the_preset_never_as_townships(demo):
    scenario, graph = demo
    result = pipeline.optimize(scenario, graph, OptimizeSettings(solves=20, seed=0, workers=1))
    evaluation = pipeline.evaluate(scenario, graph, result.plan)
    _check_names(scenario, evaluation)
    units = evaluation.units
    township_seats = units[units["seat_name"].str.startswith("Thị trấn")]
    assert len(township_seats) > 0
    assert all(name.startswith("Xã ") for name in township_seats[township_seats["kind"] == "commune"]["name"])
    assert set(units["name_source"]) <= {FROM_RULE, MADE_UNIQUE}


def test_names_are_unique_within_the_province_when_seats_share_a_name(demo):
    scenario, graph = demo
    plan = Plan({code: code for code in scenario.units.index})  # every old unit on its own
    evaluation = pipeline.evaluate(scenario, graph, plan)
    _check_names(scenario, evaluation)
    names = evaluation.plan.names
    assert {names["90112"], names["90166"]} == {"Xã Hạnh Hội", "Xã Hạnh Hội 2"}
    made_unique = evaluation.units[evaluation.units["name_source"] == MADE_UNIQUE]
    assert sorted(made_unique["name"]) == ["Xã Cẩm Hưng 2", "Xã Hạnh Hội 2"]


def test_the_demo_hand_drawn_plan_is_named_by_the_rule(demo):
    scenario, graph = demo
    evaluation = pipeline.evaluate(scenario, graph)
    _check_names(scenario, evaluation)
    rule = scenario.preset.naming
    seat_names = dict(zip(evaluation.units["new_unit"], evaluation.units["seat_name"]))
    for new, name in evaluation.plan.names.items():
        assert rule.proper_name(name).startswith(rule.proper_name(seat_names[new]))


def test_name_fixes_in_the_scenario_name_the_unit_in_every_plan(tmp_path, capsys):
    folder = copy_demo(tmp_path)
    add_decisions(folder, '  names:\n    "90073": Xã Cẩm Khê Mới\n    "90080": Xã Không Dùng\n')
    scenario, graph = pipeline.open_scenario(folder)
    assert scenario.decisions.names == {"90073": "Xã Cẩm Khê Mới", "90080": "Xã Không Dùng"}
    plan = Plan({code: "90073" if code in ("90073", "90080") else code for code in scenario.units.index},
                seats={"90073": "90073"})
    evaluation = pipeline.evaluate(scenario, graph, plan)
    row = evaluation.units.set_index("new_unit").loc["90073"]
    assert (row["name"], row["name_source"]) == ("Xã Cẩm Khê Mới", "scenario")
    fix = evaluation.findings[evaluation.findings["check"] == "name_fix"]
    assert fix[["units", "rule"]].values.tolist() == [["90080", "decisions.names.90080"]]
    baseline = pipeline.evaluate(scenario, graph)
    new = baseline.plan.assignment["90073"]
    assert baseline.plan.names[new] == "Xã Cẩm Khê Mới"


def test_validate_checks_name_fixes(tmp_path, capsys):
    folder = copy_demo(tmp_path)
    add_decisions(folder, '  names:\n    "90073": Thị trấn Cẩm Khê\n    "99999": Xã Ma\n    "90080": ""\n'
                          '    "90081": Cẩm Khê\n')
    status, output = run_cli(capsys, "validate", str(folder))
    assert status == 2
    assert ("key decisions.names.90073: 'Thị trấn Cẩm Khê' carries the word of the kind 'township', which no new "
            "unit may take (expected one of Xã, Phường, Đặc khu)") in output
    assert "key decisions.names.99999: unknown unit '99999'" in output
    assert "key decisions.names.90080: expected the name of the new unit as text, got ''" in output
    assert "key decisions.names.90081: 'Cẩm Khê' carries no kind word" in output
    assert "Traceback" not in output


def test_diff_reports_a_rename_only_when_the_proper_name_changes(tmp_path, capsys):
    plan = "unit,new_unit,new_name,new_kind\n1,N1,{n1},commune\n2,N1,{n1},commune\n3,N2,{n2},commune\n"
    (tmp_path / "a.csv").write_text(plan.format(n1="Thị trấn An", n2="Xã Bình"), encoding="utf-8")
    (tmp_path / "b.csv").write_text(plan.format(n1="Xã An", n2="Xã Bình Mới"), encoding="utf-8")
    status = main(["diff", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--json"])
    assert status == 0
    result = json.loads(capsys.readouterr().out)
    assert result["counts"]["renamed"] == 1
    assert result["counts"]["new_ids"] == 0
    changed = {u["b"]: u["changes"] for u in result["units"]}
    assert changed == {"N2": ["name"]}
