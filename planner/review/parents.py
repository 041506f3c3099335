"""The parent level of a comparison: per parent unit (a new province of a commune plan), its new units on each
side, its population and what changed in it.

The parent level is the scenario's merge level (``merge_within``: the scenario's, such as the new provinces a
commune plan respects, else the preset's); each side reads its old units' parents from its own scenario, so a
commune plan under one province plan compares with one under another.  A side without a scenario takes the other
side's.  A new unit counts in the parent of its seat; a change (a new unit created, dissolved or changed) counts in
every parent its members lie in on either side, and a moved old unit in its parents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.inputs.plan import Plan
from planner.inputs.scenario import Scenario

if TYPE_CHECKING:
    from planner.review.compare import Move, UnitChange


@dataclass(frozen=True)
class ParentRow:
    """One parent unit: new units and population on each side, changed new units and moved old units in it."""

    code: str
    name: str
    units_a: int
    units_b: int
    population_a: float
    population_b: float
    changes: int
    moved: int

    @property
    def differs(self) -> bool:
        return bool(self.changes or self.moved or self.units_a != self.units_b
                    or round(self.population_a) != round(self.population_b))


@dataclass(frozen=True)
class Parents:
    """Where each old unit lies on one side: the level, old unit -> parent code, parent names, populations."""

    level: str
    parent_of: dict[str, str]
    names: dict[str, str]
    population: dict[str, float]


def parents_of(scenario: Scenario | None) -> Parents | None:
    """The parents of a scenario's merge level (None without a scenario or a merge level)."""
    if scenario is None or scenario.merge_level is None:
        return None
    level = scenario.merge_level
    population = scenario.units["population"].fillna(0.0)
    return Parents(level, {str(c): str(p) for c, p in scenario.units[level].items()},
                   {str(c): str(n) for c, n in scenario.parent_names.get(level, {}).items()},
                   {str(c): float(p) for c, p in population.items()})


def parent_rows(a: tuple[Plan, Parents], b: tuple[Plan, Parents], units: list[UnitChange],
                moves: list[Move]) -> list[ParentRow]:
    """One row per parent unit of either side, sorted by code.

    Parameters
    ----------
    a, b : tuple
        Each side's plan and parents.
    units, moves : list
        The comparison's changed new units and moved old units.

    Returns
    -------
    list of ParentRow
    """
    counts: dict[str, dict[str, Any]] = {}

    def row(code: str) -> dict[str, Any]:
        return counts.setdefault(code, {"units_a": 0, "units_b": 0, "population_a": 0.0, "population_b": 0.0,
                                        "changes": 0, "moved": 0})

    for side, (plan, parents) in (("a", a), ("b", b)):
        for new, members in plan.groups().items():
            seat = plan.seats.get(new) or members[0]
            row(parents.parent_of.get(seat, ""))[f"units_{side}"] += 1
        for unit in plan.assignment:
            row(parents.parent_of.get(unit, ""))[f"population_{side}"] += parents.population.get(unit, 0.0)
    for change in units:
        touched = {a[1].parent_of.get(u, "") for u in change.members_a} | \
            {b[1].parent_of.get(u, "") for u in change.members_b}
        for code in touched:
            row(code)["changes"] += 1
    for move in moves:
        for code in {a[1].parent_of.get(move.unit, ""), b[1].parent_of.get(move.unit, "")}:
            row(code)["moved"] += 1
    names = {**a[1].names, **b[1].names}
    return [ParentRow(code, names.get(code, ""), **values) for code, values in sorted(counts.items())]
