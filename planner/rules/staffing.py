"""Staffing norms of commune-level units, from the preset's ``staffing`` data (Decree 33/2023 for Vietnam).

The norm of a unit is a base number by kind and class, plus one position per step of
population above the standard (a step is ``population_step`` times the standard
population, one half for Vietnam) and one per step of area above it (``area_step`` times
the standard area, 100 %).  The standard is the first ``staffing.standard`` entry whose
kind, terrain and context fit the unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Norm:
    """The staffing norm of one unit and how it was reached."""

    positions: int
    base: int
    population_extra: int
    area_extra: int
    unit_class: str

    def describe(self) -> str:
        return (f"norm {self.positions} = base {self.base} (class {self.unit_class}) + {self.population_extra} "
                f"for population + {self.area_extra} for area")


def _fraction(value: Any, default: str) -> float:
    return float(Fraction(str(value if value is not None else default)))


def staffing_norm(staffing: dict[str, Any], *, kind: str, terrain: str, context: str,
                  population: float, area_km2: float) -> Norm | None:
    """The norm of a unit, or None when the preset has no staffing data for its kind.

    Examples
    --------
    >>> data = {"base": {"commune": {"I": 22}}, "assumed_class": "I", "population_step": "1/2",
    ...         "standard": [{"kind": "commune", "population": 8000, "area_km2": 30}]}
    >>> staffing_norm(data, kind="commune", terrain="other", context="other",
    ...               population=40000, area_km2=100).positions
    32
    """
    if not staffing:
        return None
    unit_class = str(staffing.get("assumed_class", "I"))
    base = (staffing.get("base") or {}).get(kind, {}).get(unit_class)
    standard = _standard(staffing.get("standard") or [], kind, terrain, context)
    if base is None or standard is None:
        return None
    population_step = _fraction(standard.get("population_step", staffing.get("population_step")), "1/2")
    area_step = _fraction(standard.get("area_step", staffing.get("area_step")), "1")
    extra_population = _steps_above(population, float(standard.get("population", 0)), population_step)
    extra_area = _steps_above(area_km2, float(standard.get("area_km2", 0)), area_step)
    return Norm(int(base) + extra_population + extra_area, int(base), extra_population, extra_area, unit_class)


def _standard(entries: list[dict[str, Any]], kind: str, terrain: str, context: str) -> dict[str, Any] | None:
    for entry in entries:
        if entry.get("kind") != kind:
            continue
        if entry.get("terrain") and terrain not in entry["terrain"]:
            continue
        if entry.get("context") and context not in entry["context"]:
            continue
        return entry
    return None


def _steps_above(value: float, standard: float, step_share: float) -> int:
    """Whole steps of ``step_share * standard`` by which ``value`` exceeds ``standard``."""
    if not math.isfinite(value) or standard <= 0 or step_share <= 0 or value <= standard:
        return 0
    return int(math.floor((value - standard) / (standard * step_share) + 1e-9))
