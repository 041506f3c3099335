"""The merger optimizer: CP-SAT plans that meet the standards, and how good they are.

Public surface::

    from planner.optimize import OptimizeSettings, optimize
    result = optimize(scenario, graph, OptimizeSettings(solves=1200, seed=0, workers=2))
    result.plan, result.status, result.objective, result.bound, result.gap

:mod:`~planner.optimize.pipeline` holds the stages in order.  Modules by stage:
:mod:`~planner.optimize.packing` (candidates and set packing),
:mod:`~planner.optimize.first_plan` (growths and Voronoi plans),
:mod:`~planner.optimize.dissolve` (new units below the standard dissolved),
:mod:`~planner.optimize.merge_split` (merge or split to the target),
:mod:`~planner.optimize.search` (large-neighbourhood search),
:mod:`~planner.optimize.recombine` (set-partitioning recombination of what the search saw),
:mod:`~planner.optimize.polish` (seats and border units),
:mod:`~planner.optimize.bounds` (proven bounds, stranded units) and
:mod:`~planner.optimize.infeasible` (why there is no plan).  Shared pieces:
:mod:`~planner.optimize.region` (data of one parent unit), :mod:`~planner.optimize.groups`
(growth, leftovers, medoid seats), :mod:`~planner.optimize.scoring` (exact scores with the
evaluation's rules), :mod:`~planner.optimize.model` and :mod:`~planner.optimize.encoder` (the
CP-SAT model), :mod:`~planner.optimize.solver` (CP-SAT parameters, two-phase solves),
:mod:`~planner.optimize.settings` (budgets), :mod:`~planner.optimize.targets` (counts per
region) and :mod:`~planner.optimize.parallel` (worker processes).  See ``docs/optimizer.md``.
"""

from planner.optimize.pipeline import optimize
from planner.optimize.results import Infeasible, OptimizeResult
from planner.optimize.scoring import STANDARDS_MODES
from planner.optimize.settings import DEFAULT_TIME_LIMIT_S, SOLVES_PER_UNIT, OptimizeSettings

__all__ = ["DEFAULT_TIME_LIMIT_S", "Infeasible", "OptimizeResult", "OptimizeSettings", "SOLVES_PER_UNIT",
           "STANDARDS_MODES", "optimize"]
