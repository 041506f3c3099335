"""Print-ready maps: ``map.png`` and ``map.svg`` for an official report.

Drawn with matplotlib (Agg, no display) on A4 or A3 paper (:data:`PAPERS`), portrait or
landscape (by default after the map's shape): new units filled so that neighbours differ,
units below the standard hatched, old boundaries thin and grey, new boundaries dark, the
reference layers (old and new parent boundaries, :mod:`planner.maps.layers`) over them,
seats as squares, gaps as circles, names where they fit without overlapping (the parents'
names instead on a map too large for the units' names); title, the effective and draft dates,
legend, scale bar, north arrow, the data-source line, and the scenario's notice when its
boundaries may not be redistributed.  :mod:`planner.maps.atlas` draws its pages the same way.
Coordinates are the unit graph's equal-area projection, so the scale bar is true everywhere on
a province map and close to true on a country map; north is up at the map's centre.

The files are deterministic: the SVG uses a fixed hash salt and no date, the PNG carries
no software or date metadata.
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrow, Patch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from planner.chart_style import chart_style  # noqa: E402
from planner.maps.captions import date_lines  # noqa: E402
from planner.maps.colouring import PALETTE  # noqa: E402
from planner.maps.data import MapData  # noqa: E402
from planner.maps.layers import map_words  # noqa: E402
from planner.maps.markers import gap_markers, place_markers  # noqa: E402
from planner.severities import SEVERITIES, SEVERITY_COLOURS, severity_colour  # noqa: E402

#: Paper sizes, portrait (inches).
PAPERS = {"A4": (8.27, 11.69), "A3": (11.69, 16.54)}
ORIENTATIONS = ("portrait", "landscape")
PNG_DPI = 200
#: Units above this count get no names on the printed map (they would not be legible).
MAX_PRINTED_LABELS = 400
#: Units above this count get no seat squares on the printed map (they would cover the units).
MAX_PRINTED_SEATS = 1000
#: A reference layer with more parents than this gets no names on the printed map.
MAX_REFERENCE_NAMES = 100
#: Line width, colour and dashes of the reference layers, coarsest first (the last for any finer one).
REFERENCE_STYLES = ((1.6, "#111111", "solid"), (0.9, "#6a3d9a", (0, (5, 2))), (0.6, "#6a3d9a", (0, (1, 1.5))))
#: The rcParams of the printed maps.
PRINT_STYLE = {"svg.hashsalt": "planner-map", "svg.fonttype": "path", "path.simplify": False, "pdf.fonttype": 42}


def render_static(data: MapData, *, paper: str = "A4", orientation: str | None = None) -> tuple[bytes, bytes]:
    """The printed map as PNG and SVG bytes.

    Parameters
    ----------
    data : MapData
        The prepared map.
    paper : str
        A key of :data:`PAPERS` (``A4``, ``A3``).
    orientation : str, optional
        ``portrait`` or ``landscape``; default: landscape when the map is clearly wider than tall.

    Returns
    -------
    tuple of bytes
        ``(png, svg)``.
    """
    with plt.rc_context(chart_style(PRINT_STYLE)):
        figure = _figure(data, paper, orientation)
        try:
            png = io.BytesIO()
            figure.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
            svg = io.BytesIO()
            figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": "planner"})
        finally:
            plt.close(figure)
    return png.getvalue(), svg.getvalue()


def paper_inches(paper: str, orientation: str | None, data: MapData) -> tuple[float, float]:
    """Width and height of the page in inches (``orientation`` None: landscape for a wide map)."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper '{paper}': expected one of {', '.join(PAPERS)}")
    if orientation not in (None, *ORIENTATIONS):
        raise ValueError(f"unknown orientation '{orientation}': expected one of {', '.join(ORIENTATIONS)}")
    if orientation is None:
        xmin, ymin, xmax, ymax = data.bounds
        orientation = "landscape" if (xmax - xmin) > (ymax - ymin) * 1.15 else "portrait"
    width, height = PAPERS[paper]
    return (height, width) if orientation == "landscape" else (width, height)


