"""Gap markers: one per unit showing its most serious gap, or one per parent unit when zoomed out.

A new unit's parent is the unit of the scenario's merge level (the preset's ``merge_within``,
else the coarsest parent level) that holds its seat, or most of its old units when it has no
seat.  A parent's marker sits at the label point of one of its new units: the one nearest the
middle of them all (their label points weighted by their size), so it always falls inside
the parent.  The interactive page groups markers the same way (``planner/templates/map.js``);
the printed map uses :func:`gap_markers` and :func:`place_markers`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.inputs.scenario import Scenario
from planner.severities import worst_severity


@dataclass
class Parents:
    """The parent units that gap markers are grouped by when zoomed out.

    Attributes
    ----------
    level : str
        The parent level (``province``), empty when the scenario has none.
    codes, names : list of str
        The parents, sorted by code.
    of_new : list of int
        Per new unit (in the map's order), the index of its parent in ``codes`` (-1: none).
    labels : list of tuple
        Per parent, the grid point its marker sits at.
    """

    level: str = ""
    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    of_new: list[int] = field(default_factory=list)
    labels: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Marker:
    """One gap marker: a new unit's (or a parent's) gaps, their count and the most serious."""

    code: str
    name: str
    severity: str
    count: int
    point: tuple[float, float]
    parent: bool = False


def parent_groups(scenario: Scenario, assignment: Mapping[str, str], seats: Mapping[str, str],
                  new_units: list[Any]) -> Parents:
    """The parent of each new unit, and where each parent's marker goes.

    Parameters
    ----------
    scenario : Scenario
        For the parent levels of the old units and their names.
    assignment : mapping
        Old unit code -> new unit code.
    seats : mapping
        New unit code -> seat old unit code.
    new_units : list of MapUnit
        The map's new units (code, shape, label point and radius), sorted by code.

    Returns
    -------
    Parents
    """
    level = scenario.merge_level or (scenario.parent_levels[-1] if scenario.parent_levels else "")
    if not level:
        return Parents(of_new=[-1] * len(new_units))
    parent_of = scenario.units[level].astype(str)
    members: dict[str, list[str]] = {}
    for old, new in sorted(assignment.items()):
        members.setdefault(new, []).append(old)
    chosen = [_parent(seats.get(u.code), members.get(u.code, []), parent_of) for u in new_units]
    codes = sorted({c for c in chosen if c})
    index = {c: i for i, c in enumerate(codes)}
    names = scenario.parent_names.get(level, {})
    of_new = [index[c] if c else -1 for c in chosen]
    return Parents(level, codes, [str(names.get(c, c)) for c in codes], of_new,
                   [_middle([u for u, p in zip(new_units, of_new) if p == i]) for i in range(len(codes))])


def _parent(seat: str | None, members: list[str], parent_of: Any) -> str:
    if seat and seat in parent_of.index:
        return str(parent_of[seat])
    counts = Counter(str(parent_of[m]) for m in members if m in parent_of.index)
    return min(counts, key=lambda c: (-counts[c], c)) if counts else ""


def _middle(units: list[Any]) -> tuple[float, float]:
    """The label point of the unit nearest the size-weighted mean of the units' label points."""
    drawn = [u for u in units if u.shape is not None] or units
    weights = [max(u.radius, 1e-9) ** 2 for u in drawn]
    total = sum(weights)
    x = sum(w * u.label[0] for w, u in zip(weights, drawn)) / total
    y = sum(w * u.label[1] for w, u in zip(weights, drawn)) / total
    nearest = min(drawn, key=lambda u: ((u.label[0] - x) ** 2 + (u.label[1] - y) ** 2, u.code))
    return nearest.label


