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
"""

from __future__ import annotations

from pathlib import Path

from planner.inputs.plan import Plan, read_plan
from planner.inputs.problems import InputError, ProblemList
from planner.inputs.scenario import DEFAULT_KIND_VALUES
from planner.review.sides import unit_names_of_file

#: git's hunk-header pattern for the rendering: the header line of a new unit.
HUNK_HEADER = "^unit .*$"


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
    try:
        plan = read_plan(path, str(path), problems, kind_values=DEFAULT_KIND_VALUES)
    except InputError:
        plan = None
    if plan is None or problems.errors:
        return path.read_bytes().decode("utf-8", "replace")
    return render_plan(plan, unit_names_of_file(path))
