"""Headcount of the new units against the staffing norm: the staffing table of the gap report.

:func:`staffing_table` gives one row per new unit (:data:`STAFF_COLUMNS`): its planned
headcount (the staff of its new bodies, or the sum of its constituents'), the staff among
them transferred down from the district or the province (``transferred_in``, outside the
cap), the cap (the sum of the constituents' staff, R76 Art. 11), the norm in force on the
plan's effective date (:func:`staffing_in_force`, :mod:`planner.rules.staffing`) and the
surplus or shortage against it.  ``estimated`` names the figures of a row that rest on an
estimate: a constituent's headcount taken as its own norm (the norm in force the day before
the effective date), or a norm the preset marks as an estimate.  The gap checks
(:mod:`~planner.transition.gaps`) turn these figures into gaps, never from an estimated headcount.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from planner.inputs.scenario import Scenario
from planner.rules.staffing import norm_in_force, staffing_norm
from planner.transition.agency_tables import BASE_LEVEL
from planner.transition.transition import Transition

STAFF_COLUMNS = ["new_unit", "name", "kind", "population", "area_km2", "headcount", "headcount_source",
                 "transferred_in", "cap", "norm", "surplus", "shortage", "estimated", "norm_detail"]
#: The words of ``headcount_source`` for a constituent whose headcount is its own norm.
ESTIMATED_SOURCE = "norm of the old unit, estimated"


def plan_day(scenario: Scenario) -> dt.date | None:
    """The day the plan's norms are read on: the scenario's effective date, else the preset's ``valid_from``."""
    if scenario.effective_date is not None:
        return scenario.effective_date
    start = scenario.preset.data.get("valid_from")
    return dt.date.fromisoformat(str(start)) if start else None


def staffing_in_force(scenario: Scenario, *, before: bool = False) -> dict[str, Any]:
    """The preset's staffing norm in force on the plan's day ({} when none is).

    Parameters
    ----------
    scenario : Scenario
        Gives the effective date and the preset's ``staffing`` section.
    before : bool
        The norm of the day before instead: the one the old units were staffed under.

    Returns
    -------
    dict
        The norm (:func:`planner.rules.staffing.norm_in_force`).
    """
    data = scenario.preset.data.get("staffing") or {}
    if not data:
        return {}
    day = plan_day(scenario)
    if before and day is not None:
        day -= dt.timedelta(days=1)
    return norm_in_force(data, day)


def staffing_table(scenario: Scenario, units: pd.DataFrame, transition: Transition) -> pd.DataFrame:
    """The headcount, cap and norm of each new unit.

    Parameters
    ----------
    scenario : Scenario
        Gives the old units and their staff (``staff`` column, when known), the effective date and the preset's
        ``staffing`` norms.
    units : pandas.DataFrame
        The evaluated new units, indexed by new unit (``name``, ``kind``, ``terrain``,
        ``context``, ``population``, ``area_km2``, ``constituents``).
    transition : Transition
        Gives the staff of the old bodies and of the new units' bodies (``staff``, ``transferred_in``).

    Returns
    -------
    pandas.DataFrame
        One row per new unit with a norm (:data:`STAFF_COLUMNS`); empty when no norm is in force.
    """
    rows: list[dict[str, Any]] = []
    data = staffing_in_force(scenario)
    if not data:
        return pd.DataFrame(rows, columns=STAFF_COLUMNS)
    constituent = _constituent_staff(scenario, transition, staffing_in_force(scenario, before=True) or data)
    planned, transferred = _planned_staff(transition)
    for unit, row in units.iterrows():
        norm = staffing_norm(data, kind=row["kind"], terrain=row["terrain"], context=row["context"],
                             population=as_float(row["population"]), area_km2=as_float(row["area_km2"]))
        if norm is None:
            continue
        members = [constituent[m] for m in str(row["constituents"]).split(";")]
        cap = float(sum(m[0] for m in members))
        cap_estimated = any(m[1] == ESTIMATED_SOURCE for m in members)
        if unit in planned:
            headcount, source, estimated = planned[unit], "bodies of the new unit", []
        else:
            sources = ", ".join(sorted({m[1] for m in members}))
            headcount, source = cap, f"sum of constituents ({sources})"
            estimated = ["headcount"] if cap_estimated else []
        estimated += (["cap"] if cap_estimated else []) + (["norm"] if norm.estimate else [])
        rows.append({"new_unit": unit, "name": row["name"], "kind": row["kind"], "population": row["population"],
                     "area_km2": row["area_km2"], "headcount": headcount, "headcount_source": source,
                     "transferred_in": transferred.get(unit, math.nan), "cap": cap, "norm": norm.positions,
                     "surplus": max(0.0, headcount - norm.positions),
                     "shortage": max(0.0, norm.positions - headcount), "estimated": "; ".join(estimated),
                     "norm_detail": norm.describe()})
    return pd.DataFrame(rows, columns=STAFF_COLUMNS)


