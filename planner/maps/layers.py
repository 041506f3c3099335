"""Reference layers of the maps, and the shared-edge simplification of every drawn boundary.

A reference layer is a set of boundaries drawn over the units for orientation: the parent
units before the arrangement (old provinces and old districts: the old units dissolved by
their parent columns, ``units.columns.parents``) and, when the scenario maps a parent level
to the one formed after the arrangement, the new parents (old province -> new province: a
mapped ``merge_within`` level, else ``units.contexts.map``, :mod:`planner.inputs.contexts`).

:func:`simplify_coverage` simplifies polygons that tile the map (a *coverage*) so that
neighbours keep sharing their edges: the polygons are first cleaned into an exact coverage
(overlaps given to one neighbour, gaps narrower than the gap width filled, shared edges made
identical: :func:`shapely.coverage_clean`), then every shared edge is simplified once for both
sides (:func:`shapely.coverage_simplify`), so the result has no slivers and no gaps.
:func:`clean_coverage` is the cleaning step alone, and :func:`zoom_levels` gives one clean coverage at two
or three tolerances, each level simplified from the same clean coverage, so neighbours share their edges at
every level: the interactive map draws old and new units and reference layers at the level the zoom needs.

The titles of the layers come from ``planner/templates/map_words.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import shapely

from planner.inputs.contexts import read_parent_map
from planner.inputs.problems import ProblemList
from planner.inputs.scenario import Scenario
from planner.inputs.yamlio import load_yaml

#: Gaps between old units narrower than this many times the scenario's ``tolerance_m`` (the distance within which
#: two units count as neighbours) are filled on the maps: the slivers of boundaries digitised apart (up to 178 m
#: across in Thanh Hóa's GADM outlines, tolerance_m 50), never a unit without a polygon (a commune is kilometres
#: across), which stays a hole.
GAPS_PER_TOLERANCE = 4
#: Tolerances of the zoom levels, as multiples of the finest (the map's display tolerance).
ZOOM_FACTORS = (1.0, 4.0, 16.0)
WORDS_FILE = "map_words.yaml"


@dataclass(frozen=True)
class ReferenceLayer:
    """One reference layer: the boundaries and names of the units of one parent level.

    Attributes
    ----------
    key : str
        ``<level>_old`` (before the arrangement) or ``<level>_new`` (after): ``province_old``.
    title : str
        What the legend calls it (``planner/templates/map_words.yaml``).
    level : int
        0 for the coarsest layer (fewest units), 1 for the next...: finer layers are for closer zooms.
    shapes : dict
        Parent code -> polygon(s), in the map's coordinates (sorted by code).
    names : dict
        Parent code -> name (the code when the scenario names none).
    levels : tuple of dict
        The same boundaries at each detail level of the map, finest first (``code -> polygon(s)``, dissolved
        from the old units' shapes at that level, so the lines lie on their edges); empty when not given.
    """

    key: str
    title: str
    level: int
    shapes: dict[str, Any]
    names: dict[str, str]
    levels: tuple[dict[str, Any], ...] = ()


@cache
def map_words() -> dict[str, Any]:
    """The fixed words of the maps (``planner/templates/map_words.yaml``)."""
    return load_yaml((resources.files("planner") / "templates" / WORDS_FILE).read_text("utf-8"))


def simplify_coverage(shapes: Mapping[str, Any], tolerance: float, *, gap_width: float | None = None,
                      clean: bool = True) -> dict[str, Any]:
    """Polygons that tile a map, simplified so that neighbours keep sharing their edges.

    Parameters
    ----------
    shapes : mapping
        Code -> polygon or multipolygon (None or empty: left out).
    tolerance : float
        The simplification tolerance (roughly the square root of the largest triangle removed), in the
        shapes' units.
    gap_width : float, optional
        Gaps between neighbours narrower than this are given to a neighbour when cleaning (default:
        ``tolerance``).
    clean : bool
        Clean the polygons into an exact coverage first; pass False for shapes that already are one (the
        output of this function, or shapes dissolved from it).

    Returns
    -------
    dict
        Code -> simplified polygon(s), sorted by code; a polygon the cleaning or simplification would
        empty is kept as it was given.

    Examples
    --------
    >>> from shapely import box
    >>> shapes = {"left": box(0, 0, 1, 1), "right": box(1.001, 0, 2, 1),   # a sliver 0.001 wide between them
    ...           "top": box(0, 1, 2, 2), "bottom": box(0, -1, 2, 0)}
    >>> result = list(simplify_coverage(shapes, 0.01).values())
    >>> round(shapely.union_all(result).area, 6), bool(shapely.coverage_is_valid(result))
    (6.0, True)
    """
    cleaned = clean_coverage(shapes, tolerance if gap_width is None else gap_width) if clean \
        else {c: g for c, g in sorted(shapes.items()) if g is not None and not g.is_empty}
    if not cleaned:
        return {}
    given = np.array(list(cleaned.values()), dtype=object)
    simplified = shapely.coverage_simplify(given, tolerance)
    simplified = np.where(shapely.is_empty(simplified), given, simplified)
    return dict(zip(cleaned, simplified.tolist()))


def clean_coverage(shapes: Mapping[str, Any], gap_width: float) -> dict[str, Any]:
    """Polygons that tile a map cleaned into an exact coverage (:func:`shapely.coverage_clean`), not simplified.

    Overlaps are given to one neighbour, gaps narrower than ``gap_width`` to a neighbour, and shared edges made
    identical.  Returns code -> polygon(s), sorted by code, None and empty shapes left out; a polygon the cleaning
    would empty is kept as it was given.
    """
    codes = sorted(c for c, g in shapes.items() if g is not None and not g.is_empty)
    if not codes:
        return {}
    given = np.array([shapes[c] for c in codes], dtype=object)
    cleaned = shapely.coverage_clean(given, gap_width=gap_width)
    cleaned = np.where(shapely.is_empty(cleaned), given, cleaned)
    return dict(zip(codes, cleaned.tolist()))


def zoom_levels(shapes: Mapping[str, Any], tolerance: float,
                factors: tuple[float, ...] = ZOOM_FACTORS) -> list[dict[str, Any]]:
    """A coverage at several tolerances (``tolerance`` times each factor), finest first.

    Parameters
    ----------
    shapes : mapping
        Code -> polygon(s) forming an exact coverage (:func:`clean_coverage`'s or :func:`simplify_coverage`'s
        output).
    tolerance : float
        The finest tolerance.
    factors : tuple of float
        Multiples of ``tolerance``, one per level.

    Returns
    -------
    list of dict
        One ``code -> polygon(s)`` per level; every level keeps the shared edges.
    """
    return [simplify_coverage(shapes, tolerance * factor, clean=False) for factor in factors]


def dissolve(shapes: Mapping[str, Any], groups: Mapping[str, str]) -> dict[str, Any]:
    """The union of the polygons of each group (a coverage stays a coverage).

    Parameters
    ----------
    shapes : mapping
        Code -> polygon(s), forming a coverage.
    groups : mapping
        Code -> group code; codes without a group (or with an empty one) are left out.

    Returns
    -------
    dict
        Group code -> the union of its members' polygons, sorted by group code.
    """
    members: dict[str, list[Any]] = {}
    for code in sorted(shapes):
        group = groups.get(code)
        if group and shapes[code] is not None and not shapes[code].is_empty:
            members.setdefault(str(group), []).append(shapes[code])
    result = {}
    for group in sorted(members):
        union = shapely.coverage_union_all(np.array(members[group], dtype=object))
        result[group] = union if union.is_valid else shapely.make_valid(
            shapely.union_all(np.array(members[group], dtype=object)))
    return result


def reference_layers(scenario: Scenario, shapes: Mapping[str, Any],
                     to_map: Callable[[np.ndarray], np.ndarray] | None = None,
                     levels: Sequence[Mapping[str, Any]] = ()) -> tuple[ReferenceLayer, ...]:
    """The reference layers of a scenario: its parent units before the arrangement and, when mapped, after.

    Parameters
    ----------
    scenario : Scenario
        Its parent levels and names, and the mapped parent level if it declares one.
    shapes : mapping
        Old unit code -> display polygon(s), forming a coverage (:func:`simplify_coverage`).
    to_map : callable, optional
        Turns an array of shapes into the map's coordinates (default: as they are).
    levels : sequence of mappings, optional
        Old unit code -> polygon(s) at each detail level of the map, finest first (:func:`zoom_levels` of the
        same clean coverage); each layer is dissolved from each of them too (:attr:`ReferenceLayer.levels`).

    Returns
    -------
    tuple of ReferenceLayer
        Coarsest first (by :attr:`ReferenceLayer.level`).
    """
    words = map_words()["reference_layers"]
    found = [(f"{level}_old", words["old"], level, groups, scenario.parent_names.get(level, {}))
             for level, groups in _old_levels(scenario).items()]
    mapped = _new_level(scenario)
    if mapped is not None:
        level, groups, names = mapped
        found.append((f"{level}_new", words["new"], level, groups, names))
    def mapped(dissolved: Mapping[str, Any], codes: list[str]) -> dict[str, Any]:
        drawn = np.array([dissolved.get(c) for c in codes], dtype=object)
        drawn = to_map(drawn) if to_map is not None and len(drawn) else drawn
        return dict(zip(codes, drawn.tolist()))

    layers = []
    for key, title, level, groups, names in found:
        dissolved = dissolve(shapes, groups)
        codes = list(dissolved)
        drawn = mapped(dissolved, codes)
        layers.append((key, title.format(level=level, Level=level.capitalize()), drawn,
                       {c: str(names.get(c) or c) for c in codes},
                       tuple(drawn if at is shapes else mapped(dissolve(at, groups), codes) for at in levels)))
    order = sorted(range(len(layers)), key=lambda i: (len(layers[i][2]), layers[i][0]))
    return tuple(ReferenceLayer(layers[i][0], layers[i][1], rank, layers[i][2], layers[i][3], layers[i][4])
                 for rank, i in enumerate(order))


def _old_levels(scenario: Scenario) -> dict[str, dict[str, str]]:
    """Parent level -> old unit code -> parent code, for the levels the units table gives."""
    mapped = _mapped_level(scenario)
    return {level: _codes(scenario.units[level]) for level in scenario.parent_levels
            if level in scenario.units.columns and level != mapped}


def _mapped_level(scenario: Scenario) -> str | None:
    """The parent level that is mapped from another (a scenario's mapped ``merge_within``), if any."""
    merge_within = getattr(scenario, "merge_within", None)
    return merge_within.level if merge_within is not None and merge_within.by else None


def _new_level(scenario: Scenario) -> tuple[str, dict[str, str], dict[str, str]] | None:
    """``(level, old unit -> new parent, new parent -> name)`` of the mapped parent level, if the scenario has one."""
    mapped = _mapped_level(scenario)
    if mapped is not None:
        by = scenario.merge_within.by  # type: ignore[attr-defined]
        return str(by), _codes(scenario.units[mapped]), scenario.parent_names.get(mapped, {})
    section = scenario.document.get("units") or {}
    contexts = section.get("contexts") if isinstance(section.get("contexts"), dict) else {}
    level = str(contexts.get("by", ""))
    if not contexts.get("map") or level not in scenario.units.columns:
        return None
    parent_map = read_parent_map(scenario.folder, section, ProblemList(), "")
    if not parent_map:
        return None
    old = _codes(scenario.units[level])
    return level, {code: parent_map.get(parent, "") for code, parent in old.items()}, {}


def _codes(column: pd.Series) -> dict[str, str]:
    """Unit code -> parent code as text (missing parents as empty text)."""
    return {str(code): "" if pd.isna(value) else str(value) for code, value in column.items()}
