"""Staffing by date: the norm in force on the effective date, the cap with staff transferred in, estimates labelled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from planner import pipeline
from planner.demo.synthetic_agencies import write_demo_agencies
from planner.inputs.problems import InputError
from planner.rules.staffing import norm_in_force, staffing_norm
from planner.transition.agencies import load_agency_layer
from planner.transition.gap_outputs import gap_tables, render_gap_section
from planner.transition.headcount import staffing_in_force
from tests.conftest import SCENARIO_YAML, write_grid_scenario

NORMS = {"assumed_class": "I", "cap_source": "R76 Art. 11", "norms": [
    {"id": "old", "valid_from": dt.date(2023, 8, 1), "valid_until": dt.date(2025, 6, 30), "source": "D33",
     "base": {"commune": {"I": 22}}, "standard": [{"kind": "commune", "population": 8000, "area_km2": 30}]},
    {"id": "new", "valid_from": dt.date(2025, 7, 1), "valid_until": None, "source": "CV03",
     "positions": {"commune": 32, "ward": 33}, "label": "average per new unit", "estimate": True}]}


def commune(norm: dict, population: float = 16000, area: float = 90, kind: str = "commune"):
    return staffing_norm(norm, kind=kind, terrain="other", context="other", population=population, area_km2=area)


def test_the_norm_in_force_is_the_one_of_the_day() -> None:
    old, new = norm_in_force(NORMS, dt.date(2025, 6, 30)), norm_in_force(NORMS, dt.date(2025, 7, 1))
    assert (old["id"], new["id"]) == ("old", "new")
    assert old["assumed_class"] == new["assumed_class"] == "I" and "norms" not in new  # the shared keys carry over
    assert commune(old).positions == 26 and not commune(old).estimate  # 22 + 2 for population + 2 for area
    assert (commune(new).positions, commune(new, kind="ward").positions) == (32, 33)
    assert commune(new).estimate and commune(new).describe() == "norm 32 (average per new unit; an estimate)"
    assert commune(new, kind="special_zone") is None  # no figure for the kind
    assert norm_in_force(NORMS, dt.date(2020, 1, 1)) == {}  # before every norm
    undated = {"base": {"commune": {"I": 22}}, "standard": NORMS["norms"][0]["standard"]}
    assert norm_in_force(undated, dt.date(2030, 1, 1)) == undated  # a section without dated norms is the norm


def template_gaps(folder: Path, changes: dict | None = None):
    scenario, graph = pipeline.open_scenario(folder, changes)
    evaluation = pipeline.evaluate(scenario, graph)
    return scenario, pipeline.find_plan_gaps(scenario, graph, evaluation)


def test_with_every_headcount_estimated_no_staffing_gap_is_raised(grid_scenario: Path) -> None:
    # the grid has no staff figures and no agency tables: each old commune's headcount is its own Decree 33 norm
    scenario, report = template_gaps(grid_scenario)
    assert staffing_in_force(scenario)["id"] == "framework_2025"
    assert staffing_in_force(scenario, before=True)["id"] == "decree_33"
    staffing = report.staffing
    assert len(staffing) == 6 and set(staffing["norm"]) == {32}
    assert set(staffing["estimated"]) == {"headcount; cap; norm"}
    assert (staffing["surplus"] > 0).all()  # two communes' Decree 33 norms against the 2025 average
    assert not report.gaps["type"].isin(["staff_surplus", "staff_shortage", "staff_over_cap"]).any()
    summary = report.summary["transition"]
    assert (summary["staff_headcount_estimated"], summary["staff_units"], summary["staff_norm_estimated"]) == (
        6, 6, True)
    table = gap_tables(report)["staffing"]
    assert list(table["estimated"]) == ["headcount; cap; norm"] * 6
    section = render_gap_section(scenario, report)
    assert "Staffing (**estimates**)" in section and "estimates, not findings" in section
    assert "Official Dispatch 03/CV-BCĐ" in section


def test_before_1_july_2025_decree_33_governs(grid_scenario: Path) -> None:
    scenario, report = template_gaps(grid_scenario, {"effective_date": "2025-06-15"})
    assert staffing_in_force(scenario)["id"] == "decree_33"
    staffing = report.staffing
    assert "norm" not in "; ".join(staffing["estimated"]) and set(staffing["estimated"]) == {"headcount; cap"}
    assert staffing["norm_detail"].str.startswith("norm ").all() and staffing["norm_detail"].str.contains(
        "class I").all()


def agency_grid(folder: Path) -> Path:
    write_grid_scenario(folder, yaml_text=SCENARIO_YAML)
    section = write_demo_agencies(folder, faults=False)
    (folder / "scenario.yaml").write_text(SCENARIO_YAML + section, encoding="utf-8")
    return folder


def set_body(folder: Path, body: str, **values: str) -> None:
    path = folder / "agencies" / "agencies.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column, value in values.items():
        frame.loc[frame["id"] == body, column] = value
    frame.to_csv(path, index=False)


def test_the_cap_leaves_out_staff_transferred_in(tmp_path: Path) -> None:
    folder = agency_grid(tmp_path / "grid")
    scenario, report = template_gaps(folder)
    row = report.staffing.set_index("new_unit").loc["N00"]
    assert row["estimated"] == "norm" and row["headcount"] <= row["cap"]  # staff figures of the tables: data
    bodies = report.transition.new_bodies.set_index("body")
    others = row["headcount"] - bodies.at["new-N00-economic_department", "staff"]
    over = row["cap"] - others + 10  # the department's staff that put the unit ten over the cap...
    set_body(folder, "new-N00-economic_department", staff=f"{over:g}")
    _, report = template_gaps(folder)
    gaps = report.gaps[report.gaps["type"] == "staff_over_cap"]
    assert list(gaps["unit"]) == ["N00"] and gaps.iloc[0]["task_or_procedure"] == "10 over"
    set_body(folder, "new-N00-economic_department", staff=f"{over:g}", transferred_in="12")  # ...all moved down
    _, report = template_gaps(folder)
    assert not (report.gaps["type"] == "staff_over_cap").any()
    assert report.staffing.set_index("new_unit").at["N00", "transferred_in"] == 12
    assert report.summary["transition"]["staff_transferred_in"] == 12
    assert "12 transferred in" in report.gaps.loc[report.gaps["unit"] == "N00", "detail"].str.cat()


def test_transferred_in_above_the_staff_is_refused(tmp_path: Path) -> None:
    folder = agency_grid(tmp_path / "grid")
    set_body(folder, "new-N00-economic_department", staff="5", transferred_in="6")
    set_body(folder, "new-N01-economic_department", transferred_in="many")
    scenario, _ = pipeline.open_scenario(folder)
    with pytest.raises(InputError) as error:
        load_agency_layer(scenario)
    found = {(p.column, p.message.split(":")[0]) for p in error.value.errors}
    assert ("transferred_in", "'6' is more than the body's staff ('5')") in found
    assert any(column == "transferred_in" and "'many'" in message for column, message in found)
