"""A fast constructive first plan, handed to the search (and to CP-SAT as hints).

- With a count (exact or a range): ``k`` seeds spread by population and distance, then a
  few rounds of graph-Voronoi cells (each unit joins the nearest seat along the adjacency
  graph) and seat moves to each cell's population-weighted medoid.  Cells of a graph
  Voronoi partition are contiguous and satisfy the model's contiguity ordering.
- Max-p: greedy growth from seeds, adding the nearest neighbouring unit until the new
  unit meets its standard; units that cannot complete a unit join a neighbouring one.
- Min-count: the same growth, until no unit within reach is left.

The first plan may break hard constraints (access, decisions); the search repairs them,
since its score counts broken constraints first.
"""

from __future__ import annotations

import math
import random

import numpy as np

from planner.inputs.preset import Preset
from planner.optimize.construct import best_of_growths, cells
from planner.optimize.packing import packed_plan
from planner.optimize.region import Region
from planner.optimize.scoring import group_status, score
from planner.rules.standards import MEETS

LLOYD_ROUNDS = 6
#: Randomised growths tried for a max-p first plan (the best is kept).
GROWTH_TRIES = 30
#: Max-p rests on packing: more grown candidates per seat, and this many times the packing time.
MAX_P_VARIANTS = 20
MAX_P_PACK_FACTOR = 2.0


def warm_start(region: Region, preset: Preset, rng: random.Random, pack_time: float = 0.0,
               workers: int = 1) -> dict[int, list[int]]:
    """A first plan for a region: seat -> sorted members.

    For max-p with ``pack_time`` > 0 the packing of :mod:`planner.optimize.packing` competes
    with the growths.
    """
    fixed = {u: [u] for u in region.unchanged}
    free = [u for u in range(region.size) if u not in fixed]
    if not free:
        return fixed
    mode = region.target.mode
    if mode in ("count", "reduction"):
        k = max(1, region.target.lo - len(fixed))
        groups = voronoi_plan(region, free, k)
    elif mode == "max_p":
        def key(plan: dict[int, list[int]]) -> tuple:
            return score(region, preset, {**plan, **fixed}, "strict", 1)

        grown = best_of_growths(region, preset, free, rng, GROWTH_TRIES, key)
        options = [growth_plan(region, preset, free, rng, until_standard=True), grown]
        if pack_time > 0:
            packed = packed_plan(region, preset, rng, deterministic_time=MAX_P_PACK_FACTOR * pack_time,
                                 workers=workers, variants=MAX_P_VARIANTS)
            options.append({s: m for s, m in packed.items() if s not in fixed})
        groups = max(options, key=key)
    else:
        groups = growth_plan(region, preset, free, rng, until_standard=False)
    groups.update(fixed)
    return {s: sorted(m) for s, m in sorted(groups.items())}


def components(region: Region, units: list[int]) -> list[list[int]]:
    """Connected parts of the units (in index order)."""
    inside, seen, parts = set(units), set(), []
    for start in units:
        if start in seen:
            continue
        part, stack = [], [start]
        seen.add(start)
        while stack:
            u = stack.pop()
            part.append(u)
            for v in region.neighbours[u]:
                if v in inside and v not in seen:
                    seen.add(v)
                    stack.append(v)
        parts.append(sorted(part))
    return parts


def voronoi_plan(region: Region, units: list[int], k: int) -> dict[int, list[int]]:
    """``k`` graph-Voronoi cells over ``units`` (at least one per connected part)."""
    seeds = initial_seeds(region, units, k)
    groups = cells(region, units, seeds)
    for _ in range(LLOYD_ROUNDS):
        moved = [s if s in region.fixed_seats else _medoid(region, members) for s, members in groups.items()]
        if sorted(moved) == sorted(groups):
            break
        groups = cells(region, units, sorted(moved))
    return groups


def initial_seeds(region: Region, units: list[int], k: int) -> list[int]:
    """Seeds: fixed seats, the most populous unit of each part, then far and populous units."""
    seeds = [u for u in region.fixed_seats if u in set(units)]
    for part in components(region, units):
        if not any(s in part for s in seeds):
            seeds.append(max(part, key=lambda u: (region.population[u], -u)))
    index = np.array(units)
    weight = np.sqrt(region.population[index] + 1.0)
    nearest = np.min(region.distance_km[np.ix_(index, seeds)], axis=1) if seeds else np.full(len(units), 1e9)
    while len(seeds) < k:
        score = weight * nearest
        score[np.isin(index, seeds)] = -1.0
        best = int(index[int(np.argmax(score))])
        if best in seeds:
            break
        seeds.append(best)
        nearest = np.minimum(nearest, region.distance_km[index, best])
    return sorted(seeds)


def _medoid(region: Region, members: list[int]) -> int:
    index = np.array(members)
    costs = region.population[index] @ region.distance_km[np.ix_(index, index)]
    return int(index[int(np.argmin(costs))])


def growth_plan(region: Region, preset: Preset, units: list[int], rng: random.Random,
                until_standard: bool) -> dict[int, list[int]]:
    """Grow new units from seeds, each until it meets its standard (or reach is exhausted)."""
    unassigned = set(units)
    order = list(units)
    rng.shuffle(order)
    position = {u: i for i, u in enumerate(order)}
    groups: dict[int, list[int]] = {}
    leftovers: list[int] = []
    forced = [u for u in region.fixed_seats if u in unassigned]
    while unassigned:
        if forced:
            seed = forced.pop(0)
        else:
            seed = min(unassigned, key=lambda u: (sum(v in unassigned for v in region.neighbours[u]), position[u]))
        members = _grow(region, preset, seed, unassigned, until_standard)
        unassigned -= set(members)
        if not until_standard or group_status(region, preset, members) == MEETS:
            groups[seed] = members
        else:
            leftovers += members
    _attach(region, groups, leftovers)
    return groups


def _grow(region: Region, preset: Preset, seed: int, unassigned: set[int], until_standard: bool) -> list[int]:
    members = [seed]
    inside = {seed}
    limit = region.max_members or math.inf
    while len(members) < limit:
        if until_standard and group_status(region, preset, members) == MEETS:
            break
        frontier = {v for u in members for v in region.neighbours[u]
                    if v in unassigned and v not in inside and region.reachable(v, seed)
                    and v not in region.unchanged}
        if not frontier:
            break
        nearest = min(frontier, key=lambda v: (region.distance_km[v, seed], v))
        members.append(nearest)
        inside.add(nearest)
    return sorted(members)


def _attach(region: Region, groups: dict[int, list[int]], leftovers: list[int]) -> None:
    """Give each leftover unit to a neighbouring new unit (nearest seat), else its own unit."""
    seat_of = {u: s for s, members in groups.items() for u in members}
    pending = sorted(leftovers)
    while pending:
        progress = False
        waiting = []
        for u in pending:
            options = sorted({seat_of[v] for v in region.neighbours[u] if v in seat_of},
                             key=lambda s: (not region.reachable(u, s), region.distance_km[u, s], s))
            if options and region.reachable(u, options[0]):
                groups[options[0]].append(u)
                seat_of[u] = options[0]
                progress = True
            else:
                waiting.append(u)
        pending = waiting
        if not progress:
            for u in pending:
                groups[u] = [u]
                seat_of[u] = u
            break
    for s in groups:
        groups[s].sort()
