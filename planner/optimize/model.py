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
from planner.optimize.region import Region, share_fraction
from planner.rules.standards import applicable_rules


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


class StandardsEncoder:
    """Reifies each new unit's kind, terrain and standard with the rules of planner.rules.standards.

    - kind: a kind the preset keeps (special zone) when a member has it; else, under
      ``population_majority``, the rule's kind when units of the counted kinds hold more
      than half of the population (``2 * counted > total``), else ``otherwise``;
    - terrain: the first test whose terrain covers at least its share of the area
      (``q * covered >= p * total`` for a share ``p/q``), else ``otherwise``;
    - context: the region's (the parent unit's) context;
    - meets: one of the applicable rules (primary or alternatives) has every criterion met;
    - waived: below it, formed from enough units, of a kind the waiver covers.
    """

    def __init__(self, model: cp_model.CpModel, region: Region, preset: Preset):
        self.model = model
        self.region = region
        self.preset = preset
        self.context = region.context()
        rule = preset.merged_kind
        self.keep = [str(k) for k in rule.get("keep") or ()]
        self.fixed_kind = str(rule["kind"]) if rule.get("rule") == "fixed" else None
        self.majority_kind = str(rule.get("kind", ""))
        self.counted = set(rule.get("counts") or [rule.get("kind")])
        self.otherwise_kind = str(rule.get("otherwise", rule.get("kind", "")))
        terrain = preset.merged_terrain
        self.terrain_tests = [(str(t["terrain"]), share_fraction(t["min_share"]))
                              for t in terrain.get("tests") or []]
        self.terrain_otherwise = str(terrain.get("otherwise", "other"))
        waiver = preset.waiver
        self.waiver_on = bool(waiver.get("enabled"))
        self.waiver_min = int(waiver.get("min_constituents", 3))
        self.waiver_kinds = waiver.get("applies_to")

    # -- small reified helpers ---------------------------------------------------------------
    def all_of(self, literals: list) -> object:
        if any(lit is False for lit in literals):
            return False
        literals = [lit for lit in literals if lit is not True]
        if not literals:
            return True
        if len(literals) == 1:
            return literals[0]
        z = self.model.NewBoolVar("")
        for lit in literals:
            self.model.AddImplication(z, lit)
        self.model.AddBoolOr([z] + [_negate(lit) for lit in literals])
        return z

    def any_of(self, literals: list) -> object:
        """A literal true when any of ``literals`` is (De Morgan on :meth:`all_of`)."""
        return _negate(self.all_of([_negate(lit) for lit in literals]))

    def at_least(self, terms: list[tuple[int, object]], minimum: int) -> object:
        """A literal equal to ``sum(coef * x) >= minimum`` (coefficients >= 0)."""
        top = sum(c for c, _ in terms)
        if minimum <= 0:
            return True
        if top < minimum:
            return False
        z = self.model.NewBoolVar("")
        expression = sum(c * x for c, x in terms)
        self.model.Add(expression >= minimum).OnlyEnforceIf(z)
        self.model.Add(expression <= minimum - 1).OnlyEnforceIf(_negate(z))
        return z

    def linear_sign(self, terms: list[tuple[int, object]]) -> object:
        """A literal equal to ``sum(coef * x) >= 0`` (coefficients of any sign)."""
        if all(c >= 0 for c, _ in terms):
            return True
        if all(c < 0 for c, _ in terms):
            return self.any_of([_negate(x) for _, x in terms]) if terms else True
        z = self.model.NewBoolVar("")
        expression = sum(c * x for c, x in terms)
        self.model.Add(expression >= 0).OnlyEnforceIf(z)
        self.model.Add(expression <= -1).OnlyEnforceIf(_negate(z))
        return z

    # -- the unit's kind, terrain and verdict --------------------------------------------------
    def kinds(self, members: list[tuple[int, object]]) -> list[tuple[str, object]]:
        """(kind, literal) for each kind the new unit may take."""
        region = self.region
        options: list[tuple[str, object]] = []
        earlier: list[object] = []
        for kind in self.keep:
            has = self.any_of([x for u, x in members if region.kinds[u] == kind])
            options.append((kind, self.all_of([has] + [_negate(e) for e in earlier])))
            earlier.append(has)
        none_kept = self.all_of([_negate(e) for e in earlier])
        if self.fixed_kind is not None:
            options.append((self.fixed_kind, none_kept))
            return options
        # 2 * counted - total >= 1  <=>  counted share strictly above one half
        terms = []
        for u, x in members:
            p = region.int_population(u)
            coefficient = (2 * p if region.kinds[u] in self.counted else 0) - p
            if coefficient:
                terms.append((coefficient, x))
        majority = self._strictly_positive(terms)
        options.append((self.majority_kind, self.all_of([none_kept, majority])))
        options.append((self.otherwise_kind, self.all_of([none_kept, _negate(majority)])))
        return options

    def _strictly_positive(self, terms: list[tuple[int, object]]) -> object:
        if not terms:
            return False
        if all(c > 0 for c, _ in terms):
            return self.any_of([x for _, x in terms])
        if all(c <= 0 for c, _ in terms):
            return False
        z = self.model.NewBoolVar("")
        expression = sum(c * x for c, x in terms)
        self.model.Add(expression >= 1).OnlyEnforceIf(z)
        self.model.Add(expression <= 0).OnlyEnforceIf(_negate(z))
        return z

    def terrains(self, members: list[tuple[int, object]]) -> list[tuple[str, object]]:
        """(terrain, literal) for each terrain the new unit may take."""
        region = self.region
        options: list[tuple[str, object]] = []
        earlier: list[object] = []
        for terrain, share in self.terrain_tests:
            terms = []
            for u, x in members:
                a = region.int_area(u)
                coefficient = share.denominator * (a if region.terrains[u] == terrain else 0) - share.numerator * a
                if coefficient:
                    terms.append((coefficient, x))
            covers = self.linear_sign(terms) if terms else self.any_of([x for _, x in members])
            options.append((terrain, self.all_of([covers] + [_negate(e) for e in earlier])))
            earlier.append(covers)
        options.append((self.terrain_otherwise, self.all_of([_negate(e) for e in earlier])))
        merged: dict[str, list[object]] = {}
        for terrain, literal in options:
            merged.setdefault(terrain, []).append(literal)
        return [(terrain, self.any_of(lits)) for terrain, lits in merged.items()]

    def verdict(self, seat_literal: object, members: list[tuple[int, object]]) -> tuple[object, object]:
        """Literals (meets, waived) of the new unit whose membership literals are given."""
        region = self.region
        sums = {
            "population": [(region.int_population(u), x) for u, x in members],
            "area_km2": [(region.int_area(u), x) for u, x in members],
        }
        scales = {"population": region.pop_scale, "area_km2": region.area_scale}
        kinds = self.kinds(members)
        terrains = self.terrains(members)
        criterion_cache: dict[tuple[str, float], object] = {}

        def criterion(attribute: str, minimum: float) -> object:
            key = (attribute, minimum)
            if key not in criterion_cache:
                threshold = math.ceil(minimum * scales[attribute] - 1e-9)
                criterion_cache[key] = self.at_least(sums[attribute], threshold)
            return criterion_cache[key]

        cases = []
        for kind, kind_literal in kinds:
            if kind_literal is False:
                continue
            for terrain, terrain_literal in terrains:
                if terrain_literal is False:
                    continue
                rules = applicable_rules(self.preset, kind, terrain, self.context)
                if not rules:
                    rule_met: object = True
                else:
                    rule_met = self.any_of([self.all_of([criterion(c.attribute, c.minimum) for c in r.criteria])
                                            for r in rules])
                cases.append(self.all_of([kind_literal, terrain_literal, rule_met]))
        meets = self.all_of([seat_literal, self.any_of(cases)])
        if not self.waiver_on:
            return meets, False
        covered = [lit for kind, lit in kinds
                   if self.waiver_kinds is None or kind in self.waiver_kinds]
        enough = self.at_least([(1, x) for _, x in members], self.waiver_min)
        waived = self.all_of([seat_literal, _negate(meets), enough, self.any_of(covered)])
        return meets, waived


