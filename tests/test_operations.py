"""Go-live operations gaps (signing, handover, records, skills, headquarters) and procedures that name a level."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner import pipeline
from planner.cli import main
from planner.demo.operations_tables import OPERATION_FAULTS
from planner.inputs.problems import InputError
from planner.transition.agencies import load_agency_layer
from planner.transition.operational_gaps import OPERATION_GAP_TYPES
from planner.transition.operations_input import read_operations
from planner.transition.procedure_levels import ProcedureBodies
from tests.test_gaps import agency_scenario, gap_report

DISTRICT_PROCEDURE = "tt-level,Cấp giấy phép xây dựng,UBND cấp huyện,,Luật Xây dựng\n"


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    return agency_scenario(tmp_path_factory.mktemp("operations") / "grid", faults=True)


def test_each_planted_operations_fault_is_reported_once(faulty: Path) -> None:
    _scenario, _graph, evaluation, report = gap_report(faulty)
    gaps = report.gaps[report.gaps["type"].isin(OPERATION_GAP_TYPES)]
    assert sorted(gaps["type"]) == sorted(OPERATION_FAULTS), gaps.to_string()
    row = {t: gaps[gaps["type"] == t].iloc[0] for t in OPERATION_FAULTS}
    merged = [new for new, members in evaluation.plan.groups().items() if len(members) > 1]
    fifth, sixth, seventh, eighth = (merged[k % len(merged)] for k in range(4, 8))
    signing = row["signing_overload"]
    assert (signing["unit"], signing["severity"], signing["body"]) == (fifth, "high", f"new-{fifth}-people_committee")
    assert signing["task_or_procedure"] == "200 documents a working day" and "estimate" not in signing["detail"]
    handover = row["handover_backlog"]
    assert (handover["severity"], handover["task_or_procedure"]) == ("high", "900 pending files")
    assert handover["body"].endswith("-economic_department") and "district-001-district_finance_planning" in (
        handover["detail"])
    assert "estimate: capacity" in handover["detail"]  # 400, the template's files_per_receiver
    records = row["records_not_migrated"]
    first = evaluation.plan.groups()[sixth][0]
    assert (records["unit"], records["severity"], records["task_or_procedure"].split(":")[0]) == (
        sixth, "high", f"{first}-land")
    assert (row["skill_shortage"]["unit"], row["skill_shortage"]["severity"]) == (seventh, "medium")
    assert row["skill_shortage"]["task_or_procedure"].startswith("it: ")
    seat = row["headquarters_shortfall"]
    assert (seat["unit"], seat["severity"], seat["body"]) == (eighth, "medium", evaluation.plan.seats[eighth])
    assert "holds 8" in seat["detail"]
    for kind in OPERATION_FAULTS:  # each counted, and in readiness: high ones put the unit at risk at least
        assert report.summary["gaps"][kind] == 1


def test_demo_operations_faults_once_each() -> None:
    """The bundled demo: one gap of each operations type."""
    from tests.conftest import ROOT

    scenario, graph = pipeline.open_scenario(ROOT / "scenarios" / "demo")
    evaluation = pipeline.evaluate(scenario, graph)
    report = pipeline.find_plan_gaps(scenario, graph, evaluation)
    counts = report.gaps["type"].value_counts()
    assert {t: int(counts.get(t, 0)) for t in OPERATION_GAP_TYPES} == dict.fromkeys(OPERATION_GAP_TYPES, 1)
    operations = report.gaps[report.gaps["type"].isin(OPERATION_GAP_TYPES)].set_index("type")
    # the tables give every figure but the handover's capacity and the skill's need, which are the template's
    estimated = operations["detail"].str.contains("estimate")
    assert sorted(estimated.index[estimated]) == ["handover_backlog", "skill_shortage"]


def test_template_alone_gives_estimated_operations_gaps(grid_scenario: Path) -> None:
    _scenario, _graph, evaluation, report = gap_report(grid_scenario)
    gaps = report.gaps
    groups = evaluation.plan.groups()
    records = gaps[gaps["type"] == "records_not_migrated"]
    # no records table: every merged unit's old units hold the template's three systems, none migrated
    assert sorted(records["unit"]) == sorted(u for u, m in groups.items() if len(m) > 1)
    assert records["detail"].str.startswith("estimate: no migration recorded").all()
    skills = gaps[gaps["type"] == "skill_shortage"]
    # IT and construction were the district's: no old commune had them, every new unit needs one of each
    skill = skills["task_or_procedure"].str.split(":").str[0]
    assert all({"construction", "it"} <= set(skill[skills["unit"] == unit]) for unit in groups)
    assert skills["detail"].str.contains("estimate").all() and set(skills["severity"]) == {"medium"}
    assert set(gaps.loc[gaps["type"].isin(OPERATION_GAP_TYPES), "fix_by"]) == {"2025-07-01"}


def test_files_with_no_receiver_make_the_unit_not_ready(faulty: Path, tmp_path: Path) -> None:
    folder = _copy(faulty, tmp_path)
    handover = folder / "agencies" / "handover.csv"  # 30 files of an old council whose task no rule transfers
    handover.write_text(handover.read_text("utf-8").replace("commune-00001-people_council,0,",
                                                            "commune-00001-people_council,30,", 1), encoding="utf-8")
    rules = folder / "agencies" / "transfer_rules.csv"
    rules.write_text("\n".join(line for line in rules.read_text("utf-8").splitlines()
                               if not line.startswith("commune_council,")) + "\n", encoding="utf-8")
    _scenario, _graph, evaluation, report = gap_report(folder)
    backlog = report.gaps[report.gaps["type"] == "handover_backlog"]
    lost = backlog[backlog["body"] == "commune-00001-people_council"]
    assert len(lost) == 1 and lost.iloc[0]["severity"] == "critical" and lost.iloc[0]["unit"] == "N00"
    from planner.transition.cards import card_words
    from planner.transition.readiness import readiness_table

    table = readiness_table(evaluation, report.gaps, card_words()).set_index("new_unit")
    assert table.at["N00", "readiness"] == "not_ready" and "handover backlog" in table.at["N00", "readiness_reasons"]


def test_bad_operations_tables_are_all_reported(faulty: Path, tmp_path: Path, capsys) -> None:
    folder = _copy(faulty, tmp_path)
    tables = folder / "agencies"
    (tables / "body_capacity.csv").write_text("body,signers\nnobody,2\nnew-N00-people_committee,two\n",
                                              encoding="utf-8")
    (tables / "records.csv").write_text("id,name,unit,migrated\nr1,Sổ hộ tịch,99999,1/7/2025\n", encoding="utf-8")
    (tables / "positions.csv").write_text("unit,skill,positions\nN00,law,1\nN00,it,-1\n", encoding="utf-8")
    (tables / "buildings.csv").write_text("site\n00001\n", encoding="utf-8")
    scenario, _graph = pipeline.open_scenario(folder)
    with pytest.raises(InputError) as error:
        read_operations(scenario, load_agency_layer(scenario))
    found = {(p.file, p.where, p.column) for p in error.value.errors}
    assert found == {
        ("agencies/body_capacity.csv", "row 2", "body"), ("agencies/body_capacity.csv", "row 3", "signers"),
        ("agencies/records.csv", "row 2", "unit"), ("agencies/records.csv", "row 2", "migrated"),
        ("agencies/positions.csv", "row 2", "skill"), ("agencies/positions.csv", "row 3", "positions"),
        ("agencies/buildings.csv", "row 1", "capacity"),
    }
    assert main(["validate", str(folder)]) == 2
    assert "unknown skill 'law'" in capsys.readouterr().err


def test_a_procedure_naming_the_district_level_is_sent_to_each_districts_receivers(faulty: Path,
                                                                                  tmp_path: Path, capsys) -> None:
    folder = _copy(faulty, tmp_path)
    procedures = folder / "agencies" / "procedures.csv"
    procedures.write_text(procedures.read_text("utf-8") + DISTRICT_PROCEDURE, encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    assert "UBND cấp huyện" not in capsys.readouterr().err  # read as a level: no warning
    _scenario, _graph, _evaluation, report = gap_report(folder)
    cited = report.gaps[(report.gaps["type"] == "procedure_cites_abolished_body")
                        & report.gaps["task_or_procedure"].str.startswith("tt-level")]
    # the grid has two districts: each one's People's Committee, sent to the committees of its new units
    assert sorted(cited["body"]) == ["district-001-district_people_committee", "district-002-district_people_committee"]
    assert sorted(cited["unit"]) == ["001", "002"] and cited["detail"].str.contains("names the level").all()
    receivers = report.transition.receivers_of("district-001-district_people_committee")
    fix = cited[cited["unit"] == "001"].iloc[0]["suggested_fix"]
    assert receivers and fix.startswith("re-publish the procedure naming ")
    assert str(report.transition.bodies.at[receivers[0], "name"]) in fix


def test_level_names_need_the_abolished_level() -> None:
    from planner.inputs.problems import ProblemList
    from planner.transition.operations_data import operations_data
    from planner.transition.template import load_template

    template = load_template("vn-2025", ProblemList(), "")
    bodies = pd.DataFrame({"name": ["Ủy ban nhân dân Huyện A", "Ủy ban nhân dân Xã B", "Phòng Tư pháp Huyện A"],
                           "level": ["district", "commune", "district"],
                           "kind": ["district_people_committee", "people_committee", "district_justice"]},
                          index=["d-a", "c-b", "j-a"])
    matcher = ProcedureBodies(bodies, template, operations_data("vn-2025"), "district")
    assert matcher.match("UBND  cấp huyện") == (["d-a"], "district_people_committee")
    assert matcher.match("Phòng Tư pháp cấp huyện") == (["j-a"], "district_justice")
    assert matcher.match("Ủy ban nhân dân Xã B") == (["c-b"], None)  # an exact name first
    assert matcher.match("UBND cấp xã") == ([], None)  # the commune level is not abolished


def _copy(folder: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "grid"
    shutil.copytree(folder, target)
    return target


def test_summary_counts_every_operations_type(faulty: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["gaps", str(faulty), "--out", str(out), "--no-maps"]) == 0
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert all(summary["gaps"][t] == 1 for t in OPERATION_GAP_TYPES)
    report = (out / "report.md").read_text("utf-8")
    assert all(f"| {t} |" in report for t in OPERATION_GAP_TYPES)
    gaps = pd.read_csv(out / "gaps.csv", dtype=str)
    assert set(OPERATION_GAP_TYPES) <= set(gaps["type"])


#: The region of the sweep's variant west-2026: the demo's townships (a kind vn-2026 does not know) lie elsewhere.
WEST = {"district_code": ["901", "902", "903"]}
NO_TEMPLATE = "the agency template in use (none: preset vn-2026 names no agency_templates) has no operations data"


def _demo_under_vn_2026(tmp_path: Path) -> Path:
    """A copy of the bundled demo scenario whose scenario.yaml says ``preset: vn-2026`` (no agency_templates)."""
    import shutil

    from tests.conftest import ROOT

    folder = tmp_path / "demo-2026"
    shutil.copytree(ROOT / "scenarios" / "demo", folder)
    yaml_path = folder / "scenario.yaml"
    text = yaml_path.read_text("utf-8")
    assert "\npreset: vn-2025\n" in text
    yaml_path.write_text(text.replace("\npreset: vn-2025\n", "\npreset: vn-2026\n"), encoding="utf-8")
    return folder


def test_positions_without_a_template_to_measure_them_are_one_warning_and_gaps_run(tmp_path: Path) -> None:
    folder = _demo_under_vn_2026(tmp_path)
    scenario, graph = pipeline.open_scenario(folder, where=WEST)
    layer = load_agency_layer(scenario)
    assert scenario.preset.id == "vn-2026" and not layer.template
    operations = read_operations(scenario, layer)  # no error: 400 rows of known-looking skills, nothing to say
    assert operations.data == {} and len(operations.tables["positions"]) == 0  # dropped: no need to measure
    skill_warnings = [w for w in operations.warnings if w.column == "skill"]
    assert [(w.file, w.where, w.severity) for w in skill_warnings] == [("agencies/positions.csv", "", "warning")]
    assert skill_warnings[0].message == (
        f"400 row(s) name skills (accounting, construction, it, land) with no need given, and {NO_TEMPLATE}: "
        "skill_shortage is not checked for them; give the need in the column needed")
    signers = [w.message for w in operations.warnings if w.column == "signers"]
    assert len(signers) == 1 and signers[0].endswith(f"{NO_TEMPLATE}: signing_overload is not checked for them")

    # a row that gives its need is still checked, from the table alone; the others stay one warning
    evaluation = pipeline.evaluate(scenario, graph)
    new = sorted(u for u, members in evaluation.plan.groups().items() if len(members) > 1)[0]
    positions = folder / "agencies" / "positions.csv"
    lines = positions.read_text("utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith(f"{new},land,"))
    lines[row] = f"{new},land,1,9"
    positions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    operations = read_operations(scenario, load_agency_layer(scenario))
    assert list(operations.tables["positions"]["unit"]) == [new]
    assert any(w.message.startswith("399 row(s) name skills") for w in operations.warnings)

    report = pipeline.find_plan_gaps(scenario, graph, evaluation)
    gaps = report.gaps[report.gaps["type"].isin(OPERATION_GAP_TYPES)]
    skills = gaps[gaps["type"] == "skill_shortage"]
    assert list(zip(skills["unit"], skills["task_or_procedure"])) == [(new, "land: 8 position(s)")]
    assert "estimate" not in skills.iloc[0]["detail"]
    assert "signing_overload" not in set(gaps["type"])  # no rate measures the given signers
    # the tables' own figures still find their faults: records not migrated, a seat's building too small
    assert {"records_not_migrated", "headquarters_shortfall"} <= set(gaps["type"])
    assert not gaps["detail"].str.contains("None").any()


def test_an_unknown_skill_is_an_error_per_row_naming_the_template_skills(faulty: Path, tmp_path: Path) -> None:
    folder = _copy(faulty, tmp_path)
    (folder / "agencies" / "positions.csv").write_text(
        "unit,skill,positions,needed\nN00,lnad,1,\nN01,acounting,1,\nN00,law,1,2\n", encoding="utf-8")
    scenario, _graph = pipeline.open_scenario(folder)
    with pytest.raises(InputError) as error:
        read_operations(scenario, load_agency_layer(scenario))
    found = [(p.file, p.where, p.column, p.message) for p in error.value.errors]
    known = "accounting, construction, it, land (the skills of the operations data of agency template vn-2025)"
    assert found == [
        ("agencies/positions.csv", "row 2", "skill",
         f"unknown skill 'lnad': expected one of {known}, or give its need in the column needed"),
        ("agencies/positions.csv", "row 3", "skill",
         f"unknown skill 'acounting': expected one of {known}, or give its need in the column needed"),
    ]  # 'law' gives its need: a skill of the scenario's own, no error
    assert not [w for w in error.value.problems if w.severity == "warning" and w.column == "skill"]
