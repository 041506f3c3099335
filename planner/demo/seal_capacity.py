"""The demo's seal registration capacity: each province's seals a working day, written as ``seal_capacity.csv``.

The capacity is worked out from the seals the schedule will register (those the agency tables give no
date: the bodies that carry on and must re-make their seal) and the registration days between the
preset's order date and go-live: enough for all of them, or, with the planted fault, one seal a day
short of that (but never short of the critical seals), so that the last, least urgent seals come after
go-live.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from planner.inputs.scenario import Scenario
from planner.transition.agencies import BASE_LEVEL
from planner.transition.seal_schedule import seal_priorities
from planner.transition.workdays import working_days_after, working_days_before, working_days_between

COLUMNS = ["province", "per_day", "offices", "days_per_seal", "order_date"]


def seal_capacity_table(scenario: Scenario, template: dict[str, Any], agencies: pd.DataFrame,
                        kept: set[str], *, short: bool) -> pd.DataFrame:
    """One row per province: ``per_day`` seals a working day (the order date left to the preset).

    Parameters
    ----------
    scenario : Scenario
        Its go-live date, its preset's seal settings and the provinces of its units.
    template : dict
        The agency template: what each kind's seal names, and the priorities.
    agencies : pandas.DataFrame
        The generated bodies (``needs_seal``, ``seal_registered``, ``level``, ``unit``, ``period``, ``kind``).
    kept : set of str
        The old units left alone with their kind and name, whose bodies carry on
        (:func:`~planner.transition.agencies.kept_units`).
    short : bool
        One seal a day short of what the re-made seals need (the planted fault).
    """
    if "province" not in scenario.units.columns or scenario.effective_date is None:
        return pd.DataFrame(columns=COLUMNS)
    days = _registration_days(scenario)
    classes, by_kind, default = seal_priorities(template)
    remade = {str(e["kind"]) for e in (template.get("before") or {}).get(BASE_LEVEL) or [] if e.get("seal_names")}
    bodies = agencies[agencies["needs_seal"].astype(bool) & agencies["seal_registered"].isna()
                      & (agencies["level"] == BASE_LEVEL) & agencies["kind"].isin(remade)
                      & ((agencies["period"] == "both") | ((agencies["period"] == "before")
                                                           & agencies["unit"].isin(kept)))]
    province = scenario.units["province"].astype(str)
    critical = bodies["kind"].map(lambda k: bool(classes.get(by_kind.get(k, default), {}).get("critical", False)))
    rows = []
    for code in sorted(set(province)):
        inside = bodies["unit"].map(province) == code
        rows.append({"province": code, "per_day": _per_day(int(inside.sum()), int((inside & critical).sum()), days,
                                                           short), "offices": "", "days_per_seal": "",
                     "order_date": ""})
    return pd.DataFrame(rows, columns=COLUMNS)


def _registration_days(scenario: Scenario) -> int:
    """The working days from the first registration day (the preset's order date plus the lead time) to go-live."""
    seals = scenario.preset.data.get("seals") or {}
    go_live = scenario.effective_date
    assert go_live is not None
    order = working_days_before(go_live, int(seals.get("order_working_days_before", 0)))
    ready = working_days_after(order, int(seals.get("lead_time_days", 0)))
    return working_days_between(ready - dt.timedelta(days=1), go_live)


def _per_day(seals: int, critical: int, days: int, short: bool) -> int:
    """Seals a working day: enough for ``seals`` in ``days``, or one a day short (never short of ``critical``).

    Examples
    --------
    >>> _per_day(32, 0, 9, False), _per_day(32, 0, 9, True), _per_day(32, 30, 9, True)
    (4, 3, 4)
    """
    if days <= 0:
        return max(1, seals)
    enough = max(1, math.ceil(seals / days))
    if not short:
        return enough
    return max(1, math.ceil(critical / days), math.floor((seals - 1) / days))
