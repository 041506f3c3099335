"""The figures of two summaries compared: every number and value of ``summary.json``.

The headline figures (:data:`FIGURES`) come first with their labels, then the gap counts
(``gaps``, ``gaps_by_severity``, nested keys as ``gaps.a.b``), then every other figure the
summaries hold (the transition and its staffing figures, the units by kind, the optimizer's
figures), sorted by key.  Figures measured by the clock are left out, and so are the keys that
are not figures: the plan's label and the scenario's settings and inputs (compared as the
scenario's settings and data, :mod:`planner.review.scenario_data`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from planner.evaluation.evaluate import HEADLINE_FIGURES
from planner.evaluation.report import CLOCK_FIGURES

#: Headline figures of summary.json compared between the two sides, with their labels.
FIGURES = HEADLINE_FIGURES + (
    ("units_beyond_threshold", "old units beyond the access limit"),
    ("population_beyond_threshold", "people beyond the access limit"),
    ("kind_differs_from_rule", "kind differs from the rule"),
    ("polsby_popper_mean", "compactness, mean Polsby-Popper"),
)
#: summary.json keys starting with this prefix and holding a mapping of counts (``gaps``,
#: ``gaps_by_severity``; possibly nested) are compared count by count, right after the headline.
GAPS_KEY = "gaps"
#: summary.json keys that are not figures: the plan's label, the scenario's settings and inputs.
NOT_FIGURES = ("plan", "scenario_settings", "scenario_inputs") + CLOCK_FIGURES


@dataclass(frozen=True)
class FigureChange:
    """A figure on both sides and its change (None where a side lacks it or it is not a number)."""

    key: str
    label: str
    a: Any
    b: Any
    delta: float | int | None

    @property
    def differs(self) -> bool:
        """True when the two sides hold different values (or only one side has the figure)."""
        return _text(self.a) != _text(self.b)


def compare_figures(a: dict[str, Any], b: dict[str, Any]) -> list[FigureChange]:
    """Each figure of both summaries and its change: the headline, the gap counts, then the rest.

    A count missing from a mapping one side has (a gap type with no gap) counts as 0; a figure
    missing from a side's summary altogether is None.  Lists count their items.

    Examples
    --------
    >>> [(f.key, f.a, f.b, f.delta) for f in compare_figures({"transition": {"seals_needed": 3}},
    ...                                                       {"transition": {"seals_needed": 5}})]
    [('transition.seals_needed', 3, 5, 2)]
    """
    figures = [FigureChange(key, label, a.get(key), b.get(key), _delta(a.get(key), b.get(key)))
               for key, label in FIGURES if key in a or key in b]
    leaves_a, leaves_b = summary_leaves(a), summary_leaves(b)
    labelled = {key for key, _ in FIGURES}
    keys = sorted((set(leaves_a) | set(leaves_b)) - labelled, key=lambda k: (not k.startswith(GAPS_KEY), k))
    for key in keys:
        first, second = _value(key, leaves_a, a, leaves_b), _value(key, leaves_b, b, leaves_a)
        figures.append(FigureChange(key, _label(key, a, b), first, second, _delta(first, second)))
    return figures


def summary_leaves(summary: dict[str, Any]) -> dict[str, Any]:
    """The figures of a summary as ``{"a.b": value}``: numbers and text as they are, lists as counts."""
    leaves: dict[str, Any] = {}
    for key, value in summary.items():
        if key in NOT_FIGURES or key in {k for k, _ in FIGURES}:
            continue
        if isinstance(value, dict):
            leaves.update({f"{key}.{inner}": item for inner, item in _flatten(value).items()})
        else:
            leaves[key] = len(value) if isinstance(value, list) else value
    return leaves


def _flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            flat.update(_flatten(item, f"{name}."))
        else:
            flat[name] = len(item) if isinstance(item, list) else item
    return flat


def _value(key: str, leaves: dict[str, Any], summary: dict[str, Any], other: dict[str, Any]) -> Any:
    """The side's figure; 0 for a count missing from a mapping the side has."""
    if key in leaves:
        return leaves[key]
    section = key.split(".", 1)[0]
    count = other.get(key)
    if isinstance(summary.get(section), dict) and isinstance(count, (int, float)) and not isinstance(count, bool):
        return 0
    return None


def _label(key: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    section, _, rest = key.partition(".")
    label = f"{section.replace('_', ' ')}: {rest}" if rest else section.replace("_", " ")
    if isinstance(a.get(section, b.get(section)), list):
        label += " (count)"
    return label


def flatten_counts(value: Any, prefix: str = "") -> dict[str, float | int]:
    """Numbers of a nested mapping as ``{"a.b": n}`` (other values are left out).

    Examples
    --------
    >>> flatten_counts({"seal_missing": 3, "by_kind": {"agency": 2}, "note": "x"})
    {'by_kind.agency': 2, 'seal_missing': 3}
    """
    if not isinstance(value, dict):
        return {}
    flat = {f"{prefix}{key}": item for key, item in _flatten(value).items()
            if isinstance(item, (int, float)) and not isinstance(item, bool)}
    return dict(sorted(flat.items()))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _delta(a: Any, b: Any) -> float | int | None:
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, numbers) or not isinstance(b, numbers):
        return None
    if isinstance(a, int) and isinstance(b, int):
        return b - a
    delta = float(b) - float(a)
    return round(delta, 3) if math.isfinite(delta) else None
