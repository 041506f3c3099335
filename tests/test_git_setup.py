"""planner git-setup marks every plan-shaped file a repository tracks, with a command that works in any clone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from diff_helpers import PLAN_V1, PLAN_V2, git, isolate_git, write_data, write_plan

from planner.cli import main

MAPPING_HEADER = "old_code,old_name,new_code,new_name,new_type,selected\n"


def write_mapping(path: Path, groups: dict[str, list[int]]) -> None:
    """An official-style mapping: old code -> new code, with names and the new unit's kind word."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [f"{i:05d},Xã Ô {i},{new},Xã {new},Xã,True\n" for new, members in sorted(groups.items())
            for i in sorted(members)]
    path.write_text(MAPPING_HEADER + "".join(rows), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository tracking a baseline.csv, a mapping merger_2025.csv, a *.plan.csv and a units table."""
    isolate_git(monkeypatch, tmp_path / "home")
    root = tmp_path / "repo"
    write_data(root / "scenarios" / "grid")  # units.csv and boundaries.geojson: not plans
    write_plan(root / "scenarios" / "grid" / "baseline.csv", PLAN_V1)
    write_plan(root / "alternatives" / "east.plan.csv", PLAN_V1)
    write_mapping(root / "data" / "merger_2025.csv", PLAN_V1)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "plans")
    return root


def setup_json(capsys: pytest.CaptureFixture[str], root: Path) -> dict:
    capsys.readouterr()
    assert main(["git-setup", "--repo", str(root), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_tracked_plan_shaped_files_are_found_and_marked(repo, capsys):
    report = setup_json(capsys, repo)
    assert report["plan_files"] == ["alternatives/east.plan.csv", "data/merger_2025.csv",
                                    "scenarios/grid/baseline.csv"]
    attributes = (repo / ".gitattributes").read_text("utf-8").splitlines()
    assert attributes[1:] == ["plan.csv diff=planner-plan", "*.plan.csv diff=planner-plan",
                              "baseline.csv diff=planner-plan", "merger_2025.csv diff=planner-plan"]
    checked = git(repo, "check-attr", "diff", "--", "scenarios/grid/baseline.csv", "data/merger_2025.csv",
                  "alternatives/east.plan.csv", "scenarios/grid/units.csv")
    assert checked.splitlines() == ["scenarios/grid/baseline.csv: diff: planner-plan",
                                    "data/merger_2025.csv: diff: planner-plan",
                                    "alternatives/east.plan.csv: diff: planner-plan",
                                    "scenarios/grid/units.csv: diff: unspecified"]


def test_textconv_command_names_no_path_of_this_machine(repo, capsys):
    setup_json(capsys, repo)
    command = git(repo, "config", "--get", "diff.planner-plan.textconv").strip()
    assert command == "planner diff --textconv"


def test_git_diff_shows_baseline_and_mapping_semantically(repo, capsys):
    setup_json(capsys, repo)
    write_plan(repo / "scenarios" / "grid" / "baseline.csv", PLAN_V2)
    write_mapping(repo / "data" / "merger_2025.csv", PLAN_V2)
    git(repo, "commit", "-q", "-am", "move 00005")
    # the mapping has no seat column
    for path, seats in (("scenarios/grid/baseline.csv", ("seat 00001 Xã Ô 1", "seat 00005 Xã Ô 5")),
                        ("data/merger_2025.csv", ("seat ?", "seat ?"))):
        diff = git(repo, "diff", "HEAD~1", "HEAD", "--", path)
        assert f"-unit N1 | Xã N1 | commune | {seats[0]} | 3 members\n" in diff, path
        assert f"+unit N4 | Xã N4 | commune | {seats[1]} | 3 members\n" in diff, path
        assert "+    00005 Xã Ô 5\n" in diff and "00005,Xã Ô 5" not in diff, path


def test_rerun_is_idempotent_and_adds_files_tracked_since(repo, capsys):
    setup_json(capsys, repo)
    attributes = (repo / ".gitattributes").read_bytes()
    again = setup_json(capsys, repo)
    assert again["changed"] == [] and (repo / ".gitattributes").read_bytes() == attributes
    write_mapping(repo / "data" / "merger 2026.csv", PLAN_V2)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "another mapping")
    third = setup_json(capsys, repo)
    assert third["changed"] == ['.gitattributes: "merger 2026.csv" diff=planner-plan']
    assert git(repo, "check-attr", "diff", "--", "data/merger 2026.csv").strip().endswith("planner-plan")


def test_a_fresh_clone_gets_the_same_view(repo, tmp_path, capsys):
    setup_json(capsys, repo)
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "semantic diff of plan files")
    write_plan(repo / "scenarios" / "grid" / "baseline.csv", PLAN_V2)
    git(repo, "commit", "-q", "-am", "move 00005")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    report = setup_json(capsys, clone)
    assert not any(line.startswith(".gitattributes") for line in report["changed"])  # committed already
    log = git(clone, "log", "-p", "-1", "--", "scenarios/grid/baseline.csv")
    assert "+    00005 Xã Ô 5\n" in log


def test_outside_a_repository_is_a_plain_error(tmp_path, monkeypatch, capsys):
    isolate_git(monkeypatch, tmp_path / "home")
    assert main(["git-setup", "--repo", str(tmp_path)]) == 2
    assert "not a git repository" in capsys.readouterr().err.lower()
