"""Semantic comparison of two plans, output folders, scenarios or git revisions of a scenario.

A line diff of a plan CSV says which rows changed; :func:`compare` says what a reviewer
needs to know instead:

- new units created, dissolved or changed (members, seat, name, kind, id);
- old units that moved from one new unit to another;
- changed rules and decisions of the scenario (preset, overrides, target, decisions, access,
  solver, links);
- the change of every headline figure (units, standards, access, and gap counts).

New units are matched between the two sides by id when the two share at least one member,
then, among the rest, by the largest number of shared members (greedy, ties by the share of
members in common and then by id), so a new unit whose id was renamed is reported as
changed, not as dissolved and created.  An old unit has *moved* when the new unit it
belongs to in B is not the match of the new unit it belonged to in A.

The format of the text and JSON output is documented in ``docs/diff.md``.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from planner import pipeline
from planner.evaluation.evaluate import HEADLINE_FIGURES, Evaluation
from planner.inputs.plan import Plan, read_plan
from planner.inputs.problems import InputError, ProblemList
from planner.inputs.scenario import DEFAULT_KIND_VALUES, SCENARIO_FILE, Scenario
from planner.inputs.tables import read_table
from planner.inputs.yamlio import load_yaml
from planner.review import gitio

#: Sections of scenario.yaml that hold rules and decisions (compared key by key).
RULE_KEYS = ("effective_date", "preset", "preset_overrides", "target", "decisions", "access", "solver",
             "links", "removed_adjacencies")
#: Headline figures of summary.json compared between the two sides, with their labels.
FIGURES = HEADLINE_FIGURES + (
    ("units_beyond_threshold", "old units beyond the access limit"),
    ("population_beyond_threshold", "people beyond the access limit"),
    ("kind_differs_from_rule", "kind differs from the rule"),
    ("polsby_popper_mean", "compactness, mean Polsby-Popper"),
)
#: summary.json keys starting with this prefix and holding a mapping of counts (``gaps``,
#: ``gaps_by_severity``; possibly nested) are compared count by count.
GAPS_KEY = "gaps"
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
        The headline figures (summary.json, or the evaluation of the plan).
    rules : dict or None
        The scenario's rule sections (:data:`RULE_KEYS`) as written in scenario.yaml.
    unit_names : dict
        Old unit code -> name.
    scenario : Scenario or None
        The scenario the side was read with (for polygons of the map).
    facts : dict
        New unit id -> ``{"standard": meets|waived|below, "contiguous": bool}`` when the plan
        was evaluated (or the output folder has units.csv).
    """

    label: str
    source: str
    plan: Plan | None = None
    summary: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None
    unit_names: dict[str, str] = field(default_factory=dict)
    scenario: Scenario | None = field(default=None, repr=False)
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class UnitChange:
    """A new unit created, dissolved or changed between A and B (``a``/``b`` are its ids)."""

    status: str
    a: str | None
    b: str | None
    name_a: str = ""
    name_b: str = ""
    kind_a: str = ""
    kind_b: str = ""
    seat_a: str = ""
    seat_b: str = ""
    members_a: list[str] = field(default_factory=list)
    members_b: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    standard_a: str = ""
    standard_b: str = ""
    contiguous_a: bool | None = None
    contiguous_b: bool | None = None
    changes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Move:
    """An old unit that left the match of its new unit: from ``a`` (in A) to ``b`` (in B)."""

    unit: str
    name: str
    a: str | None
    b: str | None


@dataclass(frozen=True)
class RuleChange:
    """A changed key of the scenario's rules; lists report the items added and removed."""

    key: str
    a: Any
    b: Any
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureChange:
    """A headline figure on both sides and its change (None where a side lacks it)."""

    key: str
    label: str
    a: Any
    b: Any
    delta: float | int | None


