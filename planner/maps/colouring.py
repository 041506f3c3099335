"""Colours for new units so that neighbours never share one.

The new units' adjacency comes from the unit graph: two new units are neighbours when any
of their old units are.  networkx's greedy colouring with the ``largest_first`` strategy
(units by falling number of neighbours; ties in code order, as the graph is built sorted)
gives the same colours for the same plan every time and runs in linear time: five colours
for Thanh Hóa's 166 units, six for Vietnam's 3,316 (DSATUR needs minutes on the country
for no fewer colours).
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

#: networkx greedy colouring strategy (deterministic for a graph built in sorted order).
STRATEGY = "largest_first"

#: Soft fill colours, distinct for colour-blind readers as far as eight colours allow.
PALETTE = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fdb462", "#b3de69", "#fccde5", "#80b1d3", "#d9d9d9",
    "#ccebc5", "#ffed6f",
]

def new_unit_adjacency(graph: nx.Graph, assignment: Mapping[str, str]) -> nx.Graph:
    """The graph of new units: an edge wherever two of their old units are neighbours.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> sorted(new_unit_adjacency(g, {"a": "X", "b": "X", "c": "Y"}).edges)
    [('X', 'Y')]
    """
    edges = set()
    for a, b in graph.edges:
        new_a, new_b = assignment.get(a), assignment.get(b)
        if new_a is not None and new_b is not None and new_a != new_b:
            edges.add((min(new_a, new_b), max(new_a, new_b)))
    adjacency = nx.Graph()
    adjacency.add_nodes_from(sorted(set(assignment.values())))
    adjacency.add_edges_from(sorted(edges))
    return adjacency


def colour_new_units(graph: nx.Graph, assignment: Mapping[str, str]) -> dict[str, int]:
    """A colour index per new unit, different between neighbours (deterministic greedy colouring).

    Parameters
    ----------
    graph : networkx.Graph
        The unit graph of the old units.
    assignment : mapping
        Old unit code -> new unit code.

    Returns
    -------
    dict
        New unit code -> index into :data:`PALETTE` (an index past the palette's end is
        drawn with the palette's colours again, which only happens on unusual graphs).

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a")])
    >>> sorted(colour_new_units(g, {"a": "A", "b": "B", "c": "C"}).values())
    [0, 1, 2]
    """
    adjacency = new_unit_adjacency(graph, assignment)
    colours = nx.greedy_color(adjacency, strategy=STRATEGY)
    return {unit: int(colours[unit]) for unit in sorted(colours)}

#: The page's colours of the standard status (Okabe-Ito: told apart with every common colour-vision deficiency;
#: waived, sky blue, distinct from meets, bluish green).
PAGE_STATUS_COLOURS = {"meets": "#009E73", "waived": "#56B4E9", "below": "#D55E00", "unchanged": "#CCCCCC"}
#: The page's colours of readiness on the go-live day (Okabe-Ito).
READINESS_COLOURS = {"ready": "#009E73", "at_risk": "#E69F00", "not_ready": "#D55E00"}
#: Sequential colours of a figure's classes, lowest first (viridis, reversed: light is low; colour-blind safe).
SEQUENTIAL = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
#: Number of quantile classes a figure is coloured in (fewer when values repeat).
CLASSES = 5
#: A unit without the figure.
NO_VALUE_COLOUR = "#dddddd"
