"""CP-SAT as every stage of the optimizer runs it: reproducible parameters and the two-phase solve.

- :func:`cp_solver`: a solver whose result depends on the deterministic time only; the wall
  clock is a safeguard against a stalled solve or a slow machine.
- :func:`solve_two_phase`: the optimizer's lexicographic objectives (units meeting the
  standard first, person-km second) as two solves: maximise the primary objective, fix it,
  then optimise the secondary one from the first solution.  The neighbourhood model and the
  packing solve this way (the recombination is solved by SCIP: :mod:`planner.optimize.cover`).
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ortools.sat.python import cp_model

from planner.interrupts import on_signal

#: Statuses with a solution to read.
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
#: The wall-clock safeguard of a solve: this many seconds per deterministic second, plus a constant
#: (far beyond what a solve takes on a slow machine; only a stalled solve reaches it).
SAFEGUARD_SECONDS_PER_UNIT = 20
SAFEGUARD_EXTRA_SECONDS = 10
#: Shortest wall-clock limit handed to CP-SAT.
MIN_WALL_SECONDS = 0.1

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}

T = TypeVar("T")

#: The solvers made by :func:`cp_solver`, stopped at once by Ctrl-C and SIGTERM (:func:`stop_solves`).
_SOLVERS: weakref.WeakSet[cp_model.CpSolver] = weakref.WeakSet()
_SOLVERS_LOCK = threading.Lock()


def stop_solves() -> None:
    """Stop every solve of a solver made by :func:`cp_solver` (thread-safe): the solves return at once
    with what they found, and Python raises the pending KeyboardInterrupt as they return."""
    with _SOLVERS_LOCK:
        solvers = list(_SOLVERS)
    for solver in solvers:
        solver.stop_search()


on_signal(stop_solves)


def cp_solver(seed: int, deterministic_time: float, workers: int = 1, wall_limit: float | None = None,
              presolve: bool = True) -> cp_model.CpSolver:
    """A CP-SAT solver whose result depends on the deterministic time only, not the clock.

    Several workers are interleaved (``interleave_search``) so that they stay reproducible;
    the wall-clock limit (``wall_limit`` seconds, or a multiple of the deterministic time) is
    only a safeguard.  Presolve can be turned off for small models, where it costs more than
    it saves.  Ctrl-C is left to Python (``catch_sigint_signal`` off): CP-SAT would otherwise
    catch it, end the solve early as if it were done and let the run go on; instead every solve
    is stopped the moment the signal arrives (:func:`stop_solves`) and the run stops.
    """
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    with _SOLVERS_LOCK:
        _SOLVERS.add(solver)
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = workers > 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = deterministic_time
    safeguard = SAFEGUARD_SECONDS_PER_UNIT * deterministic_time + SAFEGUARD_EXTRA_SECONDS
    solver.parameters.max_time_in_seconds = (safeguard if wall_limit is None
                                             else max(MIN_WALL_SECONDS, min(safeguard, wall_limit)))
    if not presolve:
        solver.parameters.cp_model_presolve = False
    return solver


@dataclass(frozen=True)
class TwoPhase(Generic[T]):
    """What :func:`solve_two_phase` found.

    ``status``, ``objective`` and ``bound`` are the first phase's (the primary objective);
    ``first`` and ``second`` are what ``read`` returned after each phase (None when that
    phase found no solution).
    """

    status: int
    objective: float
    bound: float
    first: T | None
    second: T | None

    @property
    def best(self) -> T | None:
        """The second phase's solution when it found one, else the first's."""
        return self.second if self.second is not None else self.first


def solve_two_phase(model: cp_model.CpModel, solver: cp_model.CpSolver, primary: Any, secondary: Any,
                    variables: Sequence[cp_model.IntVar], read: Callable[[cp_model.CpSolver], T], *,
                    minimize_secondary: bool = False, second_time: float | None = None,
                    wall_limit: float | None = None) -> TwoPhase[T]:
    """Maximise ``primary``; then, with the primary objective held at its value and the first
    solution of ``variables`` as the hint, optimise ``secondary``.

    ``second_time`` (deterministic seconds) replaces the first phase's limit for the second
    phase; ``wall_limit`` (seconds, for both phases together) stops the second phase on a
    slow machine.  Hints already on the model guide the first phase only.
    """
    model.Maximize(primary)
    status = solver.Solve(model)
    if status not in FOUND:
        return TwoPhase(status, math.nan, math.nan, None, None)
    objective, bound = solver.ObjectiveValue(), solver.BestObjectiveBound()
    first = read(solver)
    if not isinstance(primary, int):
        model.Add(primary >= round(objective))
    values = [solver.BooleanValue(var) for var in variables]
    model.clear_hints()
    for var, value in zip(variables, values):
        model.AddHint(var, value)
    if minimize_secondary:
        model.Minimize(secondary)
    else:
        model.Maximize(secondary)
    if second_time is not None:
        solver.parameters.max_deterministic_time = second_time
    if wall_limit is not None:
        solver.parameters.max_time_in_seconds = max(MIN_WALL_SECONDS, wall_limit - solver.wall_time)
    second = read(solver) if solver.Solve(model) in FOUND else None
    return TwoPhase(status, objective, bound, first, second)
