"""The demo's go-live operations tables: signers, handover, records, positions by skill and seat buildings.

:func:`demo_operation_tables` writes a clean set for a plan (every signing body with enough signers for
its residents' documents, every handover finished, every record of a merged old unit migrated a week
before go-live, every skill staffed at its need, every seat's building big enough for the staff moving
in) and, with faults, one of each failure of :data:`OPERATION_FAULTS`.  The rates are the template's
operations data (``planner/templates/operations/<id>.yaml``), used as the gap checks use them.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from planner.inputs.plan import Plan
from planner.inputs.problems import InputError, ProblemList
from planner.transition.agencies import BASE_LEVEL
from planner.transition.operational_gaps import documents_per_day, skill_need
from planner.transition.operations_data import operations_data
from planner.transition.operations_input import COLUMNS
from planner.transition.workdays import working_days_before

#: The planted operations faults: gap type -> what is planted (in the fifth to eighth merged new units, counted
#: round from the first when there are fewer).
OPERATION_FAULTS = {
    "signing_overload": "the fifth merged unit's committee has one signer for 200 documents a working day "
                        "(Hải Châu 2025: about 1,008 certifications a week)",
    "handover_backlog": "the first district's finance-planning office leaves 900 pending files to one economic "
                        "department, which can take over 400 (the template's estimate)",
    "records_not_migrated": "the land records of the sixth merged unit's first old commune are not migrated",
    "skill_shortage": "the seventh merged unit has no IT position",
    "headquarters_shortfall": "the eighth merged unit's seat building holds 8 staff",
}
SIGNING_FAULT_DOCUMENTS = 200
HANDOVER_FAULT_FILES = 900
BUILDING_FAULT_CAPACITY = 8


def demo_operation_tables(template: dict[str, Any], plan: Plan, units: pd.DataFrame, agencies: pd.DataFrame,
                          go_live: Any, *, faults: bool) -> dict[str, pd.DataFrame]:
    """The five operations tables of a demo plan (:data:`~planner.transition.operations_input.COLUMNS`).

    Parameters
    ----------
    template : dict
        The agency template (its id names the operations data; its abolished level).
    plan : Plan
        The plan the tables are for (its new units, members and seats).
    units : pandas.DataFrame
        The evaluated new units, indexed by new unit (``population``).
    agencies : pandas.DataFrame
        The generated bodies (``id``, ``level``, ``unit``, ``period``, ``kind``, ``staff``).
    go_live : datetime.date
        The go-live date (records are migrated 5 working days before).
    faults : bool
        Plant one of each :data:`OPERATION_FAULTS`.

    Raises
    ------
    InputError
        With faults, when the plan has no merged new unit.
    """
    data = operations_data(str(template.get("id", "")))
    groups = plan.groups()
    merged = [new for new, members in groups.items() if len(members) > 1]
    if faults and not merged:
        problems = ProblemList()
        problems.error("demo agencies", "", "", "the operations faults need a merged new unit")
        raise InputError(problems.items)
    tables = {
        "body_capacity": _signers(data, groups, units),
        "handover": _handover(agencies),
        "records": _records(data, groups, working_days_before(go_live, 5)),
        "positions": _positions(data, groups, units),
        "buildings": _buildings(plan, groups, agencies),
    }
    if faults:
        _plant(tables, template, plan, agencies, merged)
    return {name: frame.reindex(columns=COLUMNS[name]) for name, frame in tables.items()}


def _signers(data: dict[str, Any], groups: dict[str, list[str]], units: pd.DataFrame) -> pd.DataFrame:
    """Enough signers for every new unit's committee (the new one, and an unmerged unit's old one)."""
    spec = data.get("signing") or {}
    kind, per_signer = spec.get("body_kind", "people_committee"), float(spec.get("documents_per_signer_day") or 1)
    rows = []
    for new, members in sorted(groups.items()):
        documents = documents_per_day(spec, float(units.at[new, "population"]))
        signers = max(1, math.ceil(documents / per_signer - 1e-9))
        bodies = [f"new-{new}-{kind}"] + ([f"{BASE_LEVEL}-{members[0]}-{kind}"] if len(members) == 1 else [])
        rows += [{"body": body, "signers": signers, "documents_per_day": "", "file_capacity": ""} for body in bodies]
    return pd.DataFrame(rows, columns=COLUMNS["body_capacity"])


def _handover(agencies: pd.DataFrame) -> pd.DataFrame:
    """Every handover finished: no file pending at any body of the old map (those the plan abolishes among them)."""
    old = sorted(agencies.loc[agencies["period"] != "after", "id"])
    return pd.DataFrame([{"body": body, "pending_files": 0, "receiver": ""} for body in old],
                        columns=COLUMNS["handover"])


def _records(data: dict[str, Any], groups: dict[str, list[str]], done: Any) -> pd.DataFrame:
    """Every system of every merged old unit migrated on ``done``."""
    systems = (data.get("records") or {}).get("systems") or []
    rows = [{"id": f"{code}-{system['id']}", "name": system["name"], "unit": code, "migrated": done.isoformat()}
            for members in groups.values() if len(members) > 1 for code in members for system in systems]
    return pd.DataFrame(rows, columns=COLUMNS["records"]).sort_values("id", ignore_index=True)


def _positions(data: dict[str, Any], groups: dict[str, list[str]], units: pd.DataFrame) -> pd.DataFrame:
    """Every skill of every new unit staffed at its need."""
    skills = data.get("skills") or {}
    rows = [{"unit": new, "skill": skill, "positions": skill_need(spec, float(units.at[new, "population"]))}
            for new in sorted(groups) for skill, spec in sorted(skills.items())]
    return pd.DataFrame(rows, columns=COLUMNS["positions"])


def _buildings(plan: Plan, groups: dict[str, list[str]], agencies: pd.DataFrame) -> pd.DataFrame:
    """A building at each merged unit's seat holding its old units' staff and a tenth more."""
    old = agencies[(agencies["level"] == BASE_LEVEL) & (agencies["period"] == "before")]
    staff = pd.to_numeric(old["staff"], errors="coerce").groupby(old["unit"]).sum()
    rows = []
    for new, members in sorted(groups.items()):
        if len(members) > 1:
            total = float(sum(staff.get(m, 0.0) for m in members))
            rows.append({"site": plan.seats[new], "capacity": math.ceil(total * 1.1),
                         "name": f"Trụ sở {plan.names.get(new, new)}"})
    return pd.DataFrame(rows, columns=COLUMNS["buildings"])


def _plant(tables: dict[str, pd.DataFrame], template: dict[str, Any], plan: Plan, agencies: pd.DataFrame,
           merged: list[str]) -> None:
    """One of each :data:`OPERATION_FAULTS`."""
    groups = plan.groups()
    signing, records, skills, seat = (merged[k % len(merged)] for k in range(4, 8))
    capacity = tables["body_capacity"]
    row = capacity["body"] == f"new-{signing}-people_committee"
    capacity.loc[row, "signers"] = 1
    capacity.loc[row, "documents_per_day"] = str(SIGNING_FAULT_DOCUMENTS)
    level = template.get("abolished_level")
    district = sorted(set(agencies.loc[agencies["level"] == level, "unit"]))[0]
    office = f"{level}-{district}-district_finance_planning"
    first_unit = sorted(agencies.loc[(agencies["level"] == BASE_LEVEL) & (agencies["period"] == "before")
                                     & (agencies["unit"].map(plan.assignment).isin(merged)), "unit"])[0]
    handover = tables["handover"]
    handover.loc[handover["body"] == office, "pending_files"] = HANDOVER_FAULT_FILES
    handover.loc[handover["body"] == office, "receiver"] = f"new-{plan.assignment[first_unit]}-economic_department"
    record = tables["records"]["id"] == f"{groups[records][0]}-land"
    tables["records"].loc[record, "migrated"] = ""
    position = (tables["positions"]["unit"] == skills) & (tables["positions"]["skill"] == "it")
    tables["positions"].loc[position, "positions"] = 0
    building = tables["buildings"]["site"] == plan.seats[seat]
    tables["buildings"].loc[building, "capacity"] = BUILDING_FAULT_CAPACITY
