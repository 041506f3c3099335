"""An LP bound on the number of disjoint new units that can meet the standard, by column generation.

Every new unit that meets the standard is, in particular, a set of units that

- contains its seat and only units the seat could hold (:meth:`Region.holding_tree`: within
  the access limit, joined through such units), and
- reaches the population and area minimums of some rule open to those units (any kind the
  merged-kind rule may give, any terrain, any context).

Dropping contiguity and the exact kind, terrain and context gives a *relaxation*: more sets,
so packing as many disjoint sets as possible gives at least as many as any plan can have
meeting the standard.  The LP relaxation of that packing, ``max sum(y) s.t. each unit is in at
most one chosen set``, is bounded through its dual: any prices ``pi >= 0`` on units under
which every set costs at least ``m > 0`` prove ``count <= sum(pi) / min(1, m)`` (Farley's
bound; with ``m >= 1`` it is weak LP duality).  Column generation finds good prices:

1. the restricted master LP (GLOP) over the sets found so far gives prices ``pi``;
2. pricing: for each seat and rule, the cheapest set under ``pi`` is a 0/1 knapsack cover,
   solved exactly by dynamic programming on population (and on area) rounded so that the
   rounding can only make sets cheaper, which keeps ``m`` a true lower bound;
3. the sets the pricing found that cost less than 1 join the master; the rounds stop when
   none does, when the whole-number bound meets the restricted LP's value (no bound can be
   lower), when the bound stops falling, after MAX_ROUNDS, or before the pricing's work would
   pass MAX_WORK.

Two bounds are read from any prices: Farley's, and a Lagrangian one that adds to ``sum(pi)``
each seat's shortfall below 1 (:func:`_lagrangian`); the smaller counts.  Prices are smoothed
towards the best so far (Wentges) to damp their swings.

The bound is the best (lowest) of the rounds, so stopping early never makes it wrong, only
looser.  :func:`planner.optimize.bounds.primary_bound` takes the smaller of this and the other
bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from planner.optimize.region import Region
from planner.optimize.search import past_stop

#: Rounds of column generation at most, and the rounds without a lower bound before stopping.
MAX_ROUNDS = 60
#: Work of the pricing at most, in units priced (a seat's reach, once per requirement and mix):
#: the rounds stop before they would exceed it, so a large dense region (a city whose every seat
#: reaches every ward) gets a looser bound in bounded time rather than a long wait.
MAX_WORK = 4_000_000
STALL_ROUNDS = 30
#: Weight of the best prices so far in the prices the pricing sees (Wentges smoothing, which
#: damps the swings of the master's prices from round to round).
SMOOTHING = 0.5
#: Capacity steps of the knapsack dynamic programme (the minimum is split into this many).
STEPS = 2000
#: Mixes of the population and area minimums whose covers bound a set reaching both.
MIXES = (1.0, 0.5, 0.0)
#: Safety margin on costs computed in floating point.
EPSILON = 1e-7


@dataclass(frozen=True, order=True)
class Requirement:
    """One way a set can meet the standard: population and area at least these."""

    population: float
    area: float


@dataclass
class LpBound:
    """The bound, the rounds it took and the number of sets priced in; with the sets, from which
    a tighter bound can start."""

    value: int
    rounds: int
    columns: int
    sets: frozenset[tuple[int, ...]] = frozenset()


def packing_bound(region: Region, requirements: dict[int, list[Requirement]],
                  start: list[tuple[int, ...]], stop_at: float | None = None,
                  not_alone: frozenset[int] = frozenset()) -> LpBound:
    """The LP bound on disjoint sets meeting the standard (see the module docstring).

    ``requirements`` gives, for each seat, the ways a set at that seat may meet the standard
    (an empty list: none may); ``start`` holds sets known to meet it (e.g. the plan's new units).
    A seat in ``not_alone`` meets no standard by itself (a unit left as it was under a preset
    that exempts such units): its sets hold at least one other unit.
    At the emergency stop ``stop_at`` the best bound so far is returned (still a bound).
    """
    seats = {s: np.array(sorted(region.holding_tree(s)), dtype=int) for s in requirements if requirements[s]}
    columns: set[tuple[int, ...]] = {tuple(sorted(c)) for c in start}
    columns |= {(s,) for s, reqs in requirements.items()
                if s not in not_alone and any(_meets_alone(region, s, r) for r in reqs)}
    best, centre, rounds, stalled = math.inf, _resource_prices(region, requirements), 0, 0
    work = sum(len(reach) * len(_mixes(region, r)) for s, reach in seats.items() for r in requirements[s])
    spent = 0
    while rounds < MAX_ROUNDS and stalled < STALL_ROUNDS and not (rounds and past_stop(stop_at)) \
            and not (rounds and spent + work > MAX_WORK):
        rounds += 1
        master = _master_prices(region.size, sorted(columns))
        if math.isfinite(best) and math.floor(best + 1e-6) <= math.floor(float(master.sum()) + 1e-6):
            break                     # the restricted LP's value is a floor no bound can go below
        new: set[tuple[int, ...]] = set()
        for prices in _separation_points(master, centre):
            spent += work
            by_seat, sets = _price(region, requirements, seats, prices, not_alone)
            bound = min(_farley(prices, min(by_seat.values(), default=math.inf)), _lagrangian(prices, by_seat))
            if bound < best - 1e-6:
                best, centre, stalled = bound, prices, -1
            new = {c for c in sets if float(master[list(c)].sum()) < 1 - EPSILON} - columns
            if new:
                break                 # else the smoothed prices mispriced: try the master's own
        if not new:
            break                     # no set costs less than 1 at the master's prices: converged
        columns |= new
        stalled += 1 if math.isfinite(best) else 0     # rounds without a lower bound, once there is one
    value = region.size if not math.isfinite(best) else int(math.floor(best + 1e-6))
    return LpBound(min(value, region.size), rounds, len(columns), frozenset(columns))


def _resource_prices(region: Region, requirements: dict[int, list[Requirement]]) -> np.ndarray | None:
    """Starting prices: each unit's population as a share of the smallest population minimum (at most 1)."""
    minimum = min((r.population for reqs in requirements.values() for r in reqs if r.population > 0), default=0.0)
    if minimum <= 0:
        return None
    return np.minimum(1.0, region.population / minimum)


def _separation_points(master: np.ndarray, centre: np.ndarray | None) -> list[np.ndarray]:
    """Prices to price at: the master's smoothed towards the best prices so far (Wentges), then the master's."""
    if centre is None:
        return [master]
    return [SMOOTHING * centre + (1 - SMOOTHING) * master, master]


def _price(region: Region, requirements: dict[int, list[Requirement]], seats: dict[int, np.ndarray],
           prices: np.ndarray, not_alone: frozenset[int],
           cheapest=None) -> tuple[dict[int, float], list[tuple[int, ...]]]:
    """For each seat, a lower bound on the cost of its sets under ``prices``; and cheap sets that meet the standard.

    ``cheapest(region, prices, seat, reach, requirement, not_alone)`` prices one seat and
    requirement (default :func:`_cheapest_set`, contiguity dropped).
    """
    cheapest = cheapest or _cheapest_set
    by_seat, found = {}, []
    for s, reach in seats.items():
        by_seat[s] = math.inf
        for requirement in requirements[s]:
            cost, members = cheapest(region, prices, s, reach, requirement, s in not_alone)
            by_seat[s] = min(by_seat[s], cost)
            if members is not None:
                found.append(members)
    return by_seat, found


def _lagrangian(prices: np.ndarray, by_seat: dict[int, float]) -> float:
    """sum(prices) + the shortfall below 1 of each seat's cheapest set: a bound whatever the prices.

    Each new unit has one seat and costs at least its seat's cheapest set, so a plan's count is
    at most the prices of its members plus, for each seat, what its cheapest set falls short of 1.
    """
    return float(prices.sum()) + sum(max(0.0, 1.0 - cost + EPSILON) for cost in by_seat.values())


def _meets_alone(region: Region, seat: int, requirement: Requirement) -> bool:
    return bool(region.population[seat] >= requirement.population and region.area[seat] >= requirement.area)


def _farley(prices: np.ndarray, cheapest: float) -> float:
    """sum(prices) / min(1, cheapest): a bound on the relaxation whatever the prices."""
    if cheapest <= EPSILON:
        return math.inf
    return float(prices.sum()) / min(1.0, cheapest - EPSILON)


def _master_prices(size: int, columns: list[tuple[int, ...]]) -> np.ndarray:
    """The dual prices of the restricted packing LP over ``columns`` (0 for uncovered units)."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    y = [solver.NumVar(0.0, 1.0, "") for _ in columns]
    rows = [solver.Constraint(-solver.infinity(), 1.0) for _ in range(size)]
    for var, column in zip(y, columns):
        for u in column:
            rows[u].SetCoefficient(var, 1.0)
    objective = solver.Objective()
    for var in y:
        objective.SetCoefficient(var, 1.0)
    objective.SetMaximization()
    if columns and solver.Solve() != pywraplp.Solver.OPTIMAL:
        return np.ones(size)          # prices of 1 everywhere are always dual feasible
    return np.array([max(0.0, row.dual_value()) for row in rows])


def _cheapest_set(region: Region, prices: np.ndarray, seat: int, reach: np.ndarray,
                  requirement: Requirement, not_alone: bool = False) -> tuple[float, tuple[int, ...] | None]:
    """A lower bound on the cheapest set at ``seat`` meeting ``requirement``, and a cheap set that
    truly meets it (or None).

    A set reaching both minimums reaches every mix ``l * population / P + (1 - l) * area / A >= 1``;
    each mix is a single-figure cover (exact over rounded-up figures), so the dearest mix of
    MIXES bounds the cheapest set from below.  The set is the dearest mix's cover, completed
    to reach both minimums.  With ``not_alone`` the seat alone is no set: where it would
    cover the need by itself, the cheapest set adds the cheapest other unit of its reach.
    """
    figures = _mixes(region, requirement)
    best, members = -math.inf, [seat]
    for weights in figures:
        cost, chosen = _cover(prices, seat, reach, weights, 1.0)
        if not_alone and chosen == [seat]:
            cost, chosen = _with_companion(prices, seat, reach, cost)
        if not math.isfinite(cost):
            return math.inf, None
        if cost > best:
            best, members = cost, chosen
    return best, _complete(region, prices, seat, reach, members, requirement)


def _with_companion(prices: np.ndarray, seat: int, reach: np.ndarray, alone: float) -> tuple[float, list[int]]:
    """The seat's cover ``alone`` (the seat by itself) with the cheapest other unit of its reach added."""
    others = reach[reach != seat]
    if not len(others):
        return math.inf, []
    cheapest = int(others[int(np.argmin(prices[others]))])
    return min(1.0, alone + float(prices[cheapest])), sorted([seat, cheapest])


def _mixes(region: Region, requirement: Requirement) -> list[np.ndarray]:
    """The figures of the units as shares of the requirement, mixed in MIXES proportions."""
    shares = [figure / minimum for figure, minimum in ((region.population, requirement.population),
                                                        (region.area, requirement.area)) if minimum > 0]
    if len(shares) < 2:
        return shares or [np.full(region.size, np.inf)]
    return [mix * shares[0] + (1 - mix) * shares[1] for mix in MIXES]


def _cover(prices: np.ndarray, seat: int, reach: np.ndarray, weights: np.ndarray,
           need: float) -> tuple[float, list[int]]:
    """Least total price of a set of ``reach`` holding ``seat`` whose weights sum to ``need``.

    Weights are rounded up to steps of ``need / STEPS``, so every set that truly reaches the
    need reaches it rounded too: the cost returned is never above the true least cost.  Costs
    of 1 or more are returned as 1 (the bounds read no further), which lets units priced at 1
    or more be left out.  Returns the cost and the units of a cheapest rounded cover.
    """
    own = float(prices[seat])
    rest = float(need) - float(weights[seat])
    if rest <= 0:
        return own, [seat]
    others = reach[reach != seat]
    if float(weights[others].sum()) < rest - 1e-9:
        return math.inf, []
    others = others[prices[others] < 1.0 - own]      # a set with one of these costs 1 or more anyway
    if float(weights[others].sum()) < rest - 1e-9:
        return 1.0, [seat]                           # every set costs at least 1: all the bounds need to know
    step = rest / STEPS
    sizes = np.minimum(np.ceil(weights[others] / step - 1e-9).astype(int), STEPS)
    cost = np.full(STEPS + 1, math.inf)
    cost[0] = 0.0
    came_from = np.full((len(others), STEPS + 1), -1, dtype=int)   # the state before taking unit i
    states = np.arange(STEPS + 1)
    for i, (size, price) in enumerate(zip(sizes, prices[others])):
        if size <= 0:
            continue
        new = cost.copy()
        shifted = cost[:STEPS + 1 - size] + price                # from state c to c + size
        better = shifted < new[size:]
        new[size:][better] = shifted[better]
        came_from[i, size:][better] = states[:STEPS + 1 - size][better]
        tail = STEPS + 1 - size + int(np.argmin(cost[STEPS + 1 - size:]))   # past the need counts as the need
        if cost[tail] + price < new[STEPS]:
            new[STEPS] = cost[tail] + price
            came_from[i, STEPS] = tail
        cost = new
    return min(1.0, own + float(cost[STEPS])), [seat] + _trace(came_from, others)   # sets of 1 or more: 1


def _trace(came_from: np.ndarray, others: np.ndarray) -> list[int]:
    """The units of the cover the programme found, walking its choices back from the need."""
    chosen, state = [], STEPS
    for i in range(len(others) - 1, -1, -1):
        if state <= 0:
            break
        if came_from[i, state] >= 0:
            chosen.append(int(others[i]))
            state = int(came_from[i, state])
    return sorted(chosen)


def _complete(region: Region, prices: np.ndarray, seat: int, reach: np.ndarray, members: list[int],
              requirement: Requirement) -> tuple[int, ...] | None:
    """``members`` with the cheapest units (by price per figure) added until the set truly meets
    ``requirement``; None when the reach cannot."""
    chosen = set(members)
    order = sorted((u for u in map(int, reach) if u not in chosen),
                   key=lambda u: (prices[u] / max(region.population[u] + region.area[u], 1e-9), u))
    for u in order:
        population = float(region.population[sorted(chosen)].sum())
        area = float(region.area[sorted(chosen)].sum())
        if population >= requirement.population and area >= requirement.area:
            break
        chosen.add(u)
    members_sorted = tuple(sorted(chosen))
    if float(region.population[list(members_sorted)].sum()) < requirement.population or \
            float(region.area[list(members_sorted)].sum()) < requirement.area:
        return None
    return members_sorted


__all__ = ["LpBound", "Requirement", "packing_bound"]