@dataclass
class Comparison:
    """Everything :func:`compare` found; :meth:`to_json` gives the ``--json`` document."""

    a: Side
    b: Side
    units: list[UnitChange]
    unchanged: int
    moves: list[Move]
    only_in_a: list[str]
    only_in_b: list[str]
    rules: list[RuleChange]
    figures: list[FigureChange]
    notes: list[str] = field(default_factory=list)

    @property
    def seat_changes(self) -> list[UnitChange]:
        return [u for u in self.units if "seat" in u.changes]

    def counts(self) -> dict[str, int]:
        """How many new units were created, dissolved, changed, and how many old units moved."""
        status = Counter(u.status for u in self.units)
        return {
            "new_units_a": len(self.a.plan.groups()) if self.a.plan else 0,
            "new_units_b": len(self.b.plan.groups()) if self.b.plan else 0,
            "created": status["created"],
            "dissolved": status["dissolved"],
            "changed": status["changed"],
            "unchanged": self.unchanged,
            "renamed": sum(1 for u in self.units if "id" in u.changes),
            "moved": len(self.moves),
            "seat_changes": len(self.seat_changes),
            "rule_changes": len(self.rules),
            "only_in_a": len(self.only_in_a),
            "only_in_b": len(self.only_in_b),
        }

    @property
    def differs(self) -> bool:
        """True when plans, rules or figures differ."""
        return bool(self.units or self.moves or self.rules or self.only_in_a or self.only_in_b
                    or any(f.delta not in (0, None) or (f.a is None) != (f.b is None) for f in self.figures))

    def to_json(self) -> dict[str, Any]:
        """The comparison as plain data (sorted, stable), for ``--json``."""
        return {
            "a": {"label": self.a.label, "source": self.a.source},
            "b": {"label": self.b.label, "source": self.b.source},
            "counts": self.counts(),
            "units": [asdict(u) for u in self.units],
            "moved": [asdict(m) for m in self.moves],
            "seat_changes": [{"a": u.a, "b": u.b, "seat_a": u.seat_a, "seat_b": u.seat_b}
                             for u in self.seat_changes],
            "only_in_a": self.only_in_a,
            "only_in_b": self.only_in_b,
            "rules": [{"key": r.key, "a": _plain(r.a), "b": _plain(r.b), "added": list(r.added),
                       "removed": list(r.removed)} for r in self.rules],
            "figures": {f.key: {"a": f.a, "b": f.b, "delta": f.delta} for f in self.figures},
            "notes": self.notes,
        }


# -- reading the two sides ---------------------------------------------------------------------

def load_side(spec: str | Path, *, scenario: Scenario | None = None, graph: nx.Graph | None = None,
              label: str | None = None) -> Side:
    """Read one side: a plan file, an output folder, a scenario folder or a scenario YAML file.

    Parameters
    ----------
    spec : str or Path
        The path given by the user.
    scenario, graph : optional
        A scenario (``--scenario``) to check and evaluate plan files with.
    label : str, optional
        How to name the side in the output (default: ``spec``).

    Raises
    ------
    InputError
        When the path does not exist or cannot be read.
    """
    path = Path(spec)
    label = label or str(spec)
    if path.is_dir() and (path / SCENARIO_FILE).exists() or path.suffix in (".yaml", ".yml"):
        return _scenario_side(path, label)
    if path.is_dir() and (path / "plan.csv").exists():
        return _output_side(path, label, scenario, graph)
    if path.is_file():
        return _plan_side(path, label, scenario, graph, summary=None)
    problems = ProblemList()
    problems.error(str(spec), "", "", "not found: expected a plan file, an output folder (plan.csv, "
                   "summary.json), a scenario folder, or three arguments REV REV PATH for git revisions")
    raise InputError(problems.items)


def _scenario_side(path: Path, label: str, rules: dict[str, Any] | None = None) -> Side:
    scenario, graph = pipeline.open_scenario(path)
    side = Side(label, "scenario", rules=rules if rules is not None else rule_sections(scenario.document),
                unit_names=_names(scenario), scenario=scenario)
    if scenario.baseline is None:
        return side
    evaluation = pipeline.evaluate(scenario, graph, scenario.baseline)
    side.plan, side.summary, side.facts = evaluation.plan, evaluation.summary, _facts(evaluation)
    return side


