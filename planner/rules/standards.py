"""The rules that decide what a new unit is and whether it meets its standard.

Evaluation and the optimizer both call these functions (the optimizer through their
linear forms in :mod:`planner.optimize`), so a plan is never judged by one rule and
built by another:

- :func:`merged_kind`: the kind of a new unit (``population_majority``: the rule's kind when
  units of the counted kinds hold most of the people; ``any_ward``: when any constituent is
  of a counted kind);
- :func:`merged_terrain`: its terrain (mountainous when two thirds of the area is);
- :func:`merged_context`: its context for ward standards (taken from its parents);
- :func:`judge`: meets the standard, meets it only by the waiver, or is below it; a unit
  left as it was (:func:`is_unarranged`) is ``unchanged`` when the preset's ``unarranged``
  rule is ``exempt`` (the standards apply only to units the arrangement forms).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache

from planner.inputs.preset import Preset, StandardRule

MEETS = "meets"
WAIVED = "waived"
BELOW = "below"
UNCHANGED = "unchanged"
STATUSES = (MEETS, WAIVED, BELOW, UNCHANGED)


@dataclass(frozen=True)
class Shortfall:
    """A criterion a unit fails: its value, the minimum and the gap."""

    attribute: str
    value: float
    minimum: float

    @property
    def short(self) -> float:
        return self.minimum - self.value

    def describe(self) -> str:
        unit = " km2" if self.attribute == "area_km2" else ""
        name = "area" if self.attribute == "area_km2" else self.attribute
        return (f"{name} {_fmt(self.value)}{unit} < {_fmt(self.minimum)}{unit} "
                f"(short {_fmt(self.short)}{unit})")


@dataclass(frozen=True)
class Verdict:
    """How a new unit stands against its standard.

    ``status`` is ``meets``, ``waived`` (below the standard but formed from enough old
    units for the waiver), ``below`` or ``unchanged`` (an old unit left as it was, which an
    ``exempt`` preset does not judge); ``failing`` lists the failing criteria of the rule
    that applies (empty when it meets it); ``judged`` is the status the standards give
    (for an unchanged unit, what it would be if it were judged; else ``status``);
    ``reductions`` names the special-factor reductions that lowered its minimums.
    """

    status: str
    rule_id: str | None
    failing: tuple[Shortfall, ...] = ()
    judged: str = ""
    reductions: tuple[str, ...] = ()

    @property
    def as_judged(self) -> str:
        """The status the standards give, also for an unchanged unit."""
        return self.judged or self.status

    def describe(self) -> str:
        return "; ".join(s.describe() for s in self.failing)


def parse_share(value: object) -> float:
    """Read a share written as a number or a fraction such as ``"2/3"``.

    Examples
    --------
    >>> round(parse_share("2/3"), 4)
    0.6667
    """
    if isinstance(value, str) and "/" in value:
        return _fraction(value)
    return float(value)


@lru_cache(maxsize=1024)
def _fraction(text: str) -> float:
    """A fraction such as ``"2/3"`` as a float (cached: the standards read the same few shares)."""
    return float(Fraction(text.replace(" ", "")))


def merged_kind(preset: Preset, kinds: Sequence[str], populations: Sequence[float]) -> str:
    """The kind of a new unit formed from units of ``kinds`` with ``populations``.

    Under ``population_majority`` the new unit takes the rule's kind when units of the
    counted kinds hold more than half of its population, else ``otherwise``; under
    ``any_ward`` it takes the rule's kind when any constituent is of a counted kind (a
    merger with a ward is a ward), else ``otherwise``; a kind listed in ``keep`` (special
    zones) is kept when any constituent has it.

    Examples
    --------
    The rule of the vn-2025 preset (a stand-in for the preset holds just the rule):

    >>> from types import SimpleNamespace
    >>> vn = SimpleNamespace(merged_kind={"rule": "population_majority", "kind": "ward", "counts": ["ward"],
    ...                                   "otherwise": "commune", "keep": ["special_zone"]})
    >>> merged_kind(vn, ["ward", "commune"], [30000, 10000])
    'ward'
    >>> merged_kind(vn, ["township", "commune"], [9000, 8000])
    'commune'
    >>> merged_kind(vn, ["ward", "commune", "commune"], [9000, 8000, 7000])
    'commune'

    Under ``any_ward`` the same merger with a ward is a ward, whatever the populations:

    >>> vn.merged_kind["rule"] = "any_ward"
    >>> merged_kind(vn, ["ward", "commune", "commune"], [9000, 8000, 7000])
    'ward'
    >>> merged_kind(vn, ["township", "commune"], [9000, 8000])
    'commune'
    """
    rule = preset.merged_kind
    for kind in rule.get("keep") or ():
        if kind in kinds:
            return kind
    if rule.get("rule") == "fixed":
        return str(rule["kind"])
    counted = set(rule.get("counts") or [rule["kind"]])
    if rule.get("rule") == "any_ward":
        return str(rule["kind"] if any(k in counted for k in kinds) else rule.get("otherwise", rule["kind"]))
    total = float(sum(populations))
    share = sum(p for k, p in zip(kinds, populations) if k in counted)
    if total > 0 and share * 2 > total:
        return str(rule["kind"])
    if total <= 0 and kinds and all(k in counted for k in kinds):
        return str(rule["kind"])
    return str(rule.get("otherwise", rule["kind"]))


def terrain_tests(preset: Preset) -> list[tuple[str, float]]:
    """The merged-terrain tests as ``(terrain, minimum area share)``, in order."""
    rule = preset.merged_terrain
    return [(str(t["terrain"]), parse_share(t["min_share"])) for t in rule.get("tests") or []]


def merged_terrain(preset: Preset, terrains: Sequence[str], areas: Sequence[float]) -> str:
    """The terrain of a new unit: the first test whose terrain covers enough of its area.

    Constituents of unknown terrain (empty string) count as the preset's default.

    Examples
    --------
    Mountainous when two thirds of the area is, as in the vn-2025 preset:

    >>> from planner.inputs.preset import load_preset
    >>> from planner.inputs.problems import ProblemList
    >>> vn = load_preset("vn-2025", ProblemList())
    >>> vn.merged_terrain["tests"]
    [{'terrain': 'mountainous', 'min_share': '2/3'}]
    >>> merged_terrain(vn, ["mountainous", "other"], [70, 30])
    'mountainous'
    >>> merged_terrain(vn, ["mountainous", "other"], [60, 40])
    'other'
    """
    terrains = [t or preset.unknown_terrain for t in terrains]
    total = float(sum(areas))
    for terrain, min_share in terrain_tests(preset):
        covered = sum(a for t, a in zip(terrains, areas) if t == terrain)
        if total > 0 and covered >= min_share * total - 1e-9:
            return terrain
    if len(set(terrains)) == 1 and total <= 0:
        return terrains[0]
    return str(preset.merged_terrain.get("otherwise", "other"))


def merged_context(preset: Preset, contexts: Sequence[str], populations: Sequence[float]) -> str:
    """The context of a new unit: that of its most populous constituent."""
    if not contexts:
        return preset.default_context
    best = max(range(len(contexts)), key=lambda i: (populations[i], -i))
    return contexts[best] or preset.default_context


def applicable_rules(preset: Preset, kind: str, terrain: str, context: str) -> list[StandardRule]:
    """The rule that applies (first match) followed by its alternatives that also match."""
    primary = next((r for r in preset.standards
                    if r.alternative_to is None and r.matches(kind, terrain, context)), None)
    if primary is None:
        return []
    alternatives = [r for r in preset.standards
                    if r.alternative_to == primary.id and r.matches(kind, terrain, context)]
    return [primary, *alternatives]


#: Old units a new unit must be formed from for the waiver, when the preset does not say.
DEFAULT_WAIVER_MIN_CONSTITUENTS = 3


def waiver_min_constituents(preset: Preset) -> int | None:
    """How many old units a new unit needs for the preset's waiver; None when it has no waiver.

    Examples
    --------
    >>> from planner.inputs.preset import load_preset
    >>> from planner.inputs.problems import ProblemList
    >>> waiver_min_constituents(load_preset("vn-2025", ProblemList()))
    3
    """
    waiver = preset.waiver
    if not waiver.get("enabled"):
        return None
    return int(waiver.get("min_constituents", DEFAULT_WAIVER_MIN_CONSTITUENTS))


def waiver_applies(preset: Preset, kind: str, n_constituents: int) -> bool:
    """Whether a unit of that kind formed from ``n_constituents`` old units is waived."""
    minimum = waiver_min_constituents(preset)
    if minimum is None:
        return False
    applies_to = preset.waiver.get("applies_to")
    if applies_to is not None and kind not in applies_to:
        return False
    return n_constituents >= minimum


def unarranged_rule(preset: Preset) -> str:
    """The preset's ``unarranged`` rule: ``judged`` (the default) or ``exempt``.

    Examples
    --------
    >>> from planner.inputs.preset import load_preset
    >>> from planner.inputs.problems import ProblemList
    >>> unarranged_rule(load_preset("vn-2025", ProblemList())), unarranged_rule(load_preset("generic", ProblemList()))
    ('exempt', 'judged')
    """
    return preset.unarranged


def is_unarranged(old_kinds: Sequence[str], kind: str, whole: bool = True) -> bool:
    """Whether a new unit is an old unit left as it was: one whole old unit, of the same kind.

    ``whole`` is False when a split takes part of the old unit elsewhere or brings part of
    another into it.  A township that becomes a commune alone is arranged (its kind changes).

    Examples
    --------
    >>> is_unarranged(["commune"], "commune"), is_unarranged(["township"], "commune")
    (True, False)
    >>> is_unarranged(["commune", "commune"], "commune"), is_unarranged(["commune"], "commune", whole=False)
    (False, False)
    """
    return whole and len(old_kinds) == 1 and old_kinds[0] == kind


def judge(
    preset: Preset,
    *,
    kind: str,
    terrain: str,
    context: str,
    population: float,
    area_km2: float,
    n_constituents: int,
    unarranged: bool = False,
    reductions: Mapping[str, tuple[float, str]] | None = None,
) -> Verdict:
    """Judge a new unit against the standard of its kind, terrain and context.

    A unit meets the standard when it meets every criterion of the applicable rule, or
    of one of its alternatives; else it is ``waived`` when the waiver covers it, else
    ``below``.  A kind with no rule has no numeric standard and meets it.  An
    ``unarranged`` unit (:func:`is_unarranged`) is ``unchanged`` when the preset exempts
    such units (:func:`unarranged_rule`); its verdict keeps the judged status in ``judged``.
    ``reductions`` (attribute -> (share, reduction id), from
    :func:`planner.rules.reductions.reduction_shares`) lower the minimums of the special-factor
    reductions that apply; the verdict names them in ``reductions``.

    Examples
    --------
    >>> from planner.inputs.preset import load_preset
    >>> from planner.inputs.problems import ProblemList
    >>> vn = load_preset("vn-2025", ProblemList())
    >>> v = judge(vn, kind="commune", terrain="other", context="other",
    ...           population=12000, area_km2=40, n_constituents=2)
    >>> v.status, v.describe()
    ('below', 'population 12,000 < 16,000 (short 4,000)')
    >>> v = judge(vn, kind="commune", terrain="other", context="other",
    ...           population=12000, area_km2=40, n_constituents=1, unarranged=True)
    >>> v.status, v.as_judged
    ('unchanged', 'below')

    A special-factor reduction to half of the population minimum:

    >>> v = judge(vn, kind="commune", terrain="other", context="other", population=12000, area_km2=40,
    ...           n_constituents=2, reductions={"population": (0.5, "coastal")})
    >>> v.status, v.reductions
    ('meets', ('coastal',))
    """
    shares = {attribute: share for attribute, (share, _) in (reductions or {}).items()}
    verdict = _judge_standard(preset, kind, terrain, context, population, area_km2, n_constituents, shares)
    if verdict.rule_id is not None and reductions:
        verdict = replace(verdict, reductions=tuple(sorted({rid for _, rid in reductions.values()})))
    if unarranged and unarranged_rule(preset) == "exempt":
        return replace(verdict, status=UNCHANGED, judged=verdict.status)
    return verdict


def _judge_standard(preset: Preset, kind: str, terrain: str, context: str, population: float,
                    area_km2: float, n_constituents: int, shares: Mapping[str, float]) -> Verdict:
    rules = applicable_rules(preset, kind, terrain, context)
    if not rules:
        return Verdict(MEETS, None)
    values = {"population": population, "area_km2": area_km2}
    first_failing: tuple[Shortfall, ...] = ()
    for i, rule in enumerate(rules):
        minimums = [(c.attribute, c.minimum * shares.get(c.attribute, 1.0)) for c in rule.criteria]
        failing = tuple(Shortfall(attribute, values[attribute], minimum)
                        for attribute, minimum in minimums if values[attribute] < minimum - 1e-9)
        if not failing:
            return Verdict(MEETS, rule.id)
        if i == 0:
            first_failing = failing
    status = WAIVED if waiver_applies(preset, kind, n_constituents) else BELOW
    return Verdict(status, rules[0].id, first_failing)


def _fmt(value: float) -> str:
    if abs(value - round(value)) < 1e-9 and abs(value) >= 100:
        return f"{round(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
