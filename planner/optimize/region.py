"""The data of one optimisation region: the units of one parent (province), ready for models.

A :class:`Region` holds plain arrays (picklable, so regions travel to worker processes):
populations and areas as exact integers, the attributes the standards look at, distances
between unit points, adjacency, the planners' decisions that concern the region and how
many new units it should get.  :func:`regions_of` cuts a scenario into regions along the
preset's merge level.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import networkx as nx
import numpy as np

from planner.evaluation.parts import access_matrix
from planner.inputs.numbers import number_or_zero as _number
from planner.inputs.preset import Preset
from planner.inputs.scenario import Scenario
from planner.rules.reductions import factor_values
from planner.rules.standards import parse_share

#: Largest scale tried to turn populations and areas into exact integers.
MAX_SCALE = 10_000


@dataclass
class CountTarget:
    """How many new units a region should get: ``lo <= count <= hi``; ``mode`` names the goal.

    ``mode`` is ``count`` or ``reduction`` (the count is fixed or ranged, standards maximised),
    ``max_p`` (as many units as possible, each meeting the standard) or ``min_count`` (as few
    as the access and size limits allow).
    """

    mode: str
    lo: int
    hi: int


@dataclass
class Region:
    """The units of one parent unit, as arrays indexed 0..n-1 in code order."""

    parent: str
    codes: list[str]
    names: list[str]
    kinds: list[str]
    terrains: list[str]          # unknown terrain already replaced by the preset's default
    contexts: list[str]
    population: np.ndarray       # float, NaN as 0
    area: np.ndarray             # float, NaN as 0
    pop_scale: int
    area_scale: int
    x: np.ndarray                # metres; NaN when the unit has no point
    y: np.ndarray
    neighbours: list[list[int]]
    access_max_km: float | None
    target: CountTarget
    merge_together: list[list[int]] = field(default_factory=list)
    keep_apart: list[list[int]] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    fixed_seats: list[int] = field(default_factory=list)
    max_members: int | None = None
    distance_km: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]
    #: How far unit ``u``'s residents are from seat ``s``, in km (``access_km[u, s]``): the distance between the
    #: two points, or for units dissolved from a finer table the population-weighted mean distance from
    #: ``u``'s parts to ``s``'s point, the evaluation's measure (:func:`planner.evaluation.parts.access_matrix`).
    #: The person-km and the access limit read it.
    access_km: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]
    #: Least-change repair: each unit's seat in the plan to repair (a unit joined to another seat
    #: has moved) and the most units that may move; None when no plan is repaired.
    home: list[int] | None = None
    max_moves: int | None = None
    #: The parent unit's name (empty when the data gives none), for messages.
    parent_name: str = ""
    #: Factor column -> each unit's value, for the preset's special-factor reductions
    #: (:func:`planner.rules.reductions.factor_values`); empty when none applies.
    factors: dict[str, list[Any]] = field(default_factory=dict)
    #: Statuses of member sets already judged, with the preset they were judged under
    #: (:func:`planner.optimize.scoring.group_status`); not copied by ``dataclasses.replace``.
    statuses: tuple[Any, dict[tuple[int, ...], str]] | None = field(init=False, default=None, repr=False,
                                                                      compare=False)

    def __post_init__(self) -> None:
        if self.distance_km is None:
            dx = self.x[:, None] - self.x[None, :]
            dy = self.y[:, None] - self.y[None, :]
            distance = np.hypot(dx, dy) / 1000.0
            self.distance_km = np.nan_to_num(distance, nan=0.0)
        if self.access_km is None:
            self.access_km = self.distance_km

    @property
    def label(self) -> str:
        """The region in messages: ``parent unit 38 Thanh Hóa`` (``the scenario`` when merges may cross parents)."""
        if not self.parent:
            return "the scenario"
        return f"parent unit {self.parent}" + (f" {self.parent_name}" if self.parent_name else "")

    def unit_label(self, u: int) -> str:
        """Unit ``u`` in messages: its code, name and parent's name (``14755 Phường Hàm Rồng (Thanh Hóa)``)."""
        return f"{self.codes[u]} {self.names[u]}" + (f" ({self.parent_name})" if self.parent_name else "")

    @property
    def size(self) -> int:
        return len(self.codes)

    def int_population(self, i: int) -> int:
        return int(round(self.population[i] * self.pop_scale))

    def int_area(self, i: int) -> int:
        return int(round(self.area[i] * self.area_scale))

    def reachable(self, u: int, s: int) -> bool:
        """Whether unit ``u`` may have its seat at unit ``s`` (the hard access limit)."""
        limit = self.access_max_km
        return limit is None or self.access_km[u, s] <= limit + 1e-9

    def cost(self, u: int, s: int) -> int:
        """Population-weighted distance of ``u``'s residents to seat ``s``, in whole person-km."""
        return int(round(self.population[u] * self.access_km[u, s]))

    def graph_distances(self, seat: int) -> dict[int, float]:
        """Shortest-path lengths from ``seat`` over units within its access limit (cached).

        Edges are as long as the distance between the two units' points.
        """
        cache = self.__dict__.setdefault("_along", {})
        if seat not in cache:
            cache[seat] = _dijkstra(self, seat)
        return cache[seat]

    def holding_tree(self, seat: int) -> dict[int, int]:
        """Unit -> the unit before it on a fewest-unit chain from ``seat``, over units within the
        access limit of the seat (units that must stay unchanged only as their own seat).

        Its keys are every unit a new unit with this seat could hold (contiguous, all members in
        reach), in breadth-first order.
        """
        previous = {seat: seat}
        if seat in self.unchanged:
            return previous
        unchanged = set(self.unchanged)
        queue = [seat]
        for u in queue:
            for v in self.neighbours[u]:
                if v not in previous and v not in unchanged and self.reachable(v, seat):
                    previous[v] = u
                    queue.append(v)
        return previous

    def context(self) -> str:
        """The context used by the model: the most common one (uniform in practice)."""
        values = sorted(set(self.contexts))
        return max(values, key=self.contexts.count) if values else ""


