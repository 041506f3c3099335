"""Access as residents feel it: the distance from each part of a dissolved unit to its new seat.

When a scenario's units are dissolved from a finer table (``units.dissolve``,
:mod:`planner.inputs.dissolve`), a province's residents live in its communes, not at its
population-weighted point.  :func:`part_distances` measures the straight line from each part's
point to the point of the seat of its new unit (the seat is an old unit: its weighted point), in the
graph's equal-area projection; the evaluation then reads every access figure over the parts,
weighted by their population (``docs/evaluation.md``).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

#: The columns of ``parts.csv``, one row per part.
PART_ACCESS_COLUMNS = ["part", "name", "unit", "new_unit", "seat", "population", "distance_km"]


def part_distances(parts: pd.DataFrame, graph: nx.Graph, assignment: dict[str, str],
                   seats: dict[str, str]) -> pd.DataFrame:
    """The distance from each part to the seat of its unit's new unit.

    Parameters
    ----------
    parts : pandas.DataFrame
        :attr:`planner.inputs.scenario.Scenario.parts` (``name``, ``unit``, ``population``, ``lon``, ``lat``).
    graph : networkx.Graph
        The unit graph (its ``projection``, and the seats' ``x`` and ``y``).
    assignment : dict
        Old unit -> new unit (the plan's).
    seats : dict
        New unit -> the old unit holding its seat.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PART_ACCESS_COLUMNS`, sorted by part; ``distance_km`` NaN where a point is unknown.
    """
    kept = parts[parts["unit"].isin(list(assignment))]
    new_units = [assignment[u] for u in kept["unit"]]
    seat_codes = [seats[n] for n in new_units]
    x, y = graph.graph["projection"].forward.transform(kept["lon"].to_numpy(float), kept["lat"].to_numpy(float))
    seat_x = np.array([graph.nodes[s]["x"] for s in seat_codes], dtype=float)
    seat_y = np.array([graph.nodes[s]["y"] for s in seat_codes], dtype=float)
    frame = pd.DataFrame({
        "part": kept.index.astype(str), "name": kept["name"].to_numpy(), "unit": kept["unit"].to_numpy(),
        "new_unit": new_units, "seat": seat_codes, "population": kept["population"].to_numpy(float),
        "distance_km": np.hypot(np.asarray(x) - seat_x, np.asarray(y) - seat_y) / 1000.0,
    }, columns=PART_ACCESS_COLUMNS)
    return frame.sort_values("part", ignore_index=True)


def unit_access(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Old unit -> (population-weighted mean, max) of its parts' distances to the seat, in km.

    Examples
    --------
    >>> frame = pd.DataFrame({"unit": ["A", "A"], "population": [100.0, 300.0], "distance_km": [4.0, 8.0]})
    >>> unit_access(frame)
    {'A': (7.0, 8.0)}
    """
    access = {}
    for unit, group in frame.groupby("unit", sort=True):
        known = group.dropna(subset=["distance_km"])
        weights = known["population"].fillna(0.0).clip(lower=0.0)
        distances = known["distance_km"]
        mean = float((weights * distances).sum() / weights.sum()) if weights.sum() > 0 else float("nan")
        access[str(unit)] = (mean, float(distances.max()) if len(distances) else float("nan"))
    return access
