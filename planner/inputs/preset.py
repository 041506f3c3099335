"""Dated policy presets: the legal standards a new unit is measured against.

A preset is a YAML data file (see ``planner/presets/`` and ``docs/presets.md``).  This
module finds it, merges a scenario's overrides into it and checks its shape; the rules
themselves are applied by :mod:`planner.rules.standards`.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from planner.inputs.problems import ProblemList
from planner.inputs.settings import check_preset
from planner.inputs.yamlio import parse_mapping
from planner.rules.naming import NamingRule, check_naming
from planner.rules.reductions import Factor, Reduction, parse_factors, parse_reductions

ATTRIBUTES = ("population", "area_km2")
#: Kind rules of a preset's ``merged_kind`` (:func:`planner.rules.standards.merged_kind`).
KIND_RULES = ("fixed", "population_majority", "any_ward")
#: What a preset's ``unarranged`` rule does with a new unit that is one old unit left as it was.
UNARRANGED_RULES = ("judged", "exempt")


@dataclass(frozen=True)
class Criterion:
    """A minimum that one attribute of a new unit must reach."""

    attribute: str
    minimum: float


@dataclass(frozen=True)
class StandardRule:
    """The standard for new units of one kind (and optionally terrain and context)."""

    id: str
    kind: str
    terrains: tuple[str, ...] | None
    contexts: tuple[str, ...] | None
    criteria: tuple[Criterion, ...]
    source: str
    alternative_to: str | None = None

    def matches(self, kind: str, terrain: str, context: str) -> bool:
        """Whether this rule applies to a unit of that kind, terrain and context."""
        return (
            self.kind == kind
            and (self.terrains is None or terrain in self.terrains)
            and (self.contexts is None or context in self.contexts)
        )


@dataclass(frozen=True)
class Preset:
    """A policy preset after overrides, ready to apply.

    ``data`` keeps the whole merged document (for keys other modules read, such as
    staffing or agency templates); the typed fields are the ones the standards use.
    ``reductions`` are the special-factor reductions that apply (:mod:`planner.rules.reductions`);
    a scenario without their factor columns leaves them in ``skipped_reductions`` (as
    ``id (source)``).
    """

    id: str
    title: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    sources: dict[str, str]
    input_kinds: tuple[str, ...]
    output_kinds: tuple[str, ...]
    standards: tuple[StandardRule, ...]
    data: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    factors: dict[str, Factor] = field(repr=False, compare=False, default_factory=dict)
    reductions: tuple[Reduction, ...] = ()
    skipped_reductions: tuple[str, ...] = ()

    @property
    def merge_within(self) -> str | None:
        return self.data.get("merge_within")

    @property
    def waiver(self) -> dict[str, Any]:
        return self.data.get("waiver") or {"enabled": False}

    @property
    def merged_kind(self) -> dict[str, Any]:
        return self.data.get("merged_kind") or {"rule": "fixed", "kind": self.output_kinds[0]}

    @property
    def waiver_enabled(self) -> bool:
        """Whether the preset has a waiver (reports and summaries speak of it only then)."""
        return bool(self.waiver.get("enabled"))

    @property
    def unarranged(self) -> str:
        """What the preset does with a new unit that is one old unit left as it was: ``judged`` or ``exempt``."""
        raw = self.data.get("unarranged")
        rule = raw.get("rule") if isinstance(raw, dict) else raw
        return str(rule or "judged")

    @property
    def exempts_unarranged(self) -> bool:
        """Whether units left as they were are ``unchanged``, not judged (reports speak of them only then)."""
        return self.unarranged == "exempt"

    @property
    def has_terrain_rule(self) -> bool:
        """Whether terrain matters: a test of ``merged_terrain`` or a standard for some terrains only."""
        return bool(self.merged_terrain.get("tests")) or any(rule.terrains for rule in self.standards)

    @property
    def merged_terrain(self) -> dict[str, Any]:
        return self.data.get("merged_terrain") or {"rule": "area_share", "tests": [],
                                                   "otherwise": "other"}

    @property
    def unknown_terrain(self) -> str:
        return (self.data.get("unknown_terrain") or {}).get("treat_as", "other")

    @property
    def default_context(self) -> str:
        return self.data.get("default_context") or "other"

    @property
    def naming(self) -> NamingRule:
        """The rule that names new units (:mod:`planner.rules.naming`)."""
        return NamingRule.from_data(self.data.get("naming"))

    @property
    def target(self) -> dict[str, Any]:
        return self.data.get("target") or {}

    @property
    def access_max_km(self) -> float | None:
        value = (self.data.get("access") or {}).get("max_km")
        return float(value) if value is not None else None

    def source_text(self, reference: str) -> str:
        """Expand a source reference such as ``"R76 Art. 5"`` (or several, ``"; "``-separated)
        with the documents' titles."""
        parts = []
        for part in reference.split("; "):
            key, _, rest = part.partition(" ")
            parts.append(f"{self.sources[key]}{(' ' + rest) if rest else ''}" if key in self.sources else part)
        return "; ".join(parts)

    def source_keys(self, reference: str) -> list[str]:
        """The source keys a reference cites (the first word of each ``"; "``-separated part)."""
        return [part.partition(" ")[0] for part in reference.split("; ") if part]


