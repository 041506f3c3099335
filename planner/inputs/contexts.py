"""The context of each unit (for standards that depend on it), from a column or by parent.

A scenario's ``units.contexts`` gives the context by a parent level (``by``), and, with
``map``, by the parent that level is mapped to in a table: old province -> the province formed
after the arrangement, so that contexts are keyed on the new parent the law speaks of::

    contexts:
      by: province
      map: {path: provinces_63_to_34.csv, from: old_province_code, to: new_province_code}
      values: {"01": centrally_run_city}

The map's table is read where it lies (its path is relative to the scenario folder); every
parent of the units must be in it.  Problems name the file, row and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from planner.inputs.preset import Preset
from planner.inputs.problems import ProblemList
from planner.inputs.tables import read_table


def read_parent_map(folder: Path, section: dict[str, Any], problems: ProblemList,
                    label: str) -> dict[str, str] | None:
    """The parent -> mapped parent table of ``units.contexts.map``, or None when there is none.

    Parameters
    ----------
    folder : Path
        The scenario folder (the map's path is relative to it).
    section : dict
        The ``units:`` section.
    problems : ProblemList
        Receives a missing file, column, code or a parent mapped twice to different parents.
    label : str
        The scenario file, for problems of the section itself.

    Returns
    -------
    dict or None
        Parent code -> mapped parent code.
    """
    raw = (section.get("contexts") or {}).get("map") if isinstance(section.get("contexts"), dict) else None
    if raw is None:
        return None
    found = read_code_map(folder, raw, "units.contexts.map", problems, label)
    return None if found is None else found[0]


def read_code_map(folder: Path, raw: Any, key: str, problems: ProblemList, label: str,
                  names: bool = False) -> tuple[dict[str, str], dict[str, str]] | None:
    """A table mapping codes to codes (``{path, from, to}``, and ``name``: the mapped codes' names).

    Parameters
    ----------
    folder : Path
        The scenario folder (the table's path is relative to it).
    raw : Any
        The ``{path: table, from: column, to: column, name: column}`` mapping of the scenario file.
    key : str
        Its key in the scenario file, for messages (``units.contexts.map``).
    problems : ProblemList
        Receives a missing file, column, code or a code mapped twice to different codes.
    label : str
        The scenario file.
    names : bool
        Whether ``name`` may be given.

    Returns
    -------
    tuple or None
        Code -> mapped code, and mapped code -> name ({} without ``name``); None after an error.
    """
    shape = "{path: table, from: column of the parent, to: column of the mapped parent" + \
        (", name: column of its name (optional)}" if names else "}")
    if not isinstance(raw, dict) or not all(raw.get(k) for k in ("path", "from", "to")):
        problems.error(label, f"key {key}", "", f"expected {shape}")
        return None
    table = read_table(folder / str(raw["path"]), str(raw["path"]), problems)
    if table is None:
        return None
    wanted = ("from", "to", "name") if names and raw.get("name") else ("from", "to")
    missing = [str(raw[k]) for k in wanted if str(raw[k]) not in table.frame.columns]
    for column in missing:
        problems.error(table.name, table.header, column, f"column named by {key} not found; the "
                       f"table has: {', '.join(table.frame.columns)}")
    if missing:
        return None
    mapping = _mapping(table, str(raw["from"]), str(raw["to"]), problems)
    named = {}
    if "name" in wanted:
        named = {str(new): str(name) for new, name in zip(table.frame[str(raw["to"])], table.frame[str(raw["name"])])
                 if new and name}
    return mapping, dict(sorted(named.items()))


def _mapping(table: Any, source: str, target: str, problems: ProblemList) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for i, (old, new) in enumerate(zip(table.frame[source], table.frame[target])):
        if not old or not new:
            problems.error(table.name, table.where(i), source if not old else target, "expected a code")
        elif mapping.get(old, new) != new:
            problems.error(table.name, table.where(i), target,
                           f"'{old}' is mapped to '{mapping[old]}' above and to '{new}' here")
        else:
            mapping[old] = new
    return mapping


def unit_contexts(units: pd.DataFrame, section: dict[str, Any], preset: Preset | None,
                  parent_map: dict[str, str] | None, problems: ProblemList, label: str) -> list[str]:
    """The context of each unit by its (mapped) parent (``units.contexts``), or the preset's default."""
    contexts = section.get("contexts") or {}
    default = preset.default_context if preset else "other"
    if not contexts:
        return [default] * len(units)
    level = str(contexts.get("by", ""))
    if level not in units.columns:
        problems.error(label, "key units.contexts.by", "", f"'{level}' is not a parent level of units.columns.parents")
        return [default] * len(units)
    values = {str(k): str(v) for k, v in (contexts.get("values") or {}).items()}
    allowed = set(preset.data.get("contexts") or []) if preset else set()
    for code, context in values.items():
        if allowed and context not in allowed:
            problems.error(label, f"key units.contexts.values.{code}", "",
                           f"unknown context '{context}': expected one of {', '.join(sorted(allowed))}")
    parents = [str(p) for p in units[level]]
    if parent_map is not None:
        unmapped = sorted({p for p in parents if p not in parent_map})
        if unmapped:
            problems.error(label, "key units.contexts.map", "", f"{len(unmapped)} {level} code(s) of the units "
                           f"are not in the map: {', '.join(unmapped[:10])}")
        parents = [parent_map.get(p, p) for p in parents]
    fallback = str(contexts.get("default", default))
    return [values.get(parent, fallback) for parent in parents]
