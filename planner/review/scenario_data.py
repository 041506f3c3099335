"""The data of a scenario as a reviewer compares it: every file the scenario names, row by row.

``planner diff`` compares the settings of ``scenario.yaml`` key by key; this module compares
what they point at.  :func:`read_scenario_data` reads the units table, the boundaries, the
links, every agency table of the ``agencies:`` section and the preset's rules in effect (after
``preset_overrides``) into :class:`DataTable` rows keyed by id; :func:`compare_data` lists the
rows added, removed and changed between two sides (:class:`DataChange`).  The baseline is
not read here: it is compared as a plan.

An output folder has no data files, only the record :func:`input_record` writes into its
``summary.json`` (the scenario's settings, and per data file its path and SHA-256): two
records, or a record and a scenario, are compared by content digest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.inputs.problems import ProblemList
from planner.inputs.tables import Table, read_table
from planner.transition.agency_tables import TABLES as AGENCY_TABLES

#: Sections of scenario.yaml whose ``path`` names a data file, with the key naming its id column.
DATA_SECTIONS = (("units", ("columns", "id")), ("boundaries", ("id",)), ("links", ()))
#: The go-live operations tables of ``agencies:`` (planner/transition/operations_input.py) and their row keys.
OPERATION_KEYS = {"body_capacity": "body", "handover": "body", "records": "id", "positions": None, "buildings": "site"}
#: Columns tried as a table's row key, after the id column the scenario names.
KEY_COLUMNS = ("id", "code", "unit")
#: The label of the preset's rules in effect (a table of key paths).
PRESET_RULES = "preset rules"


@dataclass
class DataTable:
    """One data file of a scenario: its rows, or only its digest (from ``summary.json``).

    Attributes
    ----------
    path : str
        The file as the scenario names it.
    count : int or None
        Its rows (features, keys of the preset).
    digest : str
        SHA-256 of the file's bytes (of the canonical JSON of the preset's rules).
    rows : list or None
        The rows (column -> text); None when only the digest is known.
    id_column : str or None
        The column the scenario names as the id (tried first as the row key).
    """

    path: str
    count: int | None
    digest: str
    rows: list[dict[str, str]] | None = None
    id_column: str | None = None


@dataclass
class DataChange:
    """A data file that differs between A and B: rows only in A (``removed``), only in B
    (``added``) and cells changed (``changed``: row, column, A's text, B's text).

    ``content_only`` is True when one side is known only by its digest (an output folder), so
    that the rows that differ are unknown.
    """

    section: str
    path_a: str | None
    path_b: str | None
    count_a: int | None
    count_b: int | None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, str, str]] = field(default_factory=list)
    content_only: bool = False

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {"section": self.section, "path_a": self.path_a, "path_b": self.path_b, "rows_a": self.count_a,
                "rows_b": self.count_b, "added": self.added, "removed": self.removed,
                "changed": [{"row": r, "column": c, "a": x, "b": y} for r, c, x, y in self.changed],
                "content_only": self.content_only}


def data_files(document: dict[str, Any]) -> list[tuple[str, dict[str, Any], str | None]]:
    """The data files a scenario document names: ``(section label, spec, id column)``.

    ``spec`` holds ``path`` (and ``sheet`` or ``layer`` when given); agency tables are labelled
    ``agencies.NAME``, the seal capacity table ``agencies.seal_schedule.provinces``.
    """
    files = []
    for section, id_key in DATA_SECTIONS:
        spec = document.get(section)
        if isinstance(spec, dict) and isinstance(spec.get("path"), str):
            files.append((section, spec, _nested(spec, id_key)))
    agencies = document.get("agencies")
    keys = {**dict.fromkeys(AGENCY_TABLES, "id"), **OPERATION_KEYS}
    for name, key in keys.items() if isinstance(agencies, dict) else ():
        spec = agencies.get(name)
        spec = {"path": spec} if isinstance(spec, str) else spec
        if isinstance(spec, dict) and isinstance(spec.get("path"), str):
            files.append((f"agencies.{name}", spec, key))
    seals = agencies.get("seal_schedule") if isinstance(agencies, dict) else None
    spec = seals.get("provinces") if isinstance(seals, dict) else None
    spec = {"path": spec} if isinstance(spec, str) else spec
    if isinstance(spec, dict) and isinstance(spec.get("path"), str):
        files.append(("agencies.seal_schedule.provinces", spec, "province"))
    return files


def _nested(spec: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    value: Any = spec
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return str(value) if isinstance(value, str) and keys else None


def read_scenario_data(document: dict[str, Any], folder: Path, preset: dict[str, Any] | None) -> dict[str, DataTable]:
    """Every data file of a scenario read into rows, and the preset's rules in effect.

    Parameters
    ----------
    document : dict
        The scenario document (paths relative to ``folder`` or absolute).
    folder : Path
        The scenario folder.
    preset : dict or None
        The preset's document after overrides (``Scenario.preset.data``).

    Returns
    -------
    dict
        Section label -> :class:`DataTable`, sorted by label; files that cannot be read are
        left out (loading the scenario reports them).
    """
    tables = {}
    for label, spec, id_column in data_files(document):
        path = folder / str(spec["path"])
        table = read_table(path, str(spec["path"]), ProblemList(), layer=spec.get("layer"), sheet=spec.get("sheet"))
        if table is not None:
            rows = table_rows(table)
            tables[label] = DataTable(str(spec["path"]), len(rows), file_digest(path), rows, id_column)
    if preset is not None:
        tables[PRESET_RULES] = preset_table(preset)
    return dict(sorted(tables.items()))


def table_rows(table: Table) -> list[dict[str, str]]:
    """The rows of a table as text; a geometry becomes a ``geometry`` column holding the digest of its WKB."""
    frame = table.frame.copy()
    if table.geometries is not None:
        import shapely

        frame["geometry"] = [hashlib.sha256(shapely.to_wkb(g)).hexdigest()[:12] if g is not None else ""
                             for g in table.geometries]
    return [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]


def keyed_rows(a: DataTable, b: DataTable) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """The rows of both sides by the same key: the id column when its values are unique on both
    sides, else the first of :data:`KEY_COLUMNS` or the first column that is, else the row's
    whole text (then a changed row shows as one removed and one added)."""
    rows_a, rows_b = a.rows or [], b.rows or []
    first = [next(iter(rows[0]), "") for rows in (rows_a, rows_b) if rows]
    candidates = [c for c in (a.id_column, b.id_column, *KEY_COLUMNS, *first) if c]
    for column in candidates:
        if all(_unique(rows, column) for rows in (rows_a, rows_b)):
            return _by(rows_a, column), _by(rows_b, column)
    return _by_text(rows_a), _by_text(rows_b)


def _unique(rows: list[dict[str, str]], column: str) -> bool:
    values = [row.get(column) for row in rows]
    return None not in values and len(set(values)) == len(values)


def _by(rows: list[dict[str, str]], column: str) -> dict[str, dict[str, str]]:
    return {row[column]: {k: v for k, v in row.items() if k != column} for row in rows}


def _by_text(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    keyed: dict[str, dict[str, str]] = {}
    for row in rows:
        text = ", ".join(f"{k}={v}" for k, v in row.items())
        key, n = text, 1
        while key in keyed:
            n += 1
            key = f"{text} (#{n})"
        keyed[key] = {}
    return keyed


def preset_table(preset: dict[str, Any]) -> DataTable:
    """The preset's rules as a table: one row per key path (``standards.commune``), its value as text."""
    from planner.review.compare import canonical_text

    rows = [{"key": key, "value": canonical_text(value)} for key, value in sorted(_leaves(preset).items())]
    text = json.dumps(rows, sort_keys=True, ensure_ascii=False)
    return DataTable(str(preset.get("id", "")), len(rows), hashlib.sha256(text.encode("utf-8")).hexdigest(), rows,
                     "key")


def _leaves(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    leaves: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict) and item:
            leaves.update(_leaves(item, f"{prefix}{key}."))
        else:
            leaves[f"{prefix}{key}"] = item
    return leaves


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_record(document: dict[str, Any], folder: Path, preset: dict[str, Any] | None) -> dict[str, Any]:
    """What ``summary.json`` records of the scenario an output was made with.

    ``scenario_settings``: the scenario document as written (dates as text);
    ``scenario_inputs``: per data file (:func:`data_files`, and the preset's rules) its ``path``
    and the ``sha256`` of its bytes, so that ``planner diff`` of two output folders says which
    settings and which data changed.  The files are hashed, not read again.
    """
    inputs = {}
    for label, spec, _ in data_files(document):
        path = folder / str(spec["path"])
        if path.is_file():
            inputs[label] = {"path": str(spec["path"]), "sha256": file_digest(path)}
    if preset is not None:
        rules = preset_table(preset)
        inputs[PRESET_RULES] = {"path": rules.path, "rows": rules.count, "sha256": rules.digest}
    return {"scenario_settings": json.loads(json.dumps(document, default=str)),
            "scenario_inputs": dict(sorted(inputs.items()))}


def tables_of_record(record: Any) -> dict[str, DataTable] | None:
    """The :class:`DataTable` digests of a ``scenario_inputs`` record (None when absent or malformed)."""
    if not isinstance(record, dict):
        return None
    tables = {}
    for label, entry in record.items():
        if isinstance(entry, dict) and isinstance(entry.get("sha256"), str):
            count = entry.get("rows")
            tables[str(label)] = DataTable(str(entry.get("path", "")), count if isinstance(count, int) else None,
                                           entry["sha256"])
    return dict(sorted(tables.items()))


def compare_data(a: dict[str, DataTable], b: dict[str, DataTable]) -> list[DataChange]:
    """The data files that differ between two sides, sorted by section label.

    A section only one side has is all added (or removed); two sides whose rows are known are
    compared row by row and cell by cell; otherwise by digest (``content_only``).

    Examples
    --------
    >>> one = DataTable("u.csv", 2, "x", [{"id": "1", "name": "A"}, {"id": "2", "name": "B"}])
    >>> two = DataTable("u.csv", 2, "y", [{"id": "1", "name": "A2"}, {"id": "3", "name": "C"}])
    >>> change = compare_data({"units": one}, {"units": two})[0]
    >>> change.added, change.removed, change.changed
    (['3'], ['2'], [('1', 'name', 'A', 'A2')])
    """
    changes = []
    for label in sorted(set(a) | set(b)):
        first, second = a.get(label), b.get(label)
        change = DataChange(label, first.path if first else None, second.path if second else None,
                            first.count if first else None, second.count if second else None)
        if first is not None and second is not None:
            if first.digest == second.digest or not _compare_rows(first, second, change):
                continue
        changes.append(change)
    return changes


def _compare_rows(a: DataTable, b: DataTable, change: DataChange) -> bool:
    """Fill ``change`` with the rows that differ; False when the contents are the same."""
    if a.rows is None or b.rows is None:
        change.content_only = True
        return True
    rows_a, rows_b = keyed_rows(a, b)
    change.added = sorted(rows_b.keys() - rows_a.keys())
    change.removed = sorted(rows_a.keys() - rows_b.keys())
    for key in sorted(rows_a.keys() & rows_b.keys()):
        row_a, row_b = rows_a[key], rows_b[key]
        change.changed += [(key, column, row_a.get(column, ""), row_b.get(column, ""))
                           for column in sorted(row_a.keys() | row_b.keys())
                           if row_a.get(column, "") != row_b.get(column, "")]
    return bool(change.added or change.removed or change.changed)
