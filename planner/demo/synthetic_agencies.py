"""Agency tables for a synthetic scenario (the demo), generated from the preset's agency template.

:func:`demo_agency_tables` builds a complete, clean agency layer for a scenario and its
baseline plan: the bodies before the reform, every new unit's bodies with staff at the
staffing norm and seals registered in time (a seal for every body that signs, the template's commune
departments too), the template's tasks and transfer rules,
procedures naming the new bodies, a one-stop center at each seat, villages, and each province's
seal registration capacity (enough for every seal the bodies that carry on must re-make).  With
``faults=True`` it plants one of each fault the gap report must find (see :data:`FAULTS`) and a
capacity one seal a day short (:data:`CAPACITY_FAULT`); :func:`write_demo_agencies` writes the
tables as CSV files.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import shapely

from planner.demo.operations_tables import OPERATION_FAULTS, demo_operation_tables
from planner.demo.seal_capacity import seal_capacity_table
from planner.evaluation.evaluate import evaluate_plan
from planner.graph import build_graph
from planner.inputs.plan import Plan
from planner.inputs.problems import InputError, ProblemList
from planner.inputs.scenario import Scenario, load_scenario
from planner.outputs import write_csv, write_text
from planner.rules.staffing import staffing_norm
from planner.transition.agencies import (
    BASE_LEVEL,
    COLUMNS,
    kept_units,
    load_template,
    template_bodies_after,
    template_table,
)
from planner.transition.headcount import staffing_in_force
from planner.transition.workdays import working_days_after, working_days_before

#: The planted faults: gap type -> what is planted.
FAULTS = {
    "seal_late": "the service center of the first merged new unit registers its seal two working days after go-live",
    "task_no_owner": "a market board of an old commune of the second merged unit has a task no rule transfers",
    "task_two_owners": "a cemetery task of an old commune of the third merged unit names two receivers",
    "procedure_cites_abolished_body": "a land procedure still names the first district's natural resources office",
    "access_beyond_threshold": "a village at the far edge of the merged unit whose edge lies farthest from its seat",
    "duplicate_place_name": "a village of the fourth merged unit takes the name of a village of another constituent",
    **OPERATION_FAULTS,
}
#: The planted shortage of seal registration capacity (gaps ``seal_late``, one per seal after go-live).
CAPACITY_FAULT = ("each province registers one seal a working day fewer than its re-made seals need: the last of "
                  "them, of the lowest priority, come after go-live; every critical seal is on time")
DEFAULT_YAML = """\
agencies:
  seal_lead_time_days: {lead}
  seal_schedule:
    provinces: agencies/seal_capacity.csv
  agencies: agencies/agencies.csv
  tasks: agencies/tasks.csv
  transfer_rules: agencies/transfer_rules.csv
  procedures: agencies/procedures.csv
  service_points: agencies/service_points.csv
  places: agencies/places.csv
  body_capacity: agencies/body_capacity.csv
  handover: agencies/handover.csv
  records: agencies/records.csv
  positions: agencies/positions.csv
  buildings: agencies/buildings.csv
