"""The seal schedule: which bodies need a new seal, and when the police can register each one.

A body needs a new seal on go-live day (:func:`seal_needs`) when it is created, or when it carries on
but its seal no longer fits (Decree 99/2016: the seal carries the body's name and its managing level):
its unit is merged or renamed, or its seal names an abolished level.  What a body's seal names comes
from the agency template (``seal_names`` of the entry of its kind), its priority class from the
template's ``seal_priorities`` (class by kind, weight of each class).

:func:`schedule_seals` registers every seal without a date in the agency tables within each
province's capacity (:mod:`~planner.transition.seal_settings`).  The schedule is optimal:

    Within a province every seal to schedule is ordered on the same day, is ready after the same lead
    time and takes one registration slot; the slots are fixed by the capacity, on working days
    ``t_1 <= t_2 <= ...`` from the first registration day.  A schedule gives each seal its own slot.
    Its cost, the weight (priority weight x residents of the body's unit) of the seals registered after
    go-live, depends only on which seals get the ``m`` slots on or before go-live: any ``m`` of them can,
    and the cost is the total weight less the weight of those ``m``.  Giving them to the ``m`` heaviest
    seals is therefore optimal (swapping a lighter on-time seal for a heavier late one never raises the
    cost).  Sorting by weight, heaviest first (ties by body id), does so, and by the rearrangement
    inequality it also minimizes the weighted registration days of all seals, so the late ones are
    registered as early as their weights allow.  Provinces share no capacity and are scheduled alone.
    No solver is needed; the schedule of the whole country takes a sort.

The capacity that makes every critical seal ready on day one follows: with ``W`` registration days up
to go-live and the last critical seal ``r``-th in the queue, ``ceil(r / W)`` seals a working day.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.evaluation.evaluate import Evaluation
from planner.inputs.plan import Plan
from planner.inputs.scenario import Scenario
from planner.transition.agencies import BASE_LEVEL, AgencyLayer
from planner.transition.seal_settings import SealCapacity
from planner.transition.transition import Transition
from planner.transition.workdays import working_days_after, working_days_between, working_days_from

SCHEDULE_COLUMNS = ["province", "body", "body_name", "kind", "unit", "unit_name", "reason", "priority", "critical",
                    "residents", "queue", "ordered", "ready", "registered", "on_time", "days_late", "source"]
PROVINCE_COLUMNS = ["province", "capacity", "order_date", "first_registration", "registration_days", "seals",
                    "scheduled", "late", "critical", "critical_late", "last_registered",
                    "capacity_needed_per_day", "capacity_needed_all_per_day", "offices_needed"]
#: The class of every seal when the template gives no priorities: each late seal stops a service.
FALLBACK_CLASS = {"weight": 1, "critical": True, "label": "every seal (the template gives no priorities)"}


@dataclass
class SealSchedule:
    """The seals a plan needs and their registration dates.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per seal (:data:`SCHEDULE_COLUMNS`), sorted by province, registration date and queue:
        ``source`` is ``schedule`` (registered by the schedule), ``table`` (the date of the agency tables)
        or ``unscheduled`` (no capacity or no order date: no date).
    provinces : pandas.DataFrame
        One row per province (:data:`PROVINCE_COLUMNS`).
    go_live : datetime.date or None
    summary : dict
        The figures of ``summary.json``'s ``seal_schedule``.
    """

    table: pd.DataFrame
    provinces: pd.DataFrame
    go_live: dt.date | None
    summary: dict[str, Any]


def seal_priorities(template: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, str], str]:
    """The priority classes of the template (class -> weight, critical, label), the class of each kind, the default."""
    data = template.get("seal_priorities") or {}
    classes = {str(k): dict(v) for k, v in (data.get("classes") or {}).items()}
    if not classes:
        return {"all": FALLBACK_CLASS}, {}, "all"
    return classes, {str(k): str(v) for k, v in (data.get("kinds") or {}).items()}, str(data.get("default", "other"))


def seal_needs(scenario: Scenario, evaluation: Evaluation, layer: AgencyLayer,
               transition: Transition) -> pd.DataFrame:
    """The bodies of the new units that need a new seal on go-live day, with the reason and priority.

    Parameters
    ----------
    scenario : Scenario
        Gives the old units' names and provinces.
    evaluation : Evaluation
        The evaluated plan (the new units' names, residents and old units).
    layer : AgencyLayer
        Its template gives what each kind's seal names and the priorities.
    transition : Transition
        The bodies of each new unit (created or carrying on).

    Returns
    -------
    pandas.DataFrame
        Columns ``province``, ``body``, ``body_name``, ``kind``, ``unit``, ``unit_name``, ``reason``,
        ``priority``, ``critical``, ``residents``, ``weight`` and ``given`` (the date of the tables, or None).
    """
    classes, by_kind, default = seal_priorities(layer.template)
    names_of = {str(e["kind"]): list(e.get("seal_names") or [])
                for e in (layer.template.get("before") or {}).get(BASE_LEVEL) or []}
    province = _provinces(scenario, evaluation.plan)
    merged = {new for new, members in evaluation.plan.groups().items() if len(members) > 1}
    units = evaluation.units.set_index("new_unit")
    rows = []
    for row in transition.new_bodies.to_dict("records"):
        if not row["needs_seal"]:
            continue
        reason = "new body" if row["status"] == "create" else _remake_reason(
            scenario, layer, transition.bodies.loc[row["body"]], row, names_of.get(row["kind"], []),
            merged=row["new_unit"] in merged)
        if not reason:
            continue
        unit = row["new_unit"]
        kind_class = by_kind.get(row["kind"], default)
        info = classes.get(kind_class, classes.get(default, FALLBACK_CLASS))
        residents = float(units.at[unit, "population"]) if unit in units.index else 0.0
        residents = residents if math.isfinite(residents) else 0.0
        given = row["seal_registered"] if row["status"] == "create" else _new_seal_date(
            layer, province.get(unit, ""), row["seal_registered"])
        rows.append({"province": province.get(unit, ""), "body": row["body"], "body_name": row["name"],
                     "kind": row["kind"], "unit": unit,
                     "unit_name": str(units.at[unit, "name"]) if unit in units.index else "",
                     "reason": reason, "priority": kind_class if kind_class in classes else default,
                     "critical": bool(info.get("critical", False)), "residents": residents,
                     "weight": float(info.get("weight", 1)) * residents, "given": given})
    return pd.DataFrame(rows, columns=[*SCHEDULE_COLUMNS[:10], "weight", "given"])


def _new_seal_date(layer: AgencyLayer, province: str, registered: Any) -> dt.date | None:
    """The date of a re-made seal in the tables: one on or after the order date (an earlier one is the old seal's)."""
    order = layer.seals.of(province)[1] if layer.seals else None
    if not isinstance(registered, dt.date) or order is None or registered < order:
        return None
    return registered


def _remake_reason(scenario: Scenario, layer: AgencyLayer, body: pd.Series, row: dict[str, Any],
                   seal_names: list[str], *, merged: bool) -> str:
    """Why a body that carries on needs a new seal ('' when its seal still fits)."""
    reasons = []
    old_name = str(scenario.units.at[body["unit"], "name"]) if body["unit"] in scenario.units.index else ""
    new_name = str(row["new_unit_name"] or old_name)
    if "unit" in seal_names and merged:
        reasons.append(f"unit merged ({old_name} into {new_name})")
    elif "unit" in seal_names and old_name.strip() != new_name.strip():  # as kept_units compares names
        reasons.append(f"unit renamed ({old_name} -> {new_name})")
    abolished = layer.abolished_level
    if abolished and abolished in seal_names and body["unit"] in scenario.units.index:
        code = str(scenario.units.at[body["unit"], abolished]) if abolished in scenario.units.columns else ""
        if code:
            name = scenario.parent_names.get(abolished, {}).get(code, code)
            reasons.append(f"seal names the abolished {abolished} ({name})")
    return "; ".join(reasons)


def _provinces(scenario: Scenario, plan: Plan) -> dict[str, str]:
    """New unit -> the province code of its first old unit ({} when the units table has no province)."""
    if "province" not in scenario.units.columns:
        return {}
    province = scenario.units["province"].astype(str)
    return {new: str(province[members[0]]) for new, members in plan.groups().items()}


def schedule_seals(needs: pd.DataFrame, layer: AgencyLayer) -> SealSchedule:
    """Register the seals of :func:`seal_needs` within each province's capacity, heaviest first (optimal: see above).

    Parameters
    ----------
    needs : pandas.DataFrame
        From :func:`seal_needs`.
    layer : AgencyLayer
        Its ``seals`` settings (order date, capacities), ``go_live`` and ``seal_lead_time_days``.

    Returns
    -------
    SealSchedule
    """
    go_live, lead = layer.go_live, layer.seal_lead_time_days
    pieces, provinces = [], []
    for province, rows in needs.groupby("province", sort=True):
        capacity, order = layer.seals.of(str(province)) if layer.seals else (None, None)
        table, figures = _province_schedule(rows, capacity, order, go_live, lead)
        pieces.append(table)
        provinces.append({"province": str(province), **figures})
    table = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(columns=SCHEDULE_COLUMNS)
    table["_r"] = [d if isinstance(d, dt.date) else dt.date.max for d in table["registered"]]
    table = table.sort_values(["province", "_r", "queue", "body"], ignore_index=True)[SCHEDULE_COLUMNS]
    frame = pd.DataFrame(provinces, columns=PROVINCE_COLUMNS)
    return SealSchedule(table, frame, go_live, _summary(table, frame, layer))


def _province_schedule(rows: pd.DataFrame, capacity: SealCapacity | None, order: dt.date | None,
                       go_live: dt.date | None, lead: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The schedule of one province's seals and its figures."""
    rows = rows.copy()
    given = rows["given"].map(lambda d: isinstance(d, dt.date))
    queue = rows[~given].sort_values(["weight", "body"], ascending=[False, True], kind="mergesort")
    fixed = rows[given].assign(registered=rows.loc[given, "given"], source="table", ordered=None, ready=None,
                               queue=math.nan)
    figures: dict[str, Any] = {"capacity": capacity.text() if capacity else "none",
                               "order_date": order.isoformat() if order else None, "seals": int(len(rows)),
                               "scheduled": 0, "critical": int(rows["critical"].sum())}
    if capacity is None or order is None or go_live is None or queue.empty:
        queue = queue.assign(registered=None, source="unscheduled", ordered=order, ready=None, queue=math.nan)
    else:
        ready = working_days_after(order, lead)
        slots = capacity.slot_days(len(queue))
        calendar = working_days_from(ready, int(slots.max()) + 1)
        queue = queue.assign(ordered=order, ready=ready, registered=[calendar[s] for s in slots], source="schedule",
                             queue=range(1, len(queue) + 1))
        figures.update(_needed(queue, capacity, ready, go_live))
    table = pd.concat([queue, fixed])
    on_time = [isinstance(d, dt.date) and go_live is not None and d <= go_live for d in table["registered"]]
    table["on_time"] = on_time
    table["days_late"] = [working_days_between(go_live, d) if isinstance(d, dt.date) and go_live else math.nan
                          for d in table["registered"]]
    late = ~table["on_time"]
    dates = [d for d in table["registered"] if isinstance(d, dt.date)]
    figures.update({"late": int(late.sum()), "critical_late": int((late & table["critical"]).sum()),
                    "last_registered": max(dates).isoformat() if dates else None})
    return table, figures


def _needed(queue: pd.DataFrame, capacity: SealCapacity, ready: dt.date, go_live: dt.date) -> dict[str, Any]:
    """Registration days up to go-live and the capacity that makes every critical seal (and every seal) on time."""
    days = working_days_between(ready - dt.timedelta(days=1), go_live)
    critical = [i + 1 for i, c in enumerate(queue["critical"]) if c]
    last = critical[-1] if critical else 0
    figures: dict[str, Any] = {"first_registration": ready.isoformat(), "registration_days": days,
                               "scheduled": int(len(queue))}
    if days <= 0:
        return figures | {"capacity_needed_per_day": None if last else 0, "capacity_needed_all_per_day": None,
                          "offices_needed": None}
    figures |= {"capacity_needed_per_day": math.ceil(last / days),
                "capacity_needed_all_per_day": math.ceil(len(queue) / days), "offices_needed": None}
    if capacity.days_per_seal:
        rounds = days // capacity.days_per_seal
        figures["offices_needed"] = math.ceil(last / rounds) if rounds else (None if last else 0)
    return figures


def _summary(table: pd.DataFrame, provinces: pd.DataFrame, layer: AgencyLayer) -> dict[str, Any]:
    """The ``seal_schedule`` figures of summary.json."""
    late = table[~table["on_time"].astype(bool)]
    needed = provinces["capacity_needed_per_day"] if len(provinces) else pd.Series(dtype=object)
    known = all(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in needed)
    settings = layer.seals
    return {
        "source": settings.source if settings else "none",
        "order_date": settings.order_date.isoformat() if settings and settings.order_date else None,
        "lead_time_days": layer.seal_lead_time_days,
        "seals": int(len(table)),
        "new_bodies": int((table["reason"] == "new body").sum()),
        "remade": int((table["reason"] != "new body").sum()),
        "scheduled": int((table["source"] == "schedule").sum()),
        "from_tables": int((table["source"] == "table").sum()),
        "unscheduled": int((table["source"] == "unscheduled").sum()),
        "on_time": int(table["on_time"].astype(bool).sum()),
        "late": int(len(late)),
        "critical_late": int(late["critical"].astype(bool).sum()),
        "residents_served_by_late_critical_seals": int(round(float(
            late.loc[late["critical"].astype(bool)].drop_duplicates("unit")["residents"].sum()))),
        "last_registered": provinces["last_registered"].dropna().max() if len(provinces) else None,
        "capacity_needed_per_day": int(sum(needed)) if known and len(needed) else None,
        "provinces": {str(r["province"]): {k: _plain(r[k]) for k in PROVINCE_COLUMNS[1:]}
                      for r in provinces.to_dict("records")},
    }


def _plain(value: Any) -> Any:
    """A value for JSON: NaN as None, numpy numbers as Python's."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def seal_gap_rows(schedule: SealSchedule, deadline: dt.date | None, missing_fix: str) -> list[dict[str, Any]]:
    """The seal gaps read from the schedule: ``seal_late`` for a seal registered after go-live, ``seal_missing``
    for one with no date (no capacity or no order date to schedule it, ``missing_fix`` its fix: the words of
    :mod:`~planner.transition.fix_texts`); keyword arguments of a gap row."""
    rows = []
    figures = {r["province"]: r for r in schedule.provinces.to_dict("records")}
    for row in schedule.table.to_dict("records"):
        if row["on_time"]:
            continue
        common = {"unit": row["unit"], "body": row["body"], "body_name": row["body_name"]}
        if not isinstance(row["registered"], dt.date):
            rows.append(common | {"kind": "seal_missing", "severity": "critical", "fix_by": deadline,
                                  "fix": missing_fix,
                                  "detail": f"no seal registered ({row['reason']}); no capacity or order date to "
                                            f"schedule it; go-live {schedule.go_live or 'not set'}"})
            continue
        rows.append(common | {"kind": "seal_late", "severity": "critical" if row["critical"] else "high",
                              "fix_by": schedule.go_live, "subject": row["reason"],
                              "fix": _late_fix(row, figures.get(row["province"], {})),
                              "detail": _late_detail(row, schedule.go_live)})
    return rows


def _late_fix(row: dict[str, Any], province: dict[str, Any]) -> str:
    """What to do about a late seal."""
    if row["source"] == "table":
        return "bring the seal registration forward, or decide in writing who signs for the body until then"
    needed = province.get("capacity_needed_per_day") if row["critical"] else province.get(
        "capacity_needed_all_per_day")
    more = (f"register {needed} seals a working day in the province" if needed is not None and needed == needed
            else "order the seals earlier")
    return f"{more}, or decide in writing who signs for the body until {row['registered'].isoformat()}"


def _late_detail(row: dict[str, Any], go_live: dt.date | None) -> str:
    """The figures behind a late seal."""
    where = "in the agency tables" if row["source"] == "table" else (
        f"by the schedule (queue {int(row['queue'])} of the province, ordered {row['ordered'].isoformat()})")
    return (f"seal registered {row['registered'].isoformat()} {where}, {int(row['days_late'])} working day(s) "
            f"after go-live {go_live}; priority {row['priority']}")