def _facts(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
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
    side.facts = _facts_of_units_file(path / "units.csv") or side.facts
    return side


def _plan_side(path: Path, label: str, scenario: Scenario | None, graph: nx.Graph | None,
               summary: dict[str, Any] | None) -> Side:
    if scenario is not None and graph is not None:
        plan = pipeline.load_plan(scenario, path)
        evaluation: Evaluation | None = pipeline.evaluate(scenario, graph, plan)
        names = _names(scenario)
    else:
        problems = ProblemList()
        plan = read_plan(path, str(path), problems, kind_values=DEFAULT_KIND_VALUES)
        problems.raise_if_errors()
        evaluation, names = None, unit_names_of_file(path)
    assert plan is not None
    facts = {}
    if evaluation is not None:
        plan, facts = evaluation.plan, _facts(evaluation)
        summary = summary if summary is not None else evaluation.summary
    return Side(label, "plan", plan=plan, summary=summary, unit_names=names, scenario=scenario, facts=facts)


def load_revision_side(revision: str, path: str | Path, temp: Path, *, scenario: Scenario | None = None,
                       graph: nx.Graph | None = None) -> Side:
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
        return _scenario_side(yaml_file, label, rules)
    return load_side(copy, scenario=scenario, graph=graph, label=label)


def _point_at_working_tree(yaml_file: Path, commit: str, root: Path, temp: Path) -> dict[str, Any]:
    """Make the copied scenario's file paths work; returns its rules as written.

    A path the revision tracks is copied beside the scenario (same relative place); any
    other path is rewritten to the file of the working tree.
    """
    problems = ProblemList()
    try:
        document = load_yaml(yaml_file.read_text("utf-8"))
    except Exception as exc:  # noqa: BLE001 - any YAML or decoding error becomes the same message
        problems.error(str(yaml_file), "", "", f"not valid YAML: {exc}")
        raise InputError(problems.items) from exc
    if not isinstance(document, dict):
        return {}
    rules = rule_sections(document)
    folder = yaml_file.parent.relative_to(temp)
    changed = False
    for section, key in PATH_KEYS + ((None, "preset"),):
        holder = document if section is None else document.get(section)
        if not isinstance(holder, dict) or not isinstance(holder.get(key), str):
            continue
        value = holder[key]
        if section is None and not (value.endswith((".yaml", ".yml")) or "/" in value):
            continue
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


def rule_sections(document: dict[str, Any]) -> dict[str, Any]:
    """The rule and decision sections of a scenario document (absent ones left out)."""
    return {key: document[key] for key in RULE_KEYS if key in document}


def unit_names_of_file(path: Path) -> dict[str, str]:
    """Old unit code -> name from a plan file's ``unit_name`` column (empty when absent)."""
    table = read_table(path, str(path), ProblemList())
    if table is None or not {"unit", "unit_name"} <= set(table.frame.columns):
        return {}
    return dict(zip(table.frame["unit"], table.frame["unit_name"]))


def _names(scenario: Scenario) -> dict[str, str]:
    return {str(code): str(name) for code, name in scenario.units["name"].items()}


def load_sides(inputs: list[str], *, scenario_path: str | None = None) -> tuple[Side, Side]:
    """The two sides named on the command line: ``A B``, ``REV PATH`` (a revision against the
    working tree) or ``REV_A REV_B PATH``.

    Raises
    ------
    InputError
        On a wrong number of inputs, unreadable inputs or a failing git command.
    """
    scenario, graph = pipeline.open_scenario(scenario_path) if scenario_path else (None, None)
    if len(inputs) == 2 and not Path(inputs[0]).exists() and Path(inputs[1]).exists():
        first, path = inputs
        with tempfile.TemporaryDirectory(prefix="planner-diff-") as temp:
            a = load_revision_side(first, path, Path(temp) / "a", scenario=scenario, graph=graph)
        return a, load_side(path, scenario=scenario, graph=graph, label=f"{path} (working tree)")
    if len(inputs) == 2:
        return tuple(load_side(spec, scenario=scenario, graph=graph) for spec in inputs)  # type: ignore[return-value]
    if len(inputs) == 3:
        first, second, path = inputs
        with tempfile.TemporaryDirectory(prefix="planner-diff-") as temp:
            a = load_revision_side(first, path, Path(temp) / "a", scenario=scenario, graph=graph)
            b = load_revision_side(second, path, Path(temp) / "b", scenario=scenario, graph=graph)
        return a, b
    problems = ProblemList()
    problems.error("planner diff", "", "", f"expected A B or REV_A REV_B PATH, got {len(inputs)} argument(s)")
    raise InputError(problems.items)


# -- comparing ---------------------------------------------------------------------------------

def compare(a: Side, b: Side) -> Comparison:
    """Compare two sides: new units, moved old units, rules and figures."""
    units: list[UnitChange] = []
    moves: list[Move] = []
    unchanged = 0
    only_a: list[str] = []
    only_b: list[str] = []
    notes = []
    if a.plan is not None and b.plan is not None:
        units, unchanged, moves = compare_plans(a.plan, b.plan, {**a.unit_names, **b.unit_names},
                                                (a.facts, b.facts))
        only_a = sorted(a.plan.assignment.keys() - b.plan.assignment.keys())
        only_b = sorted(b.plan.assignment.keys() - a.plan.assignment.keys())
    else:
        notes.append(f"no plan on side {'A' if a.plan is None else 'B'}: the scenario has no baseline")
    rules = compare_rules(a.rules, b.rules) if a.rules is not None and b.rules is not None else []
    if (a.rules is None) != (b.rules is None):
        notes.append("rules compared only when both sides are scenarios")
    if a.summary is None or b.summary is None:
        notes.append("figures need both plans evaluated: pass --scenario DIR to evaluate plan files")
    figures = compare_figures(a.summary or {}, b.summary or {}) if a.summary or b.summary else []
    return Comparison(a, b, units, unchanged, moves, only_a, only_b, rules, figures, notes)


def match_units(groups_a: dict[str, list[str]], groups_b: dict[str, list[str]]) -> dict[str, str]:
    """Match new units of A to new units of B: same id with a member in common, then most overlap.

    Examples
    --------
    >>> match_units({"X": ["1", "2"], "Y": ["3"]}, {"Z": ["1", "2", "3"]})
    {'X': 'Z'}
    """
    in_b = {unit: new for new, members in groups_b.items() for unit in members}
    overlap: Counter[tuple[str, str]] = Counter(
        (new, in_b[unit]) for new, members in groups_a.items() for unit in members if unit in in_b)
    matches = {new: new for new in groups_a if overlap[(new, new)] > 0}
    taken = set(matches.values())

    def rank(pair: tuple[str, str]) -> tuple[float, float, str, str]:
        shared = overlap[pair]
        union = len(set(groups_a[pair[0]]) | set(groups_b[pair[1]]))
        return (-shared, -shared / union, pair[0], pair[1])

    for first, second in sorted(overlap, key=rank):
        if first not in matches and second not in taken:
            matches[first] = second
            taken.add(second)
    return dict(sorted(matches.items()))


def compare_plans(a: Plan, b: Plan, names: dict[str, str],
                  facts: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]] = ({}, {}),
                  ) -> tuple[list[UnitChange], int, list[Move]]:
    """New units created, dissolved and changed (sorted by B id, then A id), the count of
    unchanged ones, and the old units that moved (sorted by code).

    ``facts`` (new unit -> standard status and contiguity, for A and B) adds the change of
    each unit's verdict where both sides were evaluated.
    """
    groups_a, groups_b = a.groups(), b.groups()
    matches = match_units(groups_a, groups_b)
    matched_b = set(matches.values())
    changes, unchanged = [], 0
    for first, second in matches.items():
        change = _unit_change("changed", a, b, first, second, groups_a[first], groups_b[second], facts)
        if change.changes:
            changes.append(change)
        else:
            unchanged += 1
    changes += [_unit_change("dissolved", a, b, new, None, members, [], facts)
                for new, members in groups_a.items() if new not in matches]
    changes += [_unit_change("created", a, b, None, new, [], members, facts)
                for new, members in groups_b.items() if new not in matched_b]
    changes.sort(key=lambda c: (c.b is None, c.b or "", c.a or ""))
    moves = [Move(unit, names.get(unit, ""), a.assignment[unit], b.assignment[unit])
             for unit in sorted(a.assignment.keys() & b.assignment.keys())
             if matches.get(a.assignment[unit]) != b.assignment[unit]]
    return changes, unchanged, moves


