"""The CP-SAT model: assign units to seats so that new units are contiguous and meet standards.

The model is seat-indexed: ``x[u, s]`` says that unit ``u`` joins the new unit whose seat is
unit ``s``; ``x[s, s]`` says that ``s`` is a seat.  Indexing new units by their seat removes
the symmetry of interchangeable labels.  The same builder serves the small neighbourhoods
of the search, whole regions (infeasibility explanations) and the final check of a plan.

Constraints
-----------
- every unit in exactly one new unit; a member only where its seat is open;
- candidate seats pruned: ``u`` may join ``s`` only within the access limit, and only when
  a chain of units, each nearer to ``s`` along the graph, links it to ``s``;
- contiguity: a member other than the seat needs a neighbour in the same new unit that is
  nearer to the seat (shortest paths over the adjacency graph, links included);
- the count of new units within ``[lo, hi]``;
- kind, terrain and the standard of each new unit reified exactly as
  :mod:`planner.rules.standards` decides them (see :class:`StandardsEncoder`);
- decisions (merge together, keep apart, fixed seat, maximum members), each behind a
  named literal so that an infeasible model can say which decisions conflict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.inputs.preset import Preset
from planner.optimize.encoder import StandardsEncoder
from planner.optimize.region import Region
from planner.optimize.solver import STATUS_NAMES, cp_solver, solve_two_phase


@dataclass
class SubProblem:
    """A part of a region to (re)optimise: its free units and what the result must satisfy.

    Attributes
    ----------
    units : list of int
        Region indices of the free units.
    lo, hi : int
        Bounds on the number of new units formed from them.
    standards : str
        ``soft``, ``hard`` (meets or waived) or ``strict`` (meets).
    count_sign : int
        +1 to maximise the number of new units, -1 to minimise it, 0 to leave it out.
    hint : dict
        Unit -> seat of the current plan, passed to CP-SAT as a hint.
    allowed_seats : dict, optional
        Unit -> the only seats it may join; used to read a fixed plan's standards through
        the model, so contiguity (checked by the evaluation) is not posted then.
    named : bool
        Put decisions, count and standards behind named literals (for explanations).
    per_unit_cost : bool
        Count each new unit as one unit meeting the standard less, so that the primary
        objective is the number of new units *not* meeting it, negated (weak units dissolved).
    moves_budget : int, optional
        With a plan to repair (``Region.home``): at most this many free units away from their
        start seat.
    """

    units: list[int]
    lo: int
    hi: int
    standards: str = "soft"
    count_sign: int = 0
    hint: dict[int, int] = field(default_factory=dict)
    allowed_seats: dict[int, list[int]] | None = None
    named: bool = False
    per_unit_cost: bool = False
    moves_budget: int | None = None


@dataclass
class SolveResult:
    """What a sub-problem solve returned."""

    status: str
    groups: dict[int, list[int]]
    meets: int
    waived: int
    objective: float
    bound: float
    conflict: list[str] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)


@dataclass
class Candidates:
    """Pruned candidate seats: members of each seat and the contiguity predecessors."""

    members: dict[int, list[int]]
    predecessors: dict[tuple[int, int], list[int]]


def candidates(region: Region, units: list[int], allowed_seats: dict[int, list[int]] | None = None) -> Candidates:
    """Candidate seats among ``units`` with their members and contiguity predecessors.

    ``u`` may join seat ``s`` when it lies within the access limit of ``s`` and a chain of
    free units, each strictly nearer to ``s`` along the region's graph, links it to ``s``
    (:meth:`Region.graph_distances`).  Its predecessors are the neighbours on such chains.
    Since the ordering belongs to the region, not to the free units, a new unit the model
    formed once can always be formed again in a later neighbourhood.
    """
    inside = set(units)
    members: dict[int, list[int]] = {}
    predecessors: dict[tuple[int, int], list[int]] = {}
    seats = sorted(inside)
    if allowed_seats is not None:
        seats = sorted({s for u in units for s in allowed_seats[u]})
    for s in seats:
        if allowed_seats is not None:
            members[s] = sorted(u for u in units if s in allowed_seats[u])
            continue
        along = region.graph_distances(s)
        may_join = inside
        reach = {s}
        stack = [s]
        while stack:
            v = stack.pop()
            for u in region.neighbours[v]:
                if u in may_join and u not in reach and u in along and along[u] > along[v]:
                    reach.add(u)
                    stack.append(u)
        members[s] = sorted(reach)
        for u in members[s]:
            if u != s:
                predecessors[(u, s)] = [v for v in region.neighbours[u] if v in reach and along[v] < along[u]]
    return Candidates(members, predecessors)


@dataclass
class ObjectiveTerms:
    """The named terms of a sub-problem's objective, so that a solution can be explained term by term.

    The primary objective is ``weight * meets + waived + count_sign * weight**2 * new_units``
    (less ``weight * new_units`` when each new unit counts against the units meeting the
    standard); ``weight`` (one more than the free units) makes one unit meeting the standard
    outweigh every waived unit.  The full objective puts the primary one first and the
    person-km second: ``(worst + 1) * primary - person_km``, ``worst`` the largest person-km
    any assignment could reach; repairing a plan, the moves come between the two.
    """

    weight: int
    meets: list[object]             # literals: the new unit with this seat meets the standard
    sure_meets: int                 # new units that meet it in any solution
    waived: list[object]            # literals: waived
    new_units: list[object]         # seat literals
    count_sign: int
    per_unit_cost: bool
    person_km: list[tuple[int, object]]
    worst: int
    stays: list[object] | None = None    # least-change repair: the unit stays at its start seat
    _primary: object = None

    def primary(self) -> object:
        """The primary objective (count and standards) as a CP-SAT expression."""
        if self._primary is None:
            n = self.weight
            primary = sum(n * lit for lit in self.meets)
            primary += sum(lit for lit in self.waived)
            primary += n * self.sure_meets
            if self.count_sign:
                primary += self.count_sign * n * n * sum(self.new_units)
            if self.per_unit_cost:
                primary -= n * sum(self.new_units)
            self._primary = primary
        return self._primary

    def full(self) -> object:
        """The primary objective first, then (repairing a plan) the moves, then the population-weighted distance."""
        distance = sum(c * var for c, var in self.person_km if c)
        if self.stays is None:
            return (self.worst + 1) * self.primary() - distance
        moves = len(self.stays) - sum(self.stays)
        return (self.worst + 1) * ((len(self.stays) + 1) * self.primary() - moves) - distance

    def values(self, solver: cp_model.CpSolver) -> dict[str, int]:
        """Each term's value in the solver's solution."""
        return {
            "meets": sum(solver.BooleanValue(lit) for lit in self.meets) + self.sure_meets,
            "waived": sum(solver.BooleanValue(lit) for lit in self.waived),
            "new_units": sum(solver.BooleanValue(lit) for lit in self.new_units),
            "person_km": sum(c * solver.BooleanValue(var) for c, var in self.person_km),
            "moves": sum(not _value(solver, lit) for lit in self.stays or []),
        }


@dataclass
class BuiltModel:
    """A built model and the variables needed to read a solution."""

    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]
    meets: dict[int, object]
    waived: dict[int, object]
    assumptions: dict[str, cp_model.IntVar]
    terms: ObjectiveTerms | None = None


class Guards:
    """Named assumption literals that put a constraint group behind a name (for explanations)."""

    def __init__(self, model: cp_model.CpModel, named: bool):
        self.model = model
        self.named = named
        self.literals: dict[str, cp_model.IntVar] = {}

    def __call__(self, name: str) -> list[cp_model.IntVar]:
        if not self.named:
            return []
        if name not in self.literals:
            self.literals[name] = self.model.NewBoolVar(name)
        return [self.literals[name]]


def build_model(region: Region, preset: Preset, sub: SubProblem) -> BuiltModel:
    """Build the CP-SAT model of a sub-problem (see the module docstring)."""
    model = cp_model.CpModel()
    guard = Guards(model, sub.named)
    cand = candidates(region, sub.units, sub.allowed_seats)
    x = _assignment_variables(model, region, sub, cand)
    seats_of: dict[int, list[int]] = {u: [] for u in sub.units}
    for (u, s) in x:
        seats_of[u].append(s)
    for u in sub.units:
        model.AddExactlyOne([x[u, s] for s in seats_of[u]])
    _seats_and_contiguity(model, sub, cand, x)
    seat_vars = {s: x[s, s] for s in cand.members if (s, s) in x}
    count = sum(seat_vars.values())
    model.Add(count >= sub.lo).OnlyEnforceIf(guard("target_count"))
    model.Add(count <= sub.hi).OnlyEnforceIf(guard("target_count"))
    _decisions(model, region, sub, x, seat_vars, guard)
    meets, waived = _standards(model, region, preset, sub, x, seat_vars, guard)
    terms = _objective(region, sub, x, seat_vars, meets, waived)
    terms.stays = _stays(model, region, sub, x)
    for u, s in sub.hint.items():
        for t in seats_of.get(u, []):
            model.AddHint(x[u, t], t == s)
    if guard.literals:
        model.AddAssumptions(list(guard.literals.values()))
    return BuiltModel(model, x, meets, waived, guard.literals, terms)


def _assignment_variables(model: cp_model.CpModel, region: Region, sub: SubProblem,
                          cand: Candidates) -> dict[tuple[int, int], cp_model.IntVar]:
    """``x[u, s]`` for every candidate pair; a unit that must stay unchanged joins no other and takes none."""
    forbidden = {u for u in sub.units if u in region.unchanged}
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for s, members in cand.members.items():
        for u in members:
            if (u in forbidden or s in forbidden) and u != s:
                continue
            x[u, s] = model.NewBoolVar(f"x_{u}_{s}")
    return x


def _seats_and_contiguity(model: cp_model.CpModel, sub: SubProblem, cand: Candidates, x: dict) -> None:
    """A member only where its seat is open, with a neighbour nearer to the seat in the same new unit."""
    for (u, s), var in x.items():
        if u == s:
            continue
        seat = x.get((s, s))
        if seat is None:
            model.Add(var == 0)
            continue
        model.AddImplication(var, seat)
        if sub.allowed_seats is None:
            preds = [x[v, s] for v in cand.predecessors.get((u, s), []) if (v, s) in x]
            model.AddBoolOr(preds).OnlyEnforceIf(var)


def _standards(model: cp_model.CpModel, region: Region, preset: Preset, sub: SubProblem, x: dict,
               seat_vars: dict, guard: Guards) -> tuple[dict[int, object], dict[int, object]]:
    """The meets and waived literals of every possible new unit, required by hard standards."""
    encoder = StandardsEncoder(model, region, preset)
    meets: dict[int, object] = {}
    waived: dict[int, object] = {}
    members_of: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    for (u, s), var in x.items():
        members_of.setdefault(s, []).append((u, var))
    for s, seat in seat_vars.items():
        meets[s], waived[s] = encoder.verdict(seat, members_of[s])
        kept = [encoder.unchanged(members_of[s])] if s in region.unchanged else []  # the scenario keeps it so
        if sub.standards == "strict":
            _require(model, [meets[s], *kept], seat, guard("standards"))
        elif sub.standards == "hard":
            _require(model, [meets[s], waived[s], *kept], seat, guard("standards"))
    return meets, waived


def _require(model: cp_model.CpModel, options: list[object], seat: cp_model.IntVar, guards: list) -> None:
    literals = [lit for lit in options if lit is not False]
    if any(lit is True for lit in literals):
        return
    model.AddBoolOr(literals + [seat.Not()]).OnlyEnforceIf(guards)


def _decisions(model: cp_model.CpModel, region: Region, sub: SubProblem, x: dict, seat_vars: dict,
               guard: Guards) -> None:
    inside = set(sub.units)
    _merge_together(model, region, inside, x, seat_vars, guard)
    _keep_apart(model, region, inside, x, seat_vars, guard)
    for u in region.fixed_seats:
        if u in inside:
            if u in seat_vars:
                model.Add(seat_vars[u] == 1).OnlyEnforceIf(guard(f"fixed_seat_{region.codes[u]}"))
            else:
                model.AddBoolOr([]).OnlyEnforceIf(guard(f"fixed_seat_{region.codes[u]}"))
    if region.max_members is not None:
        for s in seat_vars:
            literals = [var for (u, t), var in x.items() if t == s]
            if len(literals) > region.max_members:
                model.Add(sum(literals) <= region.max_members).OnlyEnforceIf(guard("max_members"))


def _merge_together(model: cp_model.CpModel, region: Region, inside: set[int], x: dict, seat_vars: dict,
                    guard: Guards) -> None:
    for i, group in enumerate(region.merge_together):
        group = [u for u in group if u in inside]
        for a, b in zip(group, group[1:]):
            for s in seat_vars:
                va, vb = x.get((a, s)), x.get((b, s))
                if va is None and vb is None:
                    continue
                model.Add((va if va is not None else 0) == (vb if vb is not None else 0)).OnlyEnforceIf(
                    guard(f"merge_together_{i + 1}"))


def _keep_apart(model: cp_model.CpModel, region: Region, inside: set[int], x: dict, seat_vars: dict,
                guard: Guards) -> None:
    for i, group in enumerate(region.keep_apart):
        group = [u for u in group if u in inside]
        for s in seat_vars:
            literals = [x[u, s] for u in group if (u, s) in x]
            if len(literals) > 1:
                model.AddAtMostOne(literals).OnlyEnforceIf(guard(f"keep_apart_{i + 1}"))


def _stays(model: cp_model.CpModel, region: Region, sub: SubProblem, x: dict) -> list[object] | None:
    """Repairing a plan: for each free unit, whether it stays at its start seat; the move budget posted."""
    if region.home is None or sub.allowed_seats is not None:
        return None
    stays = [x.get((u, region.home[u]), False) for u in sub.units]
    if sub.moves_budget is not None:
        variable = [lit for lit in stays if lit is not False]
        fixed_moves = len(stays) - len(variable)
        model.Add(sum(variable) >= len(variable) - max(0, sub.moves_budget - fixed_moves))
    return stays


def _objective(region: Region, sub: SubProblem, x: dict, seat_vars: dict, meets: dict,
               waived: dict) -> ObjectiveTerms:
    """The named objective terms of the sub-problem (see :class:`ObjectiveTerms`)."""
    worst = sum(max((region.cost(u, s) for (v, s) in x if v == u), default=0) for u in sub.units)
    return ObjectiveTerms(
        weight=len(sub.units) + 1,
        meets=[lit for lit in meets.values() if not isinstance(lit, bool)],
        sure_meets=sum(1 for lit in meets.values() if lit is True),
        waived=[lit for lit in waived.values() if not isinstance(lit, bool)],
        new_units=list(seat_vars.values()),
        count_sign=sub.count_sign,
        per_unit_cost=sub.per_unit_cost,
        person_km=[(region.cost(u, s), var) for (u, s), var in x.items()],
        worst=worst,
    )


def solve(region: Region, preset: Preset, sub: SubProblem, *, seed: int, deterministic_time: float,
          workers: int = 1, wall_limit: float = 300.0, presolve: bool = True) -> SolveResult:
    """Solve a sub-problem in two phases: count and standards first, then distance.

    Each phase gets half of ``deterministic_time``; with one worker the result is
    reproducible (the deterministic limit decides, the wall limit is only a safeguard).
    Presolve is turned off for the small neighbourhood models, where it costs more than it
    saves.  An infeasible model with named decisions returns the conflicting names.
    """
    built = build_model(region, preset, sub)
    assert built.terms is not None
    solver = cp_solver(seed, deterministic_time / 2, workers, wall_limit, presolve)
    found = solve_two_phase(built.model, solver, built.terms.primary(), built.terms.full(), list(built.x.values()),
                            lambda s: _read(s, built))
    if found.best is None:
        return SolveResult(STATUS_NAMES.get(found.status, "unknown"), {}, 0, 0, math.nan, math.nan,
                           _conflict(solver, built, found.status))
    result = found.best
    result.status = STATUS_NAMES[found.status]
    result.objective, result.bound = found.objective, found.bound
    return result


def _conflict(solver: cp_model.CpSolver, built: BuiltModel, status: int) -> list[str]:
    """The named decisions CP-SAT found sufficient for infeasibility."""
    if status != cp_model.INFEASIBLE or not built.assumptions:
        return []
    index = {var.Index(): name for name, var in built.assumptions.items()}
    return sorted(index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in index)


def _read(solver: cp_model.CpSolver, built: BuiltModel) -> SolveResult:
    groups: dict[int, list[int]] = {}
    for (u, s), var in built.x.items():
        if solver.BooleanValue(var):
            groups.setdefault(s, []).append(u)
    meets = sum(1 for s in groups if _value(solver, built.meets[s]))
    waived = sum(1 for s in groups if _value(solver, built.waived[s]))
    terms = built.terms.values(solver) if built.terms is not None else {}
    return SolveResult("", {s: sorted(m) for s, m in sorted(groups.items())}, meets, waived,
                       solver.ObjectiveValue(), solver.BestObjectiveBound(), terms=terms)


def _value(solver: cp_model.CpSolver, literal: object) -> bool:
    if literal is True or literal is False:
        return bool(literal)
    return bool(solver.BooleanValue(literal))
