"""Readiness of each new unit on the go-live day: ready, at risk or not ready, with the reasons.

A unit takes the status its most severe gap maps to (``readiness.by_severity`` of
``planner/templates/cards.yaml``: a critical gap stops a service on day one, so the unit is not ready;
a high one puts it at risk; medium and low gaps are open items of a ready unit); a unit without gaps
is ready.  The reasons name the gap types behind the status, with their counts.  The status is
written to ``units.csv`` (columns :data:`COLUMNS`), the workbook's ``units`` and ``cards`` sheets,
the cards and the report.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from typing import Any

import pandas as pd

from planner.evaluation.evaluate import Evaluation

#: The columns readiness adds to the units table.
COLUMNS = ["readiness", "readiness_reasons"]
READY = "ready"


def unit_status(severities: list[str], words: dict[str, Any]) -> str:
    """The readiness status of a unit with gaps of these severities.

    Examples
    --------
    >>> rules = {"readiness": {"by_severity": {"none": "ready", "low": "ready", "high": "at_risk",
    ...                                        "critical": "not_ready"}, "order": ["not_ready", "at_risk", "ready"]}}
    >>> unit_status(["low", "high"], rules), unit_status([], rules)
    ('at_risk', 'ready')
    """
    rules = words["readiness"]
    found = {str(rules["by_severity"].get(s, READY)) for s in severities} or {str(rules["by_severity"]["none"])}
    return next(status for status in rules["order"] if status in found)


def unit_reasons(gaps: list[dict[str, str]], status: str, words: dict[str, Any]) -> str:
    """The reasons for a status: the gap types (with counts and severity) that set it, or the open items.

    ``gaps`` are the unit's gaps (``type`` and ``severity`` each), most severe first.
    """
    rules = words["readiness"]
    deciding = [g for g in gaps if str(rules["by_severity"].get(g["severity"], READY)) == status]
    if status == READY:
        if not gaps:
            return ""
        deciding = gaps
    counts = Counter((g["severity"], g["type"]) for g in deciding)
    seen = list(dict.fromkeys((g["severity"], g["type"]) for g in deciding))
    text = "; ".join(f"{words['gap_types'].get(t, t)} ({counts[(s, t)]}, {words['severities'].get(s, s)})"
                     for s, t in seen)
    return f"{rules['open_items']}: {text}" if status == READY else text


def readiness_table(evaluation: Evaluation, gaps: pd.DataFrame, words: dict[str, Any]) -> pd.DataFrame:
    """One row per new unit: ``new_unit`` and :data:`COLUMNS` (a gap of an old unit counts for its new unit)."""
    by_unit = gaps_of_new_units(gaps, evaluation)
    rows = []
    for unit in sorted(evaluation.units["new_unit"].astype(str)):
        unit_gaps = by_unit.get(unit, [])
        status = unit_status([g["severity"] for g in unit_gaps], words)
        rows.append({"new_unit": unit, "readiness": status,
                     "readiness_reasons": unit_reasons(unit_gaps, status, words)})
    return pd.DataFrame(rows, columns=["new_unit", *COLUMNS])


def gaps_of_new_units(gaps: pd.DataFrame, evaluation: Evaluation) -> dict[str, list[dict[str, str]]]:
    """The gaps of each new unit, in the order of ``gaps`` (a gap of an old unit belongs to its new unit)."""
    assignment = evaluation.plan.assignment
    new_units = set(assignment.values())
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in gaps.to_dict("records"):
        unit = str(row["unit"])
        owner = unit if unit in new_units else assignment.get(unit)
        if owner is not None:
            found[owner].append(row)
    return dict(found)


def with_readiness(evaluation: Evaluation, gaps: pd.DataFrame, words: dict[str, Any]) -> Evaluation:
    """The evaluation with :data:`COLUMNS` added to its units table (the units' order kept)."""
    table = readiness_table(evaluation, gaps, words).set_index("new_unit")
    units = evaluation.units.drop(columns=[c for c in COLUMNS if c in evaluation.units.columns])
    units = units.join(table, on="new_unit")
    return dataclasses.replace(evaluation, units=units)


def readiness_counts(table: pd.DataFrame, words: dict[str, Any]) -> dict[str, int]:
    """The number of new units of each status, in the report's order."""
    counts = table["readiness"].value_counts()
    return {status: int(counts.get(status, 0)) for status in words["readiness"]["order"]}
