"""The seal schedule: optimal against CP-SAT, within capacity, its inputs checked, and the seals re-made."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd
import pytest
from ortools.sat.python import cp_model

from planner import pipeline
from planner.cli import main
from planner.inputs.problems import InputError
from planner.transition.agencies import TABLES, AgencyLayer, empty_table, load_agency_layer
from planner.transition.seal_schedule import SCHEDULE_COLUMNS, schedule_seals
from planner.transition.seal_settings import SealCapacity, SealSettings
from tests.conftest import SCENARIO_YAML, write_grid_scenario

GO_LIVE = dt.date(2025, 7, 1)
ORDER = dt.date(2025, 6, 23)  # a Monday: ready 2025-06-26 with 3 working days of lead time, 4 days to go-live


def layer_with(capacity: SealCapacity) -> AgencyLayer:
    """An agency layer with no tables, go-live 2025-07-01, 3 working days of lead time and one capacity."""
    return AgencyLayer(**{name: empty_table(name) for name in TABLES}, go_live=GO_LIVE, seal_lead_time_days=3,
                       abolished_level="district", source="scenario", seals=SealSettings(ORDER, capacity, "scenario"))


def needs(weights: list[tuple[float, bool]], province: str = "01") -> pd.DataFrame:
    """Seals to schedule, one per (weight, critical), residents = weight."""
    rows = [{"province": province, "body": f"b{i:03d}", "body_name": f"body {i}", "kind": "k", "unit": f"N{i}",
             "unit_name": "", "reason": "new body", "priority": "p", "critical": critical, "residents": weight,
             "weight": weight, "given": None} for i, (weight, critical) in enumerate(weights)]
    return pd.DataFrame(rows, columns=[*SCHEDULE_COLUMNS[:10], "weight", "given"])


def cp_sat_optimum(weights: list[float], slot_days: list[int], on_time_days: int) -> float:
    """The least weight registered after go-live, by CP-SAT: each seal in one slot, each slot one seal."""
    model = cp_model.CpModel()
    x = {(i, s): model.new_bool_var(f"x{i}_{s}") for i in range(len(weights)) for s in range(len(slot_days))}
    for i in range(len(weights)):
        model.add_exactly_one(x[i, s] for s in range(len(slot_days)))
    for s in range(len(slot_days)):
        model.add_at_most_one(x[i, s] for i in range(len(weights)))
    model.minimize(sum(int(weights[i]) * x[i, s] for i in range(len(weights)) for s in range(len(slot_days))
                       if slot_days[s] >= on_time_days))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver.objective_value


@pytest.mark.parametrize("capacity", [SealCapacity(per_day=2), SealCapacity(per_day=1.5),
                                      SealCapacity(offices=2, days_per_seal=3)])
def test_heaviest_first_is_optimal_against_cp_sat(capacity: SealCapacity) -> None:
    rng = random.Random(7)
    for _ in range(5):
        weights = [float(rng.choice([1, 10, 1000]) * rng.randint(1, 50)) for _ in range(rng.randint(6, 12))]
        schedule = schedule_seals(needs([(w, w >= 1000) for w in weights]), layer_with(capacity))
        late = schedule.table.loc[~schedule.table["on_time"], "residents"].sum()
        slots = capacity.slot_days(len(weights)).tolist()
        assert late == cp_sat_optimum(weights, slots, on_time_days=4)  # registration days 06-26 .. 07-01


def test_schedule_respects_capacity_and_priority() -> None:
    weights = [(5000.0, True), (100.0, False), (3000.0, True), (50.0, False), (200.0, False)] * 3
    schedule = schedule_seals(needs(weights), layer_with(SealCapacity(per_day=2)))
    table = schedule.table
    assert list(table.columns) == SCHEDULE_COLUMNS
    assert table.groupby("registered").size().max() <= 2 and (table["registered"] >= dt.date(2025, 6, 26)).all()
    assert table["on_time"].sum() == 8 and not table.loc[~table["on_time"], "critical"].any()
    assert list(table["queue"]) == list(range(1, 16))  # sorted by registration, heaviest first
    assert table.loc[~table["on_time"], "days_late"].tolist() == [1, 1, 2, 2, 3, 3, 4]
    province = schedule.summary["provinces"]["01"]
    # 6 critical seals in 4 registration days: 2 a day; all 15: 4 a day
    assert (province["capacity_needed_per_day"], province["capacity_needed_all_per_day"]) == (2, 4)
    offices = schedule_seals(needs(weights), layer_with(SealCapacity(offices=1, days_per_seal=2)))
    assert offices.summary["provinces"]["01"]["offices_needed"] == 3  # 2 rounds of 2 days by go-live


def test_an_order_too_late_needs_an_earlier_order(tmp_path: Path) -> None:
    layer = layer_with(SealCapacity(per_day=10))
    layer.seals = SealSettings(dt.date(2025, 6, 30), SealCapacity(per_day=10), "scenario")
    schedule = schedule_seals(needs([(10.0, True)]), layer)
    assert not schedule.table["on_time"].any()
    assert schedule.summary["provinces"]["01"]["capacity_needed_per_day"] is None


BAD_YAML = SCENARIO_YAML + """agencies:
  seal_schedule:
    order_date: "1 June"
    capacity: {per_day: -3}
    provinces: seal_capacity.csv
