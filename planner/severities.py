"""The severities of gaps, most serious first, read from ``planner/templates/severities.yaml``.

Every place that ranks gaps (the gap tables, the cards' readiness, the map markers, their
filters and legends) takes the order from here, so a severity added to the file is ranked the
same way everywhere.  A word not in the order (say, from a user's ``--gaps`` table) ranks after
all of them.

Examples
--------
>>> SEVERITIES
('critical', 'high', 'medium', 'low')
>>> worst_severity(["low", "critical", "high"])
'critical'
>>> sorted(["low", "urgent", "high"], key=severity_rank)
['high', 'low', 'urgent']
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any

from planner.inputs.yamlio import load_yaml

FILE = "severities.yaml"


def _load() -> dict[str, Any]:
    document = load_yaml((resources.files("planner") / "templates" / FILE).read_text("utf-8"))
    order = [str(s) for s in document["order"]]
    colours = {str(k): str(v) for k, v in document["colours"].items()}
    if sorted(colours) != sorted(order) or len(set(order)) != len(order):
        raise ValueError(f"{FILE}: 'colours' must give one colour to each severity of 'order', once each")
    return {"order": tuple(order), "colours": colours, "other": str(document["other_colour"])}


_DATA = _load()
#: The severities, most serious first.
SEVERITIES: tuple[str, ...] = _DATA["order"]
#: Marker colour of each severity on the maps.
SEVERITY_COLOURS: dict[str, str] = {s: _DATA["colours"][s] for s in SEVERITIES}
#: Marker colour of a severity word not in :data:`SEVERITIES`.
OTHER_SEVERITY_COLOUR: str = _DATA["other"]
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def severity_rank(severity: str) -> int:
    """0 for the most serious severity, 1 for the next...; a word not in the order ranks last."""
    return _RANK.get(severity, len(_RANK))


def worst_severity(severities: Iterable[str]) -> str | None:
    """The most serious of ``severities`` (ties: the first met), None when there are none."""
    return min(severities, key=severity_rank, default=None)


def severity_colour(severity: str) -> str:
    """The marker colour of a severity (:data:`OTHER_SEVERITY_COLOUR` for a word not in the order)."""
    return SEVERITY_COLOURS.get(severity, OTHER_SEVERITY_COLOUR)
