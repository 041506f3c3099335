"""Scenarios: a folder with a ``scenario.yaml`` and the data files it names.

This module holds the scenario model (:class:`Scenario` and its parts: :class:`Link`,
:class:`Decisions`, :class:`Target`, :class:`SolverSettings`, with the constants of the
format) and :func:`load_scenario`, which reads and checks everything in one pass.  Every
problem (a missing file, a duplicate id, a negative population, an invalid polygon, a
decision naming an unknown unit) is collected with its file, row or feature and column,
and all of them are raised together as :class:`planner.inputs.problems.InputError`.  The
format is documented in ``docs/scenario.md``.

The reading itself is done by :mod:`planner.inputs.scenario_reader` (the sections of
``scenario.yaml``), :mod:`planner.inputs.units` (the units table) and
:mod:`planner.inputs.geometry` (the boundaries).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from planner.inputs.plan import Plan
from planner.inputs.preset import Preset
from planner.inputs.problems import InputError, Problem, ProblemList
from planner.inputs.selection import Selection, Where, with_where
from planner.inputs.settings import check_scenario
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
TARGET_MODES = ("count", "reduction", "max_p", "min_count")
#: ``target.unreachable``: what a parent unit that cannot meet its count target gets.
UNREACHABLE_CHOICES = ("error", "relax")


@dataclass(frozen=True)
class Link:
    """An explicit connection between two units that share no border (ferry, bridge)."""

    a: str
    b: str
    kind: str = "link"
    note: str = ""


@dataclass(frozen=True)
class MergeWithin:
    """The scenario's own ``merge_within`` (:mod:`planner.inputs.merge_within`), over the preset's.

    ``level`` is the parent level no new unit may cross (a column of the units); when it is mapped, ``by`` is the
    parent level mapped to it (old province -> new province).  ``source`` says where it is set, for findings.
    """

    level: str
    by: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Decisions:
    """Planners' decisions the optimizer must respect; ``names`` fixes new units' names (old unit
    code -> the name of the new unit holding it, :mod:`planner.inputs.name_fixes`)."""

    merge_together: list[list[str]] = field(default_factory=list)
    keep_apart: list[list[str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fixed_seats: list[str] = field(default_factory=list)
    max_members: int | None = None
    names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """How many new units the plan should have.

    ``mode`` is ``count`` (exactly ``count``, or per parent unit in ``by_parent``),
    ``reduction`` (a cut between ``reduction_min`` and ``reduction_max``), ``max_p``
    (as many units as the standards allow) or ``min_count`` (as few as the limits allow).
    ``unreachable`` is ``error`` (a parent unit that cannot meet its count stops the plan) or
    ``relax`` (it gets the nearest count it can meet, with a warning naming it).
    """

    mode: str = "reduction"
    count: int | None = None
    reduction_min: float | None = None
    reduction_max: float | None = None
    by_parent: dict[str, int] = field(default_factory=dict)
    unreachable: str = "error"


@dataclass(frozen=True)
class SolverSettings:
    """Settings of the optimizer (the CLI may override them).

    ``solves`` is the effort (neighbourhood solves in all; None: the optimizer's default, two per old unit), which with
    ``seed`` and ``workers`` decides the plan; ``time_limit_s`` is only an emergency stop.
    """

    time_limit_s: float = 3600.0
    seed: int = 0
    workers: int = 2
    solves: int | None = None


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
        Unit code -> shapely polygon in lon/lat (WGS84: taken from the boundary file's CRS or
        ``boundaries.crs``), repaired where needed.
    tolerance_m, min_shared_border_m, contiguity
        When two units are neighbours (:class:`planner.inputs.boundaries.Contiguity`):
        ``contiguity`` is ``rook`` (a shared line) or ``queen`` (a point contact is enough).
    selection : Selection
        The region picked out of the units table (``units.where``, ``--where``) and the units it
        leaves out (:mod:`planner.inputs.selection`); empty when every unit is kept.
    parts : pandas.DataFrame or None
        When the units are dissolved from a finer table (``units.dissolve``,
        :mod:`planner.inputs.dissolve`): one row per part, indexed by part code, with ``name``,
        ``unit`` (its unit's code), ``population``, ``area_km2``, ``lon`` and ``lat`` (its point);
        the units' ``lon``/``lat`` are then the population-weighted points of their parts.  None otherwise.
    merge_within : MergeWithin or None
        The scenario's own ``merge_within`` (a parent level, maybe mapped from another), which replaces the
        preset's; None when the preset's holds.
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
    contiguity: str = "rook"
    selection: Selection = field(default_factory=Selection)
    parts: pd.DataFrame | None = None
    merge_within: MergeWithin | None = None

    @property
    def merge_level(self) -> str | None:
        """The parent level inside which merges stay (the scenario's, else the preset's), if the data has it."""
        level = self.merge_within.level if self.merge_within is not None else self.preset.merge_within
        return level if level in self.parent_levels else None

    @property
    def merge_source(self) -> str:
        """Where the merge level is set, for findings (``preset merge_within: province``)."""
        if self.merge_within is not None:
            return self.merge_within.source
        return f"preset merge_within: {self.preset.merge_within}"

    def by_parent_counts(self) -> tuple[str | None, dict[str, int], dict[str, list[str]]]:
        """``target.by_parent`` by parent of the merge level, with the level and the keys each count sums.

        When the scenario's ``merge_within`` maps a level (old provinces to new ones) and the counts name that
        level's parents, each new parent's count is the sum of its old parents' (a new parent one of whose old
        parents has no count is left out); else the counts are as written, by the merge level (else the coarsest
        parent level).
        """
        level = self.merge_level or (self.parent_levels[-1] if self.parent_levels else None)
        counts = dict(self.target.by_parent)
        by = self.merge_within.by if self.merge_within is not None else None
        if not (by and level and counts and set(counts) <= set(self.units[by].astype(str))):
            return level, counts, {parent: [parent] for parent in counts}
        summed: dict[str, list[str]] = {}
        for old, new in sorted(set(zip(self.units[by].astype(str), self.units[level].astype(str)))):
            summed.setdefault(new, []).append(old)
        complete = {new: olds for new, olds in summed.items() if all(old in counts for old in olds)}
        return level, {new: sum(counts[o] for o in olds) for new, olds in complete.items()}, complete

    def units_without_data(self) -> list[str]:
        """Codes of units lacking population, area or geometry (reported, not fatal)."""
        lacking = self.units["population"].isna() | self.units["area_km2"].isna()
        codes = set(self.units.index[lacking])
        codes |= {c for c in self.units.index if c not in self.geometries
                  and pd.isna(self.units.at[c, "lon"])}
        return sorted(codes)


def find_scenario_file(path: str | Path) -> Path:
    """The ``scenario.yaml`` of a folder, or the file itself.

    Parameters
    ----------
    path : str or pathlib.Path
        A folder (its ``scenario.yaml`` is meant) or a file (meant as it is).

    Returns
    -------
    pathlib.Path
        The YAML file, which need not exist: :func:`load_scenario` says so when it does not.
    """
    path = Path(path)
    return path / SCENARIO_FILE if path.is_dir() else path


def load_scenario(path: str | Path, changes: dict[str, Any] | None = None, *, where: Where | None = None) -> Scenario:
    """Read and validate a scenario folder (or its YAML file).

    Parameters
    ----------
    path : str or pathlib.Path
        A scenario folder or the path of a scenario YAML file.
    where : dict, optional
        Conditions of the command line (``--where``, :func:`planner.inputs.selection.parse_where_options`)
        over the file's ``units.where``: only the units they keep are read.
    changes : dict, optional
        Top-level keys of ``scenario.yaml`` set over the file's (``{"preset": "vn-2026"}``), read
        as if the file said so.

    Returns
    -------
    Scenario
        The validated scenario; its ``warnings`` list what is worth a look.

    Raises
    ------
    InputError
        With every problem found, when any is an error.

    Examples
    --------
    >>> scenario = load_scenario("scenarios/demo")  # from the repository root
    >>> len(scenario.units)
    300
    """
    # The reader builds the model defined here, so it is imported when it is needed.
    from planner.inputs.scenario_reader import ScenarioReader

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
    document = with_where(document, where)
    document = check_scenario({**document, **(changes or {})}, problems, label)
    reader = ScenarioReader(file.parent, label, document, problems)
    scenario = reader.read()
    problems.raise_if_errors()
    assert scenario is not None
    return scenario


def _read_yaml(file: Path, label: str, problems: ProblemList) -> dict[str, Any] | None:
    """The parsed scenario document, or None (with a problem) when it is not UTF-8 or not a mapping."""
    try:
        text = file.read_text("utf-8")
    except UnicodeDecodeError:
        problems.error(label, "", "", "the scenario file is not UTF-8 text")
        return None
    return parse_mapping(text, label, "a scenario (name, units, preset, ...)", problems)
