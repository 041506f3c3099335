"""The tables of the agency layer: their names and columns, the levels and periods of bodies.

Shared by the reader of a scenario's ``agencies:`` tables (:mod:`~planner.transition.agency_reader`),
the agency template (:mod:`~planner.transition.template`), the layer itself
(:mod:`~planner.transition.agencies`) and its graph (:mod:`~planner.transition.agency_graph`).
The format is documented in ``docs/gaps.md``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

BASE_LEVEL = "commune"
PERIODS = ("before", "after", "both")
SERVICE_POINT_KINDS = ("one_stop_center", "reception_point")
TABLES = ("agencies", "tasks", "transfer_rules", "procedures", "service_points", "places")
COLUMNS: dict[str, list[str]] = {
    "agencies": ["id", "name", "level", "unit", "period", "kind", "staff", "transferred_in", "needs_seal",
                 "seal_registered", "signs", "one_stop", "legal_basis"],
    "tasks": ["id", "name", "category", "holder", "legal_reference", "procedures", "receiver"],
    "transfer_rules": ["category", "to_level", "receiver_kind", "legal_reference"],
    "procedures": ["id", "name", "body", "task", "legal_reference"],
    "service_points": ["id", "name", "kind", "site", "lon", "lat"],
    "places": ["id", "name", "unit", "population", "lon", "lat"],
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "agencies": ("id", "name", "level", "unit", "period", "kind"),
    "tasks": ("id", "name", "category", "holder"),
    "transfer_rules": ("category", "to_level", "receiver_kind"),
    "procedures": ("id", "name", "body"),
    "service_points": ("id", "name", "kind", "site"),
    "places": ("id", "name", "unit"),
}


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the columns of ``name``.

    Parameters
    ----------
    name : str
        One of :data:`TABLES`.

    Returns
    -------
    pandas.DataFrame
        No rows; the ``agencies`` table also has the ``origin`` column and is indexed by ``id``.
    """
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS[name]})
    if name == "agencies":
        frame["origin"] = pd.Series(dtype=object)
        frame = frame.set_index("id", drop=False)
    return frame


def split_ids(value: Any) -> list[str]:
    """The ids of a ``;``-separated cell.

    Examples
    --------
    >>> split_ids("a; b;;c ")
    ['a', 'b', 'c']
    """
    return [part.strip() for part in str(value or "").split(";") if part.strip()]
