"""Staffing norms of commune-level units, from the preset's ``staffing`` data.

A preset may list dated norms (``staffing.norms``, each with ``valid_from`` and
``valid_until``): :func:`norm_in_force` picks the one in force on a day, over the keys the
section shares (``assumed_class``).  A norm is either a flat number of ``positions`` (for
every kind, or by kind; Vietnam from 1 July 2025: the average of the 2025 arrangement, an
``estimate``) or a base number by kind and class, plus one position per step of
population above the standard (a step is ``population_step`` times the standard
population, one half under Decree 33/2023) and one per step of area above it
(``area_step`` times the standard area, 100 %).  The standard is the first
``standard`` entry whose kind, terrain and context fit the unit.
"""

from __future__ import annotations

import datetime as dt
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
    #: The norm's words when it is a flat number (``average per new unit, ...``); empty for base and steps.
    label: str = ""
    #: The norm itself is an estimate (an average read as each unit's norm).
    estimate: bool = False

    def describe(self) -> str:
        """How the norm was reached, in words.

        Examples
        --------
        >>> Norm(32, 32, 0, 0, "", label="average per new unit", estimate=True).describe()
        'norm 32 (average per new unit; an estimate)'
        """
        if self.label:
            return f"norm {self.positions} ({self.label}{'; an estimate' if self.estimate else ''})"
        return (f"norm {self.positions} = base {self.base} (class {self.unit_class}) + {self.population_extra} "
                f"for population + {self.area_extra} for area{' (an estimate)' if self.estimate else ''}")


def norm_in_force(staffing: dict[str, Any], day: dt.date | None) -> dict[str, Any]:
    """The staffing norm in force on ``day``, with the keys the section shares.

    Parameters
    ----------
    staffing : dict
        The preset's ``staffing`` section ({} without one).
    day : datetime.date or None
        The plan's effective date (None: the section's first dated norm).

    Returns
    -------
    dict
        The norm of ``staffing.norms`` whose ``valid_from``..``valid_until`` holds ``day`` (both ends included, an
        end left out is open) over the section's other keys; the section itself when it lists no dated norms;
        {} when no norm is in force on ``day``.

    Examples
    --------
    >>> data = {"assumed_class": "I", "norms": [
    ...     {"id": "old", "valid_until": dt.date(2025, 6, 30), "base": {"commune": {"I": 22}}},
    ...     {"id": "new", "valid_from": dt.date(2025, 7, 1), "positions": 32}]}
    >>> norm_in_force(data, dt.date(2025, 7, 1))["id"], norm_in_force(data, dt.date(2025, 6, 30))["id"]
    ('new', 'old')
    """
    norms = staffing.get("norms")
    if not norms:
        return dict(staffing)
    shared = {k: v for k, v in staffing.items() if k != "norms"}
    for norm in norms:
        if day is None or (_on_or_before(norm.get("valid_from"), day) and _on_or_before(day, norm.get("valid_until"))):
            return shared | dict(norm)
    return {}


def _on_or_before(first: Any, second: Any) -> bool:
    """``first <= second`` for dates (or ISO texts); an end left out (None) is open."""
    if first is None or second is None:
        return True
    return dt.date.fromisoformat(str(first)) <= dt.date.fromisoformat(str(second))


def _fraction(value: Any, default: str) -> float:
    return float(Fraction(str(value if value is not None else default)))


def staffing_norm(staffing: dict[str, Any], *, kind: str, terrain: str, context: str,
                  population: float, area_km2: float) -> Norm | None:
    """The norm of a unit, or None when the norm has no figure for its kind.

    ``staffing`` is one norm: the section of a preset without dated norms, or :func:`norm_in_force`'s.

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
    estimate = bool(staffing.get("estimate", False))
    if staffing.get("positions") is not None:
        flat = staffing["positions"]
        positions = flat.get(kind) if isinstance(flat, dict) else flat
        if positions is None:
            return None
        return Norm(int(positions), int(positions), 0, 0, "", label=str(staffing.get("label") or "flat number"),
                    estimate=estimate)
    unit_class = str(staffing.get("assumed_class", "I"))
    base = (staffing.get("base") or {}).get(kind, {}).get(unit_class)
    standard = _standard(staffing.get("standard") or [], kind, terrain, context)
    if base is None or standard is None:
        return None
    population_step = _fraction(standard.get("population_step", staffing.get("population_step")), "1/2")
    area_step = _fraction(standard.get("area_step", staffing.get("area_step")), "1")
    extra_population = _steps_above(population, float(standard.get("population", 0)), population_step)
    extra_area = _steps_above(area_km2, float(standard.get("area_km2", 0)), area_step)
    return Norm(int(base) + extra_population + extra_area, int(base), extra_population, extra_area, unit_class,
                estimate=estimate)


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