"""
VILLAGES_PER_UNIT = 3


def demo_agency_tables(scenario: Scenario, *, faults: bool = True, plan: Plan | None = None,
                       graph: nx.Graph | None = None) -> dict[str, pd.DataFrame]:
    """A clean agency layer for a plan (the scenario's baseline by default), with one of each :data:`FAULTS`.

    The same generator gives any plan of the scenario the same kind of layer (its bodies staffed
    at the norm, seals registered in time, the same faults planted), so that two plans' gap
    figures rest on the same kind of data (``planner demo`` compares them so).

    Raises
    ------
    InputError
        When there is no plan (neither ``plan`` nor a baseline), no agency template, or too few
        merged units.
    """
    problems = ProblemList()
    template_id = scenario.preset.data.get("agency_templates")
    label = str(scenario.folder / "scenario.yaml")
    plan = plan if plan is not None else scenario.baseline
    if plan is None or not template_id or scenario.effective_date is None:
        problems.error(label, "", "", "demo agencies need a plan (the baseline), an effective_date and a preset "
                       "with agency_templates")
        raise InputError(problems.items)
    template = load_template(str(template_id), problems, label)
    problems.raise_if_errors()
    graph = graph if graph is not None else build_graph(scenario)
    evaluation = evaluate_plan(scenario, graph, plan)
    builder = _Builder(scenario, graph, evaluation, template)
    tables = builder.clean()
    if faults:
        builder.plant_faults(tables)
    tables = {name: _sorted(name, frame) for name, frame in tables.items()}
    tables["seal_capacity"] = seal_capacity_table(scenario, template, tables["agencies"],
                                                  set(kept_units(scenario, builder.plan)), short=faults)
    tables |= demo_operation_tables(template, builder.plan, evaluation.units.set_index("new_unit"),
                                    tables["agencies"], scenario.effective_date, faults=faults)
    return tables


def write_demo_agencies(folder: Path, *, faults: bool = True) -> str:
    """Write ``agencies/*.csv`` into a scenario folder; returns the YAML of its ``agencies:`` section."""
    folder = Path(folder)
    scenario = load_scenario(folder)
    write_agency_tables(demo_agency_tables(scenario, faults=faults), folder / "agencies")
    lead = int((scenario.preset.data.get("seals") or {}).get("lead_time_days", 0))
    return DEFAULT_YAML.format(lead=lead)


def write_agency_tables(tables: dict[str, pd.DataFrame], folder: Path,
                        relative_to: Path | None = None) -> dict[str, Any]:
    """Write the tables of :func:`demo_agency_tables` as ``folder/<table>.csv``.

    Returns the keys of the ``agencies:`` section naming them: table -> path (relative to ``relative_to``, the
    scenario's folder, when given, so that the outputs that record it name no machine's folders), and
    ``seal_schedule`` -> ``{provinces: path}`` for the seal capacity table.
    """
    paths: dict[str, Any] = {}
    for name, frame in tables.items():
        path = Path(folder) / f"{name}.csv"
        write_csv(_as_text(frame), path)
        paths[name] = os.path.relpath(path.resolve(), Path(relative_to).resolve()) if relative_to else str(path)
    if "seal_capacity" in paths:
        paths["seal_schedule"] = {"provinces": paths.pop("seal_capacity")}
    return paths


def add_demo_agencies(folder: Path, *, faults: bool = True) -> str:
    """Write the agency tables of a scenario folder and add the ``agencies:`` section to its YAML if absent.

    Returns the section's YAML.
    """
    folder = Path(folder)
    section = write_demo_agencies(folder, faults=faults)
    yaml_file = folder / "scenario.yaml"
    text = yaml_file.read_text("utf-8")
    if not any(line.startswith("agencies:") for line in text.splitlines()):
        intro = "\n# Public bodies, tasks, procedures, service points and villages for the gap report (docs/gaps.md),\n"
        intro += "# generated by planner/demo/synthetic_agencies.py with one of each planted fault.\n"
        write_text(yaml_file, text.rstrip("\n") + "\n" + intro + section)
    return section


class _Builder:
    def __init__(self, scenario: Scenario, graph: Any, evaluation: Any, template: dict[str, Any]):
        self.scenario = scenario
        self.graph = graph
        self.evaluation = evaluation
        self.plan = evaluation.plan
        self.template = template
        self.go_live = scenario.effective_date
        lead = int((scenario.preset.data.get("seals") or {}).get("lead_time_days", 0))
        self.deadline = working_days_before(self.go_live, lead)
        self.groups = self.plan.groups()
        self.merged = [new for new, members in self.groups.items() if len(members) > 1]
        if len(self.merged) < 4:
            problems = ProblemList()
            problems.error(str(scenario.folder), "", "", "demo agencies need at least 4 merged new units")
            raise InputError(problems.items)
        #: The norm of the new units (in force on go-live day) and of the old ones (the day before).
        self.staffing = staffing_in_force(scenario)
        self.old_staffing = staffing_in_force(scenario, before=True) or self.staffing

    # -- the clean layer ----------------------------------------------------------------------------------------
    def clean(self) -> dict[str, pd.DataFrame]:
        before = template_table("agencies", self.scenario, self.template).reset_index(drop=True)
        before = self._staff_before(before)
        after = self._bodies_after(before)
        return {
            "agencies": pd.concat([before, after], ignore_index=True),
            "tasks": template_table("tasks", self.scenario, self.template),
            "transfer_rules": template_table("transfer_rules", self.scenario, self.template),
            "procedures": self._procedures(after),
            "service_points": pd.DataFrame(
                [{"id": f"sp-{new}", "name": f"Trung tâm Phục vụ hành chính công {self.plan.names[new]}",
                  "kind": "one_stop_center", "site": self.plan.seats[new], "lon": "", "lat": ""}
                 for new in self.groups], columns=COLUMNS["service_points"]),
            "places": self._villages(),
        }

    def _norm(self, row: dict[str, Any], *, old: bool = False) -> int:
        norm = staffing_norm(self.old_staffing if old else self.staffing, kind=row["kind"],
                             terrain=row["terrain"] or "other",
                             context=row["context"], population=_number(row["population"]),
                             area_km2=_number(row["area_km2"]))
        return norm.positions if norm else 0

    def _staff_before(self, before: pd.DataFrame) -> pd.DataFrame:
        """Old communes' committees carry the old unit's staff: the units table's, else the unit's own norm."""
        units = self.scenario.units
        committees = (before["level"] == BASE_LEVEL) & (before["kind"] == "people_committee")
        before.loc[committees, "staff"] = [
            float(units.at[code, "staff"]) if pd.notna(units.at[code, "staff"])
            else float(self._norm(units.loc[code].to_dict(), old=True)) for code in before.loc[committees, "unit"]]
        return before

    def _bodies_after(self, before: pd.DataFrame) -> pd.DataFrame:
        """Every new unit's bodies; staff split so that the unit's total is its norm; seals in time."""
        rows = []
        continuing = set(zip(before["unit"], before["kind"]))
        kept = set(kept_units(self.scenario, self.plan).values())
        units = self.evaluation.units.set_index("new_unit")
        for i, (new, members) in enumerate(self.groups.items()):
            bodies = template_bodies_after(self.template, new, self.plan.names[new], self.plan.kinds[new])
            if new in kept:
                bodies = [b for b in bodies if (members[0], b["kind"]) not in continuing]
            norm = self._norm(units.loc[new].to_dict())
            staffed = [b for b in bodies if b["kind"] not in ("people_council",)]
            if new in kept:
                norm = 0  # the old committee carries on with its staff
            cap = sum(float(s) for s in before.loc[before["unit"].isin(members), "staff"].dropna())
            if cap < norm and self.scenario.units.loc[members, "staff"].isna().all():
                # no staff figures in the units table: give the first committee enough for the norm
                first = (before["unit"] == members[0]) & (before["kind"] == "people_committee")
                before.loc[first, "staff"] += norm - cap
                cap = float(norm)
            total = min(norm, int(cap)) if staffed else 0
            for j, body in enumerate(staffed):
                body["staff"] = float(total // len(staffed) + (1 if j < total % len(staffed) else 0))
            for body in bodies:
                # the clean layer settles what the template leaves open: a body that signs gets a seal of its own
                # (the fix of signing_without_authority for the template's commune departments)
                body["needs_seal"] = body["needs_seal"] or body["signs"]
                if body["needs_seal"]:
                    body["seal_registered"] = working_days_before(self.deadline, i % 5)
                body["origin"] = "scenario"
            rows += bodies
        return pd.DataFrame(rows)

    def _procedures(self, after: pd.DataFrame) -> pd.DataFrame:
        rows = []
        committees = after[after["kind"] == "people_committee"]
        for body, unit in zip(committees["id"], committees["unit"]):
            rows.append({"id": f"tt-{unit}-khai-sinh", "name": "Đăng ký khai sinh", "body": body,
                         "task": "", "legal_reference": "Luật Hộ tịch 2014"})
        return pd.DataFrame(rows, columns=COLUMNS["procedures"])

    def _villages(self) -> pd.DataFrame:
        rows = []
        population = self.scenario.units["population"].fillna(0.0)
        for code in sorted(self.plan.assignment):
            node = self.graph.nodes[code]
            lon, lat = node["lon"], node["lat"]
            if not math.isfinite(lon):
                continue
            for k in range(VILLAGES_PER_UNIT):
                rows.append({"id": f"{code}-v{k + 1}", "name": f"Thôn {k + 1} {_short(node['name'])}",
                             "unit": code, "population": round(float(population[code]) / VILLAGES_PER_UNIT),
                             "lon": round(lon, 6), "lat": round(lat, 6)})
        return pd.DataFrame(rows, columns=COLUMNS["places"])

    # -- the faults ----------------------------------------------------------------------------------------------
    def plant_faults(self, tables: dict[str, pd.DataFrame]) -> None:
        agencies = tables["agencies"]
        first, second, third, fourth = self.merged[:4]
        late = agencies["id"] == f"new-{first}-service_center"
        agencies.loc[late, "seal_registered"] = working_days_after(self.go_live, 2)
        market_unit = self.groups[second][0]
        market_name = _short(self.graph.nodes[market_unit]["name"])
        board = {"id": f"commune-{market_unit}-market_board", "name": f"Ban quản lý chợ {market_name}",
                 "level": BASE_LEVEL, "unit": market_unit, "period": "before",
            "kind": "market_board", "staff": 2.0, "needs_seal": False, "seal_registered": None, "signs": False,
            "one_stop": False, "legal_basis": "Quyết định của UBND huyện", "origin": "scenario"}
        tables["agencies"] = pd.concat([agencies, pd.DataFrame([board])], ignore_index=True)
        cemetery_unit = self.groups[third][0]
        tasks = [
            {"id": f"{board['id']}.market_management", "name": "Quản lý chợ", "category": "market_management",
             "holder": board["id"], "legal_reference": "", "procedures": 1, "receiver": ""},
            {"id": f"commune-{cemetery_unit}-people_committee.cemetery", "name": "Quản lý nghĩa trang",
             "category": "cemetery", "holder": f"commune-{cemetery_unit}-people_committee",
             "legal_reference": "", "procedures": 0,
             "receiver": f"new-{third}-economic_department;new-{third}-culture_social_department"},
        ]
        tables["tasks"] = pd.concat([tables["tasks"], pd.DataFrame(tasks)], ignore_index=True)
        district = sorted(set(self.scenario.units[self._abolished_level()]))[0]
        office = agencies.loc[agencies["id"] == f"district-{district}-district_natural_resources", "name"].iloc[0]
        procedure = {"id": "tt-dat-dai-lan-dau", "name": "Đăng ký đất đai, cấp giấy chứng nhận lần đầu",
                     "body": office, "task": "", "legal_reference": "Luật Đất đai 2024"}
        tables["procedures"] = pd.concat([tables["procedures"], pd.DataFrame([procedure])], ignore_index=True)
        self._far_village(tables)
        self._duplicate_village(tables, fourth)

    def _abolished_level(self) -> str:
        return str(self.template.get("abolished_level"))

    def _far_village(self, tables: dict[str, pd.DataFrame]) -> None:
        """A village at the boundary point farthest from the seat, in the unit where that point is farthest.

        It is a gap only when that point lies beyond the access limit: a plan whose every point is
        within reach of its seat has the village, and no gap.
        """
        best = None
        for new, members in self.groups.items():
            seat = self.graph.nodes[self.plan.seats[new]]
            for code in members:
                polygon = self.graph.nodes[code]["geometry"]
                if polygon is None or code == self.plan.seats[new]:
                    continue
                ring = shapely.get_coordinates(polygon.boundary)
                distances = ((ring[:, 0] - seat["x"]) ** 2 + (ring[:, 1] - seat["y"]) ** 2) ** 0.5
                k = int(distances.argmax())
                candidate = (float(distances[k]), code, ring[k])
                if best is None or candidate[0] > best[0]:
                    best = candidate
        if best is None:  # every new unit is its seat alone: there is no edge to plant at
            return
        _, code, (x, y) = best
        polygon = self.graph.nodes[code]["geometry"]
        inside = shapely.Point(x, y).buffer(1.0).intersection(polygon).representative_point()
        lon, lat = self.graph.graph["projection"].inverse.transform(inside.x, inside.y)
        places = tables["places"]
        village = {"id": f"{code}-far", "name": f"Bản Xa {_short(self.graph.nodes[code]['name'])}", "unit": code,
                   "population": 420, "lon": round(float(lon), 6), "lat": round(float(lat), 6)}
        tables["places"] = pd.concat([places, pd.DataFrame([village])], ignore_index=True)

    def _duplicate_village(self, tables: dict[str, pd.DataFrame], new: str) -> None:
        first, second = self.groups[new][:2]
        places = tables["places"]
        keeper = places.loc[places["id"] == f"{first}-v1", "name"].iloc[0]
        places.loc[places["id"] == f"{second}-v2", "name"] = keeper


def _short(name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Thị trấn ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _sorted(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reindex(columns=COLUMNS[name])
    key = "id" if "id" in frame.columns else "category"
    return frame.sort_values(key, ignore_index=True)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as the CSV files hold them: yes/no, ISO dates, whole numbers without decimals."""
    def text(value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float) and value == int(value) and abs(value) < 1e12:
            return str(int(value))
        return str(value)
    return frame.map(text)