def _figure(data: MapData, paper: str = "A4", orientation: str | None = None, *, names: bool = True) -> Any:
    """The printed map as a figure; ``names`` False leaves out the names and gap markers (the atlas's index)."""
    width, height = paper_inches(paper, orientation, data)
    figure = plt.figure(figsize=(width, height))
    footer = _footer(figure, data, width)
    top = 1 - 1.05 / height
    axes = figure.add_axes((0.04, footer, 0.92, top - footer))
    axes.set_aspect("equal")
    axes.set_axis_off()
    _draw_units(axes, data)
    _draw_references(axes, data)
    xmin, ymin = _metres(data.bounds[:2], data)
    xmax, ymax = _metres(data.bounds[2:], data)
    pad = 0.02 * max(xmax - xmin, ymax - ymin)
    axes.set_xlim(xmin - pad, xmax + pad)
    axes.set_ylim(ymin - pad, ymax + pad)
    if names:
        labels = _draw_labels(axes, figure, data) or _draw_reference_names(axes, figure, data)
        _draw_gaps(axes, figure, data, labels)
    _scale_bar(axes, data)
    _north_arrow(axes)
    figure.text(0.04, 1 - 0.3 / height, data.title, fontsize=15, weight="bold", va="top")
    figure.text(0.04, 1 - 0.62 / height, data.subtitle, fontsize=9, va="top", color="#333333")
    for k, line in enumerate(date_lines(data.date, data.draft_date)):
        figure.text(0.96, 1 - (0.3 + 0.2 * k) / height, line, fontsize=10 if k == 0 else 9, va="top", ha="right")
    return figure


def _footer(figure: Any, data: MapData, width: float) -> float:
    """The notice, the data-source line and the legend, from the bottom up; the figure fraction they take."""
    height = figure.get_figheight()
    inches = 0.12
    chars = int(width * 0.92 * 72 / (6.5 * 0.52))
    lines = []
    if data.notice:
        lines += [(line, {"color": "#9b1c1c", "weight": "bold", "fontsize": 8})
                  for line in textwrap.wrap(data.notice, int(chars * 6.5 / 8))]
    source = " ".join(t for t in (map_words()["print"]["made_with"], data.source) if t)
    lines += [(line, {"color": "#555555", "fontsize": 6.5}) for line in textwrap.wrap(source, chars)]
    for line, style in reversed(lines):
        figure.text(0.04, inches / height, line, va="bottom", **style)
        inches += style["fontsize"] * 1.45 / 72
    rows = _legend(figure, data, (inches + 0.05) / height)
    return (inches + 0.1 + rows * 7.5 * 1.9 / 72) / height


def _path(shape: Any, origin: tuple[float, float], step: float) -> MplPath | None:
    if shape is None or shape.is_empty:
        return None
    vertices, codes = [], []
    for polygon in getattr(shape, "geoms", [shape]):
        if polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = list(ring.coords)
            if len(coords) < 4:
                continue
            vertices += [(origin[0] + x * step, origin[1] + y * step) for x, y in coords]
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(vertices, codes) if vertices else None


def _draw_units(axes: Any, data: MapData) -> None:
    """Fills, old and new boundaries, hatching for units below the standard, seats, gaps."""
    old_paths, old_colours = [], []
    for unit, new in zip(data.old, data.old_new):
        path = _path(unit.shape, data.origin, data.step)
        if path is not None:
            old_paths.append(path)
            old_colours.append(PALETTE[data.colours[new] % len(PALETTE)])
    axes.add_collection(PathCollection(old_paths, facecolors=old_colours, edgecolors=old_colours,
                                       linewidths=0.3, zorder=1))
    many = len(data.old) > 2000
    axes.add_collection(PathCollection(old_paths, facecolors="none", edgecolors="#8a8a8a",
                                       linewidths=0.1 if many else 0.3, zorder=2))
    new_paths = [_path(u.shape, data.origin, data.step) for u in data.new]
    below = [p for p, s in zip(new_paths, data.status) if p is not None and s == "below"]
    if below:
        axes.add_collection(PathCollection(below, facecolors="none", edgecolors="#9b1c1c", hatch="////",
                                           linewidths=0, zorder=3))
    unchanged = [p for p, s in zip(new_paths, data.status) if p is not None and s == "unchanged"]
    if unchanged:
        axes.add_collection(PathCollection(unchanged, facecolors="none", edgecolors="#5b6f82", hatch="....",
                                           linewidths=0, zorder=3))
    axes.add_collection(PathCollection([p for p in new_paths if p is not None], facecolors="none",
                                       edgecolors="#1f1f1f", linewidths=0.25 if many else 0.9, zorder=4))
    seats = [_metres(s, data) for s in data.seats if s is not None]
    if seats and len(data.new) <= MAX_PRINTED_SEATS:
        axes.scatter([p[0] for p in seats], [p[1] for p in seats], s=1.5 if many else 6, marker="s",
                     c="#111111", linewidths=0, zorder=5)


