"""The inputs of the seal schedule: the order date and each province's registration capacity.

A scenario states them in ``agencies.seal_schedule`` (format in ``docs/gaps.md``); what it leaves
out comes from the preset's ``seals`` data (``order_working_days_before``, ``capacity``), which are
estimates.  A capacity is a number of seals a working day (``per_day``), or registration desks
(``offices``) that each take ``days_per_seal`` working days per seal.  A table (``provinces``) gives a
province its own capacity and order date.  :func:`read_seal_settings` checks all of it, reporting
every problem with its file, row and column.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planner.inputs.problems import ProblemList
from planner.inputs.tables import Table, read_table
from planner.transition.workdays import working_days_before

PROVINCE_COLUMNS = ("province", "per_day", "offices", "days_per_seal", "order_date")


@dataclass(frozen=True)
class SealCapacity:
    """How many seals a province's police register: ``per_day``, or ``offices`` x one seal per ``days_per_seal``."""

    per_day: float | None = None
    offices: int | None = None
    days_per_seal: int | None = None

    def slot_days(self, count: int) -> np.ndarray:
        """The working day (0 = the first registration day) on which each of ``count`` seals in a row is registered.

        Examples
        --------
        >>> SealCapacity(per_day=2).slot_days(5).tolist()
        [0, 0, 1, 1, 2]
        >>> SealCapacity(offices=2, days_per_seal=3).slot_days(5).tolist()
        [2, 2, 5, 5, 8]
        """
        k = np.arange(1, count + 1)
        if self.per_day is not None:
            return np.ceil(k / self.per_day - 1e-9).astype(int) - 1
        assert self.offices and self.days_per_seal
        return self.days_per_seal * np.ceil(k / self.offices).astype(int) - 1

    def by(self, days: int) -> int:
        """The seals registered within the first ``days`` registration days.

        Examples
        --------
        >>> SealCapacity(offices=2, days_per_seal=3).by(7)
        4
        """
        if days <= 0:
            return 0
        if self.per_day is not None:
            return int(math.floor(self.per_day * days + 1e-9))
        assert self.offices and self.days_per_seal
        return self.offices * (days // self.days_per_seal)

    @property
    def rate(self) -> float:
        """Seals a working day."""
        return self.per_day if self.per_day is not None else self.offices / self.days_per_seal  # type: ignore

    def text(self) -> str:
        """The capacity in words (``40 seals a working day``, ``4 offices x 3 working days a seal``)."""
        if self.per_day is not None:
            return f"{self.per_day:g} seals a working day"
        return f"{self.offices} offices x {self.days_per_seal} working days a seal"


@dataclass
class SealSettings:
    """The order date and the registration capacity of every province (None: no schedule, seals only listed)."""

    order_date: dt.date | None
    capacity: SealCapacity | None
    source: str
    provinces: dict[str, tuple[SealCapacity, dt.date | None]] = field(default_factory=dict)

    def of(self, province: str) -> tuple[SealCapacity | None, dt.date | None]:
        """The capacity and order date of one province."""
        capacity, order = self.provinces.get(province, (self.capacity, None))
        return capacity, order or self.order_date


def read_seal_settings(section: Any, preset_seals: dict[str, Any], go_live: dt.date | None, *, folder: Any,
                       label: str, problems: ProblemList, provinces: set[str]) -> SealSettings:
    """The seal schedule's inputs: the scenario's ``agencies.seal_schedule``, else the preset's estimates.

    Parameters
    ----------
    section : Any
        The value of ``agencies.seal_schedule`` (None when absent).
    preset_seals : dict
        The preset's ``seals`` data.
    go_live : datetime.date or None
        The go-live date; the default order date is ``order_working_days_before`` working days before it.
    folder : pathlib.Path
        The scenario folder (the province table's path is relative to it).
    label : str
        The scenario file, as named in messages.
    problems : ProblemList
        Receives every problem.
    provinces : set of str
        The province codes of the units table (a table row naming another is an error).

    Returns
    -------
    SealSettings
    """
    if section is not None and not isinstance(section, dict):
        problems.error(label, "key agencies.seal_schedule", "", "expected a mapping (order_date, capacity, provinces)")
        section = {}
    section = section or {}
    key = "agencies.seal_schedule"
    order = _date(section.get("order_date"), f"key {key}.order_date", label, problems)
    if order is None and go_live is not None and "order_date" not in section:
        before = preset_seals.get("order_working_days_before")
        order = working_days_before(go_live, int(before)) if before is not None else None
    spec = section["capacity"] if "capacity" in section else preset_seals.get("capacity")
    capacity = capacity_of(spec, f"key {key}.capacity", label, problems)
    given = "capacity" in section or "order_date" in section
    source = "scenario" if given else f"preset ({preset_seals.get('schedule_source', 'estimate')})"
    settings = SealSettings(order, capacity, source)
    if section.get("provinces"):
        settings.provinces = _province_table(section["provinces"], folder, problems, provinces)
        settings.source = "scenario"
    return settings


def capacity_of(spec: Any, where: str, file: str, problems: ProblemList) -> SealCapacity | None:
    """A capacity from ``{per_day: n}`` or ``{offices: n, days_per_seal: d}`` (None for none, an error when wrong)."""
    if spec is None or spec == "none":
        return None
    if not isinstance(spec, dict):
        problems.error(file, where, "", "expected {per_day: N} or {offices: N, days_per_seal: D}, or none")
        return None
    return _capacity({k: "" if v is None else str(v) for k, v in spec.items()}, file, where, problems)


def _capacity(cells: dict[str, str], file: str, where: str, problems: ProblemList) -> SealCapacity | None:
    """A capacity from the text of its cells (per_day, or offices and days_per_seal)."""
    per_day, offices, days = (cells.get(k, "").strip() for k in ("per_day", "offices", "days_per_seal"))
    if per_day and not (offices or days):
        value = _positive(per_day, integer=False)
        if value is None:
            problems.error(file, where, "per_day", f"'{per_day}' is not a number of seals above 0")
            return None
        return SealCapacity(per_day=value)
    if offices and days and not per_day:
        counts = _positive(offices, integer=True), _positive(days, integer=True)
        for column, raw, value in zip(("offices", "days_per_seal"), (offices, days), counts):
            if value is None:
                problems.error(file, where, column, f"'{raw}' is not a whole number above 0")
        if None in counts:
            return None
        return SealCapacity(offices=int(counts[0]), days_per_seal=int(counts[1]))  # type: ignore[arg-type]
    problems.error(file, where, "per_day, offices, days_per_seal",
                   "give per_day, or offices and days_per_seal (not both)")
    return None


def _positive(raw: str, *, integer: bool) -> float | None:
    """The number above 0 in ``raw`` (a whole one when ``integer``), else None."""
    try:
        value = float(raw)
    except ValueError:
        return None
    if not math.isfinite(value) or value <= 0 or (integer and value != int(value)):
        return None
    return value


def _date(value: Any, where: str, file: str, problems: ProblemList, column: str = "") -> dt.date | None:
    """A date, from a YAML date or YYYY-MM-DD text (None when empty, with an error when wrong)."""
    if value is None or value == "" or isinstance(value, dt.date):
        return value or None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.error(file, where, column, f"'{value}' is not a date: expected YYYY-MM-DD")
        return None


def _province_table(spec: Any, folder: Any, problems: ProblemList,
                    provinces: set[str]) -> dict[str, tuple[SealCapacity, dt.date | None]]:
    """Province -> (capacity, order date) from the table ``agencies.seal_schedule.provinces``."""
    path = spec if isinstance(spec, str) else (spec or {}).get("path", "")
    table = read_table(folder / str(path), str(path), problems,
                       sheet=spec.get("sheet") if isinstance(spec, dict) else None)
    if table is None:
        return {}
    if "province" not in table.frame.columns:
        problems.error(table.name, "row 1", "province",
                       f"column not found: a seal capacity table has columns {', '.join(PROVINCE_COLUMNS)}")
        return {}
    return _province_rows(table, problems, provinces)


def _province_rows(table: Table, problems: ProblemList,
                   provinces: set[str]) -> dict[str, tuple[SealCapacity, dt.date | None]]:
    """The rows of a seal capacity table, each checked."""
    found: dict[str, tuple[SealCapacity, dt.date | None]] = {}
    seen: set[str] = set()
    for i, row in table.frame.iterrows():
        where = table.where(i)
        code = str(row["province"]).strip()
        if code not in provinces:
            problems.error(table.name, where, "province", f"unknown province '{code}': expected a province code "
                           "of the units table")
        elif code in seen:
            problems.error(table.name, where, "province", f"province '{code}' given twice")
        seen.add(code)
        capacity = _capacity({k: str(row.get(k, "")) for k in PROVINCE_COLUMNS}, table.name, where, problems)
        order = _date(row.get("order_date", ""), where, table.name, problems, "order_date")
        if capacity is not None and code in provinces:
            found.setdefault(code, (capacity, order))
    return found
