"""Comparing two sides (:mod:`planner.review.sides`): new units, moved old units, the scenario's
settings and data, and the figures.

New units are matched between the two sides by id when the two share at least one member,
then, among the rest, by the largest number of shared members (greedy, ties by the share of
members in common and then by id), so a new unit whose id was renamed is reported as
changed, not as dissolved and created.  An old unit has *moved* when the new unit it
belongs to in B is not the match of the new unit it belonged to in A.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from planner.inputs.plan import Plan
from planner.review.figures import FIGURES, GAPS_KEY, FigureChange, compare_figures, flatten_counts
from planner.review.parents import ParentRow, parent_rows
from planner.review.scenario_data import DataChange, compare_data

if TYPE_CHECKING:  # the sides are read through planner.pipeline, which uses match_units of this module
    from planner.review.sides import Side

__all__ = ["FIGURES", "GAPS_KEY", "Comparison", "FigureChange", "Move", "RuleChange", "UnitChange", "canonical_text",
           "compare", "compare_figures", "compare_plans", "compare_rules", "flatten_counts", "match_units",
           "proper_name_of"]

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
    data: list[DataChange] = field(default_factory=list)
    #: The parent level (:mod:`planner.review.parents`: the new provinces of a commune plan) and its units.
    parent_level: str = ""
    parents: list[ParentRow] = field(default_factory=list)

    @property
    def seat_changes(self) -> list[UnitChange]:
        """The changed new units whose seat changed."""
        return [u for u in self.units if "seat" in u.changes]

    def counts(self) -> dict[str, int]:
        """How many new units were created, dissolved, changed, and how many old units moved.

        ``renamed`` counts new units whose proper name changed (not only the kind word),
        ``new_ids`` those matched under another id.
        """
        status = Counter(u.status for u in self.units)
        return {
            "new_units_a": len(self.a.plan.groups()) if self.a.plan else 0,
            "new_units_b": len(self.b.plan.groups()) if self.b.plan else 0,
            "created": status["created"],
            "dissolved": status["dissolved"],
            "changed": status["changed"],
            "unchanged": self.unchanged,
            "renamed": sum(1 for u in self.units if "name" in u.changes),
            "new_ids": sum(1 for u in self.units if "id" in u.changes),
            "moved": len(self.moves),
            "seat_changes": len(self.seat_changes),
            "rule_changes": len(self.rules),
            "data_changes": len(self.data),
            "only_in_a": len(self.only_in_a),
            "only_in_b": len(self.only_in_b),
        }

    @property
    def differs(self) -> bool:
        """True when plans, settings, data or figures differ."""
        return bool(self.units or self.moves or self.rules or self.data or self.only_in_a or self.only_in_b
                    or any(f.differs for f in self.figures))

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
            "data": [d.to_json() for d in self.data],
            "figures": {f.key: {"a": f.a, "b": f.b, "delta": f.delta} for f in self.figures},
            "parents": {"level": self.parent_level, "rows": [asdict(p) for p in self.parents]},
            "notes": self.notes,
        }


def compare(a: Side, b: Side) -> Comparison:
    """Compare two sides: new units, moved old units, the scenario's settings and data, and figures.

    Each change reads from A to B: a value of A, then B's; a row or section only B has is
    *added*, one only A has *removed*.
    """
    units: list[UnitChange] = []
    moves: list[Move] = []
    unchanged = 0
    only_a: list[str] = []
    only_b: list[str] = []
    notes = [*a.notes, *b.notes]
    if a.plan is not None and b.plan is not None:
        units, unchanged, moves = compare_plans(a.plan, b.plan, {**a.unit_names, **b.unit_names},
                                                (a.facts, b.facts), proper_name_of(a, b))
        only_a = sorted(a.plan.assignment.keys() - b.plan.assignment.keys())
        only_b = sorted(b.plan.assignment.keys() - a.plan.assignment.keys())
    else:
        notes.append(f"no plan on side {'A' if a.plan is None else 'B'}: the scenario has no baseline")
    rules = compare_rules(a.rules, b.rules) if a.rules is not None and b.rules is not None else []
    if (a.rules is None) != (b.rules is None):
        notes.append("settings compared only when both sides record them (scenarios, output folders)")
    data = compare_data(a.data, b.data) if a.data is not None and b.data is not None else []
    if (a.data is None) != (b.data is None):
        notes.append("data files compared only when both sides record them (scenarios, output folders)")
    if a.summary is None or b.summary is None:
        notes.append("figures need both plans evaluated: pass --scenario DIR to evaluate plan files")
    figures = compare_figures(a.summary or {}, b.summary or {}) if a.summary or b.summary else []
    parents_a, parents_b = a.parents or b.parents, b.parents or a.parents
    level, rows = "", []
    if a.plan is not None and b.plan is not None and parents_a is not None and parents_b is not None:
        level, rows = parents_b.level, parent_rows((a.plan, parents_a), (b.plan, parents_b), units, moves)
    return Comparison(a, b, units, unchanged, moves, only_a, only_b, rules, figures, notes, data, level, rows)


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
                  proper: Callable[[str], str] = str) -> tuple[list[UnitChange], int, list[Move]]:
    """New units created, dissolved and changed (sorted by B id, then A id), the count of
    unchanged ones, and the old units that moved (sorted by code).

    ``facts`` (new unit -> standard status and contiguity, for A and B) adds the change of
    each unit's verdict where both sides were evaluated.  A unit is renamed when the
    ``proper`` names (the names without their kind word, :func:`proper_name_of`) differ.
    """
    groups_a, groups_b = a.groups(), b.groups()
    matches = match_units(groups_a, groups_b)
    matched_b = set(matches.values())
    changes, unchanged = [], 0
    for first, second in matches.items():
        change = _unit_change("changed", a, b, first, second, groups_a[first], groups_b[second], facts, proper)
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
                 facts: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]],
                 proper: Callable[[str], str] = str) -> UnitChange:
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
                  ("name", proper(change.name_a), proper(change.name_b)), ("kind", change.kind_a, change.kind_b),
                  ("seat", change.seat_a, change.seat_b), ("standard", change.standard_a, change.standard_b))
        change.changes = [what for what, x, y in checks if x and y and x != y]
        if None not in (change.contiguous_a, change.contiguous_b) and change.contiguous_a != change.contiguous_b:
            change.changes.append("contiguous")
    return change


def proper_name_of(*sides: Side) -> Callable[[str], str]:
    """A name without its kind word, by the naming rule of the sides' preset (:mod:`planner.rules.naming`).

    The rule is that of a side's scenario, else of the preset its summary names, else of every
    shipped preset (the first whose kind words the name carries).
    """
    from planner.inputs.preset import available_presets, load_preset
    from planner.inputs.problems import ProblemList

    rules = [side.scenario.preset.naming for side in sides if side.scenario is not None]
    if not rules:
        shipped = available_presets()
        named = [str((side.summary or {}).get("preset", "")) for side in sides]
        ids = [i for i in dict.fromkeys(named) if i in shipped] or shipped
        rules = [preset.naming for preset in (load_preset(i, ProblemList()) for i in ids) if preset is not None]

    def proper(name: str) -> str:
        for rule in rules:
            kind, text = rule.split(name)
            if kind is not None:
                return text
        return " ".join(str(name).split())

    return proper


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
