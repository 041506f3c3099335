"""Packing: as many disjoint new units meeting the standard as a pool of candidates allows.

Greedy growth spends population and area where it happens to start, and a neighbourhood
search cannot undo that waste once every new unit is tight.  Packing looks at the whole
region at once:

1. **Candidates** (:func:`candidate_groups`): from every unit as a seat, a few grown new
   units that meet the standard with the least to spare: the growth adds the neighbour that
   brings the unit closest to its standard (smallest overshoot once it meets it), with seeded
   noise for the variants and one nearest-first (compact) variant, then drops members the
   unit does not need.  A unit no growth reached gets candidates from every other seat that
   could hold it, grown from the chain of units between the two.
2. **Packing** (:func:`pack`): CP-SAT picks the most candidates that share no unit
   (set packing), then the least person-km among such choices.
3. The units left out join a neighbouring new unit, where it keeps its status
   (:func:`planner.optimize.groups.attach_leftovers`).

The result is the first plan of count and reduction targets (its weak units then dissolved,
:mod:`planner.optimize.dissolve`, and merges bring it to the count) and competes with the
growths for max-p.
"""

from __future__ import annotations

import random

from ortools.sat.python import cp_model

from planner.inputs.preset import Preset
from planner.optimize.groups import Groups, Growth, attach_leftovers, closest_to_standard, grow, nearest, seat_of_medoid
from planner.optimize.recombine import Pool
from planner.optimize.region import Region
from planner.optimize.scoring import connected, group_status
from planner.optimize.search import past_stop, seconds_left
from planner.optimize.solver import cp_solver, solve_two_phase
from planner.rules.standards import MEETS

#: Grown candidates per seat: one plain growth, one nearest-first (compact) growth and the
#: rest with noise (enough variety for the packing; more costs time for little gain on Thanh Hóa).
VARIANTS = 12
#: Noise added to the deficit of each option in a variant growth (deficits are shares of the
#: standard, so 3 lets a variant take a neighbour well away from the tightest choice).
NOISE = 3.0
#: Share of the packing's deterministic time spent on the count (the rest on person-km).
PRIMARY_SHARE = 0.8
#: A candidate stops growing at this many members (no real new unit needs more).
MAX_CANDIDATE_MEMBERS = 12


def candidate_groups(region: Region, preset: Preset, rng: random.Random,
                     variants: int = VARIANTS, stop_at: float | None = None) -> list[tuple[int, ...]]:
    """Distinct new units meeting the standard, grown from every unit as a seat (sorted).

    At the emergency stop ``stop_at`` (:func:`planner.optimize.search.past_stop`) the
    candidates found so far are returned.
    """
    found: set[tuple[int, ...]] = set()
    limit = min(region.max_members or MAX_CANDIDATE_MEMBERS, MAX_CANDIDATE_MEMBERS)
    compact = nearest(region)
    for seat in range(region.size):
        if past_stop(stop_at):
            return sorted(found)
        if seat in region.unchanged:
            continue
        for variant in range(variants):
            choose = compact if variant == 1 else closest_to_standard(region, preset, rng, NOISE if variant else 0.0)
            growth = grow(region, preset, seat, choose, limit=limit)
            if growth.complete:
                found.add(tuple(sorted(_trim(region, preset, seat, growth))))
    covered = {u for members in found for u in members}
    for u in range(region.size):
        if u not in covered and u not in region.unchanged:
            found |= _candidates_holding(region, preset, u, rng, limit)
    return sorted(found)


def _candidates_holding(region: Region, preset: Preset, unit: int, rng: random.Random,
                        limit: int) -> set[tuple[int, ...]]:
    """For a unit no growth reached: from each other seat that could hold it, a candidate grown
    from the chain of units between the two (a remote unit can still join a seat that lies
    within the access limit of it and of a neighbour)."""
    found: set[tuple[int, ...]] = set()
    for seat in range(region.size):
        if seat == unit or seat in region.unchanged or not region.reachable(unit, seat):
            continue
        path = chain(region, seat, unit)
        if path is None or len(path) > limit:
            continue
        growth = grow(region, preset, seat, closest_to_standard(region, preset, rng), start=path, limit=limit)
        if growth.complete:
            found.add(tuple(sorted(_trim(region, preset, seat, growth, keep={unit}))))
    return found