def _metres(point: tuple[float, float], data: MapData) -> tuple[float, float]:
    return data.origin[0] + point[0] * data.step, data.origin[1] + point[1] * data.step


def _draw_labels(axes: Any, figure: Any, data: MapData) -> dict[str, tuple[float, float, float, float]]:
    """Names of new units, largest first, where they fit inside the unit and hit no other name.

    Returns the box of each name printed (display pixels), by new unit code.
    """
    if len(data.new) > MAX_PRINTED_LABELS:
        return {}
    figure.canvas.draw()
    fontsize = 5.5 if len(data.new) > 100 else 7
    transform = axes.transData
    placed: dict[str, tuple[float, float, float, float]] = {}
    points_per_pixel = 72.0 / figure.dpi
    order = sorted(range(len(data.new)), key=lambda i: (-data.new[i].radius, data.new[i].code))
    for i in order:
        unit = data.new[i]
        if unit.shape is None:
            continue
        x, y = transform.transform(_metres(unit.label, data))
        width = len(unit.name) * fontsize * 0.55 / points_per_pixel
        height = fontsize * 1.3 / points_per_pixel
        radius = unit.radius * data.step * abs(transform.transform((1, 0))[0] - transform.transform((0, 0))[0])
        box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        if radius * 2 < width * 0.45 or any(_overlap(box, other) for other in placed.values()):
            continue
        placed[unit.code] = box
        axes.text(*_metres(unit.label, data), unit.name, fontsize=fontsize, ha="center", va="center",
                  zorder=6, color="#111111",
                  clip_on=True, path_effects=[_halo()])
    return placed


def _draw_gaps(axes: Any, figure: Any, data: MapData, labels: dict[str, tuple[float, float, float, float]]) -> None:
    """One circle per unit (per parent unit on a map too large for names) in the colour of its most serious
    gap, with the number of gaps; moved off every name, with a leader line when moved further than beside it."""
    many = len(data.new) > MAX_PRINTED_LABELS
    markers = gap_markers(data, by_parent=many)
    if not markers:
        return
    axes.apply_aspect()
    transform, inverse = axes.transData, axes.transData.inverted()
    size = 11.0 if many else 9.0  # points across
    radius = size / 2 * figure.dpi / 72.0
    anchors = [tuple(transform.transform(_metres(m.point, data))) for m in markers]
    for marker, anchor, spot in zip(markers, anchors, place_markers(anchors, list(labels.values()), radius * 1.15)):
        if math.dist(anchor, spot) > radius * 4:
            box = labels.get(marker.code, (*anchor, *anchor))
            end = (min(max(spot[0], box[0]), box[2]), min(max(spot[1], box[1]), box[3]))
            axes.plot(*zip(inverse.transform(end), inverse.transform(spot)), color="#333333", linewidth=0.5,
                      zorder=5.5)
        x, y = inverse.transform(spot)
        axes.scatter([x], [y], s=size ** 2, c=severity_colour(marker.severity), edgecolors="white", linewidths=0.6,
                     zorder=7)
        axes.text(x, y, str(marker.count), fontsize=size * 0.55 if marker.count < 100 else size * 0.42,
                  color="white", weight="bold", ha="center", va="center", zorder=7.5)


def _halo() -> Any:
    return patheffects.withStroke(linewidth=1.6, foreground="white")


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def _scale_bar(axes: Any, data: MapData) -> None:
    """A bar of a round length, about a fifth of the map's width, in the lower left."""
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    target = (x1 - x0) / 5
    power = 10 ** math.floor(math.log10(target))
    length = max(m * power for m in (1, 2, 5) if m * power <= target)
    left, bottom = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.03
    height = (y1 - y0) * 0.006
    for k in range(4):
        axes.add_patch(Rectangle((left + k * length / 4, bottom), length / 4, height,
                                 facecolor="#222222" if k % 2 == 0 else "white", edgecolor="#222222",
                                 linewidth=0.6, zorder=8))
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    axes.text(left, bottom + height * 2, "0", fontsize=7, ha="center", va="bottom", zorder=8)
    axes.text(left + length, bottom + height * 2, label, fontsize=7, ha="center", va="bottom", zorder=8)


def _north_arrow(axes: Any) -> None:
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    x, y = x1 - (x1 - x0) * 0.05, y1 - (y1 - y0) * 0.10
    length = (y1 - y0) * 0.06
    axes.add_patch(FancyArrow(x, y, 0, length, width=length * 0.12, head_width=length * 0.4,
                              head_length=length * 0.4, length_includes_head=True, color="#222222", zorder=8))
    axes.text(x, y + length * 1.15, "N", fontsize=11, weight="bold", ha="center", va="bottom", zorder=8)


