"""The interactive map page: one self-contained HTML file that needs no network.

The page is ``planner/templates/map.html.j2`` with Leaflet (``planner/templates/vendor/``, BSD-2,
drawing on canvas, no tiles), the page's scripts ``planner/templates/map-panels.js`` and
``planner/templates/map.js``, and the map's data inlined.  The data travels as JSON inside a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` written as
``\\u003c``, ``\\u003e`` and ``\\u0026``, so no name can close the element or start markup;
the script only ever shows names with ``textContent`` or draws them on the canvas.

Coordinates are integers on the map's grid; each ring is ``[x0, y0, dx1, dy1, ...]``
(first point, then steps, :func:`encode_rings`), written as text with the polyline algorithm
(:func:`pack_rings`: each number zigzag-coded in 5-bit groups, one character ``?``..``~`` each,
so a small step takes one character), which keeps the national page to a few megabytes.  Old units, new
units and reference layers travel at each detail level of :attr:`MapData.detail` (one clean
coverage simplified at each tolerance, :func:`planner.maps.layers.zoom_levels`), one JSON element
per level (``map-level-0``, finest, ``map-level-1``...), which the page reads only when it first
draws that level; the page draws the coarsest level whose tolerance stays within a pixel.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import jinja2
import numpy as np

from planner.maps.colouring import (
    CLASSES,
    NO_VALUE_COLOUR,
    PAGE_STATUS_COLOURS,
    PALETTE,
    READINESS_COLOURS,
    SEQUENTIAL,
)
from planner.maps.data import STEPS_PER_TOLERANCE, MapData, _units
from planner.severities import OTHER_SEVERITY_COLOUR, SEVERITIES, SEVERITY_COLOURS
from planner.transition.cards import card_words
from planner.transition.readiness import unit_status

TEMPLATE = "map.html.j2"
#: The page's scripts, in the order they run: Leaflet, then the panels, then the map.
SCRIPTS = ("vendor/leaflet.js", "map-panels.js", "map.js")
STYLE = "vendor/leaflet.css"
#: The figures the page can colour new units by: (figure, what the menu calls it).
FIGURES = (("population", "population"), ("area_km2", "area, km²"),
           ("population_short", "population short of the standard"),
           ("area_short_km2", "area short of the standard, km²"),
           ("access_mean_km", "mean distance to the seat, km"), ("access_max_km", "longest distance to the seat, km"),
           ("polsby_popper", "compactness (Polsby-Popper)"), ("n_constituents", "old units merged"),
           ("gaps", "number of gaps"))
#: What the legend calls the detail levels, finest first, by how many there are.
LEVEL_NAMES = {1: ("display",), 2: ("fine", "coarse"), 3: ("fine", "medium", "coarse")}


def render_html(data: MapData, *, lang: str = "en") -> str:
    """The whole map page as text (deterministic for the same map data).

    Parameters
    ----------
    data : MapData
        The prepared map.
    lang : str
        The page's language tag.

    Returns
    -------
    str
    """
    templates = resources.files("planner") / "templates"
    script = "\n".join(_inline(templates, name, "</script") for name in SCRIPTS)
    environment = jinja2.Environment(autoescape=True, keep_trailing_newline=True,
                                     undefined=jinja2.StrictUndefined)
    template = environment.from_string((templates / TEMPLATE).read_text(encoding="utf-8"))
    return template.render(
        lang=lang, title=data.title, subtitle=data.subtitle,
        date_label=f"date: {data.date}" if data.date else "",
        data_json=jinja2.utils.markupsafe.Markup(script_json(page_data(data))),
        levels_json=[jinja2.utils.markupsafe.Markup(script_json(level_data(data, k)))
                     for k in range(len(detail_tolerances(data)))],
        script=jinja2.utils.markupsafe.Markup(script), notice=data.notice,
        leaflet_css=jinja2.utils.markupsafe.Markup(_inline(templates, STYLE, "</style")),
    )


def _inline(templates: Any, name: str, closing: str) -> str:
    """A file of ``planner/templates`` as text to inline, refused if it could close its element."""
    text = (templates / name).read_text(encoding="utf-8")
    if closing in text.lower():
        raise ValueError(f"{name} must not contain '{closing}'")
    return text


def script_json(value: Any) -> str:
    """Compact JSON that is safe inside an HTML ``<script>`` element.

    Examples
    --------
    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def page_data(data: MapData) -> dict[str, Any]:
    """The JSON document the page's script reads (see the module docstring for rings)."""
    new_index = {u.code: i for i, u in enumerate(data.new)}
    tolerances = detail_tolerances(data)
    return {
        "title": data.title, "date": data.date, "step": round(data.step, 6),
        "source": data.page_source if len(tolerances) > 1 and data.page_source else data.source,
        "bounds": [int(v) for v in data.bounds],
        "palette": PALETTE, "coloursUsed": max(data.colours, default=0) + 1,
        "statusColours": PAGE_STATUS_COLOURS, "severityColours": SEVERITY_COLOURS,
        "otherSeverityColour": OTHER_SEVERITY_COLOUR, "severities": list(SEVERITIES),
        "readinessColours": READINESS_COLOURS, "sequential": SEQUENTIAL, "classes": CLASSES,
        "noValueColour": NO_VALUE_COLOUR, "figureNames": [list(f) for f in FIGURES], **_readiness_words(),
        "detail": {"tolerances": tolerances,
                   "names": list(LEVEL_NAMES.get(len(tolerances), [f"level {k}" for k in range(len(tolerances))])),
                   "metres": [round(t * data.step, 1) for t in tolerances]},
        "references": [reference_data(layer) for layer in data.references],
        "old": {
            "code": [u.code for u in data.old], "name": [u.name for u in data.old],
            "parents": data.old_parents or [""] * len(data.old),
            "new": data.old_new, "population": [_round(p) for p in data.old_population],
            "label": [[*_point(u.label), u.radius] for u in data.old],
        },
        "new": {
            "code": [u.code for u in data.new], "name": [u.name for u in data.new],
            "colour": data.colours, "status": data.status,
            "label": [[*_point(u.label), u.radius] for u in data.new],
            "seat": [None if s is None else _point(s) for s in data.seats],
            "figures": _figures(data), "parent": data.parents.of_new,
        },
        "parents": {"level": data.parents.level, "code": data.parents.codes, "name": data.parents.names,
                    "label": [_point(p) for p in data.parents.labels]},
        "gaps": [[new_index[g.unit], g.type, g.severity, g.text] for g in data.gaps],
    }