def chain(region: Region, seat: int, unit: int) -> list[int] | None:
    """The fewest units leading from the seat to the unit, each within the access limit of the seat."""
    previous = region.holding_tree(seat)
    if unit not in previous:
        return None
    path = [unit]
    while path[-1] != seat:
        path.append(previous[path[-1]])
    return path[::-1]


def _trim(region: Region, preset: Preset, seat: int, growth: Growth, keep: set[int] | None = None) -> list[int]:
    """Drop members (largest population first) the unit still meets the standard without."""
    kept = list(growth.members)
    for u in sorted(growth.members, key=lambda v: (-region.population[v], v)):
        if u == seat or (keep and u in keep):
            continue
        rest = [v for v in kept if v != u]
        if connected(region, rest) and group_status(region, preset, rest) == MEETS:
            kept = rest
    return kept


def pack(region: Region, preset: Preset, candidates: list[tuple[int, ...]], *, seed: int,
         deterministic_time: float, workers: int = 1, wall_limit: float | None = None) -> Groups:
    """The most disjoint candidates (then the least person-km), leftovers attached; seat -> members.

    Units that must stay unchanged are new units of their own; a fixed seat left out of
    every chosen candidate becomes the seat of a new unit that leftovers may join.
    ``wall_limit`` (seconds) is the emergency stop of the solve.
    """
    pool = Pool()
    pool.member_sets.update(candidates)
    columns = pool.columns(region, preset, "strict", {})
    model = cp_model.CpModel()
    y = [model.NewBoolVar("") for _ in columns]
    covering: list[list[cp_model.IntVar]] = [[] for _ in range(region.size)]
    for var, column in zip(y, columns):
        for u in column.members:
            covering[u].append(var)
    for literals in covering:
        if len(literals) > 1:
            model.AddAtMostOne(literals)
    groups: Groups = {u: [u] for u in region.unchanged}
    if columns:
        solver = cp_solver(seed, PRIMARY_SHARE * deterministic_time, workers, wall_limit=wall_limit)
        person_km = sum(var * column.cost for var, column in zip(y, columns))
        found = solve_two_phase(model, solver, sum(y), person_km, y,
                                lambda s: [s.BooleanValue(var) for var in y], minimize_secondary=True,
                                second_time=(1 - PRIMARY_SHARE) * deterministic_time, wall_limit=wall_limit)
        if found.best is not None:
            groups.update({column.seat: list(column.members) for column, take in zip(columns, found.best) if take})
    placed = {u for members in groups.values() for u in members}
    for u in region.fixed_seats:
        if u not in placed:
            groups[u] = [u]
            placed.add(u)
    attach_leftovers(region, preset, groups, [u for u in range(region.size) if u not in placed])
    return {_seat(region, s, m): sorted(m) for s, m in sorted(groups.items())}


def _seat(region: Region, seat: int, members: list[int]) -> int:
    if len(members) == 1 or seat in region.unchanged:
        return seat
    return seat_of_medoid(region, members, seat)


def packed_plan(region: Region, preset: Preset, rng: random.Random, *, deterministic_time: float,
                workers: int = 1, variants: int = VARIANTS, stop_at: float | None = None) -> Groups:
    """Candidates and packing in one call (see the module docstring), both stopped at ``stop_at``."""
    candidates = candidate_groups(region, preset, rng, variants, stop_at)
    return pack(region, preset, candidates, seed=rng.randrange(2**31 - 1),
                deterministic_time=deterministic_time, workers=workers, wall_limit=seconds_left(stop_at))


__all__ = ["candidate_groups", "chain", "pack", "packed_plan"]
