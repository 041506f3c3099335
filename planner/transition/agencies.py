"""The agency layer: bodies, their tasks, transfer rules, procedures, service points, places.

A scenario may describe the public bodies of its units in an optional ``agencies:``
section (format in ``docs/gaps.md``).  :func:`load_agency_layer` reads and checks those
tables in one pass, reporting every problem with its file, row and column.  When the
scenario has no ``agencies:`` section, the layer is generated from the preset's agency
template (``agency_templates: vn-2025`` names ``planner/templates/agencies/vn-2025.yaml``).

Bodies of the new map (``period: after`` at commune level) belong to new units, so they
depend on the plan: :func:`bodies_for_plan` completes them from the template for a given
plan.  :func:`add_agency_layer` turns the layer into nodes and edges of a copy of the
unit graph.

This module holds the layer (:class:`AgencyLayer`) and its loading; the pieces live in
:mod:`~planner.transition.agency_tables` (table names, columns, levels),
:mod:`~planner.transition.agency_reader` (checking the tables),
:mod:`~planner.transition.template` (the agency template) and
:mod:`~planner.transition.agency_graph` (:func:`add_agency_layer`), and are importable from here too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.inputs.plan import Plan
from planner.inputs.problems import InputError, Problem, ProblemList
from planner.inputs.scenario import Scenario
from planner.rules.standards import is_unarranged
from planner.transition.agency_graph import add_agency_layer
from planner.transition.agency_reader import LayerReader
from planner.transition.agency_tables import (
    BASE_LEVEL,
    COLUMNS,
    PERIODS,
    REQUIRED,
    SERVICE_POINT_KINDS,
    TABLES,
    empty_table,
    split_ids,
)
from planner.transition.seal_settings import SealSettings, read_seal_settings
from planner.transition.template import load_template, template_bodies_after, template_table

__all__ = [
    "BASE_LEVEL", "COLUMNS", "PERIODS", "REQUIRED", "SERVICE_POINT_KINDS", "TABLES", "AgencyLayer",
    "add_agency_layer", "bodies_for_plan", "empty_table", "kept_units", "layer_summary", "load_agency_layer",
    "load_template",
    "split_ids", "template_bodies_after", "template_table",
]


@dataclass
class AgencyLayer:
    """The public bodies of a scenario and what they do.

    Attributes
    ----------
    agencies : pandas.DataFrame
        One row per body (columns ``COLUMNS["agencies"]``); ``staff`` float (NaN when
        unknown), ``needs_seal``/``signs``/``one_stop`` bool, ``seal_registered`` a date or
        None, ``origin`` (``scenario`` or ``template``).
    tasks, transfer_rules, procedures, service_points, places : pandas.DataFrame
        The other tables, values as text except ``procedures`` (task count, int or NaN),
        ``population``, ``lon`` and ``lat`` (float).
    go_live : datetime.date or None
        The day the new map takes effect (the scenario's ``effective_date`` by default).
    seal_lead_time_days : int
        Working days needed to make and register a seal.
    abolished_level : str or None
        The parent level abolished by the reform (``district``), whose bodies all go.
    seals : SealSettings or None
        The order date and registration capacities of the seal schedule
        (:mod:`~planner.transition.seal_settings`).
    source : str
        ``scenario``, ``template <id>`` or ``none``.
    template : dict
        The agency template used to complete the bodies of new units ({} when none).
    warnings : list of Problem
        Things worth a look that do not stop the layer from being used.
    """

    agencies: pd.DataFrame
    tasks: pd.DataFrame
    transfer_rules: pd.DataFrame
    procedures: pd.DataFrame
    service_points: pd.DataFrame
    places: pd.DataFrame
    go_live: dt.date | None
    seal_lead_time_days: int
    abolished_level: str | None
    source: str
    template: dict[str, Any] = field(default_factory=dict, repr=False)
    warnings: list[Problem] = field(default_factory=list)
    seals: SealSettings | None = None

    def agency(self, agency_id: str) -> dict[str, Any]:
        """The row of one body as a dict."""
        return self.agencies.loc[agency_id].to_dict() | {"id": agency_id}


def load_agency_layer(scenario: Scenario) -> AgencyLayer:
    """Read the scenario's ``agencies:`` section, or generate the layer from the preset's template.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario; its document may hold an ``agencies:`` section.

    Returns
    -------
    AgencyLayer
        The layer (``source`` says where it comes from; empty tables when there is neither
        section nor template).

    Raises
    ------
    InputError
        With every problem of the agency tables (file, row, column, expectation).
    """
    problems = ProblemList()
    label = str(scenario.folder / "scenario.yaml")
    section = scenario.document.get("agencies")
    preset = scenario.preset
    template_id = preset.data.get("agency_templates")
    lead_default = int((preset.data.get("seals") or {}).get("lead_time_days", 0))
    if section is not None and not isinstance(section, dict):
        problems.error(label, "key agencies", "", "expected a mapping of agency tables (agencies, tasks, ...)")
        raise InputError(problems.items)
    section = section or {}
    template_key = section.get("template", template_id)
    template = load_template(str(template_key), problems, label) if template_key else {}
    reader = LayerReader(scenario, label, problems)
    go_live = reader.date("agencies.go_live", section.get("go_live")) or scenario.effective_date
    lead = reader.whole("agencies.seal_lead_time_days", section.get("seal_lead_time_days", lead_default))
    abolished = section.get("abolished_level", template.get("abolished_level"))
    if abolished is not None and str(abolished) not in scenario.parent_levels:
        problems.error(label, "key agencies.abolished_level", "",
                       f"'{abolished}' is not a parent level of the units table "
                       f"(expected one of {', '.join(scenario.parent_levels) or 'none'})")
    provinces = set(scenario.units["province"].astype(str)) if "province" in scenario.units.columns else set()
    seals = read_seal_settings(section.get("seal_schedule"), preset.data.get("seals") or {}, go_live,
                               folder=scenario.folder, label=label, problems=problems, provinces=provinces)
    tables, source = _layer_tables(section, reader, scenario, template, template_key)
    problems.raise_if_errors()
    reader.cross_check(tables)
    problems.raise_if_errors()
    return AgencyLayer(
        agencies=tables["agencies"], tasks=tables["tasks"], transfer_rules=tables["transfer_rules"],
        procedures=tables["procedures"], service_points=tables["service_points"], places=tables["places"],
        go_live=go_live, seal_lead_time_days=lead or 0,
        abolished_level=str(abolished) if abolished is not None else None, source=source, template=template,
        warnings=problems.warnings, seals=seals,
    )


def _layer_tables(section: dict[str, Any], reader: LayerReader, scenario: Scenario, template: dict[str, Any],
                  template_key: Any) -> tuple[dict[str, pd.DataFrame], str]:
    """The layer's tables and their source: the section's tables (some maybe from the template), or the template's."""
    tables = {name: empty_table(name) for name in TABLES}
    if any(name in section for name in TABLES) or section.get("from_template"):  # else settings only
        from_template = section.get("from_template") or []
        for name in TABLES:
            if name in section:
                tables[name] = reader.table(name, section[name])
            elif name in from_template and template:
                tables[name] = template_table(name, scenario, template)
        return tables, "scenario"
    if template:
        for name in ("agencies", "tasks", "transfer_rules"):
            tables[name] = template_table(name, scenario, template)
        return tables, f"template {template_key}"
    return tables, "none"


def bodies_for_plan(layer: AgencyLayer, scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """The bodies of the layer plus, for each new unit of ``plan``, the template bodies it lacks.

    A new unit lacking a body the template requires gets it with ``origin`` = ``missing``
    (no seal registered): it is one of the bodies the unit must create.

    Parameters
    ----------
    layer : AgencyLayer
        The layer, with the template its bodies were completed from.
    scenario : Scenario
        Gives the names of the old units (a new unit without a name takes its first member's).
    plan : Plan
        The plan whose new units get the template's bodies.

    Returns
    -------
    pandas.DataFrame
        The bodies, indexed and sorted by id (``layer.agencies`` itself when nothing is added).
    """
    agencies = layer.agencies
    required = (layer.template.get("after") or {}).get(BASE_LEVEL) or []
    if not required:
        return agencies
    after = agencies[(agencies["level"] == BASE_LEVEL) & (agencies["period"] != "before")]
    present = set(zip(after["unit"], after["kind"]))
    groups = plan.groups()
    continuing = _continuing_kinds(agencies, kept_units(scenario, plan))
    rows = []
    for new, members in groups.items():
        name = plan.names.get(new) or str(scenario.units.at[members[0], "name"])
        for body in template_bodies_after(layer.template, new, name, plan.kinds.get(new, "")):
            if (new, body["kind"]) in present or (new, body["kind"]) in continuing:
                continue
            body["origin"] = "missing" if layer.source == "scenario" else "template"
            rows.append(body)
    if not rows:
        return agencies
    extra = pd.DataFrame(rows).set_index("id", drop=False)
    return pd.concat([agencies, extra[agencies.columns]]).sort_index()


def kept_units(scenario: Scenario, plan: Plan) -> dict[str, str]:
    """Old unit -> its new unit, for each new unit that is one old unit left as it was
    (:func:`~planner.rules.standards.is_unarranged`: whole, of the same kind) and keeping its name.

    The bodies of such a unit carry on (``continues``).  A unit whose kind or name changes (a township that becomes
    a commune, a renamed unit) is a new unit in law, like a merged one: its bodies end and the new unit creates
    its own, with new seals.

    Parameters
    ----------
    scenario : Scenario
        Gives the old units' kinds and names.
    plan : Plan
        The plan, with its new units' kinds and names (an evaluated plan has all of them; one left out is the
        old unit's).

    Returns
    -------
    dict
        Old unit code -> new unit code.
    """
    units = scenario.units
    split_units = {s.unit for s in plan.splits}
    receivers = {o for s in plan.splits for o in s.others}
    kept = {}
    for new, members in plan.groups().items():
        if not all(m in units.index for m in members):
            continue
        kinds = [str(units.at[m, "kind"]) for m in members]
        whole = new not in receivers and not split_units.intersection(members)
        if not is_unarranged(kinds, plan.kinds.get(new) or kinds[0], whole):
            continue
        old = members[0]
        name = str(units.at[old, "name"])
        if (plan.names.get(new) or name).strip() == name.strip():
            kept[old] = new
    return kept


def _continuing_kinds(agencies: pd.DataFrame, kept: dict[str, str]) -> set[tuple[str, str]]:
    """(new unit, kind) of bodies of a kept old unit (:func:`kept_units`) that carry on in its new unit."""
    before = agencies[(agencies["level"] == BASE_LEVEL) & (agencies["period"] != "after")]
    return {(kept[u], k) for u, k in zip(before["unit"], before["kind"]) if u in kept}



def layer_summary(layer: AgencyLayer) -> dict[str, Any]:
    """Counts of the layer's tables, for summaries.

    Parameters
    ----------
    layer : AgencyLayer

    Returns
    -------
    dict
        ``source`` and the number of rows of each table.
    """
    return {"source": layer.source, **{name: int(len(getattr(layer, name))) for name in TABLES}}
