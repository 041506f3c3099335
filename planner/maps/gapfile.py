"""Reading gaps to mark on a map from a table (``planner map --gaps FILE``).

The table has one row per gap with the columns ``unit`` (a new unit's code, or an old
unit's code meaning its new unit), ``type``, ``severity`` (``critical``, ``high``, ``medium``,
``low``) and ``text``; only ``unit`` is required.  Any format
:func:`planner.inputs.tables.read_table` reads will do (CSV, XLSX, ...).
"""

from __future__ import annotations

from pathlib import Path

from planner.inputs.problems import ProblemList
from planner.inputs.tables import read_table
from planner.maps.data import GAP_KEYS


def read_gaps(path: str | Path, problems: ProblemList, units: set[str]) -> list[dict[str, str]]:
    """The gaps in a table, every row checked; problems are recorded, not raised.

    Parameters
    ----------
    path : str or Path
        The table.
    problems : ProblemList
        Where unreadable files, a missing ``unit`` column and unknown units are reported.
    units : set of str
        Codes a gap may name: the plan's new units and the scenario's old units.

    Returns
    -------
    list of dict
        One ``{unit, type, severity, text}`` per row.
    """
    table = read_table(Path(path), str(path), problems)
    if table is None:
        return []
    if "unit" not in table.frame.columns:
        problems.error(table.name, "header", "unit",
                       "missing column 'unit' (columns expected: " + ", ".join(GAP_KEYS) + ")")
        return []
    gaps = []
    for i, row in enumerate(table.frame.to_dict("records")):
        unit = str(row["unit"]).strip()
        if unit not in units:
            problems.error(table.name, table.where(i), "unit",
                           f"'{unit}' is neither a new unit of the plan nor an old unit of the scenario")
            continue
        gaps.append({key: str(row.get(key, "")).strip() for key in GAP_KEYS})
    return gaps