def _negate(literal: object) -> object:
    if literal is True:
        return False
    if literal is False:
        return True
    return literal.Not()  # type: ignore[union-attr]


@dataclass
class BuiltModel:
    """A built model and the variables needed to read a solution."""

    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]
    meets: dict[int, object]
    waived: dict[int, object]
    assumptions: dict[str, cp_model.IntVar]
    primary: object = 0
    full: object = 0


def build_model(region: Region, preset: Preset, sub: SubProblem) -> BuiltModel:
    """Build the CP-SAT model of a sub-problem (see the module docstring)."""
    model = cp_model.CpModel()
    named: dict[str, cp_model.IntVar] = {}

    def guard(name: str) -> list[cp_model.IntVar]:
        if not sub.named:
            return []
        if name not in named:
            named[name] = model.NewBoolVar(name)
        return [named[name]]

    forbidden = {u for u in sub.units if u in region.unchanged}
    cand = candidates(region, sub.units, sub.allowed_seats)
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for s, members in cand.members.items():
        for u in members:
            if u in forbidden and u != s:
                continue
            if s in forbidden and u != s:
                continue
            x[u, s] = model.NewBoolVar(f"x_{u}_{s}")
    seats_of: dict[int, list[int]] = {u: [] for u in sub.units}
    for (u, s) in x:
        seats_of[u].append(s)
    for u in sub.units:
        model.AddExactlyOne([x[u, s] for s in seats_of[u]])
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
    seat_vars = {s: x[s, s] for s in cand.members if (s, s) in x}
    count = sum(seat_vars.values())
    model.Add(count >= sub.lo).OnlyEnforceIf(guard("target_count"))
    model.Add(count <= sub.hi).OnlyEnforceIf(guard("target_count"))
    _decisions(model, region, sub, x, seat_vars, guard)
    encoder = StandardsEncoder(model, region, preset)
    meets: dict[int, object] = {}
    waived: dict[int, object] = {}
    members_of: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    for (u, s), var in x.items():
        members_of.setdefault(s, []).append((u, var))
    for s, seat in seat_vars.items():
        meets[s], waived[s] = encoder.verdict(seat, members_of[s])
        if sub.standards == "strict":
            _require(model, [meets[s]], seat, guard("standards"))
        elif sub.standards == "hard":
            _require(model, [meets[s], waived[s]], seat, guard("standards"))
    primary, full = _objective(region, sub, x, seat_vars, meets, waived)
    for u, s in sub.hint.items():
        for t in seats_of.get(u, []):
            model.AddHint(x[u, t], t == s)
    if named:
        model.AddAssumptions(list(named.values()))
    return BuiltModel(model, x, meets, waived, named, primary, full)