def _dijkstra(region: Region, seat: int) -> dict[int, float]:
    best = {seat: 0.0}
    heap = [(0.0, seat)]
    done: dict[int, float] = {}
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done[u] = d
        for v in region.neighbours[u]:
            if v in done or not region.reachable(v, seat):
                continue
            step = max(float(region.distance_km[u, v]), 1e-6)
            if d + step < best.get(v, math.inf) - 1e-12:
                best[v] = d + step
                heapq.heappush(heap, (d + step, v))
    return done


def exact_scale(values: np.ndarray) -> int:
    """The smallest power of ten that turns every value into an integer (up to MAX_SCALE)."""
    scale = 1
    while scale < MAX_SCALE:
        scaled = values * scale
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return scale
        scale *= 10
    return MAX_SCALE


def share_fraction(value: object) -> Fraction:
    """A terrain share such as ``"2/3"`` or ``0.5`` as an exact fraction."""
    if isinstance(value, str) and "/" in value:
        return Fraction(value.replace(" ", ""))
    return Fraction(parse_share(value)).limit_denominator(10_000)


def parent_of(scenario: Scenario) -> dict[str, str]:
    """Unit code -> the parent unit inside which it may merge (one region when no level)."""
    level = scenario.merge_level
    if level is None:
        return {code: "" for code in scenario.units.index}
    return {code: str(parent) for code, parent in scenario.units[level].items()}


def regions_of(scenario: Scenario, graph: nx.Graph, targets: dict[str, CountTarget],
               access_max_km: float | None) -> list[Region]:
    """Cut the scenario into one region per parent unit, in parent-code order."""
    parents = parent_of(scenario)
    by_parent: dict[str, list[str]] = {}
    for code in sorted(scenario.units.index):
        by_parent.setdefault(parents[code], []).append(code)
    return [_region(scenario, graph, parent, codes, targets[parent], access_max_km)
            for parent, codes in sorted(by_parent.items())]


