"""The agency template: the bodies and tasks a preset gives units that the scenario does not describe.

A preset names its template (``agency_templates: vn-2025`` is
``planner/templates/agencies/vn-2025.yaml``): the bodies of each level before the reform
with their tasks (``before``), the bodies of a new commune-level unit and of the province
after it (``after``), and the transfer rules of tasks.  A ``before`` entry with ``period: both`` is a body of
an old unit that carries on into the new unit (a school, a health station); ``name_by_kind`` names a body by its
unit's kind (a new ward's department; a district's office by the district's kind, :func:`parent_kind`).
:func:`load_template` reads one,
:func:`template_table` generates a table of the layer from it and
:func:`template_bodies_after` gives the bodies of one new unit.
"""

from __future__ import annotations

import math
from importlib import resources
from typing import Any

import pandas as pd

from planner.inputs.problems import ProblemList
from planner.inputs.scenario import Scenario
from planner.inputs.yamlio import YAMLError, load_yaml
from planner.transition.agency_tables import BASE_LEVEL, COLUMNS, empty_table


def load_template(template_id: str, problems: ProblemList, file: str) -> dict[str, Any]:
    """Read ``planner/templates/agencies/<id>.yaml``.

    Parameters
    ----------
    template_id : str
        The template's id (``vn-2025``).
    problems : ProblemList
        Receives an error when the template is unknown or not valid YAML.
    file : str
        The scenario file, named in the problem of an unknown template.

    Returns
    -------
    dict
        The template document ({} when it could not be read).
    """
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


def template_table(name: str, scenario: Scenario, template: dict[str, Any]) -> pd.DataFrame:
    """One table of the layer generated from an agency template (bodies before the reform, tasks, rules).

    Parameters
    ----------
    name : str
        ``agencies``, ``tasks`` or ``transfer_rules``.
    scenario : Scenario
        Gives the units of each level the template's bodies are made for.
    template : dict
        From :func:`load_template`.

    Returns
    -------
    pandas.DataFrame
        The table, with the columns of :data:`~planner.transition.agency_tables.COLUMNS`
        (the bodies indexed by id).
    """
    if name == "transfer_rules":
        rows = [{c: str(rule.get(c, "")) for c in COLUMNS[name]} for rule in template.get("transfer_rules") or []]
        return pd.DataFrame(rows, columns=COLUMNS[name]) if rows else empty_table(name)
    bodies, tasks = [], []
    for level, entries in (template.get("before") or {}).items():
        for code, unit_name in _units_of_level(scenario, level):
            unit_kind = parent_kind(template, level, unit_name) if level != BASE_LEVEL else ""
            for entry in entries:
                body = _template_body(entry, level, code, unit_name, str(entry.get("period", "before")),
                                      unit_kind=unit_kind)
                bodies.append(body)
                tasks.extend(_template_task(task, body["id"]) for task in entry.get("tasks") or [])
    for code, unit_name in _units_of_level(scenario, "province"):
        for entry in (template.get("after") or {}).get("province") or []:
            bodies.append(_template_body(entry, "province", code, unit_name, "both"))
    if name == "tasks":
        return pd.DataFrame(tasks, columns=COLUMNS["tasks"]) if tasks else empty_table("tasks")
    frame = pd.DataFrame(bodies)
    return frame.set_index("id", drop=False) if len(frame) else empty_table("agencies")


def parent_kind(template: dict[str, Any], level: str, name: str) -> str:
    """The kind of a parent unit (a district) read from its name by the template's ``parent_kinds``.

    Parameters
    ----------
    template : dict
        From :func:`load_template`; ``parent_kinds.<level>`` maps the words a name starts with to a kind
        (``by_name_prefix``, the longest first) and gives the kind of other names (``default``).
    level : str
        The parent level (``district``).
    name : str
        The unit's name.

    Returns
    -------
    str
        The kind ('' when the template gives none for the level).

    Examples
    --------
    >>> data = {"parent_kinds": {"district": {"by_name_prefix": {"Huyện": "rural_district", "Thị xã": "town"},
    ...                                       "default": "rural_district"}}}
    >>> parent_kind(data, "district", "Thị xã Bỉm Sơn"), parent_kind(data, "district", "001")
    ('town', 'rural_district')
    """
    spec = (template.get("parent_kinds") or {}).get(level) or {}
    prefixes = sorted((spec.get("by_name_prefix") or {}).items(), key=lambda item: (-len(str(item[0])), item[0]))
    for prefix, kind in prefixes:
        if name.startswith(f"{prefix} ") or name == prefix:
            return str(kind)
    return str(spec.get("default", ""))


def template_bodies_after(template: dict[str, Any], new_unit: str, name: str, kind: str) -> list[dict[str, Any]]:
    """The bodies the template gives a new commune-level unit (``after.commune``).

    Parameters
    ----------
    template : dict
        From :func:`load_template`.
    new_unit : str
        The code of the new unit.
    name : str
        Its name, for the bodies' names.
    kind : str
        Its kind (``commune``, ``ward``, ...), which may choose the bodies' names (``name_by_kind``).

    Returns
    -------
    list of dict
        One row of the agencies table per body (``period`` = ``after``, ``origin`` = ``template``).
    """
    return [_template_body(entry, BASE_LEVEL, new_unit, name, "after", unit_kind=kind)
            for entry in (template.get("after") or {}).get(BASE_LEVEL) or []]


def _template_body(entry: dict[str, Any], level: str, code: str, unit_name: str, period: str,
                   unit_kind: str = "") -> dict[str, Any]:
    """A row of the agencies table for one template entry at one unit."""
    pattern = (entry.get("name_by_kind") or {}).get(unit_kind, entry.get("name", entry["kind"]))
    needs_seal = bool(entry.get("needs_seal", False))
    return {
        "id": f"{level}-{code}-{entry['kind']}" if period != "after" else f"new-{code}-{entry['kind']}",
        "name": str(pattern).format(unit_name=unit_name, code=code),
        "level": level, "unit": code, "period": period, "kind": str(entry["kind"]), "staff": math.nan,
        "transferred_in": math.nan,
        "needs_seal": needs_seal, "seal_registered": None, "signs": bool(entry.get("signs", needs_seal)),
        "one_stop": bool(entry.get("one_stop", False)), "legal_basis": str(entry.get("legal_basis", "")),
        "origin": "template",
    }


def _template_task(task: dict[str, Any], holder: str) -> dict[str, Any]:
    """A row of the tasks table for a task the template gives the body ``holder``."""
    return {"id": f"{holder}.{task['category']}", "name": str(task["name"]),
            "category": str(task["category"]), "holder": holder,
            "legal_reference": str(task.get("legal_reference", "")),
            "procedures": math.nan, "receiver": ""}


def _units_of_level(scenario: Scenario, level: str) -> list[tuple[str, str]]:
    """(code, name) of the units of ``level``: the old units at commune level, else the parents."""
    if level == BASE_LEVEL:
        return [(str(c), str(n)) for c, n in scenario.units["name"].items()]
    if level not in scenario.parent_levels:
        return []
    names = scenario.parent_names.get(level, {})
    codes = sorted({str(c) for c in scenario.units[level] if str(c)})
    return [(c, str(names.get(c, c))) for c in codes]