def _require(model: cp_model.CpModel, options: list[object], seat: cp_model.IntVar, guards: list) -> None:
    literals = [lit for lit in options if lit is not False]
    if any(lit is True for lit in literals):
        return
    model.AddBoolOr(literals + [seat.Not()]).OnlyEnforceIf(guards)


def _decisions(model: cp_model.CpModel, region: Region, sub: SubProblem, x: dict, seat_vars: dict,
               guard) -> None:
    inside = set(sub.units)
    for i, group in enumerate(region.merge_together):
        group = [u for u in group if u in inside]
        for a, b in zip(group, group[1:]):
            for s in seat_vars:
                va, vb = x.get((a, s)), x.get((b, s))
                if va is None and vb is None:
                    continue
                model.Add((va if va is not None else 0) == (vb if vb is not None else 0)).OnlyEnforceIf(
                    guard(f"merge_together_{i + 1}"))
    for i, group in enumerate(region.keep_apart):
        group = [u for u in group if u in inside]
        for s in seat_vars:
            literals = [x[u, s] for u in group if (u, s) in x]
            if len(literals) > 1:
                model.AddAtMostOne(literals).OnlyEnforceIf(guard(f"keep_apart_{i + 1}"))
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


def _objective(region: Region, sub: SubProblem, x: dict, seat_vars: dict, meets: dict,
               waived: dict) -> tuple[object, object]:
    """The primary objective (count, standards) and the full one (primary, then distance)."""
    costs = [(region.cost(u, s), var) for (u, s), var in x.items()]
    worst = sum(max((region.cost(u, s) for (v, s) in x if v == u), default=0) for u in sub.units)
    n = len(sub.units) + 1
    primary = sum(n * lit for lit in meets.values() if not isinstance(lit, bool))
    primary += sum(lit for lit in waived.values() if not isinstance(lit, bool))
    primary += n * sum(1 for lit in meets.values() if lit is True)
    if sub.count_sign:
        primary += sub.count_sign * n * n * sum(seat_vars.values())
    if sub.per_unit_cost:
        primary -= n * sum(seat_vars.values())
    distance = sum(c * var for c, var in costs if c)
    return primary, (worst + 1) * primary - distance


STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}


def deterministic_solver(seed: int, deterministic_time: float, workers: int = 1,
                         wall_limit: float | None = None) -> cp_model.CpSolver:
    """A CP-SAT solver whose result depends on the deterministic time only, not the clock.

    Several workers are interleaved (``interleave_search``) so that they stay reproducible;
    the wall-clock limit (``wall_limit`` seconds, or a multiple of the deterministic time) is
    only a safeguard against a stalled solve or a slow machine.
    """
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = workers > 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = deterministic_time
    safeguard = 20 * deterministic_time + 10
    solver.parameters.max_time_in_seconds = safeguard if wall_limit is None else max(0.1, min(safeguard, wall_limit))
    return solver


def solve(region: Region, preset: Preset, sub: SubProblem, *, seed: int, deterministic_time: float,
          workers: int = 1, wall_limit: float = 300.0, presolve: bool = True) -> SolveResult:
    """Solve a sub-problem in two phases: count and standards first, then distance.

    Each phase gets half of ``deterministic_time``; with one worker the result is
    reproducible (the deterministic limit decides, the wall limit is only a safeguard).
    Presolve is turned off for the small neighbourhood models, where it costs more than it
    saves.
    """
    built = build_model(region, preset, sub)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = deterministic_time / 2
    solver.parameters.max_time_in_seconds = wall_limit
    solver.parameters.cp_model_presolve = presolve
    built.model.Maximize(built.primary)
    status = solver.Solve(built.model)
    name = STATUS_NAMES.get(status, "unknown")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        conflict = []
        if status == cp_model.INFEASIBLE and built.assumptions:
            index = {var.Index(): name for name, var in built.assumptions.items()}
            conflict = sorted(index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in index)
        return SolveResult(name, {}, 0, 0, math.nan, math.nan, conflict)
    primary_status, bound = name, solver.BestObjectiveBound()
    first = _read(solver, built)
    if not isinstance(built.primary, int):
        built.model.Add(built.primary >= round(solver.ObjectiveValue()))
    built.model.clear_hints()
    for var in built.x.values():
        built.model.AddHint(var, solver.BooleanValue(var))
    built.model.Maximize(built.full)
    status = solver.Solve(built.model)
    result = _read(solver, built) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else first
    result.status = primary_status
    result.bound = bound
    return result


def _read(solver: cp_model.CpSolver, built: BuiltModel) -> SolveResult:
    groups: dict[int, list[int]] = {}
    for (u, s), var in built.x.items():
        if solver.BooleanValue(var):
            groups.setdefault(s, []).append(u)
    meets = sum(1 for s in groups if _value(solver, built.meets[s]))
    waived = sum(1 for s in groups if _value(solver, built.waived[s]))
    return SolveResult("", {s: sorted(m) for s, m in sorted(groups.items())}, meets, waived,
                       solver.ObjectiveValue(), solver.BestObjectiveBound())


def _value(solver: cp_model.CpSolver, literal: object) -> bool:
    if literal is True or literal is False:
        return bool(literal)
    return bool(solver.BooleanValue(literal))
