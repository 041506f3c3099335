"""Fast constructive first plans, handed to the search (and to CP-SAT as hints).

- :func:`grown_plan`: from the hardest unit left (fewest free neighbours), new units grow
  towards their standard (the neighbour that leaves the smallest overshoot joins) and units
  that cannot complete one join a neighbour; the count-target pipeline weighs it against
  packing.
- :func:`voronoi_plan`: with a count, ``k`` seeds spread by population and distance, then a
  few rounds of graph-Voronoi cells and seat moves to each cell's population-weighted medoid.
  Cells of a graph-Voronoi partition are contiguous and satisfy the model's contiguity
  ordering.  It is the fallback of count targets.
- :func:`first_plan` for max-p (the best of randomised growths, nearest-first growth and
  packing) and min-count (nearest-first growth until no unit within reach is left).

A first plan may break hard constraints (access, decisions); the search repairs them, since
its score counts broken constraints first.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np

from planner.inputs.preset import Preset
from planner.optimize.groups import (
    Groups,
    cells,
    closest_to_standard,
    components,
    grow_plan,
    nearest,
    seat_of_medoid,
)
from planner.optimize.packing import packed_plan
from planner.optimize.region import Region
from planner.optimize.scoring import score

#: Rounds of seat moves and new cells for the Voronoi plan (it settles in a few).
LLOYD_ROUNDS = 6
#: Randomised growths tried for a max-p first plan (the best is kept).
GROWTH_TRIES = 30
#: Max-p rests on packing: more grown candidates per seat than a count target (12), and this many
#: times its packing time.
MAX_P_VARIANTS = 20
MAX_P_PACK_FACTOR = 2.0
#: Noise of the randomised growths: from NOISE_FIRST for the first try, rising by NOISE_RISE over
#: the tries (early tries stay near the plain growth, later ones explore).
NOISE_FIRST = 0.05
NOISE_RISE = 0.3
#: Weight of the random draw against the count of free neighbours when a randomised growth
#: picks its next seed.
SEED_NOISE_WEIGHT = 3


def grown_plan(region: Region, preset: Preset, units: list[int], rng: random.Random | None = None,
               noise: float = 0.0) -> Groups:
    """New units grown over ``units`` until each meets its standard; leftovers join a neighbour.

    Seeds are the fixed seats, then the unit with the fewest free neighbours (the hardest to
    place), the most populous first.  With ``rng`` and ``noise`` > 0 the choices are perturbed
    (for randomised restarts).  Seats end at each new unit's medoid.
    """
    noisy = rng if rng is not None and noise > 0 else None

    def jitter() -> float:
        return noise * noisy.random() if noisy is not None else 0.0

    def hardest(free: set[int]) -> int:
        return min(free, key=lambda u: (sum(v in free for v in region.neighbours[u]) + SEED_NOISE_WEIGHT * jitter(),
                                        -region.population[u], u))

    groups = grow_plan(region, preset, units, hardest, closest_to_standard(region, preset, noisy, noise))
    return {seat_of_medoid(region, m, s): sorted(m) for s, m in groups.items()}


def best_of_growths(region: Region, preset: Preset, units: list[int], rng: random.Random, tries: int,
                    key: Callable[[Groups], object]) -> Groups:
    """The best of one plain and ``tries - 1`` randomised growths, by ``key`` (highest wins)."""
    best = grown_plan(region, preset, units)
    best_key = key(best)
    for attempt in range(1, tries):
        candidate = grown_plan(region, preset, units, rng, noise=NOISE_FIRST + NOISE_RISE * attempt / tries)
        candidate_key = key(candidate)
        if candidate_key > best_key:
            best, best_key = candidate, candidate_key
    return best


def nearest_growth_plan(region: Region, preset: Preset, units: list[int], rng: random.Random,
                        until_standard: bool) -> Groups:
    """New units grown nearest-first from seeds in a shuffled order, each until it meets its
    standard (or, without ``until_standard``, until reach is exhausted)."""
    order = list(units)
    rng.shuffle(order)
    position = {u: i for i, u in enumerate(order)}

    def fewest_free_neighbours(free: set[int]) -> int:
        return min(free, key=lambda u: (sum(v in free for v in region.neighbours[u]), position[u]))

    return grow_plan(region, preset, units, fewest_free_neighbours, nearest(region),
                     until_standard=until_standard, attach_by_status=False)


def first_plan(region: Region, preset: Preset, rng: random.Random, pack_time: float = 0.0,
               workers: int = 1, stop_at: float | None = None) -> Groups:
    """A first plan for a region: seat -> sorted members (see the module docstring).

    For max-p with ``pack_time`` > 0 the packing of :mod:`planner.optimize.packing` competes
    with the growths (and stops at the emergency stop ``stop_at``).
    """
    fixed = {u: [u] for u in region.unchanged}
    free = [u for u in range(region.size) if u not in fixed]
    if not free:
        return fixed
    mode = region.target.mode
    if mode in ("count", "reduction"):
        groups = voronoi_plan(region, free, max(1, region.target.lo - len(fixed)))
    elif mode == "max_p":
        groups = _max_p_plan(region, preset, free, fixed, rng, pack_time, workers, stop_at)
    else:
        groups = nearest_growth_plan(region, preset, free, rng, until_standard=False)
    groups.update(fixed)
    return {s: sorted(m) for s, m in sorted(groups.items())}


def _max_p_plan(region: Region, preset: Preset, free: list[int], fixed: Groups, rng: random.Random,
                pack_time: float, workers: int, stop_at: float | None) -> Groups:
    def key(plan: Groups) -> tuple:
        return score(region, preset, {**plan, **fixed}, "strict", 1)

    grown = best_of_growths(region, preset, free, rng, GROWTH_TRIES, key)
    options = [nearest_growth_plan(region, preset, free, rng, until_standard=True), grown]
    if pack_time > 0:
        packed = packed_plan(region, preset, rng, deterministic_time=MAX_P_PACK_FACTOR * pack_time,
                             workers=workers, variants=MAX_P_VARIANTS, stop_at=stop_at)
        options.append({s: m for s, m in packed.items() if s not in fixed})
    return max(options, key=key)


def voronoi_plan(region: Region, units: list[int], k: int) -> Groups:
    """``k`` graph-Voronoi cells over ``units`` (at least one per connected part)."""
    seeds = initial_seeds(region, units, k)
    groups = cells(region, units, seeds)
    for _ in range(LLOYD_ROUNDS):
        moved = [seat_of_medoid(region, members, s) for s, members in groups.items()]
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
    nearest_km = np.min(region.distance_km[np.ix_(index, seeds)], axis=1) if seeds else np.full(len(units), 1e9)
    while len(seeds) < k:
        spread = weight * nearest_km
        spread[np.isin(index, seeds)] = -1.0
        best = int(index[int(np.argmax(spread))])
        if best in seeds:
            break
        seeds.append(best)
        nearest_km = np.minimum(nearest_km, region.distance_km[index, best])
    return sorted(seeds)
