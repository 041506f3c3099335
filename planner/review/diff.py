"""Semantic comparison of two plans, output folders, scenarios or git revisions of a scenario.

A line diff of a plan CSV says which rows changed; :func:`compare` says what a reviewer
needs to know instead:

- new units created, dissolved or changed (members, seat, name, kind, id);
- old units that moved from one new unit to another;
- every changed setting of scenario.yaml (units, boundaries, preset and overrides, target,
  decisions, access, solver, links, baseline, agencies), key by key;
- the changed data the scenario names (units, boundaries, links, agency tables and the
  preset's rules in effect), row by row (:mod:`planner.review.scenario_data`);
- the change of every figure (units, standards, access, gaps by type and severity, staffing,
  transition; :mod:`planner.review.figures`).

This module is the public face of the comparison: :mod:`planner.review.sides` reads the two
sides (:func:`load_sides`), :mod:`planner.review.compare` compares them (:func:`compare`,
how new units are matched), :mod:`planner.review.diff_text` and
:mod:`planner.review.diff_map` show the result.  The format of the text and JSON output is
documented in ``docs/diff.md``.
"""

from __future__ import annotations

from planner.review.compare import (
    FIGURES,
    GAPS_KEY,
    Comparison,
    FigureChange,
    Move,
    RuleChange,
    UnitChange,
    canonical_text,
    compare,
    compare_figures,
    compare_plans,
    compare_rules,
    flatten_counts,
    match_units,
)
from planner.review.scenario_data import DataChange, DataTable, compare_data
from planner.review.sides import (
    PATH_KEYS,
    Side,
    load_revision_side,
    load_side,
    load_sides,
    rule_sections,
    unit_names_of_file,
)

__all__ = [
    "FIGURES", "GAPS_KEY", "PATH_KEYS",
    "Comparison", "DataChange", "DataTable", "FigureChange", "Move", "RuleChange", "Side", "UnitChange",
    "canonical_text", "compare", "compare_data", "compare_figures", "compare_plans", "compare_rules", "flatten_counts",
    "load_revision_side", "load_side", "load_sides", "match_units", "rule_sections", "unit_names_of_file",
]
