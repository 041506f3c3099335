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


def access_matrix(parts: pd.DataFrame, graph: nx.Graph, codes: list[str]) -> np.ndarray:
    """How far each unit's residents are from each unit as a seat: the measure of :func:`part_distances`.

    Parameters
    ----------
    parts : pandas.DataFrame
        :attr:`planner.inputs.scenario.Scenario.parts` (``unit``, ``population``, ``lon``, ``lat``).
    graph : networkx.Graph
        The unit graph (its ``projection``, and the units' ``x`` and ``y``).
    codes : list of str
        The units, in the order of the matrix's rows and columns.

    Returns
    -------
    numpy.ndarray
        ``matrix[i, j]``: the population-weighted mean distance in km from the parts of ``codes[i]`` to the point
        of ``codes[j]`` (an unweighted mean when its parts have no population; the distance between the two
        units' points when none of its parts has a point; 0 where a point is unknown).
    """
    x = np.array([graph.nodes[c]["x"] for c in codes], dtype=float)
    y = np.array([graph.nodes[c]["y"] for c in codes], dtype=float)
    matrix = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) / 1000.0
    kept = parts[parts["unit"].isin(codes)].dropna(subset=["lon", "lat"])
    px, py = graph.graph["projection"].forward.transform(kept["lon"].to_numpy(float), kept["lat"].to_numpy(float))
    px, py = np.asarray(px), np.asarray(py)
    weights = kept["population"].fillna(0.0).clip(lower=0.0).to_numpy(float)
    row_of = {code: i for i, code in enumerate(codes)}
    for unit, positions in kept.groupby("unit", sort=True).indices.items():
        own = weights[positions] if weights[positions].sum() > 0 else np.ones(len(positions))
        distances = np.hypot(px[positions, None] - x[None, :], py[positions, None] - y[None, :]) / 1000.0
        matrix[row_of[unit]] = own @ distances / own.sum()
    return np.nan_to_num(matrix, nan=0.0)