def _readiness_words() -> dict[str, Any]:
    rules = card_words()["readiness"]
    return {"readinessWords": dict(rules["words"]), "readinessOrder": list(rules["order"])}


def _figures(data: MapData) -> list[dict[str, Any]]:
    """The new units' figures, with their readiness from the gaps marked when the evaluation has none."""
    if not data.gaps or any("readiness" in f for f in data.figures):
        return data.figures
    severities: dict[str, list[str]] = {}
    for gap in data.gaps:
        severities.setdefault(gap.unit, []).append(gap.severity)
    words = card_words()
    return [{**f, "readiness": unit_status(severities.get(u.code, []), words)} for u, f in zip(data.new, data.figures)]


def reference_data(layer: Any) -> dict[str, Any]:
    """One reference layer for the page: key, title, names and label points (its rings are in :func:`level_data`)."""
    codes = list(layer.shapes)
    labelled = _units(codes, [layer.names.get(c, c) for c in codes], [layer.shapes[c] for c in codes])
    return {
        "key": layer.key, "title": layer.title, "level": layer.level, "code": codes,
        "name": [u.name for u in labelled], "label": [[*_point(u.label), u.radius] for u in labelled],
    }


def detail_tolerances(data: MapData) -> list[float]:
    """The simplification tolerances (grid units) of the page's detail levels, finest first.

    :attr:`MapData.detail`; one level, the display tolerance, when the map data has no levels.
    """
    levels = len(data.detail)
    if levels and all(len(u.levels) == levels for u in [*data.old, *data.new]):
        return [float(t) for t in data.detail]
    return [float(STEPS_PER_TOLERANCE)]


