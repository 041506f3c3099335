"""Evaluation of a plan: each new unit against its standard, contiguity, access, shape.

:func:`evaluate_plan` works on any plan, generated or official, and returns an
:class:`Evaluation` with one row per new unit, one row per old unit (its distance to the
new seat) and the headline figures that ``summary.json`` holds.

Rules used here and documented in ``docs/evaluation.md``:

- seat: the plan's seat when it names a member; else the most populous member (ties: the
  smallest code);
- kind, terrain and context: :mod:`planner.rules.standards` (the optimizer uses the same rules);
  a kind the plan declares is kept and compared with the rule's kind;
- unchanged: a new unit that is one whole old unit of the same kind (no split takes part of
  it elsewhere or brings part of another in) is ``unchanged`` when the preset exempts units
  left as they were; ``status_if_judged`` gives what the standards would say of it;
- distance: straight line between unit points (polygon centroid, or a point inside the
  polygon when the centroid falls outside), in the graph's equal-area projection;
- access: population-weighted mean and maximum distance from old units to their seat; for units
  dissolved from a finer table, from each of their parts (:mod:`planner.evaluation.parts`);
- compactness: Polsby-Popper, 4 pi A / P^2, of the merged shape (outlines closed over the
  scenario's boundary tolerance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import shapely

from planner.evaluation.findings import FINDING_COLUMNS, finding_counts, plan_findings
from planner.evaluation.names import plan_names
from planner.evaluation.parts import part_distances, unit_access
from planner.inputs.numbers import number_or_zero as _number
from planner.inputs.plan import Plan
from planner.inputs.scenario import Scenario
from planner.rules.reductions import factor_values, reduction_shares
from planner.rules.standards import (
    BELOW,
    MEETS,
    UNCHANGED,
    WAIVED,
    is_unarranged,
    judge,
    merged_context,
    merged_kind,
    merged_terrain,
)

#: The headline figures of ``summary.json``, with the words people read them by.
HEADLINE_FIGURES = (
    ("units_before", "units before"),
    ("units_after", "units after"),
    ("meets_standard", "meet the standard"),
    ("waived", "only by the waiver"),
    ("below_standard", "below the standard"),
    ("unchanged", "unchanged (not arranged)"),
    ("terrain_estimated", "old units with estimated terrain"),
    ("noncontiguous", "not contiguous"),
    ("access_mean_km", "access, mean km"),
    ("access_max_km", "access, max km"),
    ("findings_total", "findings (checks against the scenario)"),
)

#: Columns of the units table saying where a unit's figures come from (a column fallback list, the
#: terrain's source): kept in members.csv per old unit and in units.csv per new unit (the sources used).
SOURCE_COLUMNS = ("population_source", "area_km2_source", "terrain_source")

UNIT_COLUMNS = [
    "new_unit", "name", "name_source", "kind", "kind_by_rule", "terrain", "context", "n_constituents",
    "population", "area_km2", "seat", "seat_name", "status", "status_if_judged", "rule", "failing",
    "population_short", "area_short_km2", "contiguous", "n_parts", "access_mean_km",
    "access_max_km", "polsby_popper", "missing_data", "constituents",
]


@dataclass
class Evaluation:
    """The evaluation of one plan.

    Attributes
    ----------
    units : pandas.DataFrame
        One row per new unit (columns :data:`UNIT_COLUMNS`), sorted by ``new_unit``.
    members : pandas.DataFrame
        One row per old unit: ``unit``, ``name``, ``new_unit``, ``seat``, ``population``,
        ``distance_km``.
    summary : dict
        Headline figures (see :func:`summarize`).
    plan : Plan
        The plan with every new unit's seat, name and kind filled in.
    findings : pandas.DataFrame
        Where the plan departs from the scenario (:mod:`planner.evaluation.findings`).
    parts : pandas.DataFrame or None
        For units dissolved from a finer table: one row per part with its distance to the seat
        (:mod:`planner.evaluation.parts`); the access figures are read over these rows, and a
        member's ``distance_km`` is the population-weighted mean of its parts'.  None otherwise.
    """

    units: pd.DataFrame
    members: pd.DataFrame
    summary: dict[str, Any]
    plan: Plan
    shapes: dict[str, Any] = field(default_factory=dict, repr=False)
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FINDING_COLUMNS))
    parts: pd.DataFrame | None = None


def choose_seat(graph: nx.Graph, members: list[str], declared: str | None = None) -> str:
    """The seat of a new unit: the declared one if it is a member, else the most populous.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("01", population=5000.0); g.add_node("02", population=9000.0)
    >>> choose_seat(g, ["01", "02"])
    '02'
    """
    if declared and declared in members:
        return declared
    return min(members, key=lambda c: (-_number(graph.nodes[c].get("population")), c))


def evaluate_plan(scenario: Scenario, graph: nx.Graph, plan: Plan) -> Evaluation:
    """Evaluate ``plan`` on the scenario's graph.

    Parameters
    ----------
    scenario : Scenario
        The scenario (for the preset and the boundary tolerance).
    graph : networkx.Graph
        The unit graph from :func:`planner.graph.build_graph`.
    plan : Plan
        Any plan covering the scenario's units.

    Returns
    -------
    Evaluation
    """
    preset = scenario.preset
    groups = plan.groups()
    seats = {new: choose_seat(graph, members, plan.seats.get(new)) for new, members in groups.items()}
    part_rows = part_distances(scenario.parts, graph, plan.assignment, seats) if scenario.parts is not None else None
    part_access = unit_access(part_rows) if part_rows is not None else {}
    parts_of = dict(iter(part_rows.groupby("new_unit", sort=True))) if part_rows is not None else {}
    population_of = {c: _number(graph.nodes[c].get("population")) for c in plan.assignment}
    rule_kinds = {new: merged_kind(preset, [graph.nodes[c]["kind"] for c in members],
                                   [population_of[c] for c in members]) for new, members in groups.items()}
    kinds = {new: plan.kinds[new] if plan.kinds.get(new) in preset.output_kinds else rule_kinds[new]
             for new in groups}
    names, unused_fixes = plan_names(scenario, graph, groups, seats, kinds, plan.names, population_of)
    filled = Plan(dict(plan.assignment), {new: names[new][0] for new in groups}, kinds, seats,
                  list(plan.splits), plan.label)
    rows, member_rows, shapes = [], [], {}
    split_units = {s.unit for s in plan.splits}
    receivers = {o for s in plan.splits for o in s.others}
    for new, members in groups.items():
        nodes = [graph.nodes[c] for c in members]
        seat, kind, kind_by_rule, (name, name_source) = seats[new], kinds[new], rule_kinds[new], names[new]
        populations = [population_of[c] for c in members]
        areas = [_number(n.get("area_km2")) for n in nodes]
        terrain = merged_terrain(preset, [n["terrain"] for n in nodes], areas)
        context = merged_context(preset, [n["context"] for n in nodes], populations)
        population, area = float(sum(populations)), float(sum(areas))
        whole = new not in receivers and not split_units.intersection(members)
        reductions = reduction_shares(preset, kind, terrain, factor_values(preset, nodes), populations)
        verdict = judge(preset, kind=kind, terrain=terrain, context=context, population=population,
                        area_km2=area, n_constituents=len(members),
                        unarranged=is_unarranged([n["kind"] for n in nodes], kind, whole), reductions=reductions)
        short = {s.attribute: s.short for s in verdict.failing}
        distances = [part_access.get(c, (np.nan,))[0] if part_rows is not None else _distance_km(graph, c, seat)
                     for c in members]
        reach = _reach(parts_of.get(new)) if part_rows is not None else (distances, populations)
        member_rows += [
            {"unit": c, "name": n["name"], "new_unit": new, "seat": seat,
             "population": p, "distance_km": d, **{k: n[k] for k in SOURCE_COLUMNS if k in n}}
            for c, n, p, d in zip(members, nodes, populations, distances)
        ]
        parts = nx.number_connected_components(graph.subgraph(members))
        shape = _merged_shape([n["geometry"] for n in nodes], scenario.tolerance_m)
        shapes[new] = shape
        rows.append({
            "new_unit": new, "name": name, "name_source": name_source, "kind": kind, "kind_by_rule": kind_by_rule,
            "terrain": terrain, "context": context, "n_constituents": len(members),
            "population": population, "area_km2": area, "seat": seat,
            "seat_name": graph.nodes[seat]["name"], "status": verdict.status,
            "status_if_judged": verdict.as_judged,
            "rule": verdict.rule_id or "", "failing": verdict.describe(),
            **({"reduction": ";".join(verdict.reductions)} if preset.reductions else {}),
            "population_short": short.get("population", 0.0),
            "area_short_km2": short.get("area_km2", 0.0),
            "contiguous": parts == 1, "n_parts": parts,
            "access_mean_km": _weighted_mean(*reach),
            "access_max_km": _max(reach[0]),
            "polsby_popper": _polsby_popper(shape),
            "missing_data": ";".join(c for c, n in zip(members, nodes) if _lacks_data(n)),
            "constituents": ";".join(members),
            **{k: ";".join(sorted({str(n[k]) for n in nodes})) for k in SOURCE_COLUMNS if k in nodes[0]},
        })
    sources = [k for k in SOURCE_COLUMNS if k in scenario.units.columns]
    units = pd.DataFrame(rows, columns=UNIT_COLUMNS + (["reduction"] if preset.reductions else []) + sources)
    units = with_merge_parents(scenario, units, groups)
    members_frame = pd.DataFrame(member_rows, columns=["unit", "name", "new_unit", "seat",
                                                       "population", "distance_km", *sources])
    members_frame = members_frame.sort_values("unit", ignore_index=True)
    summary = summarize(scenario, graph, plan, units, members_frame if part_rows is None else part_rows)
    findings = plan_findings(scenario, filled, units, members_frame, unused_fixes)
    summary.update(findings=finding_counts(findings), findings_total=len(findings))
    return Evaluation(units, members_frame, summary, filled, shapes, findings, part_rows)


def with_merge_parents(scenario: Scenario, units: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """The units with the parent of the scenario's own ``merge_within`` level (a new province a commune plan
    respects): columns ``<level>`` and ``<level>_name``, the parents of a unit's members joined by ``;``
    (unchanged without a scenario ``merge_within``).
    """
    if scenario.merge_within is None or scenario.merge_level is None:
        return units
    level = scenario.merge_level
    parent_of = scenario.units[level].astype(str)
    names = scenario.parent_names.get(level, {})
    codes = [sorted({parent_of[c] for c in groups[new]}) for new in units["new_unit"]]
    return units.assign(**{level: [";".join(c) for c in codes],
                           f"{level}_name": [";".join(str(names.get(p, p)) for p in c) for c in codes]})


def summarize(scenario: Scenario, graph: nx.Graph, plan: Plan, units: pd.DataFrame,
              members: pd.DataFrame) -> dict[str, Any]:
    """The headline figures of an evaluation, as ``summary.json`` holds them.

    Keys scripts rely on: ``units_before``, ``units_after``, ``meets_standard``,
    ``waived``, ``below_standard``, ``unchanged`` (new units not arranged, when the preset
    exempts them: never counted as below), ``noncontiguous``, ``access_mean_km``
    (population-weighted) and ``access_max_km``.  ``members`` holds the places access is measured
    from (``distance_km``, ``population``): the old units, or the parts of dissolved units.
    """
    known = members.dropna(subset=["distance_km"])
    threshold = scenario.access_max_km
    beyond = known[known["distance_km"] > threshold] if threshold else known.iloc[0:0]
    status = units["status"].value_counts()
    return {
        "scenario": scenario.name,
        "preset": scenario.preset.id,
        "effective_date": scenario.effective_date.isoformat() if scenario.effective_date else None,
        "plan": plan.label,
        "units_before": int(len(scenario.units)),
        "units_after": int(len(units)),
        "meets_standard": int(status.get(MEETS, 0)),
        "waived": int(status.get(WAIVED, 0)),
        "below_standard": int(status.get(BELOW, 0)),
        "unchanged": int(status.get(UNCHANGED, 0)),
        "noncontiguous": int((~units["contiguous"].astype(bool)).sum()),
        "access_mean_km": round(_weighted_mean(list(known["distance_km"]),
                                               list(known["population"])), 3),
        "access_max_km": round(_max(list(known["distance_km"])), 3),
        "access_threshold_km": threshold,
        "population_beyond_threshold": int(round(beyond["population"].fillna(0).sum())),
        "units_beyond_threshold": int(len(beyond)),
        "population": int(round(units["population"].sum())),
        "by_kind": {str(k): int(v) for k, v in sorted(units["kind"].value_counts().items())},
        "kind_differs_from_rule": int((units["kind"] != units["kind_by_rule"]).sum()),
        "splits": len(plan.splits),
        "units_without_data": scenario.units_without_data(),
        "islands": graph.graph.get("islands", []),
        "polsby_popper_mean": round(float(units["polsby_popper"].dropna().mean()), 4)
        if units["polsby_popper"].notna().any() else None,
        **data_sources(scenario.units),
        **reduction_counts(scenario.preset, units),
    }


def reduction_counts(preset: Any, units: pd.DataFrame) -> dict[str, Any]:
    """``reductions_applied`` (reduction id -> new units whose minimums it lowered) and ``reductions_skipped``
    (``id (source)`` of the reductions the units table lacks the columns for), when the preset has any."""
    if not preset.reductions and not preset.skipped_reductions:
        return {}
    applied: dict[str, int] = {r.id: 0 for r in preset.reductions}
    for cell in units.get("reduction", pd.Series(dtype=str)):
        for rid in filter(None, str(cell).split(";")):
            applied[rid] = applied.get(rid, 0) + 1
    return {"reductions_applied": dict(sorted(applied.items())), "reductions_skipped": list(preset.skipped_reductions)}


def data_sources(units: pd.DataFrame) -> dict[str, Any]:
    """Where the old units' figures come from, when the units table says (:data:`SOURCE_COLUMNS`).

    ``population_sources`` (and ``area_km2_sources``): units by the column each figure was taken
    from; ``terrain_sources``: units by terrain source, and ``terrain_estimated``: units whose terrain
    source is one the scenario lists as an estimate (``units.estimated_terrain``).
    """
    found: dict[str, Any] = {}
    for column in SOURCE_COLUMNS:
        if column in units.columns:
            counts = units[column].astype(str).replace("", "none").value_counts()
            found[f"{column}s"] = {str(k): int(v) for k, v in sorted(counts.items())}
    if "terrain_estimated" in units.columns:
        found["terrain_estimated"] = int(units["terrain_estimated"].astype(bool).sum())
    return found


def _lacks_data(node: dict[str, Any]) -> bool:
    return (math.isnan(_nan(node.get("population"))) or math.isnan(_nan(node.get("area_km2")))
            or math.isnan(node.get("x", math.nan)))


def _nan(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _distance_km(graph: nx.Graph, a: str, b: str) -> float:
    na, nb = graph.nodes[a], graph.nodes[b]
    return float(math.hypot(na["x"] - nb["x"], na["y"] - nb["y"]) / 1000.0)


def _reach(parts: pd.DataFrame | None) -> tuple[list[float], list[float]]:
    """The distances and populations of a new unit's parts (none when it has no part)."""
    return ([], []) if parts is None else (list(parts["distance_km"]), list(parts["population"]))


def _weighted_mean(values: list[float], weights: list[float]) -> float:
    pairs = [(v, w) for v, w in zip(values, weights)
             if not math.isnan(v) and not math.isnan(_nan(w)) and w > 0]
    total = sum(w for _, w in pairs)
    if total <= 0:
        return 0.0
    return float(sum(v * w for v, w in pairs) / total)


def _max(values: list[float]) -> float:
    known = [v for v in values if not math.isnan(v)]
    return float(max(known)) if known else 0.0


def _merged_shape(polygons: list[Any], tolerance_m: float) -> Any:
    known = [p for p in polygons if p is not None]
    if not known:
        return None
    if len(known) == 1:
        return known[0]
    close = max(tolerance_m / 2.0, 1.0)
    grown = shapely.buffer(np.array(known, dtype=object), close, quad_segs=2)
    return shapely.union_all(grown).buffer(-close, quad_segs=2)


def _polsby_popper(shape: Any) -> float:
    if shape is None or shape.is_empty or shape.length <= 0:
        return math.nan
    return float(4.0 * math.pi * shape.area / shape.length**2)