"""


def test_bad_seal_inputs_are_all_reported(tmp_path: Path, capsys) -> None:
    """Bad settings are reported together when the scenario is read; bad rows of the capacity table together
    when the agency layer is read; neither ends in a traceback."""
    folder = write_grid_scenario(tmp_path / "grid", yaml_text=BAD_YAML)
    (folder / "seal_capacity.csv").write_text("province,per_day,offices,days_per_seal,order_date\n"
                                              "01,,2,0,2025-06-01\n99,5,,,\n01,4,,,31/06/2025\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        pipeline.open_scenario(folder)
    assert any(p.where == "key agencies.seal_schedule.order_date" for p in error.value.errors)
    assert any(p.where == "key agencies.seal_schedule.capacity.per_day" for p in error.value.errors)
    assert main(["gaps", str(folder), "--out", str(tmp_path / "out"), "--no-maps"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    good = BAD_YAML.replace('"1 June"', "2025-06-02").replace("per_day: -3", "per_day: 3")
    (folder / "scenario.yaml").write_text(good, encoding="utf-8")
    scenario, _ = pipeline.open_scenario(folder)
    with pytest.raises(InputError) as error:
        load_agency_layer(scenario)
    found = {(p.file, p.where, p.column) for p in error.value.errors}
    assert ("seal_capacity.csv", "row 2", "days_per_seal") in found
    assert ("seal_capacity.csv", "row 3", "province") in found
    assert ("seal_capacity.csv", "row 4", "province") in found  # given twice
    assert ("seal_capacity.csv", "row 4", "order_date") in found
    assert main(["gaps", str(folder), "--out", str(tmp_path / "out"), "--no-maps"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_renamed_unit_and_its_schools_get_new_seals(tmp_path: Path) -> None:
    folder = write_grid_scenario(tmp_path / "grid", yaml_text=SCENARIO_YAML + (
        "agencies:\n  seal_schedule:\n    order_date: 2025-06-02\n    capacity: {offices: 5, days_per_seal: 1}\n"))
    # unit 00001 stays alone under a new name, the others as in the baseline
    lines = (folder / "baseline.csv").read_text("utf-8").splitlines()
    plan = ["unit,new_unit,new_name"] + [f"{line},{'Phường Mới' if line.startswith('00001') else ''}"
                                         for line in lines[1:]]
    plan[1] = "00001,N99,Phường Mới"
    (folder / "plan.csv").write_text("\n".join(plan) + "\n", encoding="utf-8")
    scenario, graph = pipeline.open_scenario(folder)
    evaluation = pipeline.evaluate(scenario, graph, pipeline.load_plan(scenario, folder / "plan.csv"))
    report = pipeline.find_plan_gaps(scenario, graph, evaluation)
    table = report.seals.table.set_index("body")
    # a renamed unit is a new unit: its committee is created (a new seal), its school carries on with a re-made one
    assert "commune-00001-people_committee" in report.transition.abolished
    committee = table.loc["new-N99-people_committee"]
    assert committee["reason"] == "new body" and committee["critical"] and committee["on_time"]
    kindergarten = table.loc["commune-00001-kindergarten"]
    assert kindergarten["reason"] == "unit renamed (Xã Ô 1 -> Phường Mới); seal names the abolished district (001)"
    school = table.loc["commune-00003-kindergarten"]  # 00003 and 00004 merge
    assert school["reason"].startswith("unit merged (Xã Ô 3 into ") and school["priority"] == "pays_or_signs"
    assert report.summary["seal_schedule"]["source"] == "scenario"
    assert report.summary["seal_schedule"]["late"] == report.summary["gaps"]["seal_late"] == 0
