"""What the optimizer returns: one region's outcome, the whole plan with its figures, or the reasons
there is no plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.inputs.plan import Plan
from planner.inputs.problems import InputError, Problem
from planner.optimize.groups import Groups
from planner.optimize.scoring import Score


@dataclass
class RegionOutcome:
    """The result of one region's pipeline.

    ``objective`` is the primary objective reached (units meeting the standard; the count for
    max-p; minus the count for min-count) and ``bound`` a proven upper bound on it.
    """

    parent: str
    groups: Groups
    score: Score
    model_meets: int
    model_waived: int
    solves: int
    stopped_by_clock: bool
    seconds: float
    objective: int
    bound: int
    bound_method: str = "count"

    def row(self, units: int) -> dict[str, Any]:
        """The region's line of ``OptimizeResult.regions``."""
        return {"parent": self.parent, "units": units, "new_units": len(self.groups), "meets": self.score.meets,
                "waived": self.score.waived, "objective": self.objective, "bound": self.bound,
                "bound_method": self.bound_method,
                "solves": self.solves, "seconds": round(self.seconds, 1), "model_meets": self.model_meets}


@dataclass
class OptimizeResult:
    """The plan and the solver's figures.

    ``objective`` is the primary objective reached (new units meeting the standard; the
    number of new units for max-p; minus that number for min-count) and ``bound`` a proven
    bound on it; ``gap`` is ``|bound - objective| / max(1, |bound|)``.
    """

    plan: Plan
    status: str
    objective: int
    bound: int
    gap: float
    solve_seconds: float
    meets_standard: int
    waived: int
    solves: int
    regions: list[dict[str, Any]] = field(default_factory=list)
    bound_method: str = ""
    #: Parent units whose count target could not be met and was relaxed (``target.unreachable: relax``).
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The figures added to ``summary.json``."""
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "bound_method": self.bound_method,
            "gap": round(self.gap, 4),
            "solve_seconds": round(self.solve_seconds, 1),
            "optimizer_meets_standard": self.meets_standard,
            "optimizer_waived": self.waived,
            "lns_solves": self.solves,
            **({"target_relaxed": "; ".join(self.warnings)} if self.warnings else {}),
        }


class Infeasible(InputError):
    """The scenario has no plan; ``reasons`` say why in plain words."""

    def __init__(self, reasons: list[str], source: str):
        self.reasons = reasons
        super().__init__([Problem(source, "", "", reason, "error") for reason in reasons])
