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
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import networkx as nx
import pandas as pd

from planner.inputs.plan import Plan
from planner.inputs.problems import InputError, Problem, ProblemList
from planner.inputs.scenario import Scenario
from planner.inputs.tables import Table, read_table
from planner.inputs.yamlio import YAMLError, load_yaml

BASE_LEVEL = "commune"
PERIODS = ("before", "after", "both")
SERVICE_POINT_KINDS = ("one_stop_center", "reception_point")
TABLES = ("agencies", "tasks", "transfer_rules", "procedures", "service_points", "places")
COLUMNS: dict[str, list[str]] = {
    "agencies": ["id", "name", "level", "unit", "period", "kind", "staff", "needs_seal", "seal_registered",
                 "signs", "one_stop", "legal_basis"],
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
TRUE_WORDS = {"yes", "true", "1", "y", "x"}
FALSE_WORDS = {"no", "false", "0", "n", ""}
NO_DATE_WORDS = {"", "none", "no", "-"}


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

    def agency(self, agency_id: str) -> dict[str, Any]:
        """The row of one body as a dict."""
        return self.agencies.loc[agency_id].to_dict() | {"id": agency_id}


def empty_table(name: str) -> pd.DataFrame:
    """An empty table with the columns of ``name``."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS[name]})
    if name == "agencies":
        frame["origin"] = pd.Series(dtype=object)
        frame = frame.set_index("id", drop=False)
    return frame


def load_template(template_id: str, problems: ProblemList, file: str) -> dict[str, Any]:
    """Read ``planner/templates/agencies/<id>.yaml`` ({} with a problem when it is missing)."""
    folder = resources.files("planner") / "templates" / "agencies"
    path = folder / f"{template_id}.yaml"
    if not path.is_file():
        shipped = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
        problems.error(file, "key agency_templates", "", f"unknown agency template '{template_id}': "
                       f"expected one of {', '.join(shipped)}")
        return {}
    try:
        document = load_yaml(path.read_text("utf-8"))
    except YAMLError as exc:  # a shipped file: a bug, but say where
        problems.error(f"agency template {template_id}", "", "", f"not valid YAML: {exc}")
        return {}
    return document if isinstance(document, dict) else {}


def load_agency_layer(scenario: Scenario) -> AgencyLayer:
    """Read the scenario's ``agencies:`` section, or generate the layer from the preset's template.

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
    reader = _LayerReader(scenario, label, problems)
    go_live = reader.date("agencies.go_live", section.get("go_live")) or scenario.effective_date
    lead = reader.whole("agencies.seal_lead_time_days", section.get("seal_lead_time_days", lead_default))
    abolished = section.get("abolished_level", template.get("abolished_level"))
    if abolished is not None and str(abolished) not in scenario.parent_levels:
        problems.error(label, "key agencies.abolished_level", "",
                       f"'{abolished}' is not a parent level of the units table "
                       f"(expected one of {', '.join(scenario.parent_levels) or 'none'})")
    tables = {name: empty_table(name) for name in TABLES}
    if section:
        from_template = section.get("from_template") or []
        for name in TABLES:
            if name in section:
                tables[name] = reader.table(name, section[name])
            elif name in from_template and template:
                tables[name] = template_table(name, scenario, template)
        source = "scenario"
    elif template:
        for name in ("agencies", "tasks", "transfer_rules"):
            tables[name] = template_table(name, scenario, template)
        source = f"template {template_key}"
    else:
        source = "none"
    problems.raise_if_errors()
    reader.cross_check(tables)
    problems.raise_if_errors()
    return AgencyLayer(
        agencies=tables["agencies"], tasks=tables["tasks"], transfer_rules=tables["transfer_rules"],
        procedures=tables["procedures"], service_points=tables["service_points"], places=tables["places"],
        go_live=go_live, seal_lead_time_days=lead or 0,
        abolished_level=str(abolished) if abolished is not None else None, source=source, template=template,
        warnings=problems.warnings,
    )


# -- the template ---------------------------------------------------------------------------------------------
def template_table(name: str, scenario: Scenario, template: dict[str, Any]) -> pd.DataFrame:
    """One table of the layer generated from an agency template (bodies before the reform, tasks, rules)."""
    if name == "transfer_rules":
        rows = [{c: str(rule.get(c, "")) for c in COLUMNS[name]} for rule in template.get("transfer_rules") or []]
        return pd.DataFrame(rows, columns=COLUMNS[name]) if rows else empty_table(name)
    bodies, tasks = [], []
    for level, entries in (template.get("before") or {}).items():
        for code, unit_name in _units_of_level(scenario, level):
            for entry in entries:
                body = _template_body(entry, level, code, unit_name, "before")
                bodies.append(body)
                for task in entry.get("tasks") or []:
                    tasks.append({"id": f"{body['id']}.{task['category']}", "name": str(task["name"]),
                                  "category": str(task["category"]), "holder": body["id"],
                                  "legal_reference": str(task.get("legal_reference", "")),
                                  "procedures": math.nan, "receiver": ""})
    for code, unit_name in _units_of_level(scenario, "province"):
        for entry in (template.get("after") or {}).get("province") or []:
            bodies.append(_template_body(entry, "province", code, unit_name, "both"))
    if name == "tasks":
        return pd.DataFrame(tasks, columns=COLUMNS["tasks"]) if tasks else empty_table("tasks")
    frame = pd.DataFrame(bodies)
    return frame.set_index("id", drop=False) if len(frame) else empty_table("agencies")


def template_bodies_after(template: dict[str, Any], new_unit: str, name: str, kind: str) -> list[dict[str, Any]]:
    """The bodies the template gives a new commune-level unit (``after.commune``)."""
    return [_template_body(entry, BASE_LEVEL, new_unit, name, "after", unit_kind=kind)
            for entry in (template.get("after") or {}).get(BASE_LEVEL) or []]


def _template_body(entry: dict[str, Any], level: str, code: str, unit_name: str, period: str,
                   unit_kind: str = "") -> dict[str, Any]:
    pattern = (entry.get("name_by_kind") or {}).get(unit_kind, entry.get("name", entry["kind"]))
    needs_seal = bool(entry.get("needs_seal", False))
    return {
        "id": f"{level}-{code}-{entry['kind']}" if period != "after" else f"new-{code}-{entry['kind']}",
        "name": str(pattern).format(unit_name=unit_name, code=code),
        "level": level, "unit": code, "period": period, "kind": str(entry["kind"]), "staff": math.nan,
        "needs_seal": needs_seal, "seal_registered": None, "signs": bool(entry.get("signs", needs_seal)),
        "one_stop": bool(entry.get("one_stop", False)), "legal_basis": str(entry.get("legal_basis", "")),
        "origin": "template",
    }


def _units_of_level(scenario: Scenario, level: str) -> list[tuple[str, str]]:
    if level == BASE_LEVEL:
        return [(str(c), str(n)) for c, n in scenario.units["name"].items()]
    if level not in scenario.parent_levels:
        return []
    names = scenario.parent_names.get(level, {})
    codes = sorted({str(c) for c in scenario.units[level] if str(c)})
    return [(c, str(names.get(c, c))) for c in codes]


def bodies_for_plan(layer: AgencyLayer, scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """The bodies of the layer plus, for each new unit of ``plan``, the template bodies it lacks.

    A new unit lacking a body the template requires gets it with ``origin`` = ``missing``
    (no seal registered): it is one of the bodies the unit must create.
    """
    agencies = layer.agencies
    required = (layer.template.get("after") or {}).get(BASE_LEVEL) or []
    if not required:
        return agencies
    after = agencies[(agencies["level"] == BASE_LEVEL) & (agencies["period"] != "before")]
    present = set(zip(after["unit"], after["kind"]))
    groups = plan.groups()
    continuing = _continuing_kinds(agencies, groups)
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


def _continuing_kinds(agencies: pd.DataFrame, groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    """(new unit, kind) of bodies of an unmerged old unit that carry on in its new unit."""
    single = {members[0]: new for new, members in groups.items() if len(members) == 1}
    before = agencies[(agencies["level"] == BASE_LEVEL) & (agencies["period"] != "after")]
    return {(single[u], k) for u, k in zip(before["unit"], before["kind"]) if u in single}


# -- reading the tables --------------------------------------------------------------------------------------
class _LayerReader:
    """Reads and checks the tables of an ``agencies:`` section, recording every problem."""

    def __init__(self, scenario: Scenario, label: str, problems: ProblemList):
        self.scenario = scenario
        self.label = label
        self.problems = problems
        self.levels = [BASE_LEVEL] + list(scenario.parent_levels)
        self.tables: dict[str, Table] = {}

    def date(self, key: str, value: Any) -> dt.date | None:
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problems.error(self.label, f"key {key}", "", f"'{value}' is not a date: expected YYYY-MM-DD")
            return None

    def whole(self, key: str, value: Any) -> int | None:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if number < 0:
            self.problems.error(self.label, f"key {key}", "", f"'{value}' is not a whole number of 0 or more")
            return None
        return number

    def table(self, name: str, spec: Any) -> pd.DataFrame:
        if isinstance(spec, str):
            spec = {"path": spec}
        if not isinstance(spec, dict) or not spec.get("path"):
            self.problems.error(self.label, f"key agencies.{name}", "path",
                                "expected the path of a table, relative to the scenario folder")
            return empty_table(name)
        table = read_table(self.scenario.folder / str(spec["path"]), str(spec["path"]), self.problems,
                           sheet=spec.get("sheet"))
        if table is None:
            return empty_table(name)
        missing = [c for c in REQUIRED[name] if c not in table.frame.columns]
        if missing:
            self.problems.error(table.name, "row 1", ", ".join(missing),
                                f"column not found: a {name} table has columns {', '.join(COLUMNS[name])} "
                                f"(required: {', '.join(REQUIRED[name])})")
            return empty_table(name)
        self.tables[name] = table
        frame = table.frame.copy()
        for column in COLUMNS[name]:
            if column not in frame.columns:
                frame[column] = ""
        frame = frame[COLUMNS[name]]
        for column in REQUIRED[name]:
            for i in frame.index[frame[column] == ""]:
                self.problems.error(table.name, table.where(i), column, f"missing {column}")
        if "id" in frame.columns:
            self.unique_ids(table, frame)
        return getattr(self, f"typed_{name}")(table, frame)

    def unique_ids(self, table: Table, frame: pd.DataFrame) -> None:
        first: dict[str, int] = {}
        for i, value in frame["id"].items():
            if value and value in first:
                self.problems.error(table.name, table.where(i), "id",
                                    f"duplicate id '{value}' (first at {table.where(first[value])})")
            first.setdefault(value, i)

    def flag(self, table: Table, i: int, column: str, raw: str) -> bool:
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word not in FALSE_WORDS:
            self.problems.error(table.name, table.where(i), column, f"'{raw}' is not yes or no")
        return False

    def number(self, table: Table, i: int, column: str, raw: str, *, integer: bool = False) -> float:
        if raw == "":
            return math.nan
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if value < 0 or not math.isfinite(value) or (integer and value != int(value)):
            self.problems.error(table.name, table.where(i), column,
                                f"'{raw}' is not a {'whole ' if integer else ''}number of 0 or more")
            return math.nan
        return value

    def typed_agencies(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        staff, seal, signs, needs, one_stop = [], [], [], [], []
        for i, row in zip(frame.index, frame.to_dict("records")):
            if row["level"] and row["level"] not in self.levels:
                self.problems.error(table.name, table.where(i), "level",
                                    f"unknown level '{row['level']}': expected one of {', '.join(self.levels)}")
            if row["period"] and row["period"] not in PERIODS:
                self.problems.error(table.name, table.where(i), "period",
                                    f"unknown period '{row['period']}': expected one of {', '.join(PERIODS)}")
            self.check_unit(table, i, row)
            staff.append(self.number(table, i, "staff", row["staff"]))
            seal.append(self.seal_date(table, i, row["seal_registered"]))
            needs.append(self.flag(table, i, "needs_seal", row["needs_seal"]))
            signs.append(self.flag(table, i, "signs", row["signs"]) if row["signs"] else needs[-1])
            one_stop.append(self.flag(table, i, "one_stop", row["one_stop"]))
        frame["staff"], frame["seal_registered"], frame["needs_seal"] = staff, seal, needs
        frame["signs"], frame["one_stop"], frame["origin"] = signs, one_stop, "scenario"
        return frame.drop_duplicates("id").set_index("id", drop=False).sort_index()

    def check_unit(self, table: Table, i: int, row: dict[str, Any]) -> None:
        level, unit, period = row["level"], row["unit"], row["period"]
        if not unit or level not in self.levels:
            return
        if level == BASE_LEVEL and period == "after":
            baseline = self.scenario.baseline
            if baseline is not None and unit not in set(baseline.assignment.values()):
                self.problems.warn(table.name, table.where(i), "unit",
                                   f"new unit '{unit}' is not in the baseline plan: the body is used only "
                                   "with a plan that has it")
            return
        if unit not in self.known_units(level):
            what = "unit code of the units table" if level == BASE_LEVEL else f"{level} code of the units table"
            self.problems.error(table.name, table.where(i), "unit", f"unknown {level} '{unit}': expected a {what}")

    @functools.cache  # noqa: B019 - one reader per scenario
    def known_units(self, level: str) -> frozenset[str]:
        units = self.scenario.units
        return frozenset(units.index) if level == BASE_LEVEL else frozenset(units[level])

    def seal_date(self, table: Table, i: int, raw: str) -> dt.date | None:
        if raw.strip().lower() in NO_DATE_WORDS:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            self.problems.error(table.name, table.where(i), "seal_registered",
                                f"'{raw}' is not a date: expected YYYY-MM-DD, or empty when no seal is registered")
            return None

    def typed_tasks(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame["procedures"] = [self.number(table, i, "procedures", v, integer=True)
                               for i, v in frame["procedures"].items()]
        return frame

    def typed_transfer_rules(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        for i, level in frame["to_level"].items():
            if level and level not in self.levels:
                self.problems.error(table.name, table.where(i), "to_level",
                                    f"unknown level '{level}': expected one of {', '.join(self.levels)}")
        return frame

    def typed_procedures(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        return frame

    def typed_service_points(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        return self.located(table, frame, "site", kinds=True)

    def typed_places(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        frame = self.located(table, frame, "unit", kinds=False)
        frame["population"] = [self.number(table, i, "population", v) for i, v in frame["population"].items()]
        return frame

    def located(self, table: Table, frame: pd.DataFrame, unit_column: str, *, kinds: bool) -> pd.DataFrame:
        frame = frame.copy()
        codes = set(self.scenario.units.index)
        for i in frame.index:
            if frame.at[i, unit_column] and frame.at[i, unit_column] not in codes:
                self.problems.error(table.name, table.where(i), unit_column,
                                    f"unknown unit '{frame.at[i, unit_column]}': expected a code of the units table")
            if kinds and frame.at[i, "kind"] and frame.at[i, "kind"] not in SERVICE_POINT_KINDS:
                self.problems.error(table.name, table.where(i), "kind", f"unknown kind '{frame.at[i, 'kind']}': "
                                    f"expected one of {', '.join(SERVICE_POINT_KINDS)}")
            if bool(frame.at[i, "lon"]) != bool(frame.at[i, "lat"]):
                self.problems.error(table.name, table.where(i), "lon, lat", "give both lon and lat, or neither")
        for axis, limit in (("lon", 180.0), ("lat", 90.0)):
            values = []
            for i, raw in frame[axis].items():
                value = math.nan
                if raw:
                    try:
                        value = float(raw)
                    except ValueError:
                        value = math.inf
                    if not abs(value) <= limit:
                        self.problems.error(table.name, table.where(i), axis,
                                            f"'{raw}' is not a {axis}itude in degrees (-{limit:g} to {limit:g})")
                        value = math.nan
                values.append(value)
            frame[axis] = values
        return frame

    def cross_check(self, tables: dict[str, pd.DataFrame]) -> None:
        """References between tables: task holders and receivers, procedure bodies and tasks."""
        agencies = tables["agencies"]
        ids = set(agencies.index)
        receivers_ok = set(agencies.index[agencies["period"] != "before"]) if len(agencies) else set()
        task_table = self.tables.get("tasks")
        for i, row in tables["tasks"].iterrows():
            if task_table is None:
                break
            if row["holder"] and row["holder"] not in ids and row["holder"] not in self.levels:
                self.problems.error(task_table.name, task_table.where(i), "holder",
                                    f"'{row['holder']}' is neither a body id of the agencies table nor a level "
                                    f"({', '.join(self.levels)})")
            for receiver in split_ids(row["receiver"]):
                if receiver not in receivers_ok:
                    self.problems.error(task_table.name, task_table.where(i), "receiver",
                                        f"'{receiver}' is not a body of the new map: expected the id of an "
                                        "agencies row with period after or both")
        procedure_table = self.tables.get("procedures")
        names = set(agencies["name"]) if len(agencies) else set()
        task_ids = set(tables["tasks"]["id"])
        for i, row in tables["procedures"].iterrows():
            if procedure_table is None:
                break
            if row["body"] and row["body"] not in ids and row["body"] not in names:
                self.problems.warn(procedure_table.name, procedure_table.where(i), "body",
                                   f"'{row['body']}' matches no body id or name of the agencies table")
            if row["task"] and row["task"] not in task_ids:
                self.problems.error(procedure_table.name, procedure_table.where(i), "task",
                                    f"unknown task '{row['task']}': expected an id of the tasks table")


def split_ids(value: Any) -> list[str]:
    """The ids of a ``;``-separated cell."""
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


# -- the graph ----------------------------------------------------------------------------------------------
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
        The bodies to add (default ``layer.agencies``; pass :func:`bodies_for_plan`'s).
    receivers : pandas.DataFrame, optional
        The transition's task receivers (``from_body``, ``receiver``, ``task``).
    """
    full = graph.copy()
    nx.set_node_attributes(full, "unit", "layer")
    units = list(graph.nodes)
    if plan is not None:
        for unit, new in plan.assignment.items():
            full.add_node(f"new:{new}", layer="new_unit", code=new, name=plan.names.get(new, ""))
            full.add_edge(unit, f"new:{new}", kind="belongs_to")
    for code in units:
        for level in [lv for lv in (layer.abolished_level, "province") if lv]:
            parent = graph.nodes[code].get(level)
            if parent:
                full.add_node(f"{level}:{parent}", layer="parent", level=level, code=parent)
                full.add_edge(code, f"{level}:{parent}", kind="belongs_to")
    bodies = layer.agencies if bodies is None else bodies
    for agency_id, row in bodies.iterrows():
        node = f"agency:{agency_id}"
        full.add_node(node, layer="agency", **{k: v for k, v in row.items() if k != "id"})
        full.add_edge(node, _unit_node(row), kind="belongs_to")
    for _, task in layer.tasks.iterrows():
        node = f"task:{task['id']}"
        full.add_node(node, layer="task", name=task["name"], category=task["category"])
        holder = f"agency:{task['holder']}"
        if holder in full:
            full.add_edge(node, holder, kind="belongs_to")
    for _, procedure in layer.procedures.iterrows():
        node = f"procedure:{procedure['id']}"
        full.add_node(node, layer="procedure", name=procedure["name"])
        match = _body_named(bodies, procedure["body"])
        if match is not None:
            full.add_edge(node, f"agency:{match}", kind="serves")
    for _, point in layer.service_points.iterrows():
        node = f"service_point:{point['id']}"
        full.add_node(node, layer="service_point", name=point["name"], kind=point["kind"], site=point["site"])
        if plan is not None and point["site"] in plan.assignment:
            full.add_edge(node, f"new:{plan.assignment[point['site']]}", kind="serves")
    if receivers is not None:
        for (receiver, source), group in receivers.groupby(["receiver", "from_body"], sort=True):
            if f"agency:{receiver}" in full and f"agency:{source}" in full:
                full.add_edge(f"agency:{receiver}", f"agency:{source}", kind="receives_tasks_of",
                              tasks=sorted(set(group["task"])))
    return full


def _unit_node(row: pd.Series) -> str:
    if row["level"] == BASE_LEVEL:
        return f"new:{row['unit']}" if row["period"] == "after" else str(row["unit"])
    return f"{row['level']}:{row['unit']}"


def _body_named(bodies: pd.DataFrame, reference: str) -> str | None:
    """The id of the body a procedure cites, by id or by exact name (first by id)."""
    if reference in bodies.index:
        return reference
    matches = bodies.index[bodies["name"] == reference]
    return str(matches[0]) if len(matches) else None


def layer_summary(layer: AgencyLayer) -> dict[str, Any]:
    """Counts of the layer's tables, for summaries."""
    return {"source": layer.source, **{name: int(len(getattr(layer, name))) for name in TABLES}}