def _unit_change(status: str, a: Plan, b: Plan, first: str | None, second: str | None,
                 members_a: list[str], members_b: list[str],
                 facts: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]) -> UnitChange:
    fact_a = facts[0].get(first, {}) if first else {}
    fact_b = facts[1].get(second, {}) if second else {}
    change = UnitChange(
        status, first, second,
        name_a=a.names.get(first, "") if first else "", name_b=b.names.get(second, "") if second else "",
        kind_a=a.kinds.get(first, "") if first else "", kind_b=b.kinds.get(second, "") if second else "",
        seat_a=a.seats.get(first, "") if first else "", seat_b=b.seats.get(second, "") if second else "",
        members_a=list(members_a), members_b=list(members_b),
        added=sorted(set(members_b) - set(members_a)) if first and second else [],
        removed=sorted(set(members_a) - set(members_b)) if first and second else [],
        standard_a=fact_a.get("standard", ""), standard_b=fact_b.get("standard", ""),
        contiguous_a=fact_a.get("contiguous"), contiguous_b=fact_b.get("contiguous"),
    )
    if first and second:
        checks = (("id", first, second), ("members", members_a, members_b),
                  ("name", change.name_a, change.name_b), ("kind", change.kind_a, change.kind_b),
                  ("seat", change.seat_a, change.seat_b), ("standard", change.standard_a, change.standard_b))
        change.changes = [what for what, x, y in checks if x and y and x != y]
        if None not in (change.contiguous_a, change.contiguous_b) and change.contiguous_a != change.contiguous_b:
            change.changes.append("contiguous")
    return change