def gap_markers(data: Any, *, by_parent: bool = False, severities: Collection[str] | None = None,
                types: Collection[str] | None = None) -> list[Marker]:
    """The markers of the gaps shown: one per new unit, or per parent with ``by_parent``.

    Parameters
    ----------
    data : MapData
        The prepared map.
    by_parent : bool
        Group the markers by parent unit (:class:`Parents`), as when zoomed out.
    severities, types : collection of str, optional
        Only gaps of these severities and types (default: all).

    Returns
    -------
    list of Marker
        Sorted by code; each with the number of its gaps shown and the most serious of them.
    """
    found: dict[int, list[str]] = {}
    index = {u.code: i for i, u in enumerate(data.new)}
    for gap in data.gaps:
        if (severities is None or gap.severity in severities) and (types is None or gap.type in types):
            found.setdefault(index[gap.unit], []).append(gap.severity)
    parents = data.parents
    if by_parent and parents.codes:
        grouped: dict[int, list[str]] = {}
        for i, shown in found.items():
            if parents.of_new[i] >= 0:
                grouped.setdefault(parents.of_new[i], []).extend(shown)
        return [Marker(parents.codes[p], parents.names[p], worst_severity(s) or "", len(s), parents.labels[p], True)
                for p, s in sorted(grouped.items())]
    return [Marker(data.new[i].code, data.new[i].name, worst_severity(s) or "", len(s), data.new[i].label)
            for i, s in sorted(found.items())]


def place_markers(anchors: list[tuple[float, float]], labels: list[tuple[float, float, float, float]],
                  radius: float) -> list[tuple[float, float]]:
    """Where each marker goes so that it covers no label and no marker placed before it.

    The first free spot is taken among rings of eight spots around the anchor, each ring one
    marker diameter further out; the spot at the anchor itself comes first.

    Parameters
    ----------
    anchors : list of (x, y)
        Where each marker would go (display units: pixels).
    labels : list of (x0, y0, x1, y1)
        The boxes of the printed labels, in the same units.
    radius : float
        The marker's radius, in the same units.

    Returns
    -------
    list of (x, y)

    Examples
    --------
    >>> place_markers([(0.0, 0.0), (0.0, 0.0)], [(-5.0, -2.0, 5.0, 2.0)], 1.0)
    [(0.0, 5.0), (0.0, -5.0)]
    """
    taken = list(labels)
    placed = []
    for x, y in anchors:
        spot = next(p for p in _spots(x, y, radius) if not any(_hits(p, radius, box) for box in taken))
        placed.append(spot)
        taken.append((spot[0] - radius, spot[1] - radius, spot[0] + radius, spot[1] + radius))
    return placed


#: Directions tried around an anchor: right, up, left, down, then the diagonals.
DIRECTIONS = ((1, 0), (0, 1), (-1, 0), (0, -1), (0.7071, 0.7071), (-0.7071, 0.7071), (-0.7071, -0.7071),
              (0.7071, -0.7071))


def _spots(x: float, y: float, radius: float) -> Any:
    yield (x, y)
    ring = 1
    while True:
        for dx, dy in DIRECTIONS:
            yield (round(x + dx * ring * 2.5 * radius, 3), round(y + dy * ring * 2.5 * radius, 3))
        ring += 1


def _hits(point: tuple[float, float], radius: float, box: tuple[float, float, float, float]) -> bool:
    return (point[0] + radius > box[0] and point[0] - radius < box[2] and point[1] + radius > box[1]
            and point[1] - radius < box[3])


def parent_names(scenario: Scenario, codes: list[str]) -> list[str]:
    """Per old unit, the names of its parent units, finest first (``Huyện Đông Sơn, Tỉnh Thanh Hóa``).

    Parameters
    ----------
    scenario : Scenario
        Its parent levels (finest first) and their names.
    codes : list of str
        Old unit codes.

    Returns
    -------
    list of str
        ``""`` for a unit without parents; a parent without a name is given by its code.
    """
    columns = [(scenario.units[level].astype(str), scenario.parent_names.get(level, {}))
               for level in scenario.parent_levels if level in scenario.units.columns]
    result = []
    for code in codes:
        names = [str(names_of.get(column[code]) or column[code]) for column, names_of in columns
                 if code in column.index and column[code] not in ("", "nan")]
        result.append(", ".join(names))
    return result
