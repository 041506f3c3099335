"""The reader of ``scenario.yaml``: each section checked and turned into the scenario model.

:class:`ScenarioReader` walks one parsed document section by section (preset, dates,
units, boundaries, links, decisions, target, solver, baseline), recording every problem
with the key it concerns; :func:`~planner.inputs.scenario.load_scenario` runs it and raises
the problems together.  The units table and the boundaries have their own modules
(:mod:`~planner.inputs.units`, :mod:`~planner.inputs.geometry`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.inputs.boundaries import read_boundaries, read_contiguity
from planner.inputs.contexts import read_parent_map
from planner.inputs.dissolve import dissolve_boundaries, read_dissolved, selection_levels, unit_selection
from planner.inputs.labels import unit_labeller
from planner.inputs.merge_within import read_merge_within
from planner.inputs.name_fixes import read_name_fixes
from planner.inputs.plan import Plan, read_plan, set_seats
from planner.inputs.preset import Preset, load_preset
from planner.inputs.problems import ProblemList
from planner.inputs.scenario import (
    DEFAULT_KIND_VALUES,
    Decisions,
    Link,
    Scenario,
    SolverSettings,
    Target,
)
from planner.inputs.selection import Selection, read_where, select_units
from planner.inputs.tables import read_table
from planner.inputs.target_reader import read_target
from planner.inputs.units import UnitsResult, read_units_table
from planner.rules.reductions import active_reductions


class ScenarioReader:
    """Reads one scenario document, recording every problem on the way.

    Parameters
    ----------
    folder : pathlib.Path
        The scenario folder: paths in the document are relative to it.
    label : str
        The scenario file, as named in messages.
    document : dict
        The parsed YAML document.
    problems : ProblemList
        Receives the errors and warnings.
    """

    def __init__(self, folder: Path, label: str, document: dict[str, Any], problems: ProblemList):
        self.folder = folder
        self.label = label
        self.doc = document
        self.problems = problems
        self.selection = Selection()
        #: A unit in messages: code, name and parent's name (:mod:`planner.inputs.labels`), once the units are read.
        self.label_unit: Callable[[str], str] = str
        #: Input -> how many of its records name units left out by the selection (one warning each).
        self.ignored: dict[str, int] = {}
        #: The parts of units dissolved from a finer table (``units.dissolve``, :mod:`planner.inputs.dissolve`).
        self.parts: Any = None
        #: The ids of a units table with errors, so the other inputs are still checked against them.
        self.codes_read: set[str] | None = None

    # -- helpers -------------------------------------------------------------------------
    def error(self, key: str, message: str, column: str = "") -> None:
        """An error in the scenario file, at ``key``."""
        self.problems.error(self.label, f"key {key}", column, message)

    def section(self, key: str) -> dict[str, Any]:
        """The mapping at ``key`` ({} when absent, or with an error when it is not a mapping)."""
        value = self.doc.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key, f"expected a mapping of keys, got {type(value).__name__}")
            return {}
        return value

    def number(self, key: str, value: Any, *, integer: bool = False, minimum: float = 0.0) -> Any:
        """``value`` as a number of at least ``minimum`` (int if ``integer``), or None (with an error if wrong)."""
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
        """The file named by ``section['path']``, relative to the scenario folder."""
        raw = section.get("path")
        if not raw:
            self.error(f"{key}.path", "expected the path of a file, relative to the scenario folder")
            return None
        return self.folder / str(raw)

    # -- the whole document --------------------------------------------------------------
    def read(self) -> Scenario | None:
        """The scenario, or None when an error was found (the problems say which)."""
        preset = self.read_preset()
        effective_date = self.read_date()
        units, parent_levels, parent_names = self.read_units(preset)
        if preset is not None and units is not None and preset.reductions:
            preset = active_reductions(preset, list(units.columns), self.problems, self.label)
        merge_within = None if units is None else read_merge_within(
            self.folder, self.doc.get("merge_within"), units, parent_levels, parent_names, self.problems, self.label)
        self.label_unit = unit_labeller(units, parent_levels, parent_names, preset.merge_within if preset else None)
        codes = set(units.index) if units is not None else self.codes_read
        boundaries = self.section("boundaries")
        geometries = self.read_boundaries(boundaries, set(self.parts.index) if self.parts is not None else codes)
        if self.parts is not None and units is not None:
            self.parts, geometries = dissolve_boundaries(units, self.parts, geometries)
        links = self.read_links(codes)
        removed = self.read_pairs("removed_adjacencies", codes)
        decisions = self.read_decisions(codes, preset)
        target = self.read_target(preset)
        solver = self.read_solver()
        baseline = self.read_baseline(codes)
        access = self.section("access")
        access_max = self.number("access.max_km", access.get("max_km"))
        if access_max is None and preset is not None:
            access_max = preset.access_max_km
        if preset is not None and effective_date is not None:
            self.check_dates(preset, effective_date)
        contiguity = read_contiguity(boundaries, self.number, self.error)
        for key, count in sorted(self.ignored.items()):
            self.selection.note(self.problems, self.label, count, "item(s)", where=f"key {key}")
        if self.problems.errors or preset is None or units is None:
            return None
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
            tolerance_m=contiguity.tolerance_m,
            min_shared_border_m=contiguity.min_shared_border_m,
            decisions=decisions,
            target=target,
            access_max_km=access_max,
            solver=solver,
            baseline=baseline,
            warnings=self.problems.warnings,
            document=self.doc,
            contiguity=contiguity.mode,
            selection=self.selection,
            parts=self.parts,
            merge_within=merge_within,
        )

    def read_preset(self) -> Preset | None:
        """The preset named by ``preset``, with ``preset_overrides`` applied."""
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
        """The ``effective_date``."""
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
        """Warn when the effective date is outside the preset's period."""
        early = preset.valid_from and date < preset.valid_from
        late = preset.valid_until and date > preset.valid_until
        if early or late:
            self.problems.warn(self.label, "key effective_date", "",
                               f"{date} is outside the period of preset {preset.id} "
                               f"({preset.valid_from} to {preset.valid_until or 'open'})")

    # -- units ---------------------------------------------------------------------------
    def read_units(self, preset: Preset | None) -> UnitsResult:
        """The units table of the ``units:`` section (see :func:`~planner.inputs.units.read_units_table`)."""
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
        if table.frame.empty:
            self.error("units", f"{section['path']}: the units table has no rows (expected one row per unit)")
            return None, [], {}
        columns = section.get("columns") or {}
        if not isinstance(columns, dict):
            self.error("units.columns", "expected a mapping: planner field -> column of the table")
            columns = {}
        id_column = columns.get("id", "code" if "code" in table.frame.columns else None)
        parents = columns.get("parents") if isinstance(columns.get("parents"), dict) else {}
        table, self.selection = select_units(table, read_where(section.get("where"), self.label, self.problems),
                                             None if id_column is None else str(id_column),
                                             {**parents, **selection_levels(section)}, self.problems)
        if "dissolve" in section:
            self.selection = unit_selection(self.selection)
            result, self.parts = read_dissolved(table, section, preset, self.problems, self.label)
            return result
        parent_map = read_parent_map(self.folder, section, self.problems, self.label)
        result = read_units_table(table, columns, section, preset, self.problems, self.label, parent_map)
        if result[0] is None and id_column is not None and str(id_column) in table.frame:
            self.codes_read = {str(c) for c in table.frame[str(id_column)] if str(c)}
        return result

    def read_boundaries(self, section: dict[str, Any], codes: set[str] | None) -> dict[str, Any]:
        """The polygons of the ``boundaries:`` file in lon/lat ({} without one), by :mod:`planner.inputs.boundaries`."""
        if not section:
            return {}
        path = self.path_of("boundaries", section)
        return {} if path is None else read_boundaries(section, path, codes, self.problems, self.label,
                                                       self.selection, self.label_unit)

    def read_links(self, codes: set[str] | None) -> list[Link]:
        """The ``links:``, from a table or a list in the document."""
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
            if self.selection.is_left_out(a) or self.selection.is_left_out(b):
                self.ignored["links"] = self.ignored.get("links", 0) + 1
                continue
            bad = [c for c in (a, b) if codes is not None and c not in codes]
            for code in bad:
                self.problems.error(where, "", "a" if code == a else "b",
                                    f"unknown unit '{code}': not in the units table")
            if not bad:
                links.append(Link(a, b, str(item.get("kind") or "link"), str(item.get("note") or "")))
        return sorted(links, key=lambda link: (link.a, link.b))

    def read_pairs(self, key: str, codes: set[str] | None) -> list[tuple[str, str]]:
        """Pairs of unit codes (``removed_adjacencies``), each sorted."""
        raw = self.doc.get(key) or []
        pairs = []
        for i, group in enumerate(self.code_groups(key, raw, codes, size=2)):
            if len(group) != 2:
                self.error(f"{key}[{i}]", "expected a pair of unit codes")
                continue
            pairs.append((min(group), max(group)))
        return sorted(pairs)

    def code_groups(self, key: str, raw: Any, codes: set[str] | None, size: int = 0) -> list[list[str]]:
        """A list of groups of at least two unit codes."""
        if not isinstance(raw, list):
            self.error(key, "expected a list")
            return []
        groups = []
        for i, group in enumerate(raw):
            if not isinstance(group, list) or len(group) < 2:
                self.error(f"{key}[{i}]", "expected a list of at least two unit codes")
                continue
            found = self.codes(f"{key}[{i}]", group, codes)
            if len(found) < 2 and any(self.selection.is_left_out(str(code)) for code in group):
                continue  # the rest of the group is left out by the selection (counted by codes)
            groups.append(found)
        return groups

    def codes(self, key: str, raw: Any, codes: set[str] | None) -> list[str]:
        """A list of unit codes, those not in the units table left out (with an error)."""
        if not isinstance(raw, list):
            self.error(key, "expected a list of unit codes")
            return []
        found = []
        for value in raw:
            code = str(value)
            if self.selection.is_left_out(code):
                section = key.split(".")[0].split("[")[0]
                self.ignored[section] = self.ignored.get(section, 0) + 1
            elif codes is not None and code not in codes:
                self.error(key, f"unknown unit '{code}': not in the units table "
                           "(write codes as quoted strings to keep leading zeros: '00004')")
            else:
                found.append(code)
        return found

    def selected_names(self, raw: Any) -> Any:
        """``decisions.names`` without the units the selection leaves out (counted)."""
        if not isinstance(raw, dict):
            return raw
        kept = {code: name for code, name in raw.items() if not self.selection.is_left_out(str(code))}
        if len(kept) < len(raw):
            self.ignored["decisions"] = self.ignored.get("decisions", 0) + len(raw) - len(kept)
        return kept

    def read_decisions(self, codes: set[str] | None, preset: Preset | None = None) -> Decisions:
        """The planners' ``decisions:`` (``names``: :mod:`planner.inputs.name_fixes`)."""
        section = self.section("decisions")
        decisions = Decisions(
            merge_together=self.code_groups("decisions.merge_together",
                                            section.get("merge_together") or [], codes),
            keep_apart=self.code_groups("decisions.keep_apart", section.get("keep_apart") or [], codes),
            unchanged=self.codes("decisions.unchanged", section.get("unchanged") or [], codes),
            fixed_seats=self.codes("decisions.fixed_seats", section.get("fixed_seats") or [], codes),
            max_members=self.number("decisions.max_members", section.get("max_members"),
                                    integer=True, minimum=1),
            names=read_name_fixes(self.selected_names(section.get("names")), codes, preset, self.problems,
                                  self.label),
        )
        self.check_decision_conflicts(decisions)
        return decisions

    def check_decision_conflicts(self, decisions: Decisions) -> None:
        """Report decisions that contradict each other."""
        together = {}
        for i, group in enumerate(decisions.merge_together):
            for code in group:
                together.setdefault(code, i)
        for group in decisions.keep_apart:
            for x in group:
                for y in group:
                    if x < y and x in together and together.get(y) == together[x]:
                        self.error("decisions", f"units {self.label_unit(x)} and {self.label_unit(y)} are both in "
                                   f"merge_together group {together[x] + 1} and in keep_apart")
        for code in decisions.unchanged:
            if code in together:
                self.error("decisions", f"unit {self.label_unit(code)} is in 'unchanged' and in merge_together "
                           f"group {together[code] + 1}")

    def read_target(self, preset: Preset | None) -> Target:
        """The ``target:`` (:func:`~planner.inputs.target_reader.read_target`)."""
        return read_target(self.section("target"), preset, self.number, self.error)

    def read_solver(self) -> SolverSettings:
        """The ``solver:`` settings."""
        section = self.section("solver")
        default = SolverSettings()
        limit = self.number("solver.time_limit_s", section.get("time_limit_s"))
        if limit == 0:
            self.error("solver.time_limit_s", "0 is not a time limit (expected seconds above 0)")
        solves = self.number("solver.solves", section.get("solves"), integer=True, minimum=1)
        seed = self.number("solver.seed", section.get("seed"), integer=True)
        workers = self.number("solver.workers", section.get("workers"), integer=True, minimum=1)
        return SolverSettings(time_limit_s=limit or default.time_limit_s, seed=seed or default.seed,
                              workers=workers or default.workers, solves=solves)

    def read_baseline(self, codes: set[str] | None) -> Plan | None:
        """The ``baseline:`` plan, if any."""
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
                         kind_values=kind_values, selection=self.selection)
        if plan is not None:
            plan.label = f"baseline plan ({path.name})"
            set_seats(plan, section.get("seats"), self.problems, self.label, "baseline.seats")
        return plan
