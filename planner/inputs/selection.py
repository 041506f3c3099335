"""Selecting a region: ``units.where`` and ``--where COLUMN=VALUE``.

A scenario may plan part of a larger table (one province of a national table): ``units.where``
keeps the units whose column holds one of the values given (``{province_code: "38"}`` or
``{province_code: ["38", "40"]}``), and ``--where COLUMN=VALUE`` on the command line adds
conditions (over the file's for the same column, :func:`with_where`).  The units left out are not errors anywhere:
the boundary features, baseline rows, links, decisions and agency rows that name them are
ignored, and each input counts what it ignored in one warning.

:func:`read_where` reads the conditions, :func:`select_units` applies them to the units table and
gives the :class:`Selection` the other readers consult.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.inputs.problems import ProblemList
from planner.inputs.tables import Table

#: What a scenario's ``units.where`` becomes: column -> the values kept, in the order given.
Where = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Selection:
    """The units a scenario keeps of its units table, and those it leaves out.

    Attributes
    ----------
    where : dict
        Column -> values kept ({} when the scenario selects nothing: every unit is kept).
    left_out : frozenset of str
        Codes of the units table that the conditions leave out.
    parents_left_out : dict
        Parent level -> codes of the parents that hold only units left out.
    """

    where: Where = field(default_factory=dict)
    left_out: frozenset[str] = frozenset()
    parents_left_out: dict[str, frozenset[str]] = field(default_factory=dict)

    def describe(self) -> str:
        """The conditions in words: ``province_code = 38`` or ``province_code in 38, 40``."""
        return " and ".join(f"{column} = {values[0]}" if len(values) == 1 else f"{column} in {', '.join(values)}"
                            for column, values in self.where.items())

    def is_left_out(self, code: str, level: str | None = None) -> bool:
        """Whether ``code`` (a unit, or a parent of ``level``) is left out by the selection."""
        if level is None:
            return code in self.left_out
        return code in self.parents_left_out.get(level, frozenset())

    def note(self, problems: ProblemList, file: str, count: int, what: str, *, where: str = "",
             column: str = "") -> None:
        """One warning that ``count`` ``what`` (``"feature(s)"``) naming units left out were ignored."""
        if count:
            problems.warn(file, where, column, f"{count} {what} naming units left out by the selection "
                          f"({self.describe()}) ignored")


def parse_where_options(options: Iterable[str] | None) -> Where:
    """The conditions of ``--where COLUMN=VALUE`` options (a column given twice keeps both values).

    Parameters
    ----------
    options : iterable of str or None
        The values of the repeated option, such as ``["province_code=38", "province_code=40"]``.

    Returns
    -------
    dict
        Column -> values, in the order given.

    Raises
    ------
    InputError
        Naming every option that is not ``COLUMN=VALUE``.

    Examples
    --------
    >>> parse_where_options(["province_code=38", "province_code=40", "kind=Xã"])
    {'province_code': ('38', '40'), 'kind': ('Xã',)}
    """
    where: dict[str, list[str]] = {}
    problems = ProblemList()
    for option in options or []:
        column, equals, value = option.partition("=")
        if not equals or not column.strip():
            problems.error("command line", f"--where {option}", "", "expected COLUMN=VALUE, such as "
                           "--where province_code=38 (a column of the units table and the value of the units kept)")
            continue
        values = where.setdefault(column.strip(), [])
        if value.strip() not in values:
            values.append(value.strip())
    problems.raise_if_errors()
    return {column: tuple(values) for column, values in where.items()}


def read_where(raw: Any, label: str, problems: ProblemList) -> Where:
    """The conditions of ``units.where`` (a mapping: column -> value or list of values).

    Parameters
    ----------
    raw : Any
        The value of ``units.where`` as read from YAML (None when absent), the command line's
        conditions already over it (:func:`with_where`).
    label : str
        The scenario file, as named in messages.
    problems : ProblemList
        Receives the errors.

    Returns
    -------
    dict
        Column -> values kept, the values as text (``38`` and ``"38"`` are the same).
    """
    where: Where = {}
    if raw is not None and not isinstance(raw, Mapping):
        problems.error(label, "key units.where", "", "expected a mapping: column -> value or list of values, "
                       "such as {province_code: \"38\"} or {province_code: [\"38\", \"40\"]}")
        raw = None
    for column, value in (raw or {}).items():
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if v is None or isinstance(v, (dict, list))]
        if bad or not values:
            problems.error(label, f"key units.where.{column}", "",
                           f"expected a value or a list of values, got {value!r}")
            continue
        where[str(column)] = tuple(dict.fromkeys(_text(v) for v in values))
    return where


def _text(value: Any) -> str:
    """A YAML value as the text of a table cell (``True`` -> ``True``, ``38`` -> ``38``, ``1.5`` -> ``1.5``)."""
    return str(value).strip()


def select_units(table: Table, where: Where, id_column: str | None, parents: Mapping[str, Any],
                 problems: ProblemList) -> tuple[Table, Selection]:
    """The rows of the units table the conditions keep, and the :class:`Selection`.

    Parameters
    ----------
    table : Table
        The units table as read.
    where : dict
        The conditions (:func:`read_where`); {} keeps every row.
    id_column : str or None
        The column of the unit codes (None when it is not known: nothing is recorded as left out).
    parents : mapping
        ``units.columns.parents``: parent level -> column.
    problems : ProblemList
        Receives the errors (a column the table lacks, conditions that keep no unit) and the
        warning counting the units left out.

    Returns
    -------
    table : Table
        The rows kept, with their row numbers (``table.where``) as in the file.
    selection : Selection
        The conditions and what they leave out.
    """
    if not where:
        return table, Selection()
    frame = table.frame
    missing = [column for column in where if column not in frame.columns]
    if missing:
        problems.error(table.name, table.header, ", ".join(missing), "column named by units.where not found; "
                       f"the table has: {', '.join(frame.columns)}")
        return table, Selection()
    keep = pd.Series(True, index=frame.index)
    for column, values in where.items():
        keep &= frame[column].isin(values)
    selection = _selection(frame, keep, where, id_column, parents)
    if not keep.any():
        shown = "; ".join(f"{column}: {_some_values(frame[column])}" for column in where)
        problems.error(table.name, "", ", ".join(where), f"units.where ({selection.describe()}) keeps none of "
                       f"the {len(frame)} units; the table has {shown}")
    elif not keep.all():
        problems.warn(table.name, "", ", ".join(where), f"{int((~keep).sum())} of {len(frame)} units left out by "
                      f"the selection ({selection.describe()}); {int(keep.sum())} kept")
    kept = Table(table.name, frame[keep], None, table.row_word, table.crs)
    if table.geometries is not None:
        kept.geometries = [g for g, k in zip(table.geometries, keep) if k]
    return kept, selection


def _selection(frame: pd.DataFrame, keep: pd.Series, where: Where, id_column: str | None,
               parents: Mapping[str, Any]) -> Selection:
    """The selection of ``keep``: the codes and the parents it leaves out."""
    if id_column is None or id_column not in frame.columns:
        return Selection(where)
    left_out = frozenset(frame.loc[~keep, id_column]) - frozenset(frame.loc[keep, id_column])
    parents_left_out = {}
    for level, column in parents.items() if isinstance(parents, Mapping) else ():
        if str(column) in frame.columns:
            column = str(column)
            parents_left_out[str(level)] = frozenset(frame.loc[~keep, column]) - frozenset(frame.loc[keep, column])
    return Selection(where, left_out, parents_left_out)


def _some_values(column: pd.Series, shown: int = 10) -> str:
    """A few distinct values of a column, sorted, for a message."""
    values = sorted(set(column))
    return ", ".join(values[:shown]) + (f" and {len(values) - shown} more" if len(values) > shown else "")



def with_where(document: dict[str, Any], where: Where | None) -> dict[str, Any]:
    """The scenario document with the command line's conditions over its ``units.where``.

    The document then says what was read (``summary.json`` and ``planner diff`` record it); a
    ``units`` section or ``units.where`` that is not a mapping is left for the reader to report.
    """
    units = document.get("units")
    if not where or not isinstance(units, dict):
        return document
    written = units.get("where")
    if written is not None and not isinstance(written, Mapping):
        return document
    merged = {**(written or {}), **{column: list(values) for column, values in where.items()}}
    return {**document, "units": {**units, "where": merged}}
