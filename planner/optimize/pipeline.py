"""The optimizer's stages, in order: read this file top to bottom to see what a run does.

:func:`optimize` cuts the scenario into regions (one per parent unit at the preset's merge
level), checks that each can have a plan, runs :func:`optimize_region` on every region (in
worker processes) and puts the plans together.  :func:`optimize_region` is one region's
pipeline:

1. **Candidates** (:func:`~planner.optimize.packing.candidate_groups`): new units that meet
   the standard with the least to spare, grown from every unit as a seat.
2. **Packing** (:func:`~planner.optimize.packing.pack`): the most disjoint candidates, the
   least person-km among them; it competes with a greedy growth
   (:func:`~planner.optimize.first_plan.grown_plan`) for the first plan.
3. **Dissolving weak units** (:func:`~planner.optimize.dissolve.dissolve_weak`): each new unit
   below the standard re-solved with the new units around it, one new unit fewer.
4. **Merge or split to the target** (:func:`~planner.optimize.merge_split.to_target`), with a
   Voronoi plan of the target count (:func:`~planner.optimize.first_plan.first_plan`) as the fallback.
5. **Search** (:func:`~planner.optimize.search.search`): large-neighbourhood search with CP-SAT.
   Stages 1 to 5 run from STARTS starts (own seed, a share of the solves each) into one pool.
6. **Recombination** (:func:`~planner.optimize.recombine.recombine`): the best exact cover by
   every new unit the searches proposed.
7. **Polish** (:func:`~planner.optimize.polish.polish`): seats and border units for access.
8. **Bound** (:func:`~planner.optimize.bounds.primary_bound`): a proven bound on the primary
   objective, and the model's own verdicts on the final plan.

Max-p and min-count targets replace stages 1 to 4 with their own first plan
(:func:`~planner.optimize.first_plan.first_plan`); a least-change repair starts from the plan
to repair instead (:mod:`~planner.optimize.repair`).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from typing import Any

import networkx as nx

from planner.inputs.plan import Plan
from planner.inputs.preset import Preset
from planner.inputs.scenario import Scenario
from planner.optimize.bounds import BOUND_METHODS, primary_bound
from planner.optimize.dissolve import dissolve_weak
from planner.optimize.first_plan import first_plan, grown_plan
from planner.optimize.groups import Groups
from planner.optimize.infeasible import explain, precheck
from planner.optimize.merge_split import to_target
from planner.optimize.model import SubProblem, solve
from planner.optimize.packing import candidate_groups, pack
from planner.optimize.parallel import Progress, run_regions, sequential_mapper
from planner.optimize.polish import polish
from planner.optimize.recombine import Pool, recombine
from planner.optimize.region import Region, regions_of
from planner.optimize.repair import continue_labels, repair_regions
from planner.optimize.results import Infeasible, OptimizeResult, RegionOutcome
from planner.optimize.scoring import STANDARDS_MODES, Score, group_status, score
from planner.optimize.search import Mapper, SearchOutcome, SearchSettings, past_stop, search, seconds_left
from planner.optimize.settings import OptimizeSettings, search_settings
from planner.optimize.targets import region_targets, relax_targets

#: Targets with a count (exact or a range): the pipeline of stages 1 to 4.
COUNT_MODES = ("count", "reduction")
#: Independent starts per region (first plan and search), each with its share of the solves
#: (at least MIN_START_SOLVES each, else one start): new units from different local optima
#: combine in the recombination (on Thanh Hóa three starts of 300 solves beat one of 1,100).
STARTS = 3
MIN_START_SOLVES = 40
#: Seeds of later starts lie this far from the region's seed.
START_SEED_STRIDE = 7919
#: Deterministic time of the model's check of the final plan (a fixed plan solves at once).
VERDICT_DETERMINISTIC_TIME = 10.0


def optimize(scenario: Scenario, graph: nx.Graph, settings: OptimizeSettings,
             progress: Progress | None = None, executor: Executor | None = None) -> OptimizeResult:
    """Propose a plan for the scenario.

    ``progress(kind, payload)`` hears of the work: ``("solves", (meets, new_units, done))``
    while a single region searches, ``("region", RegionOutcome)`` as each region ends.
    ``executor`` (a ``concurrent.futures.Executor``, such as a Dask client's) solves the regions
    instead of ``settings.workers`` local processes, with the same plan
    (:func:`planner.optimize.parallel.run_regions`).

    Raises
    ------
    Infeasible
        With the reasons, when no plan satisfies the hard constraints.
    InputError
        When the target cannot be read or met.
    """
    started = time.perf_counter()
    mode, targets = region_targets(scenario, settings)
    standards = settings.standards or ("strict" if mode == "max_p" else "soft")
    if standards not in STANDARDS_MODES:
        raise ValueError(f"standards must be one of {STANDARDS_MODES}")
    access = settings.access_max_km if settings.access_max_km is not None else scenario.access_max_km
    regions = regions_of(scenario, graph, targets, access)
    if settings.start is not None:
        keep_count = settings.target is None and settings.count is None and settings.reduction is None
        regions = repair_regions(regions, scenario.preset, settings.start, settings.max_moves, keep_count)
    source = str(scenario.folder / "scenario.yaml")
    relaxed = relax_targets(regions) if scenario.target.unreachable == "relax" else []
    reasons = [r for region in regions for r in precheck(region, scenario.preset, standards)]
    if reasons:
        raise Infeasible(reasons, source)
    count_sign = {"max_p": 1, "min_count": -1}.get(mode, 0)
    settings_for = search_settings(settings, regions, standards, count_sign)
    outcomes = run_regions(regions, scenario.preset, settings_for, settings.workers, progress or (lambda *_: None),
                           optimize_region, executor)
    _raise_if_broken(regions, outcomes, scenario.preset, standards, settings.seed, source)
    result = _result(regions, outcomes, started)
    result.warnings = relaxed
    if settings.start is not None:
        result.plan = continue_labels(result.plan, settings.start, regions)
    return result


def optimize_region(region: Region, preset: Preset, settings: SearchSettings, mapper: Mapper | None = None,
                    report: Callable[[int, int, int], None] | None = None) -> RegionOutcome:
    """One region's pipeline, stage by stage (see the module docstring); runs in a worker process.

    Stages 1 to 5 run STARTS times, each with its own seed and its share of the solves, into
    one pool; the recombination then covers the region with the best of everything they saw.
    """
    start = time.perf_counter()
    mapper = mapper or sequential_mapper(region, preset)
    pool = Pool()
    searches, done, shared = [], 0, {}
    for k, solves in enumerate(start_shares(settings.solves)):
        own = replace(settings, seed=start_seed(settings.seed, k), solves=solves)
        searches.append(_search_from_start(region, preset, own, mapper, _offset(report, done), pool, shared))
        done += searches[-1].solves
    searched = max(searches, key=lambda outcome: outcome.score)
    groups = _recombination(region, preset, pool, searched.groups, settings)                   # 6. recombination
    groups, final = _polished(region, preset, groups, settings)                                # 7. polish
    late = any(s.stopped_by_clock for s in searches) or past_stop(settings.stop_at)   # the stop cut a stage short
    statuses = {s: group_status(region, preset, m) for s, m in groups.items()}
    value = primary_value(region, groups, final)
    bound, method = primary_bound(region, preset, settings.standards, groups, statuses, value,  # 8. bound
                                  settings.stop_at, pool.meeting(region, preset))
    meets, waived = model_verdicts(region, preset, groups)
    return RegionOutcome(region.parent, groups, final, meets, waived, done,
                         late, time.perf_counter() - start, value, bound, method)


def start_shares(solves: int) -> list[int]:
    """The solves of each start: STARTS near-equal shares (a single start below MIN_START_SOLVES each).

    >>> start_shares(820), start_shares(25)
    ([274, 273, 273], [25])
    """
    starts = STARTS if solves >= STARTS * MIN_START_SOLVES else 1
    return [solves // starts + (1 if k < solves % starts else 0) for k in range(starts)]


def start_seed(seed: int, k: int) -> int:
    """The seed of start ``k``: the region's own for the first, a fixed stride away for the others."""
    return seed + START_SEED_STRIDE * k


def _offset(report: Callable[[int, int, int], None] | None, done: int) -> Callable[[int, int, int], None] | None:
    """The progress callback of a later start: its solves counted after the earlier starts'."""
    if report is None:
        return None
    return lambda meets, new_units, solves: report(meets, new_units, done + solves)


def _search_from_start(region: Region, preset: Preset, settings: SearchSettings, mapper: Mapper,
                       report: Callable[[int, int, int], None] | None, pool: Pool,
                       shared: dict[str, Any]) -> SearchOutcome:
    """Stages 1 to 5 from one start: a first plan (by the target's mode), then the search; the
    outcome counts every solve spent, the first plan's included."""
    if region.home is not None:
        groups, first_solves = _repair_first_plan(region, preset), 0
    elif region.target.mode in COUNT_MODES:
        groups, first_solves = _count_target_first_plan(region, preset, settings, mapper, pool, shared)
    else:
        groups = first_plan(region, preset, random.Random(settings.seed), settings.pack_time, settings.solver_workers,
                            settings.stop_at)
        first_solves = 0
    pool.add(groups)
    searched = search(region, preset, groups, replace(settings, solves=max(0, settings.solves - first_solves)),
                      mapper, report, pool)                                                    # 5. search
    return replace(searched, solves=searched.solves + first_solves)


def _count_target_first_plan(region: Region, preset: Preset, settings: SearchSettings, mapper: Mapper,
                             pool: Pool, shared: dict[str, Any]) -> tuple[Groups, int]:
    """Stages 1 to 4: the better of packing and growth, weak units dissolved, merged or split to the target.

    Decisions can stop the merges or splits short of the target count; the Voronoi plan of
    the target count is taken instead when it is better or when the count is out of range.
    The growth is made once per region (kept in ``shared``); each start grows its own
    candidates with its own seed (their variety is what the starts are for).  Returns the plan
    and the neighbourhood solves spent.
    """
    rng = random.Random(settings.seed)
    if "grown" not in shared:           # the growth does not depend on the seed: made once per region
        unchanged = {u: [u] for u in region.unchanged}
        shared["grown"] = {**grown_plan(region, preset, [u for u in range(region.size) if u not in unchanged]),
                           **unchanged}
    grown = shared["grown"]
    candidates = candidate_groups(region, preset, rng, stop_at=settings.stop_at)                # 1. candidates
    packed = pack(region, preset, candidates, seed=rng.randrange(2**31 - 1),                    # 2. packing
                  deterministic_time=settings.pack_time, workers=settings.solver_workers,
                  wall_limit=seconds_left(settings.stop_at))
    groups = max((grown, packed), key=lambda g: score(region, preset, g, settings.standards, 0))
    pool.add(groups)
    groups, solves = dissolve_weak(region, preset, groups, settings, mapper)                   # 3. dissolving
    groups = to_target(region, preset, groups)                                                 # 4. to the target
    fallback = first_plan(region, preset, random.Random(settings.seed))
    in_range = [g for g in (groups, fallback) if region.target.lo <= len(g) <= region.target.hi] or [fallback]
    return max(in_range, key=lambda g: score(region, preset, g, settings.standards, settings.count_sign)), solves


def _repair_first_plan(region: Region, preset: Preset) -> Groups:
    """Least-change repair: the plan to repair, merged or split first when the target asks for another count."""
    assert region.home is not None
    groups: Groups = {}
    for u, seat in enumerate(region.home):
        groups.setdefault(seat, []).append(u)
    if region.target.lo <= len(groups) <= region.target.hi:
        return dict(sorted(groups.items()))
    return to_target(region, preset, groups)


def _recombination(region: Region, preset: Preset, pool: Pool, groups: Groups, settings: SearchSettings) -> Groups:
    """Stage 6, with the border variants of the plan in the pool (skipped at the emergency stop)."""
    pool.add_border_variants(region, groups)
    lo, hi = (region.target.lo, region.target.hi) if region.target.mode in COUNT_MODES else (1, region.size)
    if not past_stop(settings.stop_at):
        groups = recombine(region, preset, pool, groups, settings.standards, settings.count_sign,
                           nodes=settings.recombine_nodes, lo=lo, hi=hi, wall_limit=seconds_left(settings.stop_at))
    return groups


def _polished(region: Region, preset: Preset, groups: Groups, settings: SearchSettings) -> tuple[Groups, Score]:
    """Stage 7: the polished plan when it scores at least as well; with its score."""
    before = score(region, preset, groups, settings.standards, settings.count_sign)
    polished = polish(region, preset, groups, settings.stop_at)
    after = score(region, preset, polished, settings.standards, settings.count_sign)
    return (polished, after) if after >= before else (groups, before)


def model_verdicts(region: Region, preset: Preset, groups: Groups) -> tuple[int, int]:
    """The model's own count of new units meeting the standard (and waived) for a fixed plan."""
    allowed = {u: [s] for s, members in groups.items() for u in members}
    sub = SubProblem(list(range(region.size)), len(groups), len(groups), "soft", 0, allowed_seats=allowed)
    result = solve(region, preset, sub, seed=0, deterministic_time=VERDICT_DETERMINISTIC_TIME)
    return result.meets, result.waived


def primary_value(region: Region, groups: Groups, final: Score) -> int:
    """The primary objective reached: units meeting the standard, or the count (negated for min-count)."""
    mode = region.target.mode
    if mode == "max_p":
        return len(groups)
    if mode == "min_count":
        return -len(groups)
    return final.meets


def _raise_if_broken(regions: list[Region], outcomes: list[RegionOutcome], preset: Preset, standards: str,
                     seed: int, source: str) -> None:
    """Raise :class:`Infeasible` with CP-SAT's explanation for every region whose plan breaks a hard constraint."""
    reasons = []
    for region, outcome in zip(regions, outcomes):
        if outcome.score.minus_broken >= 0:
            continue
        found = explain(region, preset, standards, seed)
        reasons += found or [f"parent unit {region.parent}: the search ended with {outcome.score.broken} broken "
                             "constraint(s) (access, decisions or standards); no proof of infeasibility"]
    if reasons:
        raise Infeasible(reasons, source)


def _result(regions: list[Region], outcomes: list[RegionOutcome], started: float) -> OptimizeResult:
    """The regions' plans as one plan, with the objective, bound, gap and status of the whole run."""
    assignment: dict[str, str] = {}
    seats: dict[str, str] = {}
    for region, outcome in zip(regions, outcomes):
        for s, members in outcome.groups.items():
            new = region.codes[s]
            seats[new] = new
            for u in members:
                assignment[region.codes[u]] = new
    objective = sum(o.objective for o in outcomes)
    bound = sum(o.bound for o in outcomes)
    methods = Counter(o.bound_method for o in outcomes)
    if any(o.stopped_by_clock for o in outcomes):
        status = "time_limit"
    elif objective == bound:
        status = "bound_reached"
    else:
        status = "feasible"
    return OptimizeResult(Plan(assignment, seats=seats, label="optimizer"), status, objective, bound,
                          abs(bound - objective) / max(1, abs(bound)), time.perf_counter() - started,
                          sum(o.model_meets for o in outcomes), sum(o.model_waived for o in outcomes),
                          sum(o.solves for o in outcomes), [o.row(r.size) for r, o in zip(regions, outcomes)],
                          bound_method_text(methods))


def bound_method_text(methods: Counter[str]) -> str:
    """What the bound rests on: the tightest bound's method, with the number of regions where
    each was tightest when there are several regions.

    >>> print(bound_method_text(Counter({"lp": 2, "count": 5})))
    the target's count (5 regions); LP relaxation by column generation (2 regions)
    """
    if len(methods) == 1 and sum(methods.values()) == 1:
        return BOUND_METHODS[next(iter(methods))]
    ranked = sorted(methods.items(), key=lambda item: (-item[1], item[0]))
    return "; ".join(f"{BOUND_METHODS[m]} ({n} region{'s' if n != 1 else ''})" for m, n in ranked)
