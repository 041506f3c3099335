"""Choosing new units from a list of candidates with SCIP: the recombination's set partitioning.

A *column* is a candidate new unit (its members); a cover picks columns so that every unit is
in exactly one of them (a partition), with the number of columns in a range and optional
budgets (at most so many moves).  The objectives are lexicographic: the first is optimised,
held at the value reached, then the next, each phase starting from the last one's solution.

Set partitioning is what a MIP solver does best: its LP relaxation over a region's pool is
nearly integral, so SCIP proves the optimum in a few branch-and-bound nodes (Thanh Hóa's pool of
2,551 columns at 166 new units: one node, about a second for both phases), where CP-SAT, with no
such bound, spends its whole time limit improving person-km without proving it.  A run stays
reproducible: SCIP runs one thread, and the work of a phase is capped by a number of nodes,
not by the clock; the wall-clock limit is only the emergency stop.

Examples
--------
Three units; columns {0, 1}, {2}, {0}, {1, 2}: the partitions are {0, 1} + {2} and {0} + {1, 2}.

>>> cover = Cover(units=3, columns=[(0, 1), (2,), (0,), (1, 2)])
>>> cover.solve([Objective("min", [5, 1, 1, 2])], hint=[True, True, False, False], nodes=10)
[False, False, True, True]
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from planner.interrupts import on_signal

#: SCIP's statuses with a solution to read.
FOUND = (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)
#: SCIP parameters: Ctrl-C is left to Python (SCIP would end the solve as if done and let the run
#: go on; instead :func:`stop_solves` interrupts it and the run stops), and no output.
PARAMETERS = "misc/catchctrlc = FALSE\ndisplay/verblevel = 0\n"

#: The solvers now solving, interrupted at once by Ctrl-C and SIGTERM (:func:`stop_solves`).
_SOLVING: set[pywraplp.Solver] = set()
_SOLVING_LOCK = threading.Lock()


def stop_solves() -> None:
    """Interrupt every SCIP solve under way (thread-safe): each returns at once with what it found."""
    with _SOLVING_LOCK:
        solvers = list(_SOLVING)
    for solver in solvers:
        solver.InterruptSolve()


on_signal(stop_solves)


@dataclass(frozen=True)
class Objective:
    """One phase of a lexicographic objective: ``sense`` ("max" or "min") of sum(coefficient * chosen)."""

    sense: str
    coefficients: Sequence[int]


@dataclass
class Cover:
    """A set-partitioning model: each of ``units`` in exactly one chosen column.

    ``count`` bounds the number of chosen columns; each budget ``(coefficients, most)`` keeps
    sum(coefficient * chosen) at most ``most``.
    """

    units: int
    columns: Sequence[Sequence[int]]
    count: tuple[int, int] | None = None
    budgets: list[tuple[Sequence[int], int]] = field(default_factory=list)

    def solve(self, objectives: Sequence[Objective], hint: Sequence[bool] | None = None, nodes: int = 1000,
              wall_limit: float | None = None) -> list[bool] | None:
        """The chosen columns after every phase (None when the first phase found no partition; a
        later phase that finds none, or lets an earlier objective slip, leaves the one before).

        Each phase explores at most ``nodes`` branch-and-bound nodes, so the result does not
        depend on the machine's speed; ``wall_limit`` (seconds for all phases) is the
        emergency stop.  ``hint`` is a partition to start from (e.g. the current plan).
        """
        solver = pywraplp.Solver.CreateSolver("SCIP")
        if solver is None:
            raise RuntimeError("this OR-Tools build has no SCIP solver (planner needs the ortools wheel from PyPI)")
        solver.SetSolverSpecificParametersAsString(PARAMETERS + f"limits/totalnodes = {max(1, int(nodes))}\n")
        chosen = [solver.BoolVar(f"y{i}") for i in range(len(self.columns))]
        self._constrain(solver, chosen)
        values, held = None, []
        start = list(hint) if hint is not None else None
        for objective in objectives:
            if values is not None or start is not None:
                solver.SetHint(chosen, [1.0 if v else 0.0 for v in (values or start)])
            expression = solver.Sum([c * var for c, var in zip(objective.coefficients, chosen) if c])
            if objective.sense == "max":
                solver.Maximize(expression)
            else:
                solver.Minimize(expression)
            if wall_limit is not None:
                solver.SetTimeLimit(max(1, int(1000 * wall_limit - solver.wall_time())))
            found = self._run(solver, chosen)
            if found is None or not all(_holds(o, reached, found) for o, reached in held):
                return values         # nothing found, or a held objective slipped within SCIP's tolerance
            values = found
            reached = _value(objective, values)
            held.append((objective, reached))
            solver.Add(expression >= reached if objective.sense == "max" else expression <= reached)
        return values

    def _run(self, solver: pywraplp.Solver, chosen: list[pywraplp.Variable]) -> list[bool] | None:
        """One phase's solve, interruptible by Ctrl-C; the chosen columns, or None."""
        with _SOLVING_LOCK:
            _SOLVING.add(solver)
        try:
            status = solver.Solve()
        finally:
            with _SOLVING_LOCK:
                _SOLVING.discard(solver)
        if status not in FOUND:
            return None
        return [var.solution_value() > 0.5 for var in chosen]

    def _constrain(self, solver: pywraplp.Solver, chosen: list[pywraplp.Variable]) -> None:
        covering: list[list[pywraplp.Variable]] = [[] for _ in range(self.units)]
        for var, members in zip(chosen, self.columns):
            for u in members:
                covering[u].append(var)
        for literals in covering:
            solver.Add(solver.Sum(literals) == 1)
        if self.count is not None:
            solver.Add(solver.Sum(chosen) >= self.count[0])
            solver.Add(solver.Sum(chosen) <= self.count[1])
        for coefficients, most in self.budgets:
            solver.Add(solver.Sum([c * var for c, var in zip(coefficients, chosen) if c]) <= most)


def _value(objective: Objective, values: Sequence[bool]) -> int:
    return int(sum(c for c, v in zip(objective.coefficients, values) if v))


def _holds(objective: Objective, reached: int, values: Sequence[bool]) -> bool:
    """Whether ``values`` keep the objective at least as good as ``reached``, in whole numbers."""
    value = _value(objective, values)
    return value >= reached if objective.sense == "max" else value <= reached


__all__ = ["Cover", "Objective", "stop_solves"]