def _region(scenario: Scenario, graph: nx.Graph, parent: str, codes: list[str],
            target: CountTarget, access_max_km: float | None) -> Region:
    preset = scenario.preset
    index = {code: i for i, code in enumerate(codes)}
    nodes = [graph.nodes[c] for c in codes]
    population = np.array([_number(n.get("population")) for n in nodes])
    area = np.array([_number(n.get("area_km2")) for n in nodes])
    neighbours: list[list[int]] = [[] for _ in codes]
    for code in codes:
        for other in graph.neighbors(code):
            if other in index:
                neighbours[index[code]].append(index[other])
    decisions = scenario.decisions

    def local(groups: list[list[str]]) -> list[list[int]]:
        kept = [[index[c] for c in g if c in index] for g in groups]
        return [g for g in kept if len(g) >= 2]

    return Region(
        parent=parent,
        codes=codes,
        names=[str(n.get("name", c)) for c, n in zip(codes, nodes)],
        kinds=[str(n.get("kind", "")) for n in nodes],
        terrains=[str(n.get("terrain") or preset.unknown_terrain) for n in nodes],
        contexts=[str(n.get("context") or preset.default_context) for n in nodes],
        population=population,
        area=area,
        pop_scale=exact_scale(population),
        area_scale=exact_scale(area),
        x=np.array([float(n.get("x", math.nan)) for n in nodes]),
        y=np.array([float(n.get("y", math.nan)) for n in nodes]),
        neighbours=[sorted(set(n)) for n in neighbours],
        access_max_km=access_max_km,
        target=target,
        merge_together=local(decisions.merge_together),
        keep_apart=local(decisions.keep_apart),
        unchanged=sorted(index[c] for c in decisions.unchanged if c in index),
        fixed_seats=sorted(index[c] for c in decisions.fixed_seats if c in index),
        max_members=decisions.max_members,
        parent_name=parent_name_of(scenario, parent),
        factors=factor_values(preset, nodes),
        access_km=None if scenario.parts is None else access_matrix(scenario.parts, graph, codes),
    )


def parent_name_of(scenario: Scenario, parent: str) -> str:
    """The name of a parent unit of the merge level (empty when the data gives none).

    Parameters
    ----------
    scenario : Scenario
        Gives the merge level and the parents' names (``units.columns.parent_names``).
    parent : str
        The parent's code.

    Returns
    -------
    str
        Its name, or "".
    """
    level = scenario.merge_level
    return str(scenario.parent_names.get(level, {}).get(parent, "")) if level else ""


def parent_label(scenario: Scenario, parent: str) -> str:
    """A parent unit in messages: ``parent unit 38 Thanh Hóa`` (its code alone when it has no name)."""
    name = parent_name_of(scenario, parent)
    return f"parent unit {parent}" + (f" {name}" if name else "")


def example_region(columns: int = 3, rows: int = 2, population: float = 6000.0,
                   area_km2: float = 12.0) -> tuple[Region, Preset]:
    """A small grid of communes 1 km apart under the vn-2025 preset, for examples and tests.

    Units are numbered row by row; each borders the units left, right, above and below it.
    With the defaults, three units together meet the commune standard (16,000 residents, 30 km²).

    Examples
    --------
    >>> region, preset = example_region()
    >>> region.size, region.neighbours[0]
    (6, [1, 3])
    """
    from planner.inputs.preset import load_preset
    from planner.inputs.problems import ProblemList

    preset = load_preset("vn-2025", ProblemList())
    assert preset is not None
    n = columns * rows
    x = np.array([1000.0 * (i % columns) for i in range(n)])
    y = np.array([1000.0 * (i // columns) for i in range(n)])
    neighbours = [sorted(j for j in range(n) if abs(x[i] - x[j]) + abs(y[i] - y[j]) == 1000.0) for i in range(n)]
    region = Region(parent="", codes=[f"{i:05d}" for i in range(n)], names=[f"Xã {i}" for i in range(n)],
                    kinds=["commune"] * n, terrains=["other"] * n, contexts=[preset.default_context] * n,
                    population=np.full(n, population), area=np.full(n, area_km2), pop_scale=1, area_scale=1,
                    x=x, y=y, neighbours=neighbours, access_max_km=None, target=CountTarget("count", 1, n))
    return region, preset
