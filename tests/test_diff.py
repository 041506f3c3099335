"""planner diff: plans, output folders, scenarios and git revisions compared semantically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from diff_helpers import (
    PLAN_V1,
    PLAN_V2,
    SEATS_V2,
    git,
    isolate_git,
    make_repository,
    write_data,
    write_plan,
    write_scenario,
)

from planner.cli import main
from planner.inputs.plan import Plan
from planner.review.diff import compare_figures, compare_rules, match_units
from planner.review.plan_text import render_plan, textconv


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def grid_scenario(tmp_path: Path) -> Path:
    write_data(tmp_path / "data")
    folder = tmp_path / "scenario"
    write_scenario(folder, "../data", version=1, count=4)
    return folder


# -- matching new units ------------------------------------------------------------------------

def test_a_renamed_new_unit_is_changed_not_dissolved_and_created():
    a = {"N1": ["1", "2"], "N2": ["3", "4"], "N3": ["5", "6"]}
    b = {"N1": ["1", "2", "3"], "X4": ["4"], "N9": ["5", "6"]}
    matches = match_units(a, b)
    assert matches == {"N1": "N1", "N2": "X4", "N3": "N9"}


def test_same_id_without_common_members_is_not_matched_by_id():
    a = {"N1": ["1", "2"], "N2": ["3", "4"]}
    b = {"N1": ["3", "4"], "N2": ["1", "2"]}
    assert match_units(a, b) == {"N1": "N2", "N2": "N1"}


def test_plans_compared_with_scenario_report_moves_seats_and_figures(tmp_path, capsys):
    folder = grid_scenario(tmp_path)
    write_plan(tmp_path / "b.csv", PLAN_V2, SEATS_V2)
    status, out = run_cli(capsys, "diff", str(folder / "plan.csv"), str(tmp_path / "b.csv"),
                          "--scenario", str(folder), "--json")
    assert status == 0
    result = json.loads(out)
    assert result["counts"]["moved"] == 1
    assert result["moved"] == [{"unit": "00005", "name": "Xã Ô 5", "a": "N1", "b": "N4"}]
    assert result["counts"]["renamed"] == 1
    assert result["counts"]["created"] == result["counts"]["dissolved"] == 0
    assert result["seat_changes"] == [{"a": "N2", "b": "N2", "seat_a": "00003", "seat_b": "00004"}]
    figures = result["figures"]
    assert figures["units_after"] == {"a": 4, "b": 4, "delta": 0}
    # 00005 leaves N1 (a waived 3-unit merger) and joins N4: N1 now meets nothing by waiver
    assert figures["waived"]["delta"] == -1
    assert figures["meets_standard"]["delta"] == 1


def test_plans_without_scenario_still_compare_members(tmp_path, capsys):
    write_plan(tmp_path / "a.csv", PLAN_V1)
    write_plan(tmp_path / "b.csv", {"N1": [1, 2, 5, 3], "N2": [4, 8], "N3": [6, 7, 11, 12], "N4": [9, 10]})
    status, out = run_cli(capsys, "diff", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--exit-code")
    assert status == 1
    assert "~ N1 Xã N1: +00003 Xã Ô 3 (from N2)" in out
    assert "Old units moved: 1" in out
    assert "pass --scenario DIR" in out


def test_identical_inputs_give_no_differences(tmp_path, capsys):
    folder = grid_scenario(tmp_path)
    status, out = run_cli(capsys, "diff", str(folder), str(folder), "--exit-code")
    assert status == 0
    assert "no differences" in out
    assert "0 changed" in out


def test_output_folders_use_their_summaries(tmp_path, capsys):
    folder = grid_scenario(tmp_path)
    write_plan(tmp_path / "b.csv", PLAN_V2, SEATS_V2)
    assert main(["evaluate", str(folder), "--out", str(tmp_path / "out-a")]) == 0
    assert main(["evaluate", str(folder), "--plan", str(tmp_path / "b.csv"), "--out", str(tmp_path / "out-b")]) == 0
    gaps_a = json.loads((tmp_path / "out-a" / "summary.json").read_text("utf-8"))["gaps"]
    # a gap type the gap stage of evaluate found (agencies from the preset's template)
    kind = next(k for k, v in sorted(gaps_a.items()) if isinstance(v, int) and v > 0)
    before = gaps_a[kind]
    summary = json.loads((tmp_path / "out-b" / "summary.json").read_text("utf-8"))
    summary["gaps"] = {kind: before + 2, "by_body": {"service_center": 1}}
    (tmp_path / "out-b" / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    capsys.readouterr()
    status, out = run_cli(capsys, "diff", str(tmp_path / "out-a"), str(tmp_path / "out-b"), "--json")
    result = json.loads(out)
    assert result["a"]["source"] == result["b"]["source"] == "output"
    n1 = next(u for u in result["units"] if u["b"] == "N1")
    assert (n1["standard_a"], n1["standard_b"], n1["changes"]) == ("waived", "below", ["members", "standard"])
    assert result["counts"]["moved"] == 1
    assert result["figures"][f"gaps.{kind}"] == {"a": before, "b": before + 2, "delta": 2}
    assert result["figures"]["gaps.by_body.service_center"]["b"] == 1


def test_gap_counts_are_compared_key_by_key():
    figures = compare_figures({"gaps": {"seal_missing": 3, "unsigned": 1}, "gaps_by_severity": {"high": 4}},
                              {"gaps": {"seal_missing": 1}, "gaps_by_severity": {"high": 1}})
    by_key = {f.key: f for f in figures}
    assert by_key["gaps_by_severity.high"].delta == -3
    assert by_key["gaps.seal_missing"].label == "gaps: seal_missing"
    assert by_key["gaps.seal_missing"].delta == -2
    assert by_key["gaps.unsigned"].b == 0 and by_key["gaps.unsigned"].delta == -1


def test_rules_compare_lists_as_sets_and_codes_as_text():
    a = {"decisions": {"unchanged": [14755, "00002"], "merge_together": [["1", "2"]]}, "solver": {"seed": 0}}
    b = {"decisions": {"unchanged": ["00002", "14755"], "merge_together": [["2", "1"], ["3", "4"]]},
         "solver": {"seed": 1}}
    changes = compare_rules(a, b)
    assert [(c.key, c.added, c.removed) for c in changes] == [
        ("decisions.merge_together", ("[3, 4]",), ()), ("solver.seed", (), ())]


# -- git revisions -----------------------------------------------------------------------------

@pytest.fixture
def repository(tmp_path, monkeypatch):
    isolate_git(monkeypatch, tmp_path / "home")
    repo, scenario = make_repository(tmp_path)
    monkeypatch.chdir(repo)
    return repo, scenario


def test_diff_between_git_revisions_of_a_scenario(repository, capsys):
    status, out = run_cli(capsys, "diff", "HEAD~1", "HEAD", "scenarios/grid")
    assert status == 0
    assert out.startswith("A: HEAD~1:scenarios/grid (scenario)\nB: HEAD:scenarios/grid (scenario)\n")
    assert ("Settings (scenario.yaml): 3 changes\n  decisions.unchanged: added 00003\n  name: Grid 1 -> Grid 2\n"
            "  target.count: 4 -> 5\n") in out
    assert "Data: 0 files changed\n" in out  # the data beside the repository is the same file for both
    assert "4 changed (1 renamed), 0 unchanged" in out
    assert "  ~ N30 Xã N30: id N3 -> N30; name Xã N3 -> Xã N30\n" in out
    assert "  ~ N1 Xã N1: -00005 Xã Ô 5 (to N4); standard waived -> below\n" in out
    assert "  ~ N4 Xã N4: +00005 Xã Ô 5 (from N1); standard below -> meets\n" in out
    assert "Old units moved: 1\n  00005 Xã Ô 5: N1 -> N4\n" in out
    assert "Seats changed: 1\n  N2 Xã N2: 00003 Xã Ô 3 -> 00004 Xã Ô 4\n" in out
    status, out = run_cli(capsys, "diff", "HEAD~1", "HEAD", "scenarios/grid", "--json")
    figures = json.loads(out)["figures"]
    assert figures["meets_standard"]["delta"] == 1 and figures["waived"]["delta"] == -1


def test_diff_between_revisions_of_a_plan_file(repository, capsys):
    status, out = run_cli(capsys, "diff", "HEAD~1", "HEAD", "scenarios/grid/plan.csv", "--scenario",
                          "scenarios/grid", "--json")
    result = json.loads(out)
    assert result["a"]["label"] == "HEAD~1:scenarios/grid/plan.csv"
    assert result["counts"]["moved"] == 1
    assert result["figures"]["units_after"]["delta"] == 0


def test_unknown_revision_is_a_plain_error(repository, capsys):
    status = main(["diff", "NOPE", "HEAD", "scenarios/grid"])
    assert status == 2
    assert "NOPE" in capsys.readouterr().err


def test_git_setup_makes_git_diff_semantic(repository, capsys):
    repo, _ = repository
    assert main(["git-setup"]) == 0
    attributes = (repo / ".gitattributes").read_bytes()
    assert b"plan.csv diff=planner-plan\n*.plan.csv diff=planner-plan\n" in attributes
    assert main(["git-setup"]) == 0  # idempotent
    assert (repo / ".gitattributes").read_bytes() == attributes
    assert "already  diff.planner-plan.textconv" in capsys.readouterr().out
    diff = git(repo, "diff", "HEAD~1", "HEAD", "--", "scenarios/grid/plan.csv")
    assert "-unit N1 | Xã N1 | commune | seat 00001 Xã Ô 1 | 3 members\n" in diff
    assert "+unit N1 | Xã N1 | commune | seat 00001 Xã Ô 1 | 2 members\n" in diff
    assert "-    00005 Xã Ô 5\n" in diff and "+    00005 Xã Ô 5\n" in diff
    assert "+unit N2 | Xã N2 | commune | seat 00004 Xã Ô 4 | 3 members\n" in diff
    assert "+unit N30 | Xã N30 |" in diff
    log = git(repo, "log", "-p", "-1", "--", "scenarios/grid/plan.csv")
    assert "+    00005 Xã Ô 5\n" in log
    raw = git(repo, "diff", "--no-textconv", "HEAD~1", "HEAD", "--", "scenarios/grid/plan.csv")
    assert "unit,unit_name,new_unit" not in diff and "00005,Xã Ô 5,N4" in raw


def test_git_setup_global(repository, tmp_path, capsys):
    assert main(["git-setup", "--global", "--command", "planner diff --textconv"]) == 0
    config = (tmp_path / "home" / "gitconfig").read_text("utf-8")
    assert 'textconv = planner diff --textconv' in config
    attributes = (tmp_path / "home" / "xdg" / "git" / "attributes").read_text("utf-8")
    assert "*.plan.csv diff=planner-plan" in attributes


# -- textconv ----------------------------------------------------------------------------------

def test_textconv_is_canonical_whatever_the_row_order(tmp_path):
    write_plan(tmp_path / "a.csv", PLAN_V1)
    lines = (tmp_path / "a.csv").read_text("utf-8").splitlines(True)
    (tmp_path / "shuffled.csv").write_text(lines[0] + "".join(reversed(lines[1:])), encoding="utf-8")
    assert textconv(tmp_path / "a.csv") == textconv(tmp_path / "shuffled.csv")
    assert textconv(tmp_path / "a.csv").startswith("# planner plan: 4 new units, 12 old units\n")


def test_textconv_shows_a_file_that_is_not_a_plan_as_it_is(tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert textconv(tmp_path / "x.csv") == "a,b\n1,2\n"


def test_render_plan_marks_splits():
    plan = Plan({"1": "A", "2": "A"}, seats={"A": "1"})
    assert render_plan(plan, {"1": "One"}) == (
        "# planner plan: 1 new units, 2 old units\nunit A | ? | ? | seat 1 One | 2 members\n    1 One\n    2\n")


# -- map ---------------------------------------------------------------------------------------

def test_difference_map_highlights_moved_and_changed_units(tmp_path, capsys):
    folder = grid_scenario(tmp_path)
    write_plan(tmp_path / "b.csv", PLAN_V2, SEATS_V2)
    args = ["diff", str(folder / "plan.csv"), str(tmp_path / "b.csv"), "--scenario", str(folder)]
    assert main([*args, "--map", str(tmp_path / "one.svg")]) == 0
    assert main([*args, "--map", str(tmp_path / "two.svg")]) == 0
    svg = (tmp_path / "one.svg").read_text("utf-8")
    assert svg == (tmp_path / "two.svg").read_text("utf-8")
    assert svg.startswith("<svg") and svg.endswith("</svg>\n")
    assert svg.count('fill="#d95f02"><title>') == 1  # 00005 moved
    # changed units N1, N2 (seat), N30 (renamed), N4: every other member is highlighted lightly
    assert svg.count('fill="#fdd49e"><title>') == 11
    assert svg.count("<circle") == 2  # the changed seat and the legend


def test_map_without_polygons_asks_for_the_scenario(tmp_path, capsys):
    write_plan(tmp_path / "a.csv", PLAN_V1)
    status = main(["diff", str(tmp_path / "a.csv"), str(tmp_path / "a.csv"), "--map", str(tmp_path / "m.svg")])
    assert status == 2
    assert "--scenario" in capsys.readouterr().err
    assert not (tmp_path / "m.svg").exists()


def test_missing_input_is_a_plain_error(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "nothing"), str(tmp_path / "nothing2")]) == 2
    assert "not found" in capsys.readouterr().err


def test_diff_between_a_revision_and_the_working_tree(repository, capsys):
    repo, scenario = repository
    write_plan(scenario / "plan.csv", PLAN_V1)
    status, out = run_cli(capsys, "diff", "HEAD", "scenarios/grid", "--json")
    result = json.loads(out)
    assert result["b"]["label"] == "scenarios/grid (working tree)"
    assert result["moved"] == [{"unit": "00005", "name": "Xã Ô 5", "a": "N4", "b": "N1"}]
    assert [r["key"] for r in result["rules"]] == []


def test_wrong_number_of_inputs(capsys):
    assert main(["diff", "only-one"]) == 2
    assert "expected A B" in capsys.readouterr().err
