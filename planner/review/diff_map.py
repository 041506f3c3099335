"""A difference map of two plans as a small, deterministic SVG (``planner diff --map FILE.svg``).

Old units are drawn from the scenario's polygons and coloured by what happened to them:
moved to another new unit (dark orange), kept but in a new unit that changed (light
orange), or untouched (grey).  The outlines of B's new units are drawn on top, and the seat
of every new unit whose seat changed is marked with a dot.  Coordinates are a plain
longitude/latitude projection scaled by the cosine of the mean latitude, rounded to 0.1 px,
so the same comparison always gives the same bytes.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import shapely

from planner.inputs.problems import ProblemList
from planner.inputs.scenario import Scenario
from planner.outputs import write_text
from planner.review.compare import Comparison

WIDTH = 800.0
MARGIN = 10.0
LEGEND_HEIGHT = 70.0
COLOURS = {"moved": "#d95f02", "changed": "#fdd49e", "unchanged": "#e6e6e6"}
LABELS = {"moved": "moved to another new unit", "changed": "in a changed new unit", "unchanged": "unchanged"}


class _Frame:
    """Lon/lat -> SVG pixel coordinates for the bounds of the drawn polygons."""

    def __init__(self, bounds: tuple[float, float, float, float]):
        west, south, east, north = bounds
        self.west, self.north = west, north
        self.cos = math.cos(math.radians((south + north) / 2.0))
        self.scale = (WIDTH - 2 * MARGIN) / max((east - west) * self.cos, 1e-9)
        self.height = (north - south) * self.scale + 2 * MARGIN

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (MARGIN + (lon - self.west) * self.cos * self.scale, MARGIN + (self.north - lat) * self.scale)

    def point(self, lon: float, lat: float) -> str:
        x, y = self.xy(lon, lat)
        return f"{x:.1f},{y:.1f}"

    def path(self, geometry: Any, holes: bool = True) -> str:
        rings = []
        for polygon in getattr(geometry, "geoms", [geometry]):
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            for ring in (polygon.exterior, *(polygon.interiors if holes else ())):
                points = [self.point(x, y) for x, y in ring.coords[:-1]]
                rings.append("M" + " L".join(points) + " Z")
        return " ".join(rings)


def unit_states(comparison: Comparison) -> dict[str, str]:
    """Old unit code -> ``moved``, ``changed`` or ``unchanged`` (units of B's plan)."""
    plan = comparison.b.plan
    if plan is None:
        return {}
    moved = {m.unit for m in comparison.moves}
    changed_units = {u.b for u in comparison.units if u.b is not None}
    return {unit: "moved" if unit in moved else "changed" if new in changed_units else "unchanged"
            for unit, new in sorted(plan.assignment.items())}


def render_diff_map(comparison: Comparison, geometries: dict[str, Any]) -> str:
    """The SVG text of the difference map; ``geometries`` maps old unit codes to lon/lat polygons."""
    states = unit_states(comparison)
    drawn = {code: geometries[code] for code in sorted(states) if geometries.get(code) is not None}
    if not drawn:
        raise ValueError("no polygons to draw")
    frame = _Frame(tuple(shapely.total_bounds(list(drawn.values()))))
    height = frame.height + LEGEND_HEIGHT
    names = {**comparison.a.unit_names, **comparison.b.unit_names}
    before = comparison.a.plan.assignment if comparison.a.plan else {}
    plan = comparison.b.plan
    assert plan is not None
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {WIDTH:.0f} {height:.0f}" font-family="sans-serif" font-size="12">',
           f'<rect width="{WIDTH:.0f}" height="{height:.0f}" fill="white"/>',
           '<g id="old-units" stroke="white" stroke-width="0.3" fill-rule="evenodd">']
    for code, geometry in drawn.items():
        state = states[code]
        label = escape(f"{code} {names.get(code, '')}: {before.get(code, '-')} -> {plan.assignment[code]}")
        out.append(f'<path d="{frame.path(geometry)}" fill="{COLOURS[state]}"><title>{label}</title></path>')
    out.append("</g>")
    out.append('<g id="new-units" fill="none" stroke="black" stroke-width="0.8" fill-rule="evenodd">')
    for new, members in plan.groups().items():
        shapes = [drawn[c] for c in members if c in drawn]
        if shapes:
            outline = _outline(shapes)
            out.append(f'<path d="{frame.path(outline, holes=False)}"><title>{escape(new)} '
                       f'{escape(plan.names.get(new, ""))}</title></path>')
    out.append("</g>")
    out.append('<g id="seats" fill="#2c3e91">')
    for change in comparison.seat_changes:
        seat = change.seat_b
        if seat in drawn:
            point = drawn[seat].representative_point()
            x, y = frame.xy(point.x, point.y)
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3">'
                       f'<title>seat of {escape(str(change.b))}: {escape(change.seat_a)} -> '
                       f'{escape(seat)}</title></circle>')
    out.append("</g>")
    out += _legend(comparison, states, frame.height)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _outline(shapes: list[Any]) -> Any:
    """The outline of a new unit: the union of its members without slivers between them."""
    union = shapely.union_all(shapes)
    largest = max(shape.area for shape in shapes)
    parts = [part for part in getattr(union, "geoms", [union]) if part.area >= largest * 1e-3]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0] if parts else union


def _legend(comparison: Comparison, states: dict[str, str], top: float) -> list[str]:
    counts = {state: sum(1 for s in states.values() if s == state) for state in COLOURS}
    title = escape(f"{comparison.a.label} -> {comparison.b.label}")
    lines = [f'<g id="legend" transform="translate({MARGIN:.0f},{top + 8:.0f})">',
             f'<text x="0" y="12" font-weight="bold">{title}</text>']
    x = 0.0
    for state, colour in COLOURS.items():
        lines.append(f'<rect x="{x:.0f}" y="24" width="14" height="14" fill="{colour}" stroke="#999"/>')
        lines.append(f'<text x="{x + 20:.0f}" y="36">{LABELS[state]}: {counts[state]}</text>')
        x += 250.0
    lines.append(f'<circle cx="7" cy="55" r="3" fill="#2c3e91"/><text x="20" y="59">seat changed: '
                 f'{len(comparison.seat_changes)}</text>')
    lines.append("</g>")
    return lines


def write_diff_map(path: Path, comparison: Comparison, geometries: dict[str, Any]) -> None:
    """Write the difference map (atomically)."""
    write_text(Path(path), render_diff_map(comparison, geometries))


def map_scenario(path: Path, comparison: Comparison) -> Scenario:
    """The scenario whose polygons draw the difference map written to ``path`` (B's, else A's).

    Raises
    ------
    InputError
        When neither side has a scenario with polygons, or B has no plan.
    """
    scenario = comparison.b.scenario or comparison.a.scenario
    problems = ProblemList()
    if scenario is None or not scenario.geometries:
        problems.error(str(path), "", "", "the map needs the scenario's polygons: pass --scenario DIR "
                       "(or compare scenario folders)")
    elif comparison.b.plan is None:
        problems.error(str(path), "", "", "the map needs B's plan: the scenario has no baseline")
    problems.raise_if_errors()
    assert scenario is not None
    return scenario