def _legend(figure: Any, data: MapData, bottom: float) -> int:
    """The legend in two columns above ``bottom`` (figure fraction); how many rows it takes."""
    used = max(data.colours, default=0) + 1
    handles = [
        Patch(facecolor=PALETTE[0], edgecolor="#1f1f1f", linewidth=0.9,
              label=f"new unit ({len(data.new):,}; {used} fill colours tell neighbours apart)"),
        Line2D([], [], color="#8a8a8a", linewidth=0.6, label=f"old unit boundary ({len(data.old):,})"),
        Patch(facecolor="white", edgecolor="#9b1c1c", hatch="////", linewidth=0,
              label=f"below the standard ({data.status.count('below')})"),
    ]
    if "unchanged" in data.status:
        handles.append(Patch(facecolor="white", edgecolor="#5b6f82", hatch="....", linewidth=0,
                             label=f"unchanged, not arranged ({data.status.count('unchanged')})"))
    if len(data.new) <= MAX_PRINTED_SEATS:
        handles.append(Line2D([], [], color="#111111", marker="s", linestyle="none", markersize=3,
                              label="seat of a new unit"))
    if data.gaps:
        handles += [Line2D([], [], color=SEVERITY_COLOURS[s], marker="o", linestyle="none", markersize=5,
                           label=f"gap, {s} severity") for s in SEVERITIES]
        per = data.parents.level if len(data.new) > MAX_PRINTED_LABELS and data.parents.codes else "new unit"
        handles.append(Line2D([], [], color="none", label=f"(one circle per {per}, number = how many gaps)"))
    for layer in data.references:
        line_width, colour, dashes = _reference_style(layer.level)
        handles.append(Line2D([], [], color=colour, linewidth=line_width, linestyle=dashes,
                              label=f"{layer.title} ({len(layer.shapes):,})"))
    figure.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, bottom), ncol=2, fontsize=7.5,
                  frameon=False, borderaxespad=0.0)
    return (len(handles) + 1) // 2


def _reference_style(level: int) -> tuple[float, str, Any]:
    return REFERENCE_STYLES[min(level, len(REFERENCE_STYLES) - 1)]


def _draw_references(axes: Any, data: MapData) -> None:
    """The reference layers' boundaries over the units, the finest first (the coarsest drawn on top)."""
    for layer in sorted(data.references, key=lambda r: -r.level):
        paths = [p for p in (_path(s, data.origin, data.step) for s in layer.shapes.values()) if p is not None]
        line_width, colour, dashes = _reference_style(layer.level)
        axes.add_collection(PathCollection(paths, facecolors="none", edgecolors=colour, linewidths=line_width,
                                           linestyles=[dashes], zorder=4.5 - layer.level * 0.1))


def _draw_reference_names(axes: Any, figure: Any, data: MapData) -> dict[str, tuple[float, float, float, float]]:
    """The names of the coarsest reference layer (when it has few enough parents), where they hit no other.

    Returns the box of each name printed (display pixels), by parent code.
    """
    layers = [r for r in data.references if len(r.shapes) <= MAX_REFERENCE_NAMES]
    if not layers:
        return {}
    layer = min(layers, key=lambda r: r.level)
    codes = sorted(layer.shapes)
    parts = np.array([max(getattr(layer.shapes[c], "geoms", [layer.shapes[c]]), key=lambda p: p.area)
                      for c in codes], dtype=object)
    circles = shapely.maximum_inscribed_circle(parts)
    figure.canvas.draw()
    placed: dict[str, tuple[float, float, float, float]] = {}
    order = sorted(range(len(codes)), key=lambda i: (-shapely.length(circles[i]), codes[i]))
    for i in order:
        point = _metres(circles[i].coords[0], data)
        x, y = axes.transData.transform(point)
        width = len(layer.names[codes[i]]) * 7 * 0.6 * figure.dpi / 72
        box = (x - width / 2, y - 6 * figure.dpi / 72, x + width / 2, y + 6 * figure.dpi / 72)
        if any(_overlap(box, other) for other in placed.values()):
            continue
        placed[codes[i]] = box
        axes.text(*point, layer.names[codes[i]], fontsize=7, weight="bold", ha="center", va="center", zorder=6,
                  color="#111111", clip_on=True, path_effects=[_halo()])
    return placed