def staffing_gap_rows(frame: pd.DataFrame, go_live: dt.date | None, absorb_by: dt.date | None, years: int,
                      cap_fix: str) -> list[dict[str, Any]]:
    """The staffing gaps of :func:`staffing_table`'s rows, as keyword arguments of a gap row.

    A headcount above the cap once the staff transferred in are left out is ``staff_over_cap`` (high, by go-live);
    a surplus is ``staff_surplus`` (low, by ``absorb_by``), a shortage ``staff_shortage`` (medium, by go-live),
    except for an estimated headcount, which is no finding (its figures stay in the table, marked ``estimated``).

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`staffing_table`.
    go_live, absorb_by : datetime.date or None
        The go-live date, and the day a surplus must be absorbed by.
    years : int
        The years to absorb a surplus in (the preset's ``staffing.surplus_years``).
    cap_fix : str
        The suggested fix of a headcount over the cap.

    Returns
    -------
    list of dict
        ``kind``, ``severity``, ``unit``, ``subject``, ``fix``, ``fix_by`` and ``detail`` of each gap.
    """
    rows = []
    for row, estimate in zip(frame.to_dict("records"), headcount_estimated(frame)):
        moved = row["transferred_in"] if math.isfinite(row["transferred_in"]) else 0.0
        detail = (f"headcount {row['headcount']:g} ({row['headcount_source']}), {moved:g} transferred in, cap "
                  f"{row['cap']:g}, {row['norm_detail']}" + (f"; estimated: {row['estimated']}" if row["estimated"]
                                                             else ""))
        common = {"unit": row["new_unit"], "detail": detail}
        if row["headcount"] - moved > row["cap"]:
            rows.append(common | {"kind": "staff_over_cap", "severity": "high", "fix_by": go_live, "fix": cap_fix,
                                  "subject": f"{row['headcount'] - moved - row['cap']:g} over"})
        if estimate:
            continue
        if row["surplus"] > 0:
            rows.append(common | {"kind": "staff_surplus", "severity": "low", "fix_by": absorb_by,
                                  "subject": f"{row['surplus']:g} positions",
                                  "fix": f"plan transfers or retirements over {years} years"})
        elif row["shortage"] > 0:
            rows.append(common | {"kind": "staff_shortage", "severity": "medium", "fix_by": go_live,
                                  "subject": f"{row['shortage']:g} positions",
                                  "fix": "recruit or second staff from units with a surplus"})
    return rows


def staffing_summary(staffing: pd.DataFrame) -> dict[str, Any]:
    """The staffing figures of ``summary.json``'s ``transition``: sums of :func:`staffing_table`, and how many new
    units' headcounts are estimates (``staff_headcount_estimated``) and whether the norm is (``staff_norm_estimated``).
    """
    return {
        "staff_units": int(len(staffing)),
        "staff_headcount": round(float(staffing["headcount"].sum()), 1),
        "staff_norm": int(staffing["norm"].sum()),
        "staff_surplus": round(float(staffing["surplus"].sum()), 1),
        "staff_shortage": round(float(staffing["shortage"].sum()), 1),
        "staff_transferred_in": round(float(staffing["transferred_in"].fillna(0.0).sum()), 1),
        "staff_headcount_estimated": int(headcount_estimated(staffing).sum()),
        "staff_norm_estimated": bool(staffing["estimated"].str.contains("norm").any()),
    }


def headcount_estimated(staffing: pd.DataFrame) -> pd.Series:
    """Whether each row's headcount is an estimate (from :func:`staffing_table`'s ``estimated``)."""
    return staffing["estimated"].str.split("; ").map(lambda figures: "headcount" in figures).astype(bool)


def _constituent_staff(scenario: Scenario, transition: Transition,
                       data: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """Old unit -> (headcount, where it comes from): units table, old bodies' staff, or its own norm (``data``)."""
    units = scenario.units
    bodies = transition.bodies
    old = bodies[(bodies["level"] == BASE_LEVEL) & (bodies["period"] != "after") & bodies["staff"].notna()]
    from_bodies = old.groupby("unit")["staff"].sum().to_dict()
    result = {}
    for code, row in units.iterrows():
        if pd.notna(row["staff"]):
            result[code] = (float(row["staff"]), "units table")
        elif code in from_bodies:
            result[code] = (float(from_bodies[code]), "staff of the old bodies")
        else:
            norm = staffing_norm(data, kind=row["kind"], terrain=row["terrain"] or "other",
                                 context=row["context"], population=as_float(row["population"]),
                                 area_km2=as_float(row["area_km2"]))
            result[code] = (float(norm.positions) if norm else 0.0, ESTIMATED_SOURCE)
    return result


def _planned_staff(transition: Transition) -> tuple[dict[str, float], dict[str, float]]:
    """New unit -> staff of all its bodies, and -> the staff among them transferred in (when any body says),
    for units whose new bodies have staff figures."""
    bodies = transition.new_bodies
    known = bodies[bodies["staff"].notna()]
    planned = set(known.loc[known["status"] == "create", "new_unit"])
    known = known[known["new_unit"].isin(planned)]
    totals = known.groupby("new_unit")["staff"].sum()
    moved = known[known["transferred_in"].notna()].groupby("new_unit")["transferred_in"].sum()
    return {str(k): float(v) for k, v in totals.items()}, {str(k): float(v) for k, v in moved.items()}


def as_float(value: Any) -> float:
    """``value`` as a float, NaN when it is not a number.

    Examples
    --------
    >>> as_float("12.5"), as_float(None)
    (12.5, nan)
    """
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan
