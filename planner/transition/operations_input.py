"""The inputs of the go-live operations checks: optional agency tables, and the estimates behind them.

Five optional tables of a scenario's ``agencies:`` section (format in ``docs/gaps.md``) describe how the
new units will work on go-live day: ``body_capacity`` (signers with delegated authority, documents to
sign a day, pending files a body can take over), ``handover`` (pending files of abolished bodies),
``records`` (registers and IT systems of old units and when their migration is done), ``positions``
(positions by skill of each new unit) and ``buildings`` (staff a seat's building holds).
:func:`read_operations` reads and checks them with the table readers of the agency layer, reporting
every problem with its file, row and column in one pass.  What they leave out comes from the
operations data of the agency template (``planner/templates/operations/<id>.yaml``), whose figures
are estimates.  Without that data (no agency template, or one without an operations file) a figure the
tables leave out has nothing to come from: a ``positions`` row of a skill with no ``needed`` cannot be
measured and is dropped, and given signers cannot be measured without a signing rate; each is said once,
as a warning, rather than reported as the user's mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.inputs.problems import Problem, ProblemList
from planner.inputs.scenario import Scenario
from planner.inputs.tables import Table, read_table
from planner.transition.agencies import AgencyLayer, split_ids
from planner.transition.agency_reader import LayerReader
from planner.transition.operations_data import operations_data

#: The operations tables: columns, and the required ones first.
COLUMNS: dict[str, list[str]] = {
    "body_capacity": ["body", "signers", "documents_per_day", "file_capacity"],
    "handover": ["body", "pending_files", "receiver"],
    "records": ["id", "name", "unit", "migrated"],
    "positions": ["unit", "skill", "positions", "needed"],
    "buildings": ["site", "capacity", "name"],
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "body_capacity": ("body",), "handover": ("body", "pending_files"), "records": ("id", "name", "unit"),
    "positions": ("unit", "skill", "positions"), "buildings": ("site", "capacity"),
}
#: Number columns (whole numbers) of each table.
WHOLE = {"body_capacity": ("signers", "file_capacity"), "handover": ("pending_files",), "positions":
         ("positions", "needed"), "buildings": ("capacity",)}
NUMBERS = {"body_capacity": ("documents_per_day",)}
TABLES = tuple(COLUMNS)


@dataclass
class Operations:
    """The operations tables of a scenario (empty when not given) and the estimates of its template.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        :data:`TABLES` -> the table, numbers as floats (NaN when empty), ``migrated`` a date or None.
    data : dict
        The operations data of the agency template ({} when it has none).
    warnings : list of Problem
        Things worth a look that do not stop the tables from being used (rows ignored, figures that
        cannot be checked without the template's operations data).
    """

    tables: dict[str, pd.DataFrame]
    data: dict[str, Any] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def given(self, name: str) -> bool:
        """Whether the scenario gives the table ``name``."""
        return len(self.tables[name]) > 0


def read_operations(scenario: Scenario, layer: AgencyLayer) -> Operations:
    """Read and check the operations tables of the scenario's ``agencies:`` section.

    Parameters
    ----------
    scenario : Scenario
        Its ``agencies:`` section names the tables (paths relative to the scenario folder).
    layer : AgencyLayer
        The agency layer: its bodies and template check the references.

    Returns
    -------
    Operations
        With the warnings of the read (``positions`` rows dropped because no need can be measured for
        them, signers that no signing rate measures, rows of units the selection leaves out).

    Raises
    ------
    InputError
        With every problem of the tables (file, row, column, what was expected).
    """
    problems = ProblemList()
    section = scenario.document.get("agencies") or {}
    reader = LayerReader(scenario, str(scenario.folder / "scenario.yaml"), problems)
    data = operations_data(str(layer.template.get("id", ""))) if layer.template else {}
    checks = _References(reader, layer, data)
    tables = {}
    for name in TABLES:
        tables[name] = _empty(name)
        if section.get(name):
            table = _read(reader, name, section[name], problems)
            if table is not None:
                tables[name] = checks.typed(name, table)
    problems.raise_if_errors()
    return Operations(tables, data, problems.warnings)


def _template_words(scenario: Scenario, layer: AgencyLayer) -> str:
    """The agency template in use, as a warning names it (``none: preset vn-2026 names no agency_templates``)."""
    if not layer.template:
        return f"none: preset {scenario.preset.id} names no agency_templates"
    return str(layer.template.get("id", "")) or "without an id"


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS[name]})


def _read(reader: LayerReader, name: str, spec: Any, problems: ProblemList) -> Table | None:
    """The table at ``spec`` (a path, or {path, sheet}), its columns checked."""
    spec = {"path": spec} if isinstance(spec, str) else spec
    if not isinstance(spec, dict) or not spec.get("path"):
        problems.error(reader.label, f"key agencies.{name}", "path",
                       "expected the path of a table, relative to the scenario folder")
        return None
    table = read_table(reader.scenario.folder / str(spec["path"]), str(spec["path"]), problems,
                       sheet=spec.get("sheet"))
    if table is None:
        return None
    missing = [c for c in REQUIRED[name] if c not in table.frame.columns]
    if missing:
        problems.error(table.name, "row 1", ", ".join(missing),
                       f"column not found: a {name} table has columns {', '.join(COLUMNS[name])} "
                       f"(required: {', '.join(REQUIRED[name])})")
        return None
    for column in COLUMNS[name]:
        if column not in table.frame.columns:
            table.frame[column] = ""
    return table


class _References:
    """Checks the cells of the operations tables: numbers, dates, and the bodies, units and skills they name."""

    def __init__(self, reader: LayerReader, layer: AgencyLayer, data: dict[str, Any]):
        self.scenario = reader.scenario
        self.problems = reader.problems
        self.reader = reader
        self.bodies = set(layer.agencies.index)
        self.after_kinds = {str(e["kind"]) for e in (layer.template.get("after") or {}).get("commune") or []}
        self.skills = set(data.get("skills") or {})
        self.signing_rate = (data.get("signing") or {}).get("documents_per_signer_day")
        self.has_data = bool(data)
        self.template = _template_words(reader.scenario, layer)

    def typed(self, name: str, table: Table) -> pd.DataFrame:
        """The table's rows with numbers and dates typed; every bad cell reported."""
        frame = self.selected(name, table, table.frame[COLUMNS[name]].copy())
        for column in REQUIRED[name]:
            for i in frame.index[frame[column] == ""]:
                self.problems.error(table.name, table.where(i), column, f"missing {column}")
        for column in WHOLE.get(name, ()) + NUMBERS.get(name, ()):
            frame[column] = [self.reader.number(table, i, column, v, integer=column in WHOLE.get(name, ()))
                             for i, v in frame[column].items()]
        if name == "records":
            frame["migrated"] = [self.reader.optional_date(table, i, "migrated", v, "not migrated")
                                 for i, v in frame["migrated"].items()]
        for i, row in frame.iterrows():
            self.check_row(name, table, i, row)
        if name == "positions":
            frame = self.measurable_positions(table, frame)
        if name == "body_capacity":
            self.note_unmeasured_signers(table, frame)
        return frame

    def selected(self, name: str, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows that name no unit (or body of a unit) the scenario's selection leaves out."""
        selection = self.scenario.selection
        if not selection.where:
            return frame
        column = {"records": "unit", "buildings": "site", "body_capacity": "body", "handover": "body"}.get(name)
        if column is None:
            return frame
        if column == "body":
            out = ~frame[column].map(self.is_body) & (frame[column] != "")
        else:
            out = frame[column].isin(selection.left_out)
        selection.note(self.problems, table.name, int(out.sum()), "row(s)", column=column)
        return frame[~out]

    def check_row(self, name: str, table: Table, i: int, row: pd.Series) -> None:
        """The references of one row."""
        where = table.where(i)
        if name in ("body_capacity", "handover") and row["body"] and not self.is_body(row["body"]):
            self.problems.error(table.name, where, "body", f"unknown body '{row['body']}': expected an id of the "
                                "agencies table (or new-<new unit>-<kind> of the agency template)")
        for receiver in split_ids(row["receiver"]) if name == "handover" else []:
            if not self.is_body(receiver):
                self.problems.error(table.name, where, "receiver", f"unknown body '{receiver}': expected an id "
                                    "of the agencies table (or new-<new unit>-<kind> of the agency template)")
        if name in ("records", "buildings"):
            column = "unit" if name == "records" else "site"
            if row[column] and row[column] not in self.scenario.units.index:
                self.problems.error(table.name, where, column, f"unknown unit '{row[column]}': expected a code "
                                    "of the units table")
        if name == "positions":
            self.check_position(table, where, row)

    def check_position(self, table: Table, where: str, row: pd.Series) -> None:
        """A position row's skill is known, or its need given (a row of a new unit the plan lacks is ignored).

        When the template knows no skill at all there is nothing to measure a skill against: such a row is
        no mistake, and :meth:`measurable_positions` drops it with one warning.
        """
        if self.skills and row["skill"] and row["skill"] not in self.skills and pd.isna(row["needed"]):
            known = ", ".join(sorted(self.skills))
            self.problems.error(table.name, where, "skill", f"unknown skill '{row['skill']}': expected one of "
                                f"{known} (the skills of the operations data of agency template {self.template}), "
                                "or give its need in the column needed")

    def measurable_positions(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """The positions rows whose need can be measured: without known skills, those that give ``needed``.

        The others are dropped (skill_shortage is not checked for them) with one warning that counts them.
        """
        if self.skills:
            return frame
        unmeasured = (frame["skill"] != "") & frame["needed"].isna()
        if not unmeasured.any():
            return frame
        skills = ", ".join(sorted(set(frame.loc[unmeasured, "skill"])))
        self.problems.warn(table.name, "", "skill",
                           f"{int(unmeasured.sum())} row(s) name skills ({skills}) with no need given, and the "
                           f"agency template in use ({self.template}) {self._lacks('skills')}: skill_shortage is "
                           "not checked for them; give the need in the column needed")
        return frame[~unmeasured]

    def note_unmeasured_signers(self, table: Table, frame: pd.DataFrame) -> None:
        """One warning when the table gives signers or documents but no signing rate can measure them."""
        if self.signing_rate:
            return
        given = frame["signers"].notna() | frame["documents_per_day"].notna()
        if given.any():
            self.problems.warn(table.name, "", "signers",
                               f"{int(given.sum())} row(s) give signers or documents a day, and the agency template "
                               f"in use ({self.template}) {self._lacks('signing.documents_per_signer_day')}: "
                               "signing_overload is not checked for them")

    def _lacks(self, key: str) -> str:
        """What the template's operations data lacks: all of it, or ``key``."""
        return "has no operations data" if not self.has_data else f"gives no {key} in its operations data"

    def is_body(self, body: str) -> bool:
        """A body of the agencies table, or one the template gives a new unit (``new-<unit>-<kind>``)."""
        if body in self.bodies:
            return True
        return body.startswith("new-") and any(body.endswith(f"-{kind}") for kind in self.after_kinds)
