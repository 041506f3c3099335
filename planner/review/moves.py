"""The moves of a least-change repair: which old units left their new unit, where they went and why.

A unit has moved when its new unit in the repaired plan is not the one its new unit in the
plan to repair is matched with (:func:`~planner.review.compare.match_units`, as ``planner
diff`` matches them).  The reason is told by the two new units' verdicts: a unit leaves a new
unit below the standard, or joins one that needed it to meet the standard.
"""

from __future__ import annotations

import pandas as pd

from planner.evaluation.evaluate import Evaluation
from planner.review.compare import match_units

MOVE_COLUMNS = ["unit", "unit_name", "from_unit", "from_name", "from_status", "to_unit", "to_name", "to_status",
                "reason"]

#: How a verdict reads in a reason.
STATUS_WORDS = {"meets": "meets the standard", "waived": "is waived", "below": "is below the standard",
                "unchanged": "is an old unit left as it was"}


def plan_moves(start: Evaluation, repaired: Evaluation) -> pd.DataFrame:
    """One row per moved old unit (columns :data:`MOVE_COLUMNS`), sorted by unit code.

    ``from_status`` is the verdict of the unit's new unit in the plan to repair, ``to_status``
    that of its new unit in the repaired plan.
    """
    before, after = start.plan.groups(), repaired.plan.groups()
    matched = match_units(before, after)
    status_before = dict(zip(start.units["new_unit"], start.units["status"]))
    status_after = dict(zip(repaired.units["new_unit"], repaired.units["status"]))
    names_before = dict(zip(start.units["new_unit"], start.units["name"]))
    names_after = dict(zip(repaired.units["new_unit"], repaired.units["name"]))
    unit_names = dict(zip(repaired.members["unit"], repaired.members["name"]))
    rows = []
    for unit in sorted(start.plan.assignment):
        old, new = start.plan.assignment[unit], repaired.plan.assignment.get(unit)
        if new is None or matched.get(old) == new:
            continue
        rows.append({"unit": unit, "unit_name": unit_names.get(unit, ""), "from_unit": old,
                     "from_name": names_before.get(old, ""), "from_status": status_before.get(old, ""),
                     "to_unit": new, "to_name": names_after.get(new, ""), "to_status": status_after.get(new, ""),
                     "reason": _reason(status_before.get(old, ""), status_after.get(new, ""))})
    return pd.DataFrame(rows, columns=MOVE_COLUMNS)


def _reason(before: str, after: str) -> str:
    if before != "meets":
        return f"its new unit {STATUS_WORDS.get(before, before)}; it joins one that {STATUS_WORDS.get(after, after)}"
    return f"its new unit met the standard; the one it joins {STATUS_WORDS.get(after, after)} with it"


def render_moves_section(moves: pd.DataFrame, max_moves: int | None) -> str:
    """The report's section on the repair: how many units moved (against the limit) and each move."""
    limit = f" (at most {max_moves} allowed)" if max_moves is not None else ""
    lines = ["## Least-change repair", "", f"{len(moves)} old unit(s) moved{limit}.", ""]
    if len(moves):
        lines += ["| unit | from | to | why |", "|---|---|---|---|"]
        for row in moves.itertuples():
            lines.append(f"| {row.unit} {row.unit_name} | {row.from_unit} {row.from_name} | "
                         f"{row.to_unit} {row.to_name} | {row.reason} |")
        lines.append("")
    return "\n".join(lines)
