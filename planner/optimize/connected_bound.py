"""A tighter LP bound for max-p: column generation over *contiguous* sets only.

The packing bound of :mod:`planner.optimize.lp_bound` drops contiguity: a seat may gather any
units within its reach.  With a wide access limit that relaxation is loose (Thanh Hóa at 16,000
residents and 25 km: 243, though of the 4,430 sets its column generation priced only 331 are
contiguous), because units of the right size to fill a set are nearly always within reach,
though rarely next to each other.  Here every set must be contiguous, as a new unit must:

1. the restricted master LP is over contiguous sets only (the plan's new units, the search's
   new units that meet the standard, the contiguous sets the first bound found, and those
   priced here);
2. greedy pricing first: from each seat, a contiguous set grown by the cheapest price per
   share of the need still open, until no such set costs less than 1 (MAX_GREEDY_ROUNDS);
3. then exact pricing, for each seat: a set costing less than 1 can only hold units whose
   cheapest chain of units from the seat costs less than 1 (the *cheap component*, by
   Dijkstra's method); a knapsack cover over that component
   (:func:`planner.optimize.lp_bound._cover`, exact over rounded-up figures) is a first lower
   bound on the seat's cheapest set, and where it is below 1, CP-SAT finds the cheapest
   contiguous set (a single-commodity flow from the seat makes it contiguous) with a proven
   lower bound on its cost, even when stopped early;
4. any prices give a Lagrangian bound (``sum(prices)`` plus each seat's shortfall below 1), so
   the bound is the best of the rounds and stopping early never makes it wrong.

The work is fixed, not timed: at most MAX_ROUNDS exact rounds (fewer after STALL_ROUNDS
without a better bound), each CP-SAT pricing with PRICING_DETERMINISTIC_TIME and one worker.
Thanh Hóa at 16,000 residents: 228 against the plan's 222, where the first bound gives 243.
"""

from __future__ import annotations

import functools
import heapq
import math

import numpy as np
from ortools.sat.python import cp_model

from planner.optimize.groups import grow
from planner.optimize.lp_bound import EPSILON, LpBound, Requirement, _cover, _lagrangian, _master_prices, _mixes, _price
from planner.optimize.region import Region
from planner.optimize.scoring import connected
from planner.optimize.search import past_stop, seconds_left
from planner.optimize.solver import cp_solver

#: Rounds of column generation at most (with greedy pricing only, then with CP-SAT's), and
#: rounds without a better bound before stopping.
MAX_GREEDY_ROUNDS = 30
MAX_ROUNDS = 12
STALL_ROUNDS = 3
#: CP-SAT's deterministic time for one seat's pricing (one requirement).
PRICING_DETERMINISTIC_TIME = 0.05
#: Prices are whole numbers of this many parts of 1 in the pricing model (rounded down, so the
#: cost CP-SAT proves is never above the true one); figures are rounded up at this scale.
PRICE_SCALE = 10**6
FIGURE_SCALE = 100


def connected_packing_bound(region: Region, requirements: dict[int, list[Requirement]], first: LpBound,
                            start: list[tuple[int, ...]], stop_at: float | None = None,
                            not_alone: frozenset[int] = frozenset()) -> int:
    """An upper bound on the disjoint contiguous sets meeting the standard (see the module docstring).

    ``first`` is the packing bound without contiguity (its contiguous sets join the master); ``start``
    holds sets known to meet the standard (the plan's new units).  Returns at most
    ``first.value``.  At the emergency stop ``stop_at`` the best bound so far is returned.
    """
    reach = {s: np.array(sorted(region.holding_tree(s)), dtype=int) for s in requirements if requirements[s]}
    columns = {c for c in first.sets | {tuple(sorted(c)) for c in start} if connected(region, list(c))}
    for _ in range(MAX_GREEDY_ROUNDS):                # cheap columns first, for a good master
        master = _master_prices(region.size, sorted(columns))
        new = _cheaper_than_one(_greedy_sets(region, requirements, reach, master, not_alone), master) - columns
        if not new or past_stop(stop_at):
            break
        columns |= new
    best, stalled = float(first.value), 0
    for _ in range(MAX_ROUNDS):
        if past_stop(stop_at) or stalled >= STALL_ROUNDS:
            break
        master = _master_prices(region.size, sorted(columns))
        if math.floor(best + 1e-6) <= math.floor(float(master.sum()) + 1e-6):
            break                     # the restricted LP's value is a floor no bound can go below
        by_seat, found = _price(region, requirements, reach, master, not_alone,
                                _cheapest_contiguous if stop_at is None
                                else functools.partial(_cheapest_contiguous, stop_at=stop_at))
        bound = _lagrangian(master, by_seat)
        stalled += 1
        if bound < best - 1e-6:
            best, stalled = bound, 0
        new = _cheaper_than_one(found + _greedy_sets(region, requirements, reach, master, not_alone), master) - columns
        if not new:
            break                     # no contiguous set costs less than 1 at the master's prices
        columns |= new
    return min(first.value, int(math.floor(best + 1e-6)))


def _cheaper_than_one(sets: list[tuple[int, ...]], prices: np.ndarray) -> set[tuple[int, ...]]:
    """The sets that cost less than 1 at ``prices`` (those that can raise the master's value)."""
    return {c for c in sets if float(prices[list(c)].sum()) < 1 - EPSILON}


