"""The demo's agency layer: committed tables are fresh, and each planted fault is reported once."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import pipeline
from planner.demo.synthetic_agencies import FAULTS
from planner.inputs.problems import ProblemList
from planner.transition.template import load_template
from tests.conftest import ROOT

DEMO = ROOT / "scenarios" / "demo"


@pytest.fixture(scope="module")
def demo_gaps():
    scenario, graph = pipeline.open_scenario(DEMO)
    evaluation = pipeline.evaluate(scenario, graph)
    return scenario, evaluation, pipeline.find_plan_gaps(scenario, graph, evaluation)


def test_committed_agency_tables_are_fresh(tmp_path: Path) -> None:
    from planner.demo.synthetic_agencies import write_demo_agencies

    write_demo_agencies(_copy_demo(tmp_path))
    for table in sorted((DEMO / "agencies").glob("*.csv")):
        assert table.read_bytes() == (tmp_path / "demo" / "agencies" / table.name).read_bytes(), table.name


def _copy_demo(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    shutil.rmtree(folder / "agencies")
    return folder


def test_each_planted_fault_is_reported_once_in_the_demo(demo_gaps) -> None:
    scenario, evaluation, report = demo_gaps
    late_by_capacity = report.gaps[(report.gaps["type"] == "seal_late") & report.gaps["detail"].str.contains(
        "by the schedule")]
    assert len(late_by_capacity) > 0  # the planted capacity fault: one gap per seal registered after go-live
    assert_schedule_is_sound(report, late_by_capacity)
    gaps = report.gaps.drop(index=late_by_capacity.index)
    counts = gaps["type"].value_counts()
    assert all(counts.get(fault, 0) == 1 for fault in FAULTS), gaps.to_string()
    groups = evaluation.plan.groups()
    merged = [new for new, members in groups.items() if len(members) > 1]
    row = {fault: gaps[gaps["type"] == fault].iloc[0] for fault in FAULTS}
    assert (row["seal_late"]["unit"], row["seal_late"]["severity"]) == (merged[0], "critical")
    assert row["seal_late"]["body"] == f"new-{merged[0]}-service_center"
    assert (row["task_no_owner"]["unit"], row["task_no_owner"]["severity"]) == (merged[1], "critical")
    assert (row["task_two_owners"]["unit"], row["task_two_owners"]["severity"]) == (merged[2], "high")
    first_district = sorted(set(scenario.units["district"]))[0]
    cited = row["procedure_cites_abolished_body"]
    assert (cited["unit"], cited["severity"]) == (first_district, "high")
    far = row["access_beyond_threshold"]
    assert far["severity"] == "medium" and far["task_or_procedure"].split(":")[0].endswith("-far")
    assert (row["duplicate_place_name"]["unit"], row["duplicate_place_name"]["severity"]) == (merged[3], "low")
    # the rest of the layer is clean: no missing seal, no unit without a one-stop center, no stray task gap (the
    # template's commune departments, which sign, have seals of their own)
    for clean in ("seal_missing", "no_one_stop_center", "signing_without_authority", "staff_over_cap"):
        assert counts.get(clean, 0) == 0, clean


def assert_schedule_is_sound(report, late_gaps) -> None:
    """Each late seal of the schedule is one gap; no day holds more than the capacity; heavier seals come first."""
    table = report.seals.table
    scheduled = table[table["source"] == "schedule"]
    late = scheduled[~scheduled["on_time"]]
    assert sorted(late["body"]) == sorted(late_gaps["body"]) and late_gaps["body"].is_unique
    assert not late["critical"].any()  # the capacity is never short of the critical seals
    weights = {c: float(v["weight"]) for c, v in
               load_template("vn-2025", ProblemList(), "")["seal_priorities"]["classes"].items()}
    for province, rows in scheduled.groupby("province"):
        capacity = report.summary["seal_schedule"]["provinces"][province]["capacity"]
        per_day = float(capacity.split()[0])
        assert rows.groupby("registered").size().max() <= per_day
        assert (rows["registered"] >= rows["ready"]).all()
        weight = rows["priority"].map(weights) * rows["residents"]
        on_time, after = weight[rows["on_time"]], weight[~rows["on_time"]]
        assert after.empty or on_time.min() >= after.max()
        assert list(rows.sort_values("queue")["registered"]) == sorted(rows["registered"])


def test_demo_without_faults_reports_only_its_staffing(tmp_path: Path) -> None:
    from planner.demo.synthetic_agencies import write_demo_agencies

    folder = _copy_demo(tmp_path)
    write_demo_agencies(folder, faults=False)
    scenario, graph = pipeline.open_scenario(folder)
    evaluation = pipeline.evaluate(scenario, graph)
    report = pipeline.find_plan_gaps(scenario, graph, evaluation)
    # staffing comes from the units table (real headcounts against the 2025 average), not from the planted faults
    assert set(report.gaps["type"]) <= {"staff_shortage", "staff_surplus"}, report.gaps.to_string()
    assert report.summary["transition"]["tasks_reassigned"] > 500


def test_gaps_of_plan_units_become_map_markers(demo_gaps) -> None:
    _scenario, evaluation, report = demo_gaps
    markers = pipeline.gap_markers(report, evaluation)
    new_units = set(evaluation.plan.assignment.values())
    expected = [row for row in report.gaps.itertuples() if row.unit in new_units]
    assert len(markers) == len(expected) > 0
    # the procedure gap names an abolished district, which is no unit of the plan: listed, not drawn
    assert any(row.unit not in new_units for row in report.gaps.itertuples())
    assert {m["severity"] for m in markers} <= {"critical", "high", "medium", "low"}


def test_readiness_of_each_demo_unit_follows_its_gaps(demo_gaps) -> None:
    from planner.transition.cards import card_words
    from planner.transition.readiness import readiness_table

    _scenario, evaluation, report = demo_gaps
    table = readiness_table(evaluation, report.gaps, card_words()).set_index("new_unit")
    owner = {**{u: u for u in evaluation.plan.assignment.values()}, **evaluation.plan.assignment}
    gaps = report.gaps.assign(new_unit=report.gaps["unit"].map(owner)).dropna(subset=["new_unit"])
    for unit, row in table.iterrows():
        severities = set(gaps.loc[gaps["new_unit"] == unit, "severity"])
        expected = "not_ready" if "critical" in severities else "at_risk" if "high" in severities else "ready"
        assert row["readiness"] == expected, unit
        assert (row["readiness_reasons"] == "") == (not severities)
    late_seal = report.gaps[(report.gaps["type"] == "seal_late") & (report.gaps["severity"] == "critical")]
    assert table.at[late_seal.iloc[0]["unit"], "readiness_reasons"].startswith("seal late (1, critical)")
    assert set(table["readiness"]) == {"ready", "at_risk", "not_ready"}
