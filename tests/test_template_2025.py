"""The vn-2025 agency template: district offices of Decree 45/2025 by district kind, commune departments that sign,
and new bodies for a unit whose kind or name changes."""

from __future__ import annotations

from pathlib import Path

from planner import pipeline
from planner.inputs.problems import ProblemList
from planner.transition.agencies import kept_units
from planner.transition.template import load_template, template_table
from tests.conftest import SCENARIO_YAML, grid_units, write_grid_scenario

NAMED_YAML = SCENARIO_YAML.replace("    parents: {district: district_code, province: province_code}\n",
                                   "    parents: {district: district_code, province: province_code}\n"
                                   "    parent_names: {district: district_name}\n")


def named_districts(folder: Path) -> Path:
    """The grid with district names: 001 a town, 002 a rural district."""
    write_grid_scenario(folder, yaml_text=NAMED_YAML)
    units = (folder / "units.csv").read_text("utf-8").splitlines()
    lines = [units[0] + ",district_name"]
    lines += [line + (",Thị xã Đông" if ",001," in line else ",Huyện Tây") for line in units[1:]]
    (folder / "units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_district_offices_follow_decree_45_by_district_kind(tmp_path: Path) -> None:
    scenario, _ = pipeline.open_scenario(named_districts(tmp_path / "grid"))
    template = load_template(scenario.preset.data["agency_templates"], ProblemList(), "scenario.yaml")
    bodies = template_table("agencies", scenario, template)
    district = bodies[bodies["level"] == "district"]
    assert district.groupby("unit").size().to_dict() == {"001": 12, "002": 12}  # committee, council, 10 offices
    names = dict(zip(district["id"], district["name"]))
    assert names["district-001-district_natural_resources"] == "Phòng Tài nguyên và Môi trường Thị xã Đông"
    assert names["district-002-district_natural_resources"] == "Phòng Nông nghiệp và Môi trường Huyện Tây"
    assert names["district-002-district_culture_information"] == "Phòng Văn hóa, Khoa học và Thông tin Huyện Tây"
    assert not district["kind"].isin(["district_labour_social", "district_agriculture"]).any()  # merged in 2025
    assert set(district.loc[district["kind"] != "district_people_committee", "legal_basis"]) >= {"D45 Art. 15",
                                                                                                   "D45 Art. 16"}
    tasks = template_table("tasks", scenario, template)
    rules = set(template_table("transfer_rules", scenario, template)["category"])
    assert set(tasks["category"]) <= rules  # every task of a district office has a transfer rule


def test_commune_departments_sign_without_a_seal(grid_scenario: Path) -> None:
    scenario, graph = pipeline.open_scenario(grid_scenario)
    evaluation = pipeline.evaluate(scenario, graph)
    report = pipeline.find_plan_gaps(scenario, graph, evaluation)
    gaps = report.gaps[report.gaps["type"] == "signing_without_authority"]
    kinds = sorted({body.rsplit("-", 1)[1] for body in gaps["body"]})
    assert kinds == ["culture_social_department", "economic_department"] and len(gaps) == 2 * 6
    assert set(gaps["severity"]) == {"high"}
    assert not report.gaps["type"].isin(["task_no_owner", "task_two_owners"]).any()


def test_a_township_left_alone_becomes_a_new_commune(tmp_path: Path) -> None:
    units = grid_units()
    units[4]["type"], units[4]["name"] = "Thị trấn", "Thị trấn Ô 5"
    folder = write_grid_scenario(tmp_path / "grid", units=units)
    rows = ["unit,new_unit"] + [f"{u['code']},N{i // 4}{i % 4 // 2}" for i, u in enumerate(units)]
    rows[5], rows[6] = "00005,S05", "00006,S06"  # the township and a commune alone, the others in pairs
    (folder / "baseline.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    scenario, graph = pipeline.open_scenario(folder)
    evaluation = pipeline.evaluate(scenario, graph)
    assert evaluation.plan.kinds["S05"] == "commune" and evaluation.plan.names["S05"] == "Xã Ô 5"
    assert kept_units(scenario, evaluation.plan) == {"00006": "S06"}
    report = pipeline.find_plan_gaps(scenario, graph, evaluation)
    bodies = report.transition.new_bodies
    status = dict(zip(bodies["body"], bodies["status"]))
    assert "commune-00005-people_committee" in report.transition.abolished
    assert status["new-S05-people_committee"] == "create"
    assert status["commune-00006-people_committee"] == "continues" and "new-S06-people_committee" not in status
    seals = report.seals.table.set_index("body")
    assert seals.at["new-S05-people_committee", "reason"] == "new body"
    assert seals.at["commune-00005-kindergarten", "reason"].startswith("unit renamed (Thị trấn Ô 5 -> Xã Ô 5)")


def test_a_unit_alone_that_gives_part_of_itself_away_is_not_kept(tmp_path: Path) -> None:
    units = grid_units()
    folder = write_grid_scenario(tmp_path / "grid", units=units)
    rows = ["unit,new_unit"] + [f"{u['code']},N{i // 4}{i % 4 // 2}" for i, u in enumerate(units)]
    rows[5], rows[6] = "00005,S05", "00006,S06"
    rows.append("00006,N11")  # part of 00006 goes to N11: S06 is not the old unit left as it was
    (folder / "baseline.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    scenario, graph = pipeline.open_scenario(folder)
    evaluation = pipeline.evaluate(scenario, graph)
    assert [s.unit for s in evaluation.plan.splits] == ["00006"]
    assert kept_units(scenario, evaluation.plan) == {"00005": "S05"}
    status = dict(zip(evaluation.units["new_unit"], evaluation.units["status"]))
    assert status["S05"] == "unchanged" and status["S06"] != "unchanged"  # the evaluation reads the same rule