def level_data(data: MapData, k: int) -> dict[str, Any]:
    """The rings of every drawn boundary at detail level ``k`` (0: finest): old units, new units, each reference
    layer (in the order of ``references``)."""
    single = len(detail_tolerances(data)) == 1

    def at(unit: Any) -> Any:
        return unit.shape if single else unit.levels[k]

    return {
        "old": pack_rings([encode_rings(at(u)) for u in data.old]),
        "new": pack_rings([encode_rings(at(u)) for u in data.new]),
        "references": [pack_rings([encode_rings((layer.shapes if single or not layer.levels else layer.levels[k])
                                                .get(c)) for c in layer.shapes]) for layer in data.references],
    }


def pack_rings(shapes: list[list[list[int]] | None]) -> list[list[str] | None]:
    """Rings (:func:`encode_rings`) as text, one string per ring, by the polyline algorithm.

    Each number is zigzag-coded (0, -1, 1, -2... as 0, 1, 2, 3...) and written in groups of 5 bits, lowest
    first, each group as one character: 63 + the group, + 32 when another group follows (``?`` to ``~``; none
    of them can close a script element).  The page's ``unpack`` reads them back.

    Examples
    --------
    >>> pack_rings([[[0, 0, 4, 0, 0, 4, -4, 0], [1, 1]], None])
    [['??G??GF?', 'AA'], None]
    """
    lengths = [len(ring) for rings in shapes if rings for ring in rings]
    if not lengths:
        return [None if not rings else [] for rings in shapes]
    values = np.fromiter((v for rings in shapes if rings for ring in rings for v in ring), dtype=np.int64,
                         count=sum(lengths))
    zigzag = (values << 1) ^ (values >> 63)
    groups = np.ones(len(zigzag), dtype=np.int64)
    for k in range(1, 13):
        groups += zigzag >= (1 << (5 * k))
    shifts = 5 * np.arange(int(groups.max()))
    chars = ((zigzag[:, None] >> shifts) & 31) + 63 + 32 * (shifts[None, :] < 5 * (groups[:, None] - 1))
    text = chars[shifts[None, :] < 5 * groups[:, None]].astype(np.uint8).tobytes().decode("ascii")
    ends = np.cumsum(groups)[np.cumsum(lengths) - 1].tolist()
    strings = [text[start:end] for start, end in zip([0, *ends[:-1]], ends)]
    result, at = [], 0
    for rings in shapes:
        if rings is None:
            result.append(None)
            continue
        result.append(strings[at:at + len(rings)])
        at += len(rings)
    return result


def encode_rings(shape: Any) -> list[list[int]] | None:
    """All rings of a polygon or multipolygon on the integer grid, as first point + steps.

    Repeated points (after quantisation) are dropped; rings left with fewer than three
    points are dropped.

    Examples
    --------
    >>> import shapely
    >>> encode_rings(shapely.box(0, 0, 2, 1))
    [[2, 0, 0, 1, -2, 0, 0, -1]]
    """
    if shape is None or shape.is_empty:
        return None
    rings = []
    for polygon in getattr(shape, "geoms", [shape]):
        if polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            points = np.rint(np.asarray(ring.coords)[:-1]).astype(np.int64)
            if len(points) == 0:
                continue
            keep = np.ones(len(points), dtype=bool)
            keep[1:] = np.any(points[1:] != points[:-1], axis=1)
            points = points[keep]
            if len(points) < 3:
                continue
            steps = np.vstack([points[:1], np.diff(points, axis=0)])
            rings.append(steps.ravel().tolist())
    return rings or None


def _point(point: tuple[float, float]) -> list[float]:
    return [round(float(point[0]), 1), round(float(point[1]), 1)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)

