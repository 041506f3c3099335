"""Scenarios: a folder with a ``scenario.yaml`` and the data files it names.

:func:`load_scenario` reads and checks everything in one pass.  Every problem (a missing
file, a duplicate id, a negative population, an invalid polygon, a decision naming an
unknown unit) is collected with its file, row or feature and column, and all of them are
raised together as :class:`planner.inputs.problems.InputError`.  The format is documented in
``docs/scenario.md``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import shapely

from planner.inputs.plan import Plan, read_plan
from planner.inputs.preset import Preset, load_preset
from planner.inputs.problems import InputError, Problem, ProblemList
from planner.inputs.tables import Table, read_table
from planner.inputs.yamlio import parse_mapping

SCENARIO_FILE = "scenario.yaml"
#: Kind names found in Vietnamese data, mapped to preset kinds (a scenario may add more).
DEFAULT_KIND_VALUES = {
    "Xã": "commune",
    "Phường": "ward",
    "Thị trấn": "township",
    "Đặc khu": "special_zone",
}
DEFAULT_TERRAIN_VALUES = {
    "mountainous": "mountainous",
    "highland": "mountainous",
    "island": "island",
    "other": "other",
    "lowland": "other",
    "delta": "other",
}
NUMERIC_COLUMNS = ("population", "area_km2", "staff")
TOP_KEYS = {
    "name", "description", "effective_date", "preset", "preset_overrides", "units",
    "boundaries", "links", "removed_adjacencies", "decisions", "target", "access", "solver",
    "baseline", "agencies",
}
TARGET_MODES = ("count", "reduction", "max_p", "min_count")


@dataclass(frozen=True)
class Link:
    """An explicit connection between two units that share no border (ferry, bridge)."""

    a: str
    b: str
    kind: str = "link"
    note: str = ""


@dataclass
class Decisions:
    """Planners' decisions the optimizer must respect."""

    merge_together: list[list[str]] = field(default_factory=list)
    keep_apart: list[list[str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fixed_seats: list[str] = field(default_factory=list)
    max_members: int | None = None


@dataclass
class Target:
    """How many new units the plan should have.

    ``mode`` is ``count`` (exactly ``count``, or per parent unit in ``by_parent``),
    ``reduction`` (a cut between ``reduction_min`` and ``reduction_max``), ``max_p``
    (as many units as the standards allow) or ``min_count`` (as few as the limits allow).
    """

    mode: str = "reduction"
    count: int | None = None
    reduction_min: float | None = None
    reduction_max: float | None = None
    by_parent: dict[str, int] = field(default_factory=dict)


@dataclass
class SolverSettings:
    """Settings of the optimizer (the CLI may override them)."""

    time_limit_s: float = 60.0
    seed: int = 0
    workers: int = 2


@dataclass
class Scenario:
    """A validated scenario, ready to become a graph.

    Attributes
    ----------
    units : pandas.DataFrame
        Indexed by unit code (str, sorted).  Columns: ``name``, ``kind`` (preset kind),
        ``terrain`` (empty when unknown), ``context``, ``population``, ``area_km2``,
        ``staff`` (float, NaN when missing), one column per parent level, ``lon``/``lat``
        (when given as columns) and any extra attribute.
    geometries : dict
        Unit code -> shapely polygon in lon/lat (WGS84), repaired where needed.
    """

    folder: Path
    name: str
    description: str
    effective_date: dt.date | None
    preset: Preset
    units: pd.DataFrame
    parent_levels: list[str]
    parent_names: dict[str, dict[str, str]]
    geometries: dict[str, Any]
    links: list[Link]
    removed_adjacencies: list[tuple[str, str]]
    tolerance_m: float
    min_shared_border_m: float
    decisions: Decisions
    target: Target
    access_max_km: float | None
    solver: SolverSettings
    baseline: Plan | None
    warnings: list[Problem]
    document: dict[str, Any]

    @property
    def merge_level(self) -> str | None:
        """The parent level inside which merges stay (from the preset), if the data has it."""
        level = self.preset.merge_within
        return level if level in self.parent_levels else None

    def units_without_data(self) -> list[str]:
        """Codes of units lacking population, area or geometry (reported, not fatal)."""
        lacking = self.units["population"].isna() | self.units["area_km2"].isna()
        codes = set(self.units.index[lacking])
        codes |= {c for c in self.units.index if c not in self.geometries
                  and pd.isna(self.units.at[c, "lon"])}
        return sorted(codes)


def find_scenario_file(path: str | Path) -> Path:
    """The ``scenario.yaml`` of a folder, or the file itself."""
    path = Path(path)
    return path / SCENARIO_FILE if path.is_dir() else path


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario folder (or its YAML file).

    Raises
    ------
    InputError
        With every problem found, when any is an error.

    Examples
    --------
    >>> scenario = load_scenario("scenarios/demo")  # doctest: +SKIP
    >>> len(scenario.units)  # doctest: +SKIP
    300
    """
    file = find_scenario_file(path)
    problems = ProblemList()
    label = str(file)
    if not file.exists():
        problems.error(label, "", "", "scenario file not found: expected a folder holding "
                       f"{SCENARIO_FILE} or the path of a scenario YAML file")
        raise InputError(problems.items)
    document = _read_yaml(file, label, problems)
    if document is None:
        raise InputError(problems.items)
    reader = _ScenarioReader(file.parent, label, document, problems)
    scenario = reader.read()
    problems.raise_if_errors()
    assert scenario is not None
    return scenario


def _read_yaml(file: Path, label: str, problems: ProblemList) -> dict[str, Any] | None:
    try:
        text = file.read_text("utf-8")
    except UnicodeDecodeError:
        problems.error(label, "", "", "the scenario file is not UTF-8 text")
        return None
    return parse_mapping(text, label, "a scenario (name, units, preset, ...)", problems)


class _ScenarioReader:
    """Reads one scenario document, recording every problem on the way."""

    def __init__(self, folder: Path, label: str, document: dict[str, Any], problems: ProblemList):
        self.folder = folder
        self.label = label
        self.doc = document
        self.problems = problems

    # -- helpers -------------------------------------------------------------------------
    def error(self, key: str, message: str, column: str = "") -> None:
        self.problems.error(self.label, f"key {key}", column, message)

    def section(self, key: str) -> dict[str, Any]:
        value = self.doc.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key, f"expected a mapping of keys, got {type(value).__name__}")
            return {}
        return value

    def number(self, key: str, value: Any, *, integer: bool = False, minimum: float = 0.0):
        if value is None:
            return None
        try:
            number = int(value) if integer else float(value)
        except (TypeError, ValueError):
            self.error(key, f"'{value}' is not a {'whole ' if integer else ''}number")
            return None
        if number < minimum:
            self.error(key, f"{value} is below the minimum {minimum:g}")
            return None
        return number

    def path_of(self, key: str, section: dict[str, Any]) -> Path | None:
        raw = section.get("path")
        if not raw:
            self.error(f"{key}.path", "expected the path of a file, relative to the scenario folder")
            return None
        return self.folder / str(raw)

    # -- the whole document --------------------------------------------------------------
    def read(self) -> Scenario | None:
        for key in sorted(set(self.doc) - TOP_KEYS):
            self.problems.warn(self.label, f"key {key}", "", "unknown key, ignored (is it misspelt?)")
        preset = self.read_preset()
        effective_date = self.read_date()
        units, parent_levels, parent_names = self.read_units(preset)
        codes = set(units.index) if units is not None else None
        boundaries = self.section("boundaries")
        geometries = self.read_boundaries(boundaries, codes)
        links = self.read_links(codes)
        removed = self.read_pairs("removed_adjacencies", codes)
        decisions = self.read_decisions(codes)
        target = self.read_target(preset)
        solver = self.read_solver()
        baseline = self.read_baseline(codes)
        access = self.section("access")
        access_max = self.number("access.max_km", access.get("max_km"))
        if access_max is None and preset is not None:
            access_max = preset.access_max_km
        if preset is not None and effective_date is not None:
            self.check_dates(preset, effective_date)
        if self.problems.errors or preset is None or units is None:
            return None
        tolerance = self.number("boundaries.tolerance_m", boundaries.get("tolerance_m", 50.0)) or 0.0
        min_border = self.number("boundaries.min_shared_border_m",
                                 boundaries.get("min_shared_border_m", 2.0 * tolerance)) or 0.0
        return Scenario(
            folder=self.folder,
            name=str(self.doc.get("name") or self.folder.name),
            description=str(self.doc.get("description") or ""),
            effective_date=effective_date,
            preset=preset,
            units=units,
            parent_levels=parent_levels,
            parent_names=parent_names,
            geometries=geometries,
            links=links,
            removed_adjacencies=removed,
            tolerance_m=tolerance,
            min_shared_border_m=min_border,
            decisions=decisions,
            target=target,
            access_max_km=access_max,
            solver=solver,
            baseline=baseline,
            warnings=self.problems.warnings,
            document=self.doc,
        )

    def read_preset(self) -> Preset | None:
        name = self.doc.get("preset")
        if not name:
            self.error("preset", "expected a preset id (such as vn-2025) or a preset file path")
            return None
        overrides = self.doc.get("preset_overrides") or {}
        if not isinstance(overrides, dict):
            self.error("preset_overrides", "expected a mapping of preset keys")
            overrides = {}
        return load_preset(str(name), self.problems, base_dir=self.folder,
                           overrides=overrides, file=self.label)

    def read_date(self) -> dt.date | None:
        value = self.doc.get("effective_date")
        if value is None:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.error("effective_date", f"'{value}' is not a date: expected YYYY-MM-DD")
            return None

    def check_dates(self, preset: Preset, date: dt.date) -> None:
        early = preset.valid_from and date < preset.valid_from
        late = preset.valid_until and date > preset.valid_until
        if early or late:
            self.problems.warn(self.label, "key effective_date", "",
                               f"{date} is outside the period of preset {preset.id} "
                               f"({preset.valid_from} to {preset.valid_until or 'open'})")

    # -- units ---------------------------------------------------------------------------
    def read_units(self, preset: Preset | None):
        section = self.section("units")
        if not section:
            self.error("units", "expected the units table: units: {path: ..., columns: {...}}")
            return None, [], {}
        path = self.path_of("units", section)
        if path is None:
            return None, [], {}
        table = read_table(path, str(section["path"]), self.problems,
                           layer=section.get("layer"), sheet=section.get("sheet"))
        if table is None:
            return None, [], {}
        columns = section.get("columns") or {}
        if not isinstance(columns, dict):
            self.error("units.columns", "expected a mapping: planner field -> column of the table")
            columns = {}
        return _UnitsReader(self, table, columns, section, preset).read()

    def read_boundaries(self, section: dict[str, Any], codes: set[str] | None) -> dict[str, Any]:
        if not section:
            return {}
        path = self.path_of("boundaries", section)
        if path is None:
            return {}
        name = str(section["path"])
        table = read_table(path, name, self.problems, layer=section.get("layer"))
        if table is None:
            return {}
        if table.geometries is None:
            self.problems.error(name, "", "", "boundaries must be a vector file "
                                "(GeoJSON, GeoPackage or Shapefile)")
            return {}
        id_column = str(section.get("id", "code"))
        if id_column not in table.frame.columns:
            self.problems.error(name, table.header, id_column,
                                f"id column not found; the features have: {', '.join(table.frame.columns)}")
            return {}
        repair = bool(section.get("repair_invalid", True))
        return _read_geometries(table, id_column, codes, repair, self.problems)

    def read_links(self, codes: set[str] | None) -> list[Link]:
        raw = self.doc.get("links")
        if raw is None:
            return []
        rows: list[tuple[str, dict[str, Any]]] = []
        if isinstance(raw, dict) and "path" in raw:
            path = self.folder / str(raw["path"])
            table = read_table(path, str(raw["path"]), self.problems)
            if table is None:
                return []
            for column in ("a", "b"):
                if column not in table.frame.columns:
                    self.problems.error(table.name, table.header, column,
                                        "column not found: a links table has columns a, b, kind, note")
                    return []
            rows = [(f"{table.name} {table.where(i)}", dict(table.frame.loc[i])) for i in table.frame.index]
        elif isinstance(raw, list):
            rows = [(f"{self.label} key links[{i}]", item) for i, item in enumerate(raw)]
        else:
            self.error("links", "expected {path: links.csv} or a list of {a, b, kind}")
            return []
        links = []
        for where, item in rows:
            if not isinstance(item, dict):
                self.problems.error(where, "", "", "expected {a: code, b: code, kind: ferry|bridge|...}")
                continue
            a, b = str(item.get("a", "")), str(item.get("b", ""))
            bad = [c for c in (a, b) if codes is not None and c not in codes]
            for code in bad:
                self.problems.error(where, "", "a" if code == a else "b",
                                    f"unknown unit '{code}': not in the units table")
            if not bad:
                links.append(Link(a, b, str(item.get("kind") or "link"), str(item.get("note") or "")))
        return sorted(links, key=lambda link: (link.a, link.b))

    def read_pairs(self, key: str, codes: set[str] | None) -> list[tuple[str, str]]:
        raw = self.doc.get(key) or []
        pairs = []
        for i, group in enumerate(self.code_groups(key, raw, codes, size=2)):
            if len(group) != 2:
                self.error(f"{key}[{i}]", "expected a pair of unit codes")
                continue
            pairs.append((min(group), max(group)))
        return sorted(pairs)

    def code_groups(self, key: str, raw: Any, codes: set[str] | None, size: int = 0) -> list[list[str]]:
        if not isinstance(raw, list):
            self.error(key, "expected a list")
            return []
        groups = []
        for i, group in enumerate(raw):
            if not isinstance(group, list) or len(group) < 2:
                self.error(f"{key}[{i}]", "expected a list of at least two unit codes")
                continue
            groups.append(self.codes(f"{key}[{i}]", group, codes))
        return groups

    def codes(self, key: str, raw: Any, codes: set[str] | None) -> list[str]:
        if not isinstance(raw, list):
            self.error(key, "expected a list of unit codes")
            return []
        found = []
        for value in raw:
            code = str(value)
            if codes is not None and code not in codes:
                self.error(key, f"unknown unit '{code}': not in the units table "
                           "(write codes as quoted strings to keep leading zeros: '00004')")
            else:
                found.append(code)
        return found

    def read_decisions(self, codes: set[str] | None) -> Decisions:
        section = self.section("decisions")
        decisions = Decisions(
            merge_together=self.code_groups("decisions.merge_together",
                                            section.get("merge_together") or [], codes),
            keep_apart=self.code_groups("decisions.keep_apart", section.get("keep_apart") or [], codes),
            unchanged=self.codes("decisions.unchanged", section.get("unchanged") or [], codes),
            fixed_seats=self.codes("decisions.fixed_seats", section.get("fixed_seats") or [], codes),
            max_members=self.number("decisions.max_members", section.get("max_members"),
                                    integer=True, minimum=1),
        )
        self.check_decision_conflicts(decisions)
        return decisions

    def check_decision_conflicts(self, decisions: Decisions) -> None:
        together = {}
        for i, group in enumerate(decisions.merge_together):
            for code in group:
                together.setdefault(code, i)
        for group in decisions.keep_apart:
            for x in group:
                for y in group:
                    if x < y and x in together and together.get(y) == together[x]:
                        self.error("decisions", f"units {x} and {y} are both in merge_together "
                                   f"group {together[x] + 1} and in keep_apart")
        for code in decisions.unchanged:
            if code in together:
                self.error("decisions", f"unit {code} is in 'unchanged' and in merge_together "
                           f"group {together[code] + 1}")

    def read_target(self, preset: Preset | None) -> Target:
        section = self.section("target")
        target = Target()
        modes = [m for m in TARGET_MODES if section.get(m) not in (None, False)]
        if len(modes) > 1:
            self.error("target", f"choose one of {', '.join(TARGET_MODES)}, not {', '.join(modes)}")
        mode = modes[0] if modes else None
        if mode is None and section.get("by_parent"):
            mode = "count"
        if mode is None:
            reduction = (preset.target.get("reduction") if preset else None) or {}
            if reduction:
                mode = "reduction"
                section = {"reduction": reduction}
            else:
                mode = "max_p"
        target.mode = mode
        if mode == "count" and section.get("count") is not None:
            target.count = self.number("target.count", section["count"], integer=True, minimum=1)
        if mode == "reduction":
            reduction = section.get("reduction")
            if not isinstance(reduction, dict):
                self.error("target.reduction", "expected {min: 0.6, max: 0.7} (shares of units removed)")
            else:
                target.reduction_min = self.number("target.reduction.min", reduction.get("min", 0.0))
                target.reduction_max = self.number("target.reduction.max", reduction.get("max", 1.0))
        by_parent = section.get("by_parent") or {}
        if not isinstance(by_parent, dict):
            self.error("target.by_parent", "expected a mapping: parent code -> count")
        else:
            for code, count in by_parent.items():
                value = self.number(f"target.by_parent.{code}", count, integer=True, minimum=1)
                if value is not None:
                    target.by_parent[str(code)] = value
        return target

    def read_solver(self) -> SolverSettings:
        section = self.section("solver")
        settings = SolverSettings()
        if "time_limit_s" in section:
            settings.time_limit_s = self.number("solver.time_limit_s", section["time_limit_s"]) or 60.0
        if "seed" in section:
            settings.seed = self.number("solver.seed", section["seed"], integer=True) or 0
        if "workers" in section:
            settings.workers = self.number("solver.workers", section["workers"], integer=True,
                                           minimum=1) or 1
        return settings

    def read_baseline(self, codes: set[str] | None) -> Plan | None:
        section = self.section("baseline")
        if not section:
            return None
        path = self.path_of("baseline", section)
        if path is None:
            return None
        kind_values = dict(DEFAULT_KIND_VALUES)
        kind_values.update(section.get("kind_values") or {})
        plan = read_plan(path, str(section["path"]), self.problems, units=codes,
                         columns={str(k): str(v) for k, v in (section.get("columns") or {}).items()},
                         where={str(k): str(v) for k, v in (section.get("where") or {}).items()},
                         kind_values=kind_values)
        if plan is not None:
            plan.label = f"baseline plan ({path.name})"
        return plan


class _UnitsReader:
    """Reads the units table through the scenario's column mapping."""

    def __init__(self, scenario: _ScenarioReader, table: Table, columns: dict[str, Any],
                 section: dict[str, Any], preset: Preset | None):
        self.s = scenario
        self.table = table
        self.columns = columns
        self.section = section
        self.preset = preset
        self.problems = scenario.problems

    def column(self, field_name: str, required: bool = False, default: str | None = None) -> str | None:
        column = self.columns.get(field_name, default)
        if column is None:
            if required:
                self.s.error(f"units.columns.{field_name}", f"expected the column holding the units' {field_name}")
            return None
        column = str(column)
        if column not in self.table.frame.columns:
            self.problems.error(self.table.name, self.table.header, column,
                                f"column for '{field_name}' not found; the table has: "
                                f"{', '.join(self.table.frame.columns)}")
            return None
        return column

    def read(self):
        frame = self.table.frame
        id_column = self.column("id", required=True, default="code" if "code" in frame else None)
        if id_column is None:
            return None, [], {}
        ids = frame[id_column]
        before = len(self.problems.errors)
        self.check_ids(ids, id_column)
        units = pd.DataFrame(index=pd.Index(ids, dtype=object, name="code"))
        name_column = self.column("name", default="name" if "name" in frame else None)
        units["name"] = frame[name_column].to_numpy() if name_column else ids.to_numpy()
        units["kind"] = self.read_kinds()
        units["terrain"] = self.read_terrains()
        for field_name in NUMERIC_COLUMNS:
            required = field_name != "staff"
            units[field_name] = self.read_numbers(field_name, required)
        parents = self.columns.get("parents") or {}
        parent_levels = [str(level) for level in parents]
        parent_names: dict[str, dict[str, str]] = {}
        for level in parent_levels:
            column = self.column_of(f"parents.{level}", parents[level])
            units[level] = frame[column].to_numpy() if column else ""
            name_col = (self.columns.get("parent_names") or {}).get(level)
            if name_col and self.column_of(f"parent_names.{level}", name_col):
                parent_names[level] = dict(zip(frame[column], frame[name_col])) if column else {}
        units["context"] = self.read_contexts(units)
        for axis in ("lon", "lat"):
            column = self.column(axis)
            units[axis] = pd.to_numeric(frame[column], errors="coerce").to_numpy() if column else math.nan
        for extra in self.columns.get("extra") or []:
            column = self.column_of("extra", extra)
            if column:
                units[column] = frame[column].to_numpy()
        if len(self.problems.errors) > before:
            return None, parent_levels, parent_names
        units = units.sort_index()
        return units, parent_levels, parent_names

    def column_of(self, key: str, column: Any) -> str | None:
        column = str(column)
        if column not in self.table.frame.columns:
            self.problems.error(self.table.name, self.table.header, column,
                                f"column named by units.columns.{key} not found")
            return None
        return column

    def check_ids(self, ids: pd.Series, column: str) -> None:
        seen: dict[str, int] = {}
        for i, code in ids.items():
            if not code:
                self.problems.error(self.table.name, self.table.where(i), column, "missing id: expected a unit code")
            elif code in seen:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"duplicate id '{code}' (first at {self.table.where(seen[code])})")
            else:
                seen[code] = i

    def read_kinds(self) -> list[str]:
        column = self.column("kind")
        if column is None:
            default = self.preset.input_kinds[0] if self.preset and self.preset.input_kinds else "unit"
            return [default] * len(self.table.frame)
        values = dict(DEFAULT_KIND_VALUES)
        values.update({str(k): str(v) for k, v in (self.section.get("kind_values") or {}).items()})
        allowed = set(self.preset.input_kinds) if self.preset and self.preset.input_kinds else None
        kinds = []
        for i, raw in self.table.frame[column].items():
            kind = values.get(raw, raw)
            if allowed is not None and kind not in allowed:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"unknown kind '{raw}': expected one of {', '.join(sorted(allowed))} "
                                    "(or map it with units.kind_values)")
            kinds.append(kind)
        return kinds

    def read_terrains(self) -> list[str]:
        column = self.column("terrain")
        n = len(self.table.frame)
        if column is None:
            self.problems.warn(self.table.name, "", "terrain",
                               f"no terrain column: all {n} units have unknown terrain, treated as "
                               f"'{self.preset.unknown_terrain if self.preset else 'other'}'")
            return [""] * n
        values = dict(DEFAULT_TERRAIN_VALUES)
        values.update({str(k): str(v) for k, v in (self.section.get("terrain_values") or {}).items()})
        terrains, unknown = [], []
        for i, raw in self.table.frame[column].items():
            if not raw:
                unknown.append(self.table.where(i))
                terrains.append("")
            elif raw.lower() in values or raw in values:
                terrains.append(values.get(raw, values.get(raw.lower(), raw)))
            else:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"unknown terrain '{raw}': expected one of "
                                    f"{', '.join(sorted(set(values)))} (or map it with units.terrain_values)")
                terrains.append("")
        if unknown:
            shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
            self.problems.warn(self.table.name, shown, column,
                               f"{len(unknown)} unit(s) with unknown terrain, treated as "
                               f"'{self.preset.unknown_terrain if self.preset else 'other'}'")
        return terrains

    def read_numbers(self, field_name: str, required: bool) -> list[float]:
        column = self.column(field_name, required=required,
                             default=field_name if field_name in self.table.frame.columns else None)
        n = len(self.table.frame)
        if column is None:
            return [math.nan] * n
        numbers, empty = [], []
        for i, raw in self.table.frame[column].items():
            if raw == "":
                empty.append(i)
                numbers.append(math.nan)
                continue
            try:
                value = float(raw.replace(",", "")) if raw.count(",") and "." not in raw else float(raw)
            except ValueError:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"'{raw}' is not a number: expected the {field_name}")
                numbers.append(math.nan)
                continue
            if not math.isfinite(value) or value < 0:
                self.problems.error(self.table.name, self.table.where(i), column,
                                    f"{raw} is not allowed: expected a {field_name} of 0 or more")
                numbers.append(math.nan)
                continue
            numbers.append(value)
        if empty and required:
            id_column = str(self.columns.get("id", "code"))
            ids = self.table.frame[id_column] if id_column in self.table.frame else None
            names = [ids[i] if ids is not None else self.table.where(i) for i in empty]
            shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
            self.problems.warn(self.table.name, "", column,
                               f"{len(empty)} unit(s) have no {field_name}: {shown}; "
                               "they are kept in plans but left out of sums and standards")
        return numbers

    def read_contexts(self, units: pd.DataFrame) -> list[str]:
        column = self.column("context")
        if column:
            return list(self.table.frame[column])
        contexts = self.section.get("contexts") or {}
        default = self.preset.default_context if self.preset else "other"
        if not contexts:
            return [default] * len(units)
        level = str(contexts.get("by", ""))
        if level not in units.columns:
            self.s.error("units.contexts.by", f"'{level}' is not a parent level of units.columns.parents")
            return [default] * len(units)
        values = {str(k): str(v) for k, v in (contexts.get("values") or {}).items()}
        allowed = set(self.preset.data.get("contexts") or []) if self.preset else set()
        for code, context in values.items():
            if allowed and context not in allowed:
                self.s.error(f"units.contexts.values.{code}",
                             f"unknown context '{context}': expected one of {', '.join(sorted(allowed))}")
        fallback = str(contexts.get("default", default))
        return [values.get(parent, fallback) for parent in units[level]]


