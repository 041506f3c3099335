"""The agency layer, the transition and the gap report, on grid scenarios the tests generate."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from planner import pipeline
from planner.cli import main
from planner.demo.synthetic_agencies import FAULTS, write_demo_agencies
from planner.inputs.problems import InputError
from planner.rules.staffing import staffing_norm
from planner.transition.agencies import add_agency_layer, kept_units, load_agency_layer
from planner.transition.gaps import GAP_TYPES, working_days_before
from planner.transition.workbook import workbook_bytes
from tests.conftest import SCENARIO_YAML, write_grid_scenario

#: 3 km cells: the far corner of a two-cell unit lies ~4.9 km from its seat, the other cell's centre ~3.1 km.
GRID_YAML = SCENARIO_YAML + "access: {max_km: 4}\n"


def agency_scenario(folder: Path, *, faults: bool) -> Path:
    write_grid_scenario(folder, yaml_text=GRID_YAML)
    section = write_demo_agencies(folder, faults=faults)
    (folder / "scenario.yaml").write_text(GRID_YAML + section, encoding="utf-8")
    return folder


def gap_report(folder: Path):
    scenario, graph = pipeline.open_scenario(folder)
    evaluation = pipeline.evaluate(scenario, graph)
    return scenario, graph, evaluation, pipeline.find_plan_gaps(scenario, graph, evaluation)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    return agency_scenario(tmp_path_factory.mktemp("faulty") / "grid", faults=True)


def test_clean_scenario_reports_no_gap(tmp_path: Path) -> None:
    _, _, _, report = gap_report(agency_scenario(tmp_path / "clean", faults=False))
    assert report.gaps.empty, report.gaps.to_string()
    assert report.summary["gaps"] == {t: 0 for t in GAP_TYPES}
    assert report.summary["transition"]["tasks_reassigned"] > 0


def test_each_planted_fault_is_reported_once(faulty: Path) -> None:
    scenario, _, evaluation, report = gap_report(faulty)
    by_capacity = report.gaps["detail"].str.contains("by the schedule")
    # the planted capacity (one seal a day short): the last schools' and health stations' seals come after go-live
    late = report.seals.table[~report.seals.table["on_time"] & (report.seals.table["source"] == "schedule")]
    assert sorted(report.gaps.loc[by_capacity, "body"]) == sorted(late["body"]) and len(late) == 48 - 5 * 9
    assert set(report.gaps.loc[by_capacity, "severity"]) == {"high"} and set(late["priority"]) == {"pays_or_signs"}
    gaps = report.gaps[~by_capacity]
    assert sorted(gaps["type"]) == sorted(FAULTS), gaps.to_string()
    row = {t: gaps[gaps["type"] == t].iloc[0] for t in FAULTS}
    # baseline: N00 = units 1-2, N01 = 3-4, N10 = 5-6, N11 = 7-8 (two cells each)
    assert (row["seal_late"]["unit"], row["seal_late"]["severity"]) == ("N00", "critical")
    assert row["seal_late"]["body"] == "new-N00-service_center"
    assert row["seal_late"]["fix_by"] == "2025-07-01"
    assert (row["task_no_owner"]["unit"], row["task_no_owner"]["severity"]) == ("N01", "critical")
    assert row["task_no_owner"]["body"] == "commune-00003-market_board"
    assert (row["task_two_owners"]["unit"], row["task_two_owners"]["severity"]) == ("N10", "high")
    assert "new-N10-economic_department" in row["task_two_owners"]["detail"]
    cited = row["procedure_cites_abolished_body"]
    assert (cited["unit"], cited["severity"]) == ("001", "high")
    assert "Văn phòng HĐND và UBND" not in cited["suggested_fix"]
    # the receiver of the land task in N00, a ward under the any_ward kind rule (the ward department's name)
    assert "Phòng Kinh tế, Hạ tầng và Đô thị Phường Ô 2" in cited["suggested_fix"]
    far = row["access_beyond_threshold"]
    assert far["severity"] == "medium" and far["population"] == 420
    assert far["unit"] == evaluation.plan.assignment[far["task_or_procedure"].split("-")[0]]
    duplicate = row["duplicate_place_name"]
    assert (duplicate["unit"], duplicate["severity"]) == ("N11", "low")
    assert report.summary["gaps"]["seal_late"] == 1 + len(late)


def test_transition_reads_an_abolished_body_as_its_receivers(faulty: Path) -> None:
    scenario, _, evaluation, report = gap_report(faulty)
    transition = report.transition
    land = transition.receivers_of("district-001-district_natural_resources")
    # district 001 = grid columns 0-1 = new units N00, N10, N20: each one's economic department
    assert land == ["new-N00-economic_department", "new-N10-economic_department", "new-N20-economic_department"]
    inspection = transition.receivers_of("district-002-district_inspectorate")
    assert inspection == ["province-01-province_inspectorate"]
    created = transition.new_bodies[transition.new_bodies["status"] == "create"]
    assert len(created) == 6 * 6  # six new units, six bodies each (none unmerged)
    assert "district-001-district_office" in transition.abolished


def test_template_baseline_when_the_scenario_has_no_agencies(grid_scenario: Path) -> None:
    scenario, graph, evaluation, report = gap_report(grid_scenario)
    layer = load_agency_layer(scenario)
    assert layer.source == "template vn-2025"
    summary = report.summary["transition"]
    assert summary["bodies_to_create"] == 36
    assert summary["seals_needed"] == 12  # People's Committee and service center of each new unit
    seals = report.summary["seal_schedule"]
    # and the schools' and health stations' seals re-made (they name the abolished district): 12 communes x 4
    assert (seals["seals"], seals["new_bodies"], seals["remade"], seals["scheduled"]) == (60, 12, 48, 60)
    # the preset's estimates: ordered 11 working days before go-live, 3 to make, 40 a day: 9 days, 360 seals
    assert (seals["order_date"], seals["late"], seals["source"]) == ("2025-06-16", 0, "preset (estimate)")
    assert seals["capacity_needed_per_day"] == 2  # the 12 critical seals first, in 9 registration days
    assert report.summary["gaps"]["seal_missing"] == report.summary["gaps"]["seal_late"] == 0
    assert summary["bodies_abolished"] == 12 * 2 + 2 * 12  # 12 communes x 2, 2 districts x 12 bodies (Decree 45)
    assert report.summary["gaps"]["task_no_owner"] == 0 and report.summary["gaps"]["task_two_owners"] == 0
    assert summary["staff_surplus"] > 0  # two communes' staff against one unit's norm


def test_agency_layer_in_the_graph(faulty: Path) -> None:
    scenario, graph, evaluation, report = gap_report(faulty)
    layer = load_agency_layer(scenario)
    full = add_agency_layer(graph, layer, evaluation.plan, report.transition.bodies, report.transition.receivers)
    assert "agency:new-N00-people_committee" not in graph  # the unit graph is left alone
    layers = pd.Series(dict(full.nodes(data="layer"))).value_counts()
    assert layers["unit"] == 12 and layers["new_unit"] == 6 and layers["task"] == len(layer.tasks)
    kinds = {d["kind"] for _, _, d in full.edges(data=True)}
    assert {"belongs_to", "serves", "receives_tasks_of", "border"} <= kinds
    edge = full.edges["agency:new-N00-economic_department", "agency:district-001-district_natural_resources"]
    assert edge["kind"] == "receives_tasks_of" and len(edge["tasks"]) == 4  # land, environment, agriculture, water


def test_staffing_norm_decree_33() -> None:
    data = {"base": {"commune": {"I": 22}}, "assumed_class": "I", "population_step": "1/2",
            "standard": [{"kind": "commune", "population": 8000, "area_km2": 30}]}
    norm = staffing_norm(data, kind="commune", terrain="other", context="other", population=16000, area_km2=90)
    assert (norm.base, norm.population_extra, norm.area_extra, norm.positions) == (22, 2, 2, 26)
    assert staffing_norm(data, kind="commune", terrain="", context="", population=7000, area_km2=10).positions == 22
    assert working_days_before(pd.Timestamp("2025-07-07").date(), 3).isoformat() == "2025-07-02"


def test_bad_agency_tables_are_all_reported(faulty: Path, tmp_path: Path, capsys) -> None:
    folder = agency_scenario(tmp_path / "bad", faults=False)
    agencies = folder / "agencies" / "agencies.csv"
    lines = agencies.read_text("utf-8").splitlines()
    committee, council = (next(i for i, line in enumerate(lines) if line.startswith(f"commune-00001-{kind},"))
                          for kind in ("people_committee", "people_council"))
    lines[committee] = lines[committee].replace(",commune,00001,before,", ",county,00001,before,")
    lines[council] = lines[council].replace(",,no,no,", ",31/06/2025,no,no,")
    lines.append(lines[3])  # duplicate id
    agencies.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tasks = folder / "agencies" / "tasks.csv"
    tasks.write_text(tasks.read_text("utf-8").replace("commune-00001-people_committee,L2025", "nobody,L2025", 1),
                     encoding="utf-8")
    scenario, graph = pipeline.open_scenario(folder)
    with pytest.raises(InputError) as error:
        load_agency_layer(scenario)
    found = {(p.file, p.where, p.column) for p in error.value.errors}
    assert ("agencies/agencies.csv", f"row {committee + 1}", "level") in found
    assert ("agencies/agencies.csv", f"row {council + 1}", "seal_registered") in found
    assert ("agencies/agencies.csv", f"row {len(lines)}", "id") in found
    status = main(["gaps", str(folder), "--out", str(tmp_path / "out"), "--no-maps"])
    assert status == 2 and not (tmp_path / "out").exists()
    assert "is not a date" in capsys.readouterr().err


def test_gaps_command_writes_every_output(faulty: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["gaps", str(faulty), "--out", str(out), "--json", "--no-maps"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["gaps"]["task_no_owner"] == 1
    for name in ("gaps.csv", "bodies.csv", "task_transfers.csv", "staffing.csv", "plan.xlsx", "report.md",
                 "summary.json", "units.csv", "seal_schedule.csv", "seal_schedule.png"):
        assert (out / name).exists(), name
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["gaps"]["procedure_cites_abolished_body"] == 1
    assert "## Gaps on the go-live day" in (out / "report.md").read_text("utf-8")
    first = (out / "plan.xlsx").read_bytes()
    again = tmp_path / "again"
    assert main(["evaluate", str(faulty), "--out", str(again), "--no-maps"]) == 0
    for name in ("gaps.csv", "bodies.csv", "task_transfers.csv", "plan.xlsx", "cards.html", "report.md",
                 "summary.json", "seal_schedule.csv", "seal_schedule.png", "units.csv"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    sheets = pd.read_excel(out / "plan.xlsx", sheet_name=None)
    assert set(sheets) == {"units", "members", "findings", "gaps", "bodies", "staffing", "seal_schedule", "cards"}
    assert len(sheets["cards"]) == len(sheets["units"])
    assert len(sheets["gaps"]) == len(FAULTS) + 3  # and the three seals the planted capacity leaves late
    # committee, service center and the two departments of each new unit, and the 48 re-made seals
    assert len(sheets["seal_schedule"]) == 6 * 4 + 48 and {"readiness", "readiness_reasons"} <= set(sheets["units"])
    report = (out / "report.md").read_text("utf-8")
    assert "## Seal schedule" in report and "](seal_schedule.png)" in report and "## Readiness" in report
    assert first == (again / "plan.xlsx").read_bytes()


def test_workbook_bytes_are_fixed() -> None:
    frame = pd.DataFrame({"code": ["00001", "00002"], "name": ["Xã Ô", "Phường Đông"], "population": [1.5, None]})
    data = workbook_bytes({"units": frame})
    assert data == workbook_bytes({"units": frame})
    archive = zipfile.ZipFile(__import__("io").BytesIO(data))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode("utf-8")
    assert "2000-01-01T00:00:00Z" in core


@pytest.mark.shared_data
def test_thanh_hoa_official_plan_with_template_agencies(shared_vn: Path) -> None:
    from tests.conftest import ROOT

    scenario, graph, evaluation, report = gap_report(ROOT / "scenarios" / "vn-thanh-hoa")
    sizes = evaluation.units["n_constituents"]
    kept = len(kept_units(scenario, evaluation.plan))  # old units alone with their kind and name
    created = len(sizes) - kept  # merged units, and units alone with a new kind or name (townships)
    assert int((sizes > 1).sum()) < created
    summary = report.summary["transition"]
    # each created unit has committee, council, office, two departments and a service center; a kept one keeps its
    # committee and council; seals: committee and service center, or the service center alone
    assert summary["bodies_to_create"] == 6 * created + 4 * kept
    assert summary["seals_needed"] == 2 * created + kept
    # re-made: four public service units per old commune, and the committee of each kept commune (its seal
    # names the abolished district), registered at the preset's 40 a day from 2025-06-19: 9 days, 360 seals
    seals = report.summary["seal_schedule"]
    assert seals["remade"] == 4 * len(scenario.units) + kept and seals["on_time"] == 360
    assert seals["late"] == seals["seals"] - 360 == report.summary["gaps"]["seal_late"] and seals["critical_late"] == 0
    critical = 2 * len(sizes)  # committees and service centers come first
    assert seals["capacity_needed_per_day"] == -(-critical // 9)
    assert report.summary["gaps"]["seal_missing"] == 0
    assert report.summary["gaps"]["signing_without_authority"] == 2 * len(sizes)  # the departments, without seals
    districts = scenario.units["district"].nunique()
    assert summary["bodies_abolished"] == 12 * districts + 2 * (len(scenario.units) - kept)
    assert report.summary["gaps"]["task_no_owner"] == report.summary["gaps"]["task_two_owners"] == 0
    assert summary["staff_surplus"] > 0 and summary["residents_beyond_threshold"] == 0
    # no staff figures: every headcount is an estimate, so no staffing gap (docs/gaps.md#staffing)
    assert summary["staff_headcount_estimated"] == summary["staff_units"] == len(sizes)
    assert report.summary["gaps"]["staff_surplus"] == report.summary["gaps"]["staff_shortage"] == 0
