"""The graph of the agency layer: the unit graph with new units, parents, bodies, tasks and services.

:func:`add_agency_layer` copies the unit graph and adds the layer to it, one kind of node at
a time (new units, parents, bodies, tasks, procedures, service points, then the task
transfers between bodies); ``docs/gaps.md`` describes the nodes and edges.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from planner.inputs.plan import Plan
from planner.transition.agency_tables import BASE_LEVEL

if TYPE_CHECKING:  # agencies re-exports add_agency_layer: the layer's class is needed for hints only
    from planner.transition.agencies import AgencyLayer


def add_agency_layer(graph: nx.Graph, layer: AgencyLayer, plan: Plan | None = None,
                     bodies: pd.DataFrame | None = None,
                     receivers: pd.DataFrame | None = None) -> nx.Graph:
    """A copy of the unit graph with the agency layer added.

    Unit nodes get ``layer='unit'``.  Added nodes (attribute ``layer``): ``new_unit``
    (``new:<id>``), ``parent`` (``<level>:<code>``), ``agency`` (``agency:<id>``),
    ``task`` (``task:<id>``), ``procedure`` and ``service_point``.  Added edges (attribute
    ``kind``): ``belongs_to`` (an old unit to its new unit and parents, a body to its unit,
    a task to its holder), ``serves`` (a service point to its new unit, a procedure to its
    body), ``receives_tasks_of`` (a body of the new map to an abolished body; ``tasks``
    lists the task ids).

    Parameters
    ----------
    graph : networkx.Graph
        The unit graph (left unchanged).
    layer : AgencyLayer
    plan : Plan, optional
        Adds the new units and the ``belongs_to`` edges of old units.
    bodies : pandas.DataFrame, optional
        The bodies to add (default ``layer.agencies``; pass :func:`~planner.transition.agencies.bodies_for_plan`'s).
    receivers : pandas.DataFrame, optional
        The transition's task receivers (``from_body``, ``receiver``, ``task``).

    Returns
    -------
    networkx.Graph
        The copy with the layer's nodes and edges.
    """
    full = graph.copy()
    nx.set_node_attributes(full, "unit", "layer")
    if plan is not None:
        _add_new_units(full, plan)
    _add_parents(full, graph, layer.abolished_level)
    bodies = layer.agencies if bodies is None else bodies
    _add_bodies(full, bodies)
    _add_tasks(full, layer.tasks)
    _add_procedures(full, layer.procedures, bodies)
    _add_service_points(full, layer.service_points, plan)
    if receivers is not None:
        _add_task_transfers(full, receivers)
    return full


def _add_new_units(full: nx.Graph, plan: Plan) -> None:
    """A ``new_unit`` node per new unit, each old unit ``belongs_to`` it."""
    for unit, new in plan.assignment.items():
        full.add_node(f"new:{new}", layer="new_unit", code=new, name=plan.names.get(new, ""))
        full.add_edge(unit, f"new:{new}", kind="belongs_to")


def _add_parents(full: nx.Graph, graph: nx.Graph, abolished_level: str | None) -> None:
    """A ``parent`` node per parent of the abolished level and per province, the old units ``belongs_to`` them."""
    levels = [level for level in (abolished_level, "province") if level]
    for code in list(graph.nodes):
        for level in levels:
            parent = graph.nodes[code].get(level)
            if parent:
                full.add_node(f"{level}:{parent}", layer="parent", level=level, code=parent)
                full.add_edge(code, f"{level}:{parent}", kind="belongs_to")


def _add_bodies(full: nx.Graph, bodies: pd.DataFrame) -> None:
    """An ``agency`` node per body (its columns as attributes), which ``belongs_to`` its unit."""
    for agency_id, row in bodies.iterrows():
        node = f"agency:{agency_id}"
        full.add_node(node, layer="agency", **{k: v for k, v in row.items() if k != "id"})
        full.add_edge(node, _unit_node(row), kind="belongs_to")


def _add_tasks(full: nx.Graph, tasks: pd.DataFrame) -> None:
    """A ``task`` node per task, which ``belongs_to`` its holder when the holder is a body of the graph."""
    for _, task in tasks.iterrows():
        node = f"task:{task['id']}"
        full.add_node(node, layer="task", name=task["name"], category=task["category"])
        holder = f"agency:{task['holder']}"
        if holder in full:
            full.add_edge(node, holder, kind="belongs_to")


def _add_procedures(full: nx.Graph, procedures: pd.DataFrame, bodies: pd.DataFrame) -> None:
    """A ``procedure`` node per procedure, which ``serves`` the body it cites."""
    for _, procedure in procedures.iterrows():
        node = f"procedure:{procedure['id']}"
        full.add_node(node, layer="procedure", name=procedure["name"])
        match = _body_named(bodies, procedure["body"])
        if match is not None:
            full.add_edge(node, f"agency:{match}", kind="serves")


def _add_service_points(full: nx.Graph, points: pd.DataFrame, plan: Plan | None) -> None:
    """A ``service_point`` node per service point, which ``serves`` the new unit of its site."""
    for _, point in points.iterrows():
        node = f"service_point:{point['id']}"
        full.add_node(node, layer="service_point", name=point["name"], kind=point["kind"], site=point["site"])
        if plan is not None and point["site"] in plan.assignment:
            full.add_edge(node, f"new:{plan.assignment[point['site']]}", kind="serves")


def _add_task_transfers(full: nx.Graph, receivers: pd.DataFrame) -> None:
    """A ``receives_tasks_of`` edge from each receiving body to each body it takes tasks from."""
    for (receiver, source), group in receivers.groupby(["receiver", "from_body"], sort=True):
        if f"agency:{receiver}" in full and f"agency:{source}" in full:
            full.add_edge(f"agency:{receiver}", f"agency:{source}", kind="receives_tasks_of",
                          tasks=sorted(set(group["task"])))


def _unit_node(row: pd.Series) -> str:
    """The node of the unit a body belongs to: an old unit, a new unit or a parent."""
    if row["level"] == BASE_LEVEL:
        return f"new:{row['unit']}" if row["period"] == "after" else str(row["unit"])
    return f"{row['level']}:{row['unit']}"


def _body_named(bodies: pd.DataFrame, reference: str) -> str | None:
    """The id of the body a procedure cites, by id or by exact name (first by id)."""
    if reference in bodies.index:
        return reference
    matches = bodies.index[bodies["name"] == reference]
    return str(matches[0]) if len(matches) else None
