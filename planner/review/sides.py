"""The two sides of a comparison: plans read from plan files, output folders, scenario folders
or git revisions of any of these (``planner diff``'s inputs).

A :class:`Side` holds a plan with what is known about it: the figures (with the gap stage's
counts), the scenario's settings and data, the names of the old units and each new unit's
verdict.  :func:`load_sides`
reads the two sides named on the command line; :func:`load_side` and
:func:`load_revision_side` read one.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from planner import pipeline
from planner.evaluation.evaluate import Evaluation
from planner.inputs.plan import Plan, read_plan
from planner.inputs.problems import InputError, ProblemList
from planner.inputs.scenario import DEFAULT_KIND_VALUES, SCENARIO_FILE, Scenario
from planner.inputs.selection import Where
from planner.inputs.tables import read_table
from planner.inputs.yamlio import load_yaml
from planner.review import gitio
from planner.review.parents import Parents, parents_of
from planner.review.scenario_data import DataTable, data_files, read_scenario_data, tables_of_record
from planner.transition.agency_tables import TABLES as AGENCY_TABLES
from planner.transition.gap_outputs import gap_summary

#: Paths in scenario.yaml that name files, relative to the scenario folder.
PATH_KEYS = (("units", "path"), ("boundaries", "path"), ("baseline", "path"), ("links", "path"))


@dataclass
class Side:
    """One side of a comparison: a plan with what is known about it.

    Attributes
    ----------
    label : str
        The input as the user named it (``HEAD~1:scenarios/x``, ``out/plan.csv``).
    source : str
        ``plan`` (a plan file), ``output`` (an output folder), ``scenario`` (a scenario's baseline).
    plan : Plan or None
        The plan (seats, names and kinds filled in when it was evaluated); None when a
        scenario has no baseline.
    summary : dict or None
        The figures (summary.json, or the evaluation of the plan with the gap stage's counts).
    rules : dict or None
        Every section of the scenario's scenario.yaml as written (an output folder's
        ``scenario_settings``).
    data : dict or None
        The scenario's data files and preset rules (:mod:`planner.review.scenario_data`): rows
        for a scenario, digests for an output folder.
    unit_names : dict
        Old unit code -> name.
    scenario : Scenario or None
        The scenario the side was read with (for polygons of the map).
    facts : dict
        New unit id -> ``{"standard": meets|waived|below, "contiguous": bool}`` when the plan
        was evaluated (or the output folder has units.csv).
    parents : Parents or None
        The old units' parents of the scenario's merge level (:mod:`planner.review.parents`), when the side has
        a scenario with one.
    """

    label: str
    source: str
    plan: Plan | None = None
    summary: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None
    unit_names: dict[str, str] = field(default_factory=dict)
    scenario: Scenario | None = field(default=None, repr=False)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    data: dict[str, DataTable] | None = None
    notes: list[str] = field(default_factory=list)
    parents: Parents | None = None


def load_side(spec: str | Path, *, scenario: Scenario | None = None, graph: nx.Graph | None = None,
              label: str | None = None, where: Where | None = None) -> Side:
    """Read one side: a plan file, an output folder, a scenario folder or a scenario YAML file.

    Parameters
    ----------
    spec : str or Path
        The path given by the user.
    scenario, graph : optional
        A scenario (``--scenario``) to check and evaluate plan files with.
    label : str, optional
        How to name the side in the output (default: ``spec``).
    where : dict, optional
        The region of a scenario side's units table (``--where``, over its ``units.where``).

    Raises
    ------
    InputError
        When the path does not exist or cannot be read.
    """
    path = Path(spec)
    label = label or str(spec)
    if path.is_dir() and (path / SCENARIO_FILE).exists() or path.suffix in (".yaml", ".yml"):
        return _scenario_side(path, label, where=where)
    if path.is_dir() and (path / "plan.csv").exists():
        return _output_side(path, label, scenario, graph)
    if path.is_file():
        return _plan_side(path, label, scenario, graph, summary=None)
    problems = ProblemList()
    problems.error(str(spec), "", "", "not found: expected a plan file, an output folder (plan.csv, "
                   "summary.json), a scenario folder, or three arguments REV REV PATH for git revisions")
    raise InputError(problems.items)


def _scenario_side(path: Path, label: str, rules: dict[str, Any] | None = None, where: Where | None = None) -> Side:
    """A scenario (the region of ``where``): its settings (``rules`` when given, else as read), its data and its
    evaluated baseline."""
    scenario, graph = pipeline.open_scenario(path, where=where)
    side = Side(label, "scenario", rules=rules if rules is not None else rule_sections(scenario.document),
                unit_names=_names(scenario), scenario=scenario, parents=parents_of(scenario))
    side.data = read_scenario_data(scenario.document, scenario.folder, scenario.preset.data)
    for section, spec, _ in data_files(side.rules or {}):
        if section in side.data:
            side.data[section].path = str(spec["path"])
    if scenario.baseline is None:
        return side
    evaluation = pipeline.evaluate(scenario, graph, scenario.baseline)
    side.plan, side.facts = evaluation.plan, _facts(evaluation)
    side.summary = _summary_with_gaps(scenario, graph, evaluation, side)
    return side


def _summary_with_gaps(scenario: Scenario, graph: nx.Graph, evaluation: Evaluation, side: Side) -> dict[str, Any]:
    """The evaluation's figures with the gap stage's (gaps, gaps by severity, transition and staffing)."""
    summary = dict(evaluation.summary)
    try:
        summary.update(gap_summary(pipeline.find_plan_gaps(scenario, graph, evaluation)))
    except InputError as exc:
        side.notes.append(f"gaps not counted on {side.label}: " + "; ".join(map(str, exc.errors)))
    return summary


def _facts(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """New unit -> its standard status and contiguity, from an evaluation."""
    return {str(row["new_unit"]): {"standard": str(row["status"]), "contiguous": bool(row["contiguous"])}
            for row in evaluation.units.to_dict("records")}


def _facts_of_units_file(path: Path) -> dict[str, dict[str, Any]]:
    """The same facts from an output folder's units.csv (empty when absent or unreadable)."""
    if not path.exists():
        return {}
    table = read_table(path, str(path), ProblemList())
    if table is None or not {"new_unit", "status", "contiguous"} <= set(table.frame.columns):
        return {}
    return {new: {"standard": status, "contiguous": contiguous == "true"}
            for new, status, contiguous in zip(table.frame["new_unit"], table.frame["status"],
                                               table.frame["contiguous"])}


def _output_side(path: Path, label: str, scenario: Scenario | None, graph: nx.Graph | None) -> Side:
    """An output folder: its plan.csv, with the figures of summary.json and the facts of units.csv."""
    summary = None
    if (path / "summary.json").exists():
        problems = ProblemList()
        try:
            summary = json.loads((path / "summary.json").read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            problems.error(str(path / "summary.json"), "", "", f"not valid JSON: {exc}")
            raise InputError(problems.items) from exc
    side = _plan_side(path / "plan.csv", label, scenario, graph, summary=summary)
    side.source = "output"
    if summary is not None and isinstance(summary.get("scenario_settings"), dict):
        side.rules = summary["scenario_settings"]
        side.data = tables_of_record(summary.get("scenario_inputs"))
    side.facts = _facts_of_units_file(path / "units.csv") or side.facts
    return side


def _plan_side(path: Path, label: str, scenario: Scenario | None, graph: nx.Graph | None,
               summary: dict[str, Any] | None) -> Side:
    """A plan file: evaluated with the scenario when one is given, else read as it is."""
    if scenario is None or graph is None:
        problems = ProblemList()
        plan = read_plan(path, str(path), problems, kind_values=DEFAULT_KIND_VALUES)
        problems.raise_if_errors()
        assert plan is not None
        return Side(label, "plan", plan=plan, summary=summary, unit_names=unit_names_of_file(path),
                    scenario=scenario, parents=parents_of(scenario))
    evaluation = pipeline.evaluate(scenario, graph, pipeline.load_plan(scenario, path))
    side = Side(label, "plan", plan=evaluation.plan, summary=summary, unit_names=_names(scenario),
                scenario=scenario, facts=_facts(evaluation), parents=parents_of(scenario))
    if summary is None:
        side.summary = _summary_with_gaps(scenario, graph, evaluation, side)
    return side


def load_revision_side(revision: str, path: str | Path, temp: Path, *, scenario: Scenario | None = None,
                       graph: nx.Graph | None = None, where: Where | None = None) -> Side:
    """Read ``path`` (a scenario, output folder or plan file) as it was at a git revision.

    The tracked files are written under ``temp`` at their repository paths.  Files that a
    scenario names but the revision does not track (data beside the repository, ignored
    files) are read from the working tree.
    """
    root = gitio.toplevel(Path(path).absolute())
    relative = gitio.repo_relative(Path(path), root)
    commit = gitio.resolve_revision(revision, root)
    copy = gitio.materialize(commit, relative, root, temp)
    label = f"{revision}:{relative or '.'}"
    yaml_file = copy / SCENARIO_FILE if copy.is_dir() else copy
    if yaml_file.suffix in (".yaml", ".yml") and yaml_file.exists():
        rules = _point_at_working_tree(yaml_file, commit, root, temp)
        return _scenario_side(yaml_file, label, rules, where)
    return load_side(copy, scenario=scenario, graph=graph, label=label, where=where)


def _point_at_working_tree(yaml_file: Path, commit: str, root: Path, temp: Path) -> dict[str, Any]:
    """Make the copied scenario's file paths work; returns its rules as written.

    A path the revision tracks is copied beside the scenario (same relative place); any
    other path is rewritten to the file of the working tree.
    """
    document = _read_document(yaml_file)
    if not isinstance(document, dict):
        return {}
    rules = rule_sections(document)
    folder = yaml_file.parent.relative_to(temp)
    changed = False
    for holder, key in _path_entries(document):
        value = holder[key]
        target = os.path.normpath(folder / value).replace(os.sep, "/")
        inside = not target.startswith("..") and not os.path.isabs(value)
        if inside and gitio.object_type(commit, target, root) == "blob":
            gitio.copy_file(commit, target, root, temp)
        else:
            holder[key] = os.path.normpath(root / folder / value)
            changed = True
    if changed:
        from ruamel.yaml import YAML

        with yaml_file.open("w", encoding="utf-8") as stream:
            YAML(typ="safe", pure=True).dump(document, stream)
    return rules


def _read_document(yaml_file: Path) -> Any:
    """The parsed scenario YAML; any YAML or decoding error becomes one plain problem."""
    try:
        return load_yaml(yaml_file.read_text("utf-8"))
    except Exception as exc:  # noqa: BLE001 - any YAML or decoding error becomes the same message
        problems = ProblemList()
        problems.error(str(yaml_file), "", "", f"not valid YAML: {exc}")
        raise InputError(problems.items) from exc


def _path_entries(document: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The ``(mapping, key)`` places of a scenario document that hold a file path.

    The sections of :data:`PATH_KEYS`, the tables of ``agencies``, and ``preset`` when it
    names a file rather than a bundled preset.
    """
    entries = []
    for section, key in PATH_KEYS + ((None, "preset"),):
        holder = document if section is None else document.get(section)
        if not isinstance(holder, dict) or not isinstance(holder.get(key), str):
            continue
        value = holder[key]
        if section is None and not (value.endswith((".yaml", ".yml")) or "/" in value):
            continue
        entries.append((holder, key))
    agencies = document.get("agencies")
    for name in AGENCY_TABLES if isinstance(agencies, dict) else ():
        spec = agencies.get(name)
        if isinstance(spec, str):
            entries.append((agencies, name))
        elif isinstance(spec, dict) and isinstance(spec.get("path"), str):
            entries.append((spec, "path"))
    return entries


def rule_sections(document: dict[str, Any]) -> dict[str, Any]:
    """Every section of a scenario document, compared key by key (units, boundaries, preset and
    overrides, links, decisions, target, access, solver, baseline, agencies and any other), a copy."""
    return copy.deepcopy(dict(document))


def unit_names_of_file(path: Path, unit_column: str = "unit") -> dict[str, str]:
    """Old unit code -> name from a plan file's ``unit_name`` column (a mapping's ``old_name`` for
    ``old_code``); empty when absent."""
    table = read_table(path, str(path), ProblemList())
    prefix = unit_column.rsplit("_", 1)[0] if "_" in unit_column else unit_column
    if table is None or unit_column not in table.frame.columns:
        return {}
    for name_column in (f"{prefix}_name", "unit_name"):
        if name_column in table.frame.columns:
            return dict(zip(table.frame[unit_column], table.frame[name_column]))
    return {}


def _names(scenario: Scenario) -> dict[str, str]:
    """Old unit code -> name of a scenario."""
    return {str(code): str(name) for code, name in scenario.units["name"].items()}


def load_sides(inputs: list[str], *, scenario_path: str | None = None,
               where: Where | None = None) -> tuple[Side, Side]:
    """The two sides named on the command line.

    Parameters
    ----------
    inputs : list of str
        ``A B`` (two paths), ``REV PATH`` (a revision against the working tree) or
        ``REV_A REV_B PATH``.
    scenario_path : str, optional
        A scenario (``--scenario``) to check and evaluate plan files with.
    where : dict, optional
        The region of every scenario's units table (``--where``, :mod:`planner.inputs.selection`).

    Returns
    -------
    tuple of Side
        Sides A and B.

    Raises
    ------
    InputError
        On a wrong number of inputs, unreadable inputs or a failing git command.
    """
    scenario, graph = pipeline.open_scenario(scenario_path, where=where) if scenario_path else (None, None)
    known = {"scenario": scenario, "graph": graph, "where": where}
    if len(inputs) == 2 and not Path(inputs[0]).exists() and Path(inputs[1]).exists():
        revision, path = inputs
        a = _revision_side(revision, path, "a", **known)
        return a, load_side(path, label=f"{path} (working tree)", **known)
    if len(inputs) == 2:
        first, second = inputs
        return load_side(first, **known), load_side(second, **known)
    if len(inputs) == 3:
        first, second, path = inputs
        return _revision_side(first, path, "a", **known), _revision_side(second, path, "b", **known)
    problems = ProblemList()
    problems.error("planner diff", "", "", f"expected A B or REV_A REV_B PATH, got {len(inputs)} argument(s)")
    raise InputError(problems.items)


def _revision_side(revision: str, path: str, name: str, scenario: Scenario | None, graph: nx.Graph | None,
                   where: Where | None) -> Side:
    """:func:`load_revision_side` through a temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="planner-diff-") as temp:
        return load_revision_side(revision, path, Path(temp) / name, scenario=scenario, graph=graph, where=where)
