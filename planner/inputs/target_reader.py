"""The ``target:`` section of a scenario: how many new units a plan should have.

One of ``count`` (with ``by_parent``, a count per parent unit), ``reduction``, ``max_p`` and
``min_count``; without one, the preset's reduction (or ``max_p``).  ``unreachable`` says what a
parent unit gets when it cannot meet its count: ``error`` (the default) or ``relax`` (the
nearest count it can meet, :func:`planner.optimize.targets.relax_targets`).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from planner.inputs.preset import Preset
from planner.inputs.scenario import TARGET_MODES, UNREACHABLE_CHOICES, Target

#: ``number(key, value, integer=..., minimum=...)`` and ``error(key, message)`` of the scenario reader.
Number = Callable[..., Any]
Report = Callable[[str, str], None]


def read_target(section: dict[str, Any], preset: Preset | None, number: Number, error: Report) -> Target:
    """The ``target:`` section (the preset's reduction, or ``max_p``, when the scenario sets none).

    Parameters
    ----------
    section : dict
        The ``target:`` section ({} when absent).
    preset : Preset or None
        Gives the reduction when the scenario sets no target (None when it could not be read).
    number : callable
        ``number(key, value, integer=..., minimum=...)``: the value as a number, or None with an error.
    error : callable
        ``error(key, message)``: records an error at a key of the scenario file.

    Returns
    -------
    Target
        The target, defaults where a value is wrong (the errors say which).
    """
    unreachable = read_unreachable(section, error)
    modes = [m for m in TARGET_MODES if section.get(m) is not None and section.get(m) is not False]
    if len(modes) > 1:
        error("target", f"choose one of {', '.join(TARGET_MODES)}, not {', '.join(modes)}")
    mode = modes[0] if modes else ("count" if section.get("by_parent") else None)
    if mode is None:
        reduction = (preset.target.get("reduction") if preset else None) or {}
        mode, section = ("reduction", {"reduction": reduction}) if reduction else ("max_p", section)
    count = None
    if mode == "count" and section.get("count") is not None:
        count = number("target.count", section["count"], integer=True, minimum=1)
    low = high = None
    if mode == "reduction":
        reduction = section.get("reduction")
        if not isinstance(reduction, dict):
            error("target.reduction", "expected {min: 0.6, max: 0.7} (shares of units removed)")
        else:
            low = number("target.reduction.min", _fraction(reduction.get("min", 0.0)))
            high = number("target.reduction.max", _fraction(reduction.get("max", 1.0)))
    return Target(mode=mode, count=count, reduction_min=low, reduction_max=high,
                  by_parent=read_by_parent(section, number, error), unreachable=unreachable)


def _fraction(value: Any) -> Any:
    """A share written as a fraction (``2/3``, which the settings' schema accepts) as a number; else as given."""
    if isinstance(value, str) and "/" in value:
        try:
            return float(Fraction(value.replace(" ", "")))
        except (ValueError, ZeroDivisionError):
            return value
    return value


def read_by_parent(section: dict[str, Any], number: Number, error: Report) -> dict[str, int]:
    """``target.by_parent``: parent code -> count of new units."""
    by_parent = section.get("by_parent") or {}
    if not isinstance(by_parent, dict):
        error("target.by_parent", "expected a mapping: parent code -> count")
        return {}
    counts = {str(code): number(f"target.by_parent.{code}", count, integer=True, minimum=1)
              for code, count in by_parent.items()}
    return {code: count for code, count in counts.items() if count is not None}


def read_unreachable(section: dict[str, Any], error: Report) -> str:
    """``target.unreachable``: ``error`` (the default) or ``relax``."""
    value = str(section.get("unreachable", "error")).strip().lower()
    if value not in UNREACHABLE_CHOICES:
        error("target.unreachable", f"'{section.get('unreachable')}' is not a choice: expected error (a parent "
              "unit that cannot meet its count stops the plan) or relax (it gets the nearest count it can meet, "
              "with a warning)")
        return "error"
    return value
