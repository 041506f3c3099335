"""Maps of a plan for policy staff: an interactive offline page and print-ready images.

:func:`write_maps` is the map stage of :func:`planner.pipeline.write_outputs` and of
``planner map``; it writes ``map.html`` (:mod:`planner.maps.html`), ``map.png`` and
``map.svg`` (:mod:`planner.maps.static`) from the data prepared once by
:mod:`planner.maps.data`, coloured by :mod:`planner.maps.colouring`, with the reference layers
of :mod:`planner.maps.layers`, the GIS files ``plan.gpkg`` and ``plan.geojson``
(:mod:`planner.maps.gis`) and, asked for, the atlas ``atlas.pdf`` (:mod:`planner.maps.atlas`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from planner.evaluation.evaluate import Evaluation
from planner.inputs.scenario import Scenario
from planner.maps.atlas import ATLAS_FILE, render_atlas
from planner.maps.data import MapData, prepare_map
from planner.maps.gis import GIS_FILES, write_gis
from planner.maps.html import render_html
from planner.maps.static import render_static
from planner.outputs import write_bytes, write_text

#: The files :func:`write_maps` writes (and :data:`ATLAS_FILE` when asked).
MAP_FILES = ("map.html", "map.png", "map.svg", *GIS_FILES)


def write_maps(out: str | Path, scenario: Scenario, graph: nx.Graph, evaluation: Evaluation, *,
               gaps: Iterable[Mapping[str, Any]] | None = None, title: str | None = None,
               date: str | None = None, draft_date: str | None = None, paper: str = "A4",
               orientation: str | None = None, atlas: bool = False) -> MapData:
    """Write ``map.html``, ``map.png``, ``map.svg``, ``plan.gpkg`` and ``plan.geojson`` of a plan into ``out``.

    Parameters
    ----------
    out : str or Path
        The output folder.
    scenario, graph, evaluation
        As :func:`planner.pipeline.write_outputs` has them.
    gaps : iterable of mappings, optional
        Gaps to mark, each ``{"unit", "type", "severity", "text"}`` (see
        :func:`planner.maps.data.prepare_map`).
    title, date : str, optional
        Override the printed title and (effective) date.
    draft_date : str, optional
        The draft's date printed (default: none; the print says ``Draft``).
    paper, orientation : str
        The printed map's paper (``A4``, ``A3``) and orientation (``portrait``, ``landscape``; None:
        after the map's shape), :func:`planner.maps.static.render_static`.
    atlas : bool
        Also write ``atlas.pdf`` (:func:`planner.maps.atlas.render_atlas`) on the same paper.

    Returns
    -------
    MapData
        The prepared map (for summaries: counts of units, gaps placed and not placed).
    """
    out = Path(out)
    data = prepare_map(scenario, graph, evaluation, gaps, title=title, date=date, draft_date=draft_date)
    html = render_html(data)
    png, svg = render_static(data, paper=paper, orientation=orientation)
    write_text(out / "map.html", html)
    write_bytes(out / "map.png", png)
    write_bytes(out / "map.svg", svg)
    write_gis(out, scenario, graph, evaluation, data)
    if atlas:
        write_bytes(out / ATLAS_FILE, render_atlas(data, paper=paper, orientation=orientation))
    return data


__all__ = ["ATLAS_FILE", "MAP_FILES", "MapData", "prepare_map", "render_atlas", "render_html", "render_static",
           "write_gis", "write_maps"]