def compare_rules(a: dict[str, Any], b: dict[str, Any]) -> list[RuleChange]:
    """Changed keys of two scenarios' rule sections, sorted by key path.

    Mappings are compared key by key; lists as sets of items (a decision's order does not
    matter); scalars by their text, so ``14755`` and ``'14755'`` are the same code.

    Examples
    --------
    >>> compare_rules({"target": {"count": 166}}, {"target": {"count": 160}})
    [RuleChange(key='target.count', a=166, b=160, added=(), removed=())]
    """
    changes: list[RuleChange] = []
    _compare_value("", a, b, changes)
    return sorted(changes, key=lambda c: c.key)


def _compare_value(key: str, a: Any, b: Any, changes: list[RuleChange]) -> None:
    for empty in ({}, []):
        if a is None and type(b) is type(empty):
            a = type(empty)()
        if b is None and type(a) is type(empty):
            b = type(empty)()
    if isinstance(a, dict) and isinstance(b, dict):
        for name in sorted(set(a) | set(b), key=str):
            path = f"{key}.{name}" if key else str(name)
            _compare_value(path, a.get(name), b.get(name), changes)
        return
    if isinstance(a, list) and isinstance(b, list):
        items_a, items_b = {canonical_text(x) for x in a}, {canonical_text(x) for x in b}
        if items_a != items_b:
            changes.append(RuleChange(key, a, b, tuple(sorted(items_b - items_a)),
                                      tuple(sorted(items_a - items_b))))
        return
    if canonical_text(a) != canonical_text(b):
        changes.append(RuleChange(key, a, b))


def canonical_text(value: Any) -> str:
    """Stable text of a YAML value: lists as sorted items (groups of codes are sets)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "[" + ", ".join(sorted(canonical_text(v) for v in value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {canonical_text(v)}" for k, v in sorted(value.items(), key=str)) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plain(value: Any) -> Any:
    """A YAML value as JSON-ready data (dates as text)."""
    return json.loads(json.dumps(value, default=str))


def compare_figures(a: dict[str, Any], b: dict[str, Any]) -> list[FigureChange]:
    """Each headline figure of both summaries and its change, then the gap counts."""
    figures = [FigureChange(key, label, a.get(key), b.get(key), _delta(a.get(key), b.get(key)))
               for key, label in FIGURES if key in a or key in b]
    for section in sorted(k for k in set(a) | set(b) if k.startswith(GAPS_KEY)
                          and isinstance(a.get(k, b.get(k)), dict)):
        counts_a, counts_b = flatten_counts(a.get(section)), flatten_counts(b.get(section))
        label = section.replace("_", " ")
        for key in sorted(set(counts_a) | set(counts_b)):
            first = counts_a.get(key, 0 if section in a else None)
            second = counts_b.get(key, 0 if section in b else None)
            figures.append(FigureChange(f"{section}.{key}", f"{label}: {key}", first, second,
                                        _delta(first, second)))
    return figures


def flatten_counts(value: Any, prefix: str = "") -> dict[str, float | int]:
    """Numbers of a nested mapping as ``{"a.b": n}`` (other values are left out).

    Examples
    --------
    >>> flatten_counts({"seal_missing": 3, "by_kind": {"agency": 2}, "note": "x"})
    {'by_kind.agency': 2, 'seal_missing': 3}
    """
    if not isinstance(value, dict):
        return {}
    flat: dict[str, float | int] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            flat.update(flatten_counts(item, f"{name}."))
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            flat[name] = item
    return dict(sorted(flat.items()))


def _delta(a: Any, b: Any) -> float | int | None:
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, numbers) or not isinstance(b, numbers):
        return None
    if isinstance(a, int) and isinstance(b, int):
        return b - a
    delta = float(b) - float(a)
    return round(delta, 3) if math.isfinite(delta) else None
