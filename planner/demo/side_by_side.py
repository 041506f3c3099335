"""The demo's side by side: the hand-drawn plan and the optimizer's, compared on the same terms.

A comparison a newcomer can trust holds everything but the plan fixed:

- **the same count**: the optimizer is asked for exactly as many new units as the hand-drawn
  plan has (:func:`same_count_settings`); a run at the scenario's own target may follow;
- **the same kind of agency data**: the demo's agency tables are generated for the hand-drawn
  plan (bodies staffed at the norm, seals registered in time, one of each planted fault), so
  the optimizer's plan gets a layer from the same generator (:func:`with_agencies_for`), not the
  other plan's registrations;
- **staffing from the same source**: with those tables both sides count the staff of the new
  units' bodies.

:func:`comparison_rows` gives the table ``planner demo`` prints, each figure with what it rests on.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx

from planner.demo.synthetic_agencies import demo_agency_tables, write_agency_tables
from planner.inputs.plan import Plan
from planner.inputs.scenario import Scenario
from planner.optimize import OptimizeSettings

#: The compared figures: summary key (``transition.*`` inside the transition block), label, what it rests on.
FIGURES = (
    ("units_after", "units after", "the optimizer is asked for the hand-drawn plan's count"),
    ("meets_standard", "meet the standard", "preset {preset}: population and area of the units table"),
    ("waived", "only by the waiver", "preset {preset}: its waiver rule"),
    ("below_standard", "below the standard", "preset {preset}"),
    ("unchanged", "unchanged (not arranged)", "preset {preset}: its rule for units left as they were"),
    ("noncontiguous", "not contiguous", "shared borders of the boundary file, and the links"),
    ("access_mean_km", "access, mean km", "population-weighted distance from each old unit to its seat"),
    ("access_max_km", "access, max km", "the farthest old unit from its seat"),
    ("transition.staff_headcount", "staff of the new bodies", "agency tables generated for each plan"),
    ("transition.staff_norm", "staffing norm", "preset {preset}: its staffing rule"),
    ("transition.staff_shortage", "staff shortage", "headcount against the norm, unit by unit"),
    ("gaps_total", "gaps found", "agency tables generated for each plan, same planted faults"),
)


def same_count_settings(settings: OptimizeSettings, plan: Plan) -> OptimizeSettings:
    """``settings`` with the target set to exactly the number of new units of ``plan``.

    Examples
    --------
    >>> plan = Plan(assignment={"a": "n1", "b": "n1", "c": "n2"})
    >>> same_count_settings(OptimizeSettings(time_limit_s=10), plan).count
    2
    """
    return replace(settings, target="count", count=len(set(plan.assignment.values())), reduction=None)


def with_agencies_for(scenario: Scenario, graph: nx.Graph, plan: Plan, folder: str | Path) -> Scenario:
    """The scenario with the demo's agency tables generated for ``plan``, written into ``folder``.

    The tables come from :func:`planner.demo.synthetic_agencies.demo_agency_tables`, the
    generator of the demo's own tables; the scenario's ``agencies:`` section is pointed at them
    (other settings of the section, such as the seal lead time, are kept).  A scenario without
    an ``agencies:`` section is returned as it is: both plans then get the preset's template.
    """
    if "agencies" not in scenario.document:
        return scenario
    tables = demo_agency_tables(scenario, plan=plan, graph=graph)
    paths = write_agency_tables(tables, Path(folder), relative_to=scenario.folder)
    section = {**(scenario.document.get("agencies") or {}), **paths}
    return replace(scenario, document={**scenario.document, "agencies": section})


def comparison_rows(sides: list[dict[str, Any]], preset: str) -> list[tuple[str, ...]]:
    """The rows of the side-by-side table: label, one value per side, and what the figure rests on."""
    rows = []
    for key, label, rests_on in FIGURES:
        values = [_figure(side, key) for side in sides]
        rows.append((label, *values, rests_on.format(preset=preset)))
    return rows


def _figure(summary: dict[str, Any], key: str) -> str:
    if key == "gaps_total":
        value: Any = sum((summary.get("gaps") or {}).values())
    elif key.startswith("transition."):
        value = (summary.get("transition") or {}).get(key.split(".", 1)[1])
    else:
        value = summary.get(key)
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.0f}" if key.startswith("transition.") else f"{value:.2f}"
    return str(value)
