"""What a map shows, prepared once for the interactive page and the printed image.

:func:`prepare_map` turns a scenario, its unit graph and an evaluated plan into
:class:`MapData`:

- old units' polygons, cleaned once into an exact coverage (:func:`planner.maps.layers.clean_coverage`)
  and simplified from it at each detail level (:data:`LEVEL_FACTORS` times the display
  tolerance, :func:`planner.maps.layers.zoom_levels`) so that neighbours keep sharing their
  edges at every level, no slivers nor gaps between them, then quantised to an integer grid in
  the graph's equal-area projection (the page draws integers; the grid step is stored); the
  display level (factor 1) is :attr:`MapUnit.shape`, the one printed and written to GIS files,
  the others are for the interactive page's zoom (:attr:`MapUnit.levels`);
- new units' outlines, at each level: the union of their old units' polygons, small slivers
  between old polygons closed, holes dropped (an enclave draws its own outline);
- reference layers (:mod:`planner.maps.layers`): the parent units before the arrangement
  and, when the scenario maps them, after it, dissolved from the old units' polygons at each
  level (so their lines lie on the old units' edges), on the same grid;
- per new unit: colour (neighbours differ), label point and size (the centre and radius of
  the largest circle inside the unit), seat point, figures from the evaluation, gaps, and
  the parent unit its gap markers are grouped by when zoomed out (:mod:`planner.maps.markers`).

The display tolerance is 1/6000 of the map's larger side (about 25 m for a province,
300 m for Vietnam) and the grid step a quarter of it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import shapely

from planner.evaluation.evaluate import Evaluation
from planner.inputs.boundaries import redistribution_notice
from planner.inputs.scenario import Scenario
from planner.maps.captions import source_line
from planner.maps.colouring import colour_new_units
from planner.maps.layers import GAPS_PER_TOLERANCE, ReferenceLayer, clean_coverage, reference_layers, zoom_levels
from planner.maps.markers import Parents, parent_groups, parent_names

#: The display tolerance as a share of the map's larger side.
TOLERANCE_SHARE = 1 / 6000
#: Grid steps per display tolerance.
STEPS_PER_TOLERANCE = 4
#: Tolerances of the interactive map's detail levels, finest first, as multiples of the display tolerance; the
#: display level (1.0) is the one printed and written to GIS files.
LEVEL_FACTORS = (0.25, 1.0, 4.0)
DISPLAY_LEVEL = LEVEL_FACTORS.index(1.0)
#: Keys of one gap as the map takes them.
GAP_KEYS = ("unit", "type", "severity", "text")


@dataclass
class Gap:
    """One gap to mark on the map: which new unit, what kind, how serious, and a sentence."""

    unit: str
    type: str
    severity: str
    text: str


@dataclass
class MapUnit:
    """One drawn unit (old or new) in grid coordinates.

    Attributes
    ----------
    code, name : str
        The unit's code and name.
    shape : shapely geometry or None
        Display polygon(s) in integer grid coordinates; None when the unit has no polygon.
    label : tuple of float
        Label point (grid coordinates).
    radius : float
        Radius of the largest circle inside the unit (grid units); decides when a label fits.
    levels : tuple
        The unit's polygon(s) at each detail level (:attr:`MapData.detail`), finest first; ``shape`` is the
        display level's; empty when only the display level was made.
    """

    code: str
    name: str
    shape: Any
    label: tuple[float, float]
    radius: float
    levels: tuple[Any, ...] = ()


@dataclass
class MapData:
    """Everything both map renderers need, in a fixed order (sorted by code).

    Coordinates are integers on a grid: metres = ``origin + grid * step`` in the unit
    graph's equal-area projection, ``y`` pointing north.  ``date`` is the effective date printed,
    ``draft_date`` the draft's (empty: undated), ``source`` the data-source line
    (:func:`planner.maps.captions.source_line`) and ``notice`` the scenario's notice when its
    boundaries may not be redistributed (:func:`planner.inputs.boundaries.redistribution_notice`).
    ``detail`` holds the simplification tolerances (grid units) of the detail levels of
    :attr:`MapUnit.levels` and :attr:`ReferenceLayer.levels`, finest first, and ``page_source``
    the data-source line as the interactive page gives it (with the levels' simplification).
    """

    title: str
    subtitle: str
    date: str
    origin: tuple[float, float]
    step: float
    old: list[MapUnit]
    old_new: list[int]
    old_population: list[float | None]
    new: list[MapUnit]
    colours: list[int]
    status: list[str]
    seats: list[tuple[float, float] | None]
    figures: list[dict[str, Any]]
    members: list[list[int]]
    gaps: list[Gap]
    unplaced_gaps: list[Gap] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    parents: Parents = field(default_factory=Parents)
    references: tuple[ReferenceLayer, ...] = ()
    old_parents: list[str] = field(default_factory=list)
    draft_date: str = ""
    source: str = ""
    notice: str = ""
    detail: tuple[float, ...] = ()
    page_source: str = ""

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Grid bounds ``(xmin, ymin, xmax, ymax)`` of everything drawn."""
        shapes = [u.shape for u in self.new if u.shape is not None]
        return tuple(shapely.total_bounds(np.array(shapes, dtype=object)).tolist()) if shapes \
            else (0.0, 0.0, 1.0, 1.0)


def prepare_map(scenario: Scenario, graph: nx.Graph, evaluation: Evaluation,
                gaps: Iterable[Mapping[str, Any]] | None = None, *, title: str | None = None,
                date: str | None = None, draft_date: str | None = None) -> MapData:
    """Prepare the map of an evaluated plan.

    Parameters
    ----------
    scenario : Scenario
        The scenario (for its name and effective date).
    graph : networkx.Graph
        The unit graph (projected polygons in ``geometry``).
    evaluation : Evaluation
        The evaluated plan.
    gaps : iterable of mappings, optional
        Gaps to mark: each with ``unit`` (new unit code, or an old unit's code, which is
        taken to mean its new unit), ``type``, ``severity`` (``critical``, ``high``,
        ``medium``, ``low`` (:data:`planner.severities.SEVERITIES`) or any other word, ranked
        last) and ``text``.
    title, date : str, optional
        Title and date printed on the map; default: scenario name and plan label, and the
        scenario's effective date.
    draft_date : str, optional
        The draft's date printed on the map (default: none, the map says ``Draft``).

    Returns
    -------
    MapData
    """
    plan = evaluation.plan
    old_codes = sorted(plan.assignment)
    new_codes = sorted(set(plan.assignment.values()))
    projected = [graph.nodes[c].get("geometry") if c in graph else None for c in old_codes]
    drawn = [g for g in projected if g is not None and not g.is_empty]
    extent = _extent(drawn)
    tolerance = extent * TOLERANCE_SHARE
    step = tolerance / STEPS_PER_TOLERANCE
    box = shapely.total_bounds(np.array(drawn, dtype=object)) if drawn else np.zeros(4)
    origin = (math.floor(box[0] / step) * step, math.floor(box[1] / step) * step)
    cleaned = clean_coverage({c: g for c, g in zip(old_codes, projected) if g is not None},
                             gap_width=max(tolerance, GAPS_PER_TOLERANCE * scenario.tolerance_m))
    levels = zoom_levels(cleaned, tolerance, LEVEL_FACTORS)
    simplified = levels[DISPLAY_LEVEL]
    old_levels = [_display_polygons(projected, [level.get(c) for c in old_codes], origin, step) for level in levels]
    old_shapes = old_levels[DISPLAY_LEVEL]
    new_index = {code: i for i, code in enumerate(new_codes)}
    old_new = [new_index[plan.assignment[c]] for c in old_codes]
    members: list[list[int]] = [[] for _ in new_codes]
    for i, n in enumerate(old_new):
        members[n].append(i)
    closing = max(scenario.tolerance_m / 2.0, step) / step
    new_levels = [[_outline([shapes[i] for i in m], closing) for m in members] for shapes in old_levels]
    new_shapes = new_levels[DISPLAY_LEVEL]
    names = {c: str(graph.nodes[c]["name"]) if c in graph else c for c in old_codes}
    old_units = _units(old_codes, [names[c] for c in old_codes], old_shapes, old_levels)
    new_units = _units(new_codes, [str(plan.names.get(c, c)) for c in new_codes], new_shapes, new_levels)
    label_of = {u.code: u.label for u in old_units if u.shape is not None}
    seats = [label_of.get(plan.seats.get(c, "")) for c in new_codes]
    colour_of = colour_new_units(graph, plan.assignment)
    rows = evaluation.units.set_index("new_unit")
    placed, unplaced = split_gaps(normalize_gaps(gaps), set(new_codes), plan.assignment)
    summary = evaluation.summary
    return MapData(
        title=title or f"{scenario.name}: {plan_title(scenario, plan.label)}",
        subtitle=(f"{_count(summary.get('units_before'))} units before, {_count(summary.get('units_after'))} "
                  f"after; {_count(summary.get('meets_standard'))} meet the standard, "
                  + (f"{_count(summary.get('waived'))} only by the waiver, " if scenario.preset.waiver_enabled else "")
                  + f"{_count(summary.get('below_standard'))} below"
                  + (f", {_count(summary.get('unchanged'))} unchanged" if scenario.preset.exempts_unarranged else "")
                  + (f"; terrain estimated for {_count(summary['terrain_estimated'])} old units"
                     if "terrain_estimated" in summary else "")),
        date=date or (scenario.effective_date.isoformat() if scenario.effective_date else ""),
        origin=origin, step=step, old=old_units, old_new=old_new,
        old_population=[_float(graph.nodes[c].get("population")) if c in graph else None
                        for c in old_codes],
        new=new_units, colours=[colour_of.get(c, 0) for c in new_codes],
        status=[str(rows.at[c, "status"]) if c in rows.index else "" for c in new_codes],
        seats=seats, figures=[_figures(rows, c) for c in new_codes], members=members,
        gaps=placed, unplaced_gaps=unplaced, summary=dict(summary),
        parents=parent_groups(scenario, plan.assignment, plan.seats, new_units),
        references=reference_layers(scenario, simplified, lambda shapes: _to_grid(shapes, origin, step), levels),
        old_parents=parent_names(scenario, old_codes),
        draft_date=draft_date or "", source=source_line(scenario, summary, tolerance),
        notice=redistribution_notice(scenario.document),
        detail=tuple(factor * STEPS_PER_TOLERANCE for factor in LEVEL_FACTORS),
        page_source=source_line(scenario, summary, tolerance, [factor * tolerance for factor in LEVEL_FACTORS]),
    )


def plan_title(scenario: Scenario, label: str) -> str:
    """How the map's title names the plan: ``official plan`` for the baseline, else the file name."""
    if scenario.baseline is not None and label == scenario.baseline.label:
        return "baseline plan"
    return Path(label).name or label


def normalize_gaps(gaps: Iterable[Mapping[str, Any]] | None) -> list[Gap]:
    """Gaps as :class:`Gap` objects, missing keys as empty text, sorted for stable output.

    Examples
    --------
    >>> normalize_gaps([{"unit": 7, "type": "seal", "severity": "High"}])
    [Gap(unit='7', type='seal', severity='high', text='')]
    """
    result = []
    for gap in gaps or []:
        values = {k: "" if gap.get(k) is None else str(gap.get(k)).strip() for k in GAP_KEYS}
        values["severity"] = values["severity"].lower()
        result.append(Gap(**values))
    return sorted(result, key=lambda g: (g.unit, g.severity, g.type, g.text))


def split_gaps(gaps: list[Gap], new_codes: set[str],
               assignment: Mapping[str, str]) -> tuple[list[Gap], list[Gap]]:
    """Gaps tied to a new unit of the plan (old unit codes mapped to their new unit), and the rest."""
    placed, unplaced = [], []
    for gap in gaps:
        if gap.unit in new_codes:
            placed.append(gap)
        elif gap.unit in assignment:
            placed.append(Gap(assignment[gap.unit], gap.type, gap.severity, gap.text))
        else:
            unplaced.append(gap)
    return placed, unplaced


def _extent(polygons: list[Any]) -> float:
    if not polygons:
        return 1.0
    box = shapely.total_bounds(np.array(polygons, dtype=object))
    return float(max(box[2] - box[0], box[3] - box[1], 1.0))


def _display_polygons(projected: list[Any], simplified: list[Any], origin: tuple[float, float],
                      step: float) -> list[Any]:
    """The simplified polygons on the integer grid (None where a unit has no polygon)."""
    present = [i for i, g in enumerate(projected) if g is not None and not g.is_empty]
    result: list[Any] = [None] * len(projected)
    if not present:
        return result
    on_grid = _to_grid(np.array([simplified[i] for i in present], dtype=object), origin, step)
    for i, shape in zip(present, on_grid):
        result[i] = shape if not shape.is_empty else _to_grid(np.array([projected[i]], dtype=object), origin, step)[0]
    return result


def _to_grid(geometries: np.ndarray, origin: tuple[float, float], step: float) -> np.ndarray:
    scaled = shapely.transform(geometries, lambda xy: (xy - np.array(origin)) / step)
    return shapely.set_precision(scaled, 1.0)


def _outline(shapes: list[Any], closing: float) -> Any:
    """The outer outline of a new unit: members merged, slivers closed, holes dropped."""
    known = [s for s in shapes if s is not None and not s.is_empty]
    if not known:
        return None
    merged = shapely.union_all(np.array(known, dtype=object))
    if len(known) > 1:
        merged = merged.buffer(closing, quad_segs=1, join_style="mitre").buffer(
            -closing, quad_segs=1, join_style="mitre")
    parts = [p for p in getattr(merged, "geoms", [merged]) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return shapely.set_precision(shapely.union_all(np.array(known, dtype=object)), 1.0)
    largest = max(p.area for p in parts)
    kept = [shapely.Polygon(p.exterior) for p in parts if p.area >= largest * 1e-3 or p.area > 16]
    outline = shapely.set_precision(shapely.simplify(shapely.MultiPolygon(kept), 1.0), 1.0)
    return outline if not outline.is_empty else shapely.union_all(np.array(known, dtype=object))


def _units(codes: list[str], names: list[str], shapes: list[Any],
           levels: list[list[Any]] | None = None) -> list[MapUnit]:
    present = [i for i, s in enumerate(shapes) if s is not None and not s.is_empty]
    labels: dict[int, tuple[tuple[float, float], float]] = {}
    if present:
        geometries = np.array([_largest_part(shapes[i]) for i in present], dtype=object)
        circles = shapely.maximum_inscribed_circle(geometries)  # tolerance: 1/1000 of each extent
        for i, circle in zip(present, circles):
            (x0, y0), (x1, y1) = circle.coords[0], circle.coords[-1]
            labels[i] = ((round(x0, 1), round(y0, 1)), round(math.hypot(x1 - x0, y1 - y0), 1))
    return [MapUnit(code, name, shape, *labels.get(i, ((0.0, 0.0), 0.0)),
                    tuple(level[i] for level in levels) if levels else ())
            for i, (code, name, shape) in enumerate(zip(codes, names, shapes))]


def _largest_part(shape: Any) -> Any:
    parts = getattr(shape, "geoms", [shape])
    return max(parts, key=lambda p: p.area)


FIGURE_COLUMNS = {
    "kind": str, "terrain": str, "context": str, "population": float, "area_km2": float,
    "status": str, "rule": str, "failing": str, "seat": str, "seat_name": str,
    "n_constituents": int, "contiguous": bool, "access_mean_km": float, "access_max_km": float,
    "polsby_popper": float, "missing_data": str, "population_short": float, "area_short_km2": float,
    "readiness": str,
}


def _figures(rows: pd.DataFrame, code: str) -> dict[str, Any]:
    """The evaluation's figures of one new unit, JSON-ready (floats rounded, NaN as None)."""
    if code not in rows.index:
        return {}
    figures: dict[str, Any] = {}
    for column, kind in FIGURE_COLUMNS.items():
        if column not in rows.columns:  # readiness: only when the gaps were found
            continue
        value = rows.at[code, column]
        if kind is float:
            number = _float(value)
            figures[column] = None if number is None else round(number, 3)
        elif kind is int:
            figures[column] = int(value)
        elif kind is bool:
            figures[column] = bool(value)
        else:
            figures[column] = "" if value is None or (isinstance(value, float) and math.isnan(value)) \
                else str(value)
    return figures


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
