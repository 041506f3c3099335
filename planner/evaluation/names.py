"""The names of a plan's new units: the scenario's fixes, then the plan's names, then the preset's rule.

:func:`plan_names` gives each new unit its name and where it comes from (the ``name_source``
column of units.csv: ``scenario``, ``plan``, ``preset`` or ``preset, made unique``):

- a fix of ``decisions.names`` names the new unit holding its old unit; when several fixes
  fall in one new unit, the seat's fix wins, else the fix of the smallest code, and the others
  are returned as unused (the findings list them);
- else the name the plan gives;
- else the preset's naming rule (:mod:`planner.rules.naming`), unique within the parent unit.
"""

from __future__ import annotations

import networkx as nx

from planner.inputs.scenario import Scenario
from planner.rules.naming import FROM_PLAN, FROM_SCENARIO, NewUnit, name_units


def plan_names(scenario: Scenario, graph: nx.Graph, groups: dict[str, list[str]], seats: dict[str, str],
               kinds: dict[str, str], declared: dict[str, str],
               populations: dict[str, float]) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Name and source of every new unit, and the codes of name fixes not used.

    Parameters
    ----------
    scenario : Scenario
        Gives the preset's rule, the fixes (``decisions.names``) and the parent level.
    graph : networkx.Graph
        The unit graph (old names, populations, parents).
    groups, seats, kinds : dict
        New unit id -> its members, its seat, its kind.
    declared : dict
        New unit id -> the name the plan gives.
    populations : dict
        Old unit code -> its population (0 when unknown).

    Returns
    -------
    tuple
        New unit id -> (name, source), sorted by id; the unused fixes' codes, sorted.
    """
    given = {new: (name, FROM_PLAN) for new, name in declared.items() if new in groups and name}
    fixes, unused = _fixes_by_unit(scenario.decisions.names, groups, seats)
    given.update({new: (name, FROM_SCENARIO) for new, name in fixes.items()})
    level = scenario.merge_level
    units = {new: NewUnit(kind=kinds[new], seat=seats[new],
                          members=tuple(sorted(members, key=lambda c: (-populations[c], c))),
                          parent=str(graph.nodes[seats[new]].get(level, "")) if level else "",
                          seat_population=populations[seats[new]])
             for new, members in groups.items()}
    old_names = {code: str(graph.nodes[code].get("name", code)) for members in groups.values() for code in members}
    return name_units(scenario.preset.naming, units, old_names, given), unused


def _fixes_by_unit(fixes: dict[str, str], groups: dict[str, list[str]],
                   seats: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The fix each new unit takes (its seat's, else its smallest code's) and the codes left over."""
    owner = {code: new for new, members in groups.items() for code in members}
    chosen: dict[str, str] = {}
    for code in sorted(fixes, key=lambda c: (seats.get(owner.get(c, "")) != c, c)):
        new = owner.get(code)
        if new is not None and new not in chosen:
            chosen[new] = code
    unused = sorted(set(fixes) - set(chosen.values()))
    return {new: fixes[code] for new, code in chosen.items()}, unused

