"""Headcount of the new units against the staffing norm: the staffing table of the gap report.

:func:`staffing_table` gives one row per new unit (:data:`STAFF_COLUMNS`): its planned
headcount (the staff of its new bodies, or the sum of its constituents'), the cap (the sum
of the constituents' staff, R76 Art. 11), the norm of the preset's ``staffing`` data
(:func:`planner.rules.staffing.staffing_norm`) and the surplus or shortage against it.
The gap checks (:mod:`~planner.transition.gaps`) turn these figures into gaps.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from planner.inputs.scenario import Scenario
from planner.rules.staffing import staffing_norm
from planner.transition.agency_tables import BASE_LEVEL
from planner.transition.transition import Transition

STAFF_COLUMNS = ["new_unit", "name", "kind", "population", "area_km2", "headcount", "headcount_source", "cap",
                 "norm", "surplus", "shortage", "norm_detail"]


def staffing_table(scenario: Scenario, units: pd.DataFrame, transition: Transition,
                   data: dict[str, Any]) -> pd.DataFrame:
    """The headcount, cap and norm of each new unit.

    Parameters
    ----------
    scenario : Scenario
        Gives the old units and their staff (``staff`` column, when known).
    units : pandas.DataFrame
        The evaluated new units, indexed by new unit (``name``, ``kind``, ``terrain``,
        ``context``, ``population``, ``area_km2``, ``constituents``).
    transition : Transition
        Gives the staff of the old bodies and of the new units' bodies.
    data : dict
        The preset's ``staffing`` data ({} when it has none: the table is empty).

    Returns
    -------
    pandas.DataFrame
        One row per new unit with a norm (:data:`STAFF_COLUMNS`).
    """
    rows: list[dict[str, Any]] = []
    if not data:
        return pd.DataFrame(rows, columns=STAFF_COLUMNS)
    constituent = _constituent_staff(scenario, transition, data)
    planned = _planned_staff(transition)
    for unit, row in units.iterrows():
        norm = staffing_norm(data, kind=row["kind"], terrain=row["terrain"], context=row["context"],
                             population=as_float(row["population"]), area_km2=as_float(row["area_km2"]))
        members = str(row["constituents"]).split(";")
        cap = float(sum(constituent[m][0] for m in members))
        sources = sorted({constituent[m][1] for m in members})
        headcount, source = (planned[unit], "bodies of the new unit") if unit in planned else (
            cap, "sum of constituents (" + ", ".join(sources) + ")")
        if norm is None:
            continue
        surplus, shortage = max(0.0, headcount - norm.positions), max(0.0, norm.positions - headcount)
        rows.append({"new_unit": unit, "name": row["name"], "kind": row["kind"], "population": row["population"],
                     "area_km2": row["area_km2"], "headcount": headcount, "headcount_source": source, "cap": cap,
                     "norm": norm.positions, "surplus": surplus, "shortage": shortage,
                     "norm_detail": norm.describe()})
    return pd.DataFrame(rows, columns=STAFF_COLUMNS)


def _constituent_staff(scenario: Scenario, transition: Transition,
                       data: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """Old unit -> (headcount, where it comes from): units table, old bodies' staff, or its own norm."""
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
            result[code] = (float(norm.positions) if norm else 0.0, "norm of the old unit, estimated")
    return result


def _planned_staff(transition: Transition) -> dict[str, float]:
    """New unit -> staff of all its bodies, for units whose new bodies have staff figures."""
    bodies = transition.new_bodies
    known = bodies[bodies["staff"].notna()]
    planned = set(known.loc[known["status"] == "create", "new_unit"])
    totals = known[known["new_unit"].isin(planned)].groupby("new_unit")["staff"].sum()
    return {str(k): float(v) for k, v in totals.items()}


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