def available_presets() -> list[str]:
    """The ids of the presets shipped with planner.

    Examples
    --------
    >>> "vn-2025" in available_presets()
    True
    """
    folder = resources.files("planner") / "presets"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_preset(
    name: str,
    problems: ProblemList,
    *,
    base_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
    file: str = "scenario.yaml",
) -> Preset | None:
    """Load a shipped preset by id, or a custom preset file by path, and apply overrides.

    Parameters
    ----------
    name : str
        A shipped preset id (``vn-2025``) or a path to a YAML file (relative to ``base_dir``).
    problems : ProblemList
        Where problems are recorded; None is returned when the preset cannot be used.
    base_dir : Path, optional
        The scenario folder, against which a relative path is resolved.
    overrides : dict, optional
        Keys merged into the preset (mappings merge, other values replace).
    file : str
        The file that named the preset, for messages.
    """
    document = _read_document(name, problems, base_dir, file, seen=())
    if document is None:
        return None
    if overrides:
        document = deep_merge(document, overrides)
    return _parse(document, problems, file)


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge ``extra`` into a copy of ``base``: mappings merge recursively, the rest replaces.

    Examples
    --------
    >>> deep_merge({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}})
    {'a': {'b': 1, 'c': 3}}
    """
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _read_document(
    name: str, problems: ProblemList, base_dir: Path | None, file: str, seen: tuple[str, ...]
) -> dict[str, Any] | None:
    shipped = available_presets()
    looks_like_path = name.endswith((".yaml", ".yml")) or "/" in name
    if not looks_like_path:
        if name not in shipped:
            problems.error(file, "key preset", "preset",
                           f"unknown preset '{name}': expected one of {', '.join(shipped)} "
                           "or a path to a preset file ending in .yaml")
            return None
        text = (resources.files("planner") / "presets" / f"{name}.yaml").read_text("utf-8")
        label = f"preset {name}"
    else:
        path = (base_dir / name) if base_dir else Path(name)
        if not path.exists():
            problems.error(file, "key preset", "preset", f"preset file not found: {path}")
            return None
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            problems.error(name, "", "", "the preset file is not UTF-8 text")
            return None
        label = name
    document = parse_mapping(text, label, "a preset", problems)
    if document is None:
        return None
    parent = document.pop("extends", None)
    if parent:
        if parent in seen:
            problems.error(label, "key extends", "extends", f"presets extend each other in a loop: {parent}")
            return None
        base = _read_document(str(parent), problems, base_dir, label, seen + (name,))
        if base is None:
            return None
        document = deep_merge(base, document)
    return document


def _parse(document: dict[str, Any], problems: ProblemList, file: str) -> Preset | None:
    label = f"preset {document.get('id', '?')}"
    before = len(problems.errors)
    document = check_preset(document, problems, label)
    kinds = document.get("kinds") or {}
    input_kinds = tuple(kinds.get("input") or ())
    output_kinds = tuple(kinds.get("output") or ())
    if not output_kinds:
        problems.error(label, "key kinds.output", "kinds", "expected a list of the kinds a new unit may take")
    rules = []
    for i, raw in enumerate(document.get("standards") or []):
        rule = _parse_rule(raw, i, label, problems)
        if rule:
            rules.append(rule)
    sources = document.get("sources") or {}
    for rule in rules:
        for key in [part.partition(" ")[0] for part in rule.source.split("; ") if part]:
            if key not in sources:
                problems.error(label, f"standard {rule.id}", "source",
                               f"cites '{key}', which is not a key of 'sources' ({', '.join(map(str, sources))})")
    _check_rule_names(document, label, problems)
    factors = parse_factors(document.get("factors"), label, problems)
    reductions = parse_reductions(document.get("reductions"), factors, sources, label, problems)
    check_naming(document.get("naming"), label, tuple(dict.fromkeys(output_kinds + input_kinds)), problems)
    ids = [r.id for r in rules]
    for rule in rules:
        if rule.alternative_to and rule.alternative_to not in ids:
            problems.error(label, f"standard {rule.id}", "alternative_to",
                           f"names an unknown rule '{rule.alternative_to}'")
    if len(problems.errors) > before:
        return None
    return Preset(
        id=str(document.get("id", "custom")),
        title=str(document.get("title", "")),
        valid_from=_date(document.get("valid_from")),
        valid_until=_date(document.get("valid_until")),
        sources={str(k): str(v) for k, v in (document.get("sources") or {}).items()},
        input_kinds=input_kinds,
        output_kinds=output_kinds,
        standards=tuple(rules),
        data=document,
        factors=factors,
        reductions=reductions,
    )


def _check_rule_names(document: dict[str, Any], label: str, problems: ProblemList) -> None:
    """Report a ``merged_kind.rule`` or ``unarranged.rule`` planner does not know."""
    kind_rule = (document.get("merged_kind") or {}).get("rule", "fixed")
    if kind_rule not in KIND_RULES:
        problems.error(label, "key merged_kind.rule", "rule",
                       f"unknown kind rule '{kind_rule}': expected one of {', '.join(KIND_RULES)}")
    raw = document.get("unarranged")
    unarranged = raw.get("rule", "judged") if isinstance(raw, dict) else (raw or "judged")
    if unarranged not in UNARRANGED_RULES:
        problems.error(label, "key unarranged.rule", "rule",
                       f"unknown rule '{unarranged}' for units left as they were: expected one of "
                       f"{', '.join(UNARRANGED_RULES)}")


def _parse_rule(raw: Any, i: int, label: str, problems: ProblemList) -> StandardRule | None:
    where = f"standards[{i}]"
    if not isinstance(raw, dict) or "kind" not in raw:
        problems.error(label, where, "kind", "a standard needs at least a 'kind'")
        return None
    criteria = []
    for raw_criterion in raw.get("criteria") or []:
        attribute = raw_criterion.get("attribute") if isinstance(raw_criterion, dict) else None
        minimum = raw_criterion.get("min") if isinstance(raw_criterion, dict) else None
        if attribute not in ATTRIBUTES or not isinstance(minimum, (int, float)):
            problems.error(label, where, "criteria",
                           f"expected {{attribute: one of {', '.join(ATTRIBUTES)}, min: number}}, "
                           f"got {raw_criterion!r}")
            continue
        criteria.append(Criterion(attribute, float(minimum)))
    if not raw.get("source"):
        problems.error(label, where, "source", "every standard must name its legal source")
    return StandardRule(
        id=str(raw.get("id") or f"rule-{i + 1}"),
        kind=str(raw["kind"]),
        terrains=_tuple(raw.get("terrain")),
        contexts=_tuple(raw.get("context")),
        criteria=tuple(criteria),
        source=str(raw.get("source", "")),
        alternative_to=raw.get("alternative_to"),
    )


def _tuple(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return (str(value),)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
