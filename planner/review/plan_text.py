"""A canonical text rendering of one plan file, for git's ``textconv`` (``planner diff --textconv``).

git compares the renderings of the two versions line by line, so the rendering is laid out
for a line diff to read as a semantic one: one header line per new unit (id, name, kind,
seat, number of members), then one line per member, new units sorted by id and members by
code::

    # planner plan: 2 new units, 3 old units
    unit N1 | Xã Một | commune | seat 0001 Xã A | 2 members
        0001 Xã A
        0002 Xã B
    unit N2 | Xã Hai | commune | seat 0003 Xã C | 1 member
        0003 Xã C

A moved old unit shows as one member line removed under one unit and added under another,
and both header lines change their member counts.  ``git setup`` configures
``xfuncname`` so that each hunk names the new unit it is in.

A file is *plan-shaped* (:func:`plan_columns`) when its header has the plan columns
(``unit``, ``new_unit``) or an official mapping's old and new code columns (``old_code``,
``new_code``, with ``new_name`` and ``new_type``); ``planner git-setup`` looks for such files.
"""

from __future__ import annotations

from pathlib import Path

from planner.inputs.plan import PLAN_COLUMNS, Plan, read_plan
from planner.inputs.problems import InputError, ProblemList
from planner.inputs.scenario import DEFAULT_KIND_VALUES
from planner.review.sides import unit_names_of_file

#: git's hunk-header pattern for the rendering: the header line of a new unit.
HUNK_HEADER = "^unit .*$"
#: The old and new code columns of an official mapping (``old_code``, ``new_code``) tried after the
#: plan columns, with the plan field each other column of the mapping gives.
MAPPING_CODES = ("code", "id")
MAPPING_FIELDS = {"new_name": "new_name", "new_kind": "new_kind", "new_type": "new_kind", "seat": "seat"}


def plan_columns(header: list[str]) -> dict[str, str] | None:
    """The plan field -> column mapping that reads a file with this header, None when it is not plan-shaped.

    Examples
    --------
    >>> plan_columns(["unit", "unit_name", "new_unit", "seat"])
    {'unit': 'unit', 'new_unit': 'new_unit', 'seat': 'seat'}
    >>> plan_columns(["old_code", "new_code", "new_name", "new_type", "selected"])
    {'unit': 'old_code', 'new_unit': 'new_code', 'new_name': 'new_name', 'new_kind': 'new_type'}
    >>> plan_columns(["code", "name", "population"]) is None
    True
    """
    columns = set(header)
    if {"unit", "new_unit"} <= columns:
        return {key: key for key in PLAN_COLUMNS if key in columns}
    for code in MAPPING_CODES:
        if {f"old_{code}", f"new_{code}"} <= columns:
            mapping = {"unit": f"old_{code}", "new_unit": f"new_{code}"}
            for column, key in MAPPING_FIELDS.items():
                if column in columns and key not in mapping:
                    mapping[key] = column
            return mapping
    return None


def render_plan(plan: Plan, unit_names: dict[str, str]) -> str:
    """The canonical text of a plan (see the module documentation)."""
    groups = plan.groups()
    lines = [f"# planner plan: {len(groups)} new units, {len(plan.assignment)} old units"]
    for new, members in groups.items():
        seat = plan.seats.get(new, "")
        seat_text = f"seat {seat} {unit_names.get(seat, '')}".rstrip() if seat else "seat ?"
        count = f"{len(members)} member{'' if len(members) == 1 else 's'}"
        fields = [f"unit {new}", plan.names.get(new, "") or "?", plan.kinds.get(new, "") or "?", seat_text, count]
        lines.append(" | ".join(fields))
        lines += [f"    {code} {unit_names.get(code, '')}".rstrip() for code in members]
    for split in plan.splits:
        lines.append(f"# split: {split.unit} kept in {split.primary}, also in {', '.join(split.others)}")
    return "\n".join(lines) + "\n"


def textconv(path: Path) -> str:
    """The rendering of a plan file; a file that is not a readable plan is returned as it is.

    git calls the textconv command on every version it shows, including broken ones (a
    file mid-merge, a CSV without the plan columns): those are shown verbatim so that
    ``git diff`` never fails because of planner.
    """
    problems = ProblemList()
    columns = plan_columns(csv_header(path))
    try:
        plan = read_plan(path, str(path), problems, columns=columns, kind_values=DEFAULT_KIND_VALUES) \
            if columns else None
    except InputError:
        plan = None
    if plan is None or problems.errors:
        return path.read_bytes().decode("utf-8", "replace")
    return render_plan(plan, unit_names_of_file(path, columns["unit"]))


def csv_header(path: Path) -> list[str]:
    """The column names of a CSV file's first line (empty when it cannot be read as UTF-8 CSV)."""
    import csv

    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return next(csv.reader(stream), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
