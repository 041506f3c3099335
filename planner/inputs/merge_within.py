"""The scenario's own ``merge_within``: the parent line no new unit may cross, in place of the preset's.

A scenario can name a parent level of its units table (``merge_within: district``), or a parent
level mapped through a table, so that a commune plan respects a province plan (old province ->
new province: the official mapping, or the ``plan.csv`` of a province scenario)::

    merge_within:
      by: province                       # a parent level of units.columns.parents
      map: {path: ../../../shared/data/vn/provinces_63_to_34.csv, from: old_province_code,
            to: new_province_code, name: new_province_name}
      level: new_province                # the mapped level's name (default: new_<by>)

The mapped level becomes a parent level of the units (a column of
:attr:`~planner.inputs.scenario.Scenario.units`, with the map's names as its parent names): the
optimizer's regions are its parent units, ``evaluate`` reports a new unit whose members lie in
two of them (a ``nesting`` finding) and the transition finds the receivers of the mapped level's
tasks in the mapped parent (:mod:`planner.transition.transition`).  Every parent of the units
must be in the map.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from planner.inputs.contexts import read_code_map
from planner.inputs.problems import ProblemList
from planner.inputs.scenario import MergeWithin

KEY = "merge_within"


def read_merge_within(folder: Path, raw: Any, units: pd.DataFrame, parent_levels: list[str],
                      parent_names: dict[str, dict[str, str]], problems: ProblemList,
                      label: str) -> MergeWithin | None:
    """The scenario's ``merge_within``, its mapped level added to ``units``, ``parent_levels`` and ``parent_names``.

    Parameters
    ----------
    folder : Path
        The scenario folder (the map's path is relative to it).
    raw : Any
        The value of ``merge_within`` in ``scenario.yaml`` (None: the preset's level holds).
    units : pandas.DataFrame
        The units; a mapped level is added as a column.
    parent_levels : list of str
        The units' parent levels; a mapped level is appended.
    parent_names : dict
        Level -> parent code -> name; the map's names are added for a mapped level.
    problems : ProblemList
        Receives a level the units do not have, a bad map and parents missing from it.
    label : str
        The scenario file.

    Returns
    -------
    MergeWithin or None
        None when the scenario sets no ``merge_within`` or after an error.
    """
    if raw is None:
        return None
    levels = ", ".join(parent_levels) or "none: give units.columns.parents"
    if isinstance(raw, str):
        if raw not in parent_levels:
            problems.error(label, f"key {KEY}", "", f"'{raw}' is not a parent level of the units (expected one "
                           f"of {levels})")
            return None
        return MergeWithin(raw, source=f"scenario {KEY}: {raw}")
    by = str(raw.get("by") or "")
    level = str(raw.get("level") or f"new_{by}")
    if by not in parent_levels:
        problems.error(label, f"key {KEY}.by", "", f"'{by}' is not a parent level of the units (expected one of "
                       f"{levels})")
        return None
    if level in parent_levels:
        problems.error(label, f"key {KEY}.level", "", f"'{level}' is already a parent level of the units: name "
                       "the mapped level otherwise")
        return None
    found = read_code_map(folder, raw.get("map"), f"{KEY}.map", problems, label, names=True)
    if found is None:
        return None
    mapping, names = found
    parents = units[by].astype(str)
    unmapped = sorted({p for p in parents if p not in mapping})
    if unmapped:
        problems.error(label, f"key {KEY}.map", "", f"{len(unmapped)} {by} code(s) of the units are not in "
                       f"{raw['map']['path']}: {', '.join(unmapped[:10])}")
        return None
    units[level] = [mapping[p] for p in parents]
    parent_levels.append(level)
    parent_names[level] = {code: name for code, name in names.items() if code in set(units[level])}
    return MergeWithin(level, by, f"scenario {KEY}: {by} mapped by {raw['map']['path']}")
