"""The atlas: ``atlas.pdf``, an index map and one page per parent unit.

The parents are those the gap markers are grouped by (:class:`planner.maps.markers.Parents`:
the preset's ``merge_within`` level, else the scenario's coarsest parent level).  Page 1 is the
index: the whole map with each parent's page number; then one page per parent, in code order,
drawn like the printed map (:mod:`planner.maps.static`) from the parent's new units and their
old units alone, with the reference layers' boundaries that reach the page, the names and the
gap markers of its units, the dates, the data-source line and the notice.  A map without parent
units has the index page alone.

The PDF is deterministic: no creation date, fonts embedded the same way every time.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import shapely
from matplotlib.backends.backend_pdf import PdfPages

from planner.chart_style import chart_style
from planner.maps.data import MapData
from planner.maps.layers import map_words
from planner.maps.markers import Parents, place_markers
from planner.maps.static import PRINT_STYLE, _figure, plt

ATLAS_FILE = "atlas.pdf"
#: The PDF's metadata: no dates and no software version, so two runs give the same bytes, on any machine.
PDF_METADATA = {"Creator": "planner", "Producer": None, "CreationDate": None, "ModDate": None}


def render_atlas(data: MapData, *, paper: str = "A4", orientation: str | None = None) -> bytes:
    """The atlas as PDF bytes.

    Parameters
    ----------
    data : MapData
        The prepared map.
    paper, orientation : str
        As :func:`planner.maps.static.render_static` takes them (every page the same paper; the
        orientation, when not given, after each page's shape).

    Returns
    -------
    bytes
        The PDF: the index page, then one page per parent unit.
    """
    pages = [index_data(data), *(page_data(data, p) for p in range(len(data.parents.codes)))]
    buffer = io.BytesIO()
    with plt.rc_context(chart_style(PRINT_STYLE)), PdfPages(buffer, metadata=PDF_METADATA) as pdf:
        for number, page in enumerate(pages):
            figure = _figure(page, paper, orientation, names=number > 0)
            try:
                if number == 0:
                    _page_numbers(figure.axes[0], figure, data)
                pdf.savefig(figure)
            finally:
                plt.close(figure)
    return buffer.getvalue()


def index_data(data: MapData) -> MapData:
    """The index page: the whole map under the atlas's title."""
    words = map_words()["atlas"]
    subtitle = words["index_subtitle"].format(level=_words(data.parents.level)) if data.parents.codes \
        else data.subtitle
    return replace(data, title=words["index_title"].format(title=data.title), subtitle=subtitle)


def page_data(data: MapData, parent: int) -> MapData:
    """The map of one parent unit: its new units, their old units and gaps, the reference boundaries nearby.

    Parameters
    ----------
    data : MapData
        The whole map.
    parent : int
        The parent's index in ``data.parents.codes``.

    Returns
    -------
    MapData
        With the parent's name as title and its page number in the subtitle.
    """
    parents = data.parents
    chosen = [i for i, p in enumerate(parents.of_new) if p == parent]
    olds = sorted(j for i in chosen for j in data.members[i])
    new_at = {i: k for k, i in enumerate(chosen)}
    old_at = {j: k for k, j in enumerate(olds)}
    codes = {data.new[i].code for i in chosen}
    words = map_words()["atlas"]
    subtitle = words["page_subtitle"].format(
        level=_words(parents.level).capitalize(), code=parents.codes[parent], page=parent + 2,
        pages=len(parents.codes) + 1, units=f"{len(chosen):,}", old=f"{len(olds):,}")
    page = replace(
        data, title=words["page_title"].format(name=parents.names[parent]), subtitle=subtitle,
        old=[data.old[j] for j in olds], old_new=[new_at[data.old_new[j]] for j in olds],
        old_population=[data.old_population[j] for j in olds], new=[data.new[i] for i in chosen],
        colours=[data.colours[i] for i in chosen], status=[data.status[i] for i in chosen],
        seats=[data.seats[i] for i in chosen], figures=[data.figures[i] for i in chosen],
        members=[[old_at[j] for j in data.members[i]] for i in chosen],
        gaps=[g for g in data.gaps if g.unit in codes], unplaced_gaps=[],
        parents=Parents(parents.level, [parents.codes[parent]], [parents.names[parent]], [0] * len(chosen),
                        [parents.labels[parent]]))
    box = shapely.box(*page.bounds)
    return replace(page, references=tuple(
        replace(layer, shapes={c: s for c, s in layer.shapes.items() if s is not None and s.intersects(box)})
        for layer in data.references))


def _words(level: str) -> str:
    """A level's name as words (``new_province``: ``new province``)."""
    return level.replace("_", " ")


def _page_numbers(axes: Any, figure: Any, data: MapData) -> None:
    """Each parent's page number at its marker point, boxed; moved beside another it would cover, with a
    leader line."""
    axes.apply_aspect()
    transform, inverse = axes.transData, axes.transData.inverted()
    anchors = [tuple(transform.transform((data.origin[0] + x * data.step, data.origin[1] + y * data.step)))
               for x, y in data.parents.labels]
    radius = 7.0 * figure.dpi / 72.0
    for k, (anchor, spot) in enumerate(zip(anchors, place_markers(anchors, [], radius))):
        x, y = inverse.transform(spot)
        if spot != anchor:
            axes.plot(*zip(inverse.transform(anchor), (x, y)), color="#333333", linewidth=0.5, zorder=8.5)
        axes.text(x, y, str(k + 2), fontsize=7, weight="bold", ha="center", va="center", zorder=9,
                  bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#111111",
                        "linewidth": 0.6})