def _read_geometries(table: Table, id_column: str, codes: set[str] | None, repair: bool,
                     problems: ProblemList) -> dict[str, Any]:
    geometries: dict[str, Any] = {}
    first: dict[str, int] = {}
    repaired = []
    for i, geometry in enumerate(table.geometries or []):
        code = table.frame.at[i, id_column]
        where = table.where(i)
        if not code:
            problems.error(table.name, where, id_column, "missing id: expected a unit code")
            continue
        if codes is not None and code not in codes:
            problems.error(table.name, where, id_column, f"unknown unit '{code}': not in the units table")
            continue
        if code in first:
            problems.error(table.name, where, id_column,
                           f"duplicate id '{code}' (first at {table.where(first[code])})")
            continue
        first[code] = i
        if geometry is None or geometry.is_empty:
            problems.error(table.name, where, "geometry", f"unit {code} has no geometry: expected a polygon")
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            problems.error(table.name, where, "geometry",
                           f"unit {code} has a {geometry.geom_type}: expected a polygon")
            continue
        if not geometry.is_valid:
            reason = shapely.is_valid_reason(geometry)
            if not repair:
                problems.error(table.name, where, "geometry", f"unit {code} has an invalid polygon ({reason})")
                continue
            fixed = _polygonal(shapely.make_valid(geometry))
            if fixed is None:
                problems.error(table.name, where, "geometry",
                               f"unit {code} has an invalid polygon that cannot be repaired ({reason})")
                continue
            repaired.append(f"{code} ({reason})")
            geometry = fixed
        geometries[code] = geometry
    if repaired:
        problems.warn(table.name, "", "geometry",
                      f"{len(repaired)} invalid polygon(s) repaired: {', '.join(repaired[:10])}")
    if codes is not None:
        absent = sorted(codes - geometries.keys())
        if absent and len(absent) < len(codes):
            shown = ", ".join(absent[:12]) + (" ..." if len(absent) > 12 else "")
            problems.warn(table.name, "", id_column,
                          f"{len(absent)} unit(s) have no polygon: {shown}; they have no neighbours "
                          "unless links connect them")
    return geometries


def _polygonal(geometry: Any) -> Any:
    """The polygonal part of a repaired geometry, or None when nothing with area is left."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry if geometry.area > 0 else None
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon") and g.area > 0]
        if parts:
            return shapely.union_all(parts)
    return None