def _greedy_sets(region: Region, requirements: dict[int, list[Requirement]], reach: dict[int, np.ndarray],
                 prices: np.ndarray, not_alone: frozenset[int]) -> list[tuple[int, ...]]:
    """For each seat and requirement, a contiguous set grown from the seat by the cheapest price
    per share of the need still open, then trimmed of members it does not need."""
    found = []
    for s, units in reach.items():
        allowed = set(int(u) for u in units)
        for requirement in requirements[s]:
            members = _grow_cheap(region, prices, s, allowed, requirement, s in not_alone)
            if members is not None:
                found.append(members)
    return found


def _grow_cheap(region: Region, prices: np.ndarray, seat: int, allowed: set[int], requirement: Requirement,
                not_alone: bool) -> tuple[int, ...] | None:
    """A contiguous set grown from the seat (:func:`planner.optimize.groups.grow`) by the least price
    per share of the need still open, until it meets ``requirement``; then trimmed of members it
    does not need, dearest first.  None when the reach cannot meet it."""
    needs = [(figure, minimum) for figure, minimum in ((region.population, requirement.population),
                                                       (region.area, requirement.area)) if minimum > 0]

    def open_need(members) -> float:
        return max((1.0 - float(figure[list(members)].sum()) / minimum for figure, minimum in needs), default=0.0)

    def complete(members) -> bool:
        return open_need(members) <= 0 and not (not_alone and len(members) < 2)

    def cheapest(members: list[int], frontier: list[int], _seat: int) -> int:
        need = max(open_need(members), 1e-9)
        return min(frontier, key=lambda v: (float(prices[v]) / max(1e-9, min(need, max(
            (float(figure[v]) / minimum for figure, minimum in needs), default=need))), v))

    chosen = set(grow(region, None, seat, cheapest, free=allowed, limit=math.inf, done=complete).members)
    if not complete(chosen):
        return None
    for u in sorted(chosen - {seat}, key=lambda v: (-float(prices[v]), v)):
        rest = chosen - {u}
        if complete(rest) and connected(region, sorted(rest)):
            chosen = rest
    return tuple(sorted(chosen))


def _cheap_component(region: Region, prices: np.ndarray, seat: int, units: list[int]) -> list[int]:
    """The units of ``units`` that a contiguous set at the seat costing less than 1 could hold: those
    whose cheapest chain from the seat (its units' prices, the seat's and its own included) is below 1."""
    allowed = set(units)
    best = {seat: float(prices[seat])}
    heap = [(best[seat], seat)]
    done: set[int] = set()
    while heap:
        cost, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v in region.neighbours[u]:
            if v in allowed and v not in done:
                through = cost + float(prices[v])
                if through < 1.0 - EPSILON and through < best.get(v, math.inf):
                    best[v] = through
                    heapq.heappush(heap, (through, v))
    return sorted(done)


def _cheapest_contiguous(region: Region, prices: np.ndarray, seat: int, reach: np.ndarray,
                         requirement: Requirement, not_alone: bool,
                         stop_at: float | None = None) -> tuple[float, tuple[int, ...] | None]:
    """A lower bound on the cheapest contiguous set at ``seat`` within ``reach`` meeting
    ``requirement`` (at most 1), and the set CP-SAT found (None when it found none costing below 1
    or none truly meeting the requirement).  Past the emergency stop the knapsack bound alone."""
    component = _cheap_component(region, prices, seat, [int(u) for u in reach])
    units = np.array(component, dtype=int)
    knapsack = max(_cover(prices, seat, units, weights, 1.0)[0] for weights in _mixes(region, requirement))
    if knapsack >= 1.0 or (not_alone and len(component) == 1):
        return 1.0, None
    if past_stop(stop_at):
        return knapsack, None
    model = cp_model.CpModel()
    x = {u: model.NewBoolVar(f"x{u}") for u in component}
    model.Add(x[seat] == 1)
    for figure, minimum in ((region.population, requirement.population), (region.area, requirement.area)):
        if minimum > 0:
            model.Add(sum(int(math.ceil(float(figure[u]) * FIGURE_SCALE - 1e-9)) * x[u] for u in component)
                      >= int(math.ceil(minimum * FIGURE_SCALE - 1e-9)))
    if not_alone:
        model.Add(sum(x.values()) >= 2)
    _contiguous(model, region, seat, x)
    model.Minimize(sum(int(math.floor(float(prices[u]) * PRICE_SCALE)) * x[u] for u in component))
    solver = cp_solver(seed=0, deterministic_time=PRICING_DETERMINISTIC_TIME, wall_limit=seconds_left(stop_at))
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE:
        return 1.0, None
    lower = max(knapsack, solver.BestObjectiveBound() / PRICE_SCALE - EPSILON)
    members = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        members = tuple(u for u in component if solver.BooleanValue(x[u]))
        if float(region.population[list(members)].sum()) < requirement.population or \
                float(region.area[list(members)].sum()) < requirement.area:
            members = None            # met only the rounded-up figures
    return min(1.0, lower), members


def _contiguous(model: cp_model.CpModel, region: Region, seat: int, x: dict[int, cp_model.IntVar]) -> None:
    """Each chosen unit other than the seat takes one unit of flow sent from the seat along
    borders between chosen units: the chosen units are contiguous."""
    size = len(x)
    flow = {}
    for u in x:
        for v in region.neighbours[u]:
            if v in x and v != seat:
                flow[u, v] = model.NewIntVar(0, size, "")
                model.Add(flow[u, v] <= size * x[v])
                model.Add(flow[u, v] <= size * x[u])
    for v in x:
        if v != seat:
            model.Add(sum(flow[u, v] for u in region.neighbours[v] if (u, v) in flow)
                      - sum(flow[v, w] for w in region.neighbours[v] if (v, w) in flow) == x[v])


__all__ = ["connected_packing_bound"]
