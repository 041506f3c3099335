"""Special-factor reductions: a lower minimum of one criterion for units with a special factor.

A preset's ``factors`` name optional columns of the units table (an ethnic-minority share, a
border flag, a region) and say how a new unit gets each from its old units: ``population_mean``
(a share, weighted by population), ``any`` or ``all`` (a flag or a text: the test holds when any,
or every, old unit passes it).  Its ``reductions`` lower the minimum of one ``attribute`` of the
standard that applies to a new unit of some kinds to ``share`` of it when every test of ``when``
holds and, if ``when_any`` is given, one of those; ``step`` lowers the share further as a factor
grows (``by`` for each further ``every``, never below ``floor``).  When a unit has several special
factors each criterion takes one reduction: the lowest share.

A reduction whose factor column the scenario lacks is skipped (:func:`active_reductions` says so
once); a ``when_any`` test whose column is missing is dropped, so the other tests still apply.
The evaluation (:func:`reduction_shares`) and the optimizer (its CP-SAT encoding in
:mod:`planner.optimize.encoder`, its bounds with :func:`floor_share`) read the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from planner.inputs.numbers import FALSE_WORDS, TRUE_WORDS, NumberFormat, cell_text, number_or_zero
from planner.inputs.problems import ProblemList

if TYPE_CHECKING:
    from planner.inputs.preset import Preset

#: Kinds of factor column and how a new unit may get each from its old units.
MERGES = {"share": ("population_mean",), "flag": ("any", "all"), "text": ("any", "all")}
#: Decimals a share is read to (the optimizer's exact arithmetic uses the same figures).
SHARE_DECIMALS = 4


@dataclass(frozen=True)
class Factor:
    """An optional column of the units table a reduction reads, and how a new unit gets it."""

    name: str
    type: str
    merge: str


@dataclass(frozen=True)
class Test:
    """One condition of a reduction: a factor's ``minimum`` or value (``equals``), or the new unit's terrain."""

    factor: str | None
    minimum: Fraction | None = None
    equals: Any = None
    terrains: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Step:
    """A share lowered by ``by`` for each further ``every`` of ``factor`` above its minimum, down to ``floor``."""

    factor: str
    every: Fraction
    by: Fraction
    floor: Fraction


@dataclass(frozen=True)
class Reduction:
    """A special-factor reduction of one criterion of the standards of some kinds."""

    id: str
    kinds: tuple[str, ...] | None
    attribute: str
    share: Fraction
    when: tuple[Test, ...]
    when_any: tuple[Test, ...]
    step: Step | None
    source: str

    def factors(self) -> set[str]:
        """The factor columns the reduction reads."""
        tests = self.when + self.when_any
        return {t.factor for t in tests if t.factor} | ({self.step.factor} if self.step else set())

    def required(self) -> set[str]:
        """The factor columns without which the reduction cannot apply (``when`` and ``step``)."""
        return {t.factor for t in self.when if t.factor} | ({self.step.factor} if self.step else set())

    def levels(self) -> list[tuple[Test | None, Fraction]]:
        """``(extra test, share)`` from the first share down: the step's minimum for each lower share.

        Examples
        --------
        >>> r = Reduction("em", None, "population", Fraction(1, 2), (Test("em", Fraction(3, 10)),), (),
        ...               Step("em", Fraction(1, 10), Fraction(1, 20), Fraction(1, 5)), "")
        >>> [(float(t.minimum) if t else None, float(s)) for t, s in r.levels()][:3]
        [(None, 0.5), (0.4, 0.45), (0.5, 0.4)]
        >>> float(r.levels()[-1][1]), len(r.levels())
        (0.2, 7)
        """
        levels: list[tuple[Test | None, Fraction]] = [(None, self.share)]
        step = self.step
        if step is None or step.every <= 0 or step.by <= 0:
            return levels
        base = max((t.minimum for t in self.when if t.factor == step.factor and t.minimum is not None),
                   default=Fraction(0))
        k = 1
        while self.share - (k - 1) * step.by > step.floor:
            levels.append((Test(step.factor, base + k * step.every), max(step.floor, self.share - k * step.by)))
            k += 1
        return levels

    def applies_to(self, kind: str, attribute: str) -> bool:
        """Whether the reduction lowers that attribute's minimum for new units of that kind."""
        return self.attribute == attribute and (self.kinds is None or kind in self.kinds)


def fraction(value: Any) -> Fraction:
    """A share or number written as ``0.3`` or ``"1/2"`` as an exact fraction.

    Examples
    --------
    >>> fraction("1/2"), fraction(0.05)
    (Fraction(1, 2), Fraction(1, 20))
    """
    if isinstance(value, str) and "/" in value:
        return Fraction(value.replace(" ", ""))
    return Fraction(str(value))


def parse_factors(raw: Any, label: str, problems: ProblemList) -> dict[str, Factor]:
    """The preset's ``factors``: column name -> :class:`Factor` (problems for unknown types and merges)."""
    factors: dict[str, Factor] = {}
    for name, spec in (raw or {}).items():
        spec = spec or {}
        kind, merge = str(spec.get("type", "")), str(spec.get("merge", ""))
        if kind not in MERGES:
            problems.error(label, f"key factors.{name}.type", "type",
                           f"unknown factor type '{kind}': expected one of {', '.join(MERGES)}")
            continue
        merge = merge or MERGES[kind][0]
        if merge not in MERGES[kind]:
            problems.error(label, f"key factors.{name}.merge", "merge",
                           f"a {kind} factor merges by one of {', '.join(MERGES[kind])}, not '{merge}'")
            continue
        factors[str(name)] = Factor(str(name), kind, merge)
    return factors


def parse_reductions(raw: Any, factors: Mapping[str, Factor], sources: Mapping[str, Any], label: str,
                     problems: ProblemList) -> tuple[Reduction, ...]:
    """The preset's ``reductions``, each test checked against ``factors`` and each source against ``sources``."""
    found = []
    for i, item in enumerate(raw or []):
        where = f"reductions[{i}]"
        before = len(problems.errors)
        tests = [_test(t, factors, f"{where}.when", label, problems) for t in item.get("when") or []]
        alternatives = [_test(t, factors, f"{where}.when_any", label, problems) for t in item.get("when_any") or []]
        step = _step(item.get("step"), factors, where, label, problems)
        if item.get("attribute") not in ("population", "area_km2") or "share" not in item:
            problems.error(label, where, "attribute", "a reduction needs an attribute (population or area_km2) "
                           "and the share of the minimum it leaves")
        if not item.get("source"):
            problems.error(label, where, "source", "every reduction must name its legal source")
        for key in [part.partition(" ")[0] for part in str(item.get("source", "")).split("; ") if part]:
            if key not in sources:
                problems.error(label, where, "source", f"cites '{key}', which is not a key of 'sources'")
        if len(problems.errors) > before:
            continue
        kinds = item.get("kind")
        found.append(Reduction(
            id=str(item.get("id") or f"reduction-{i + 1}"),
            kinds=None if kinds is None else tuple(str(k) for k in ([kinds] if isinstance(kinds, str) else kinds)),
            attribute=str(item["attribute"]), share=fraction(item["share"]),
            when=tuple(t for t in tests if t), when_any=tuple(t for t in alternatives if t), step=step,
            source=str(item["source"])))
    return tuple(found)


def _test(raw: Mapping[str, Any], factors: Mapping[str, Factor], where: str, label: str,
          problems: ProblemList) -> Test | None:
    if "terrain" in raw:
        terrain = raw["terrain"]
        return Test(None, terrains=tuple(str(t) for t in ([terrain] if isinstance(terrain, str) else terrain)))
    name = str(raw.get("factor", ""))
    factor = factors.get(name)
    if factor is None:
        problems.error(label, where, "factor", f"names '{name}', which is not a key of 'factors' "
                       f"({', '.join(factors) or 'none declared'})")
        return None
    if factor.type == "share":
        if "min" not in raw:
            problems.error(label, where, "min", f"a test of the share '{name}' needs a min")
            return None
        return Test(name, minimum=fraction(raw["min"]))
    if "equals" not in raw:
        problems.error(label, where, "equals", f"a test of the {factor.type} '{name}' needs 'equals'")
        return None
    equals = raw["equals"]
    if factor.type == "flag" and not isinstance(equals, bool):
        try:
            equals = read_factor_value(factor, equals)
        except ValueError as reason:
            problems.error(label, where, "equals", f"'{equals}': {reason}")
            return None
    return Test(name, equals=equals if factor.type == "flag" else str(equals))


def _step(raw: Any, factors: Mapping[str, Factor], where: str, label: str, problems: ProblemList) -> Step | None:
    if not raw:
        return None
    name = str(raw.get("factor", ""))
    if name not in factors or factors[name].type != "share" or not {"every", "by", "floor"} <= set(raw):
        problems.error(label, f"{where}.step", "step",
                       "expected {factor: a share of 'factors', every: share, by: share, floor: share}")
        return None
    return Step(name, fraction(raw["every"]), fraction(raw["by"]), fraction(raw["floor"]))


def read_factor_value(factor: Factor, raw: Any, marks: NumberFormat | None = None) -> Any:
    """One cell of a factor column: a share (NaN when empty), a flag or a text; ValueError when wrong.

    A cell is read as every table's cell is (:func:`~planner.inputs.numbers.cell_text`: a spreadsheet's 1.0 is
    ``1``), a share with the scenario's decimal and thousands marks (``marks``, default plain).

    Examples
    --------
    >>> read_factor_value(Factor("em", "share", "population_mean"), "0.35"), read_factor_value(
    ...     Factor("border", "flag", "any"), "yes")
    (0.35, True)
    >>> read_factor_value(Factor("em", "share", "population_mean"), "0,35", NumberFormat(decimal=","))
    0.35
    """
    text = cell_text(raw).strip()
    if factor.type == "share":
        if not text:
            return math.nan
        try:
            value = (marks or NumberFormat()).parse(text)
        except ValueError:
            raise ValueError("expected a share from 0 to 1 (30 % is 0.3)") from None
        if math.isnan(value):
            return math.nan
        if not 0.0 <= value <= 1.0:
            raise ValueError("expected a share from 0 to 1 (30 % is 0.3)")
        return round(value, SHARE_DECIMALS)
    if factor.type == "flag":
        if text.lower() in TRUE_WORDS or text.lower() in FALSE_WORDS:
            return text.lower() in TRUE_WORDS
        raise ValueError(f"expected true or false ({', '.join(TRUE_WORDS)} / {', '.join(w for w in FALSE_WORDS if w)}"
                         " or empty)")
    return text


def active_reductions(preset: Preset, columns: Sequence[str], problems: ProblemList, file: str) -> Preset:
    """The preset without the reductions whose factor columns the units table lacks, said once per column.

    A ``when_any`` test whose column is missing is dropped from the reduction; the reduction is
    skipped when a column of ``when`` or ``step`` is missing or no ``when_any`` test is left.
    The skipped ones are kept in ``Preset.skipped_reductions`` (for the report).
    """
    present = set(columns)
    kept, skipped = [], []
    for reduction in preset.reductions:
        alternatives = tuple(t for t in reduction.when_any if t.factor is None or t.factor in present)
        if reduction.required() <= present and (alternatives or not reduction.when_any):
            kept.append(replace(reduction, when_any=alternatives))
        else:
            skipped.append(reduction)
    missing = sorted({f for r in preset.reductions for f in r.factors()} - present)
    if missing:
        effects = [f"{r.id} ({r.source}) {'skipped' if r in skipped else 'without the tests of the missing columns'}"
                   for r in preset.reductions if r.factors() & set(missing)]
        problems.warn(file, "", ", ".join(missing),
                      f"not in the units table: special-factor reduction(s) {'; '.join(effects)} "
                      "(docs/presets.md, 'Special-factor reductions')")
    return replace(preset, reductions=tuple(kept),
                   skipped_reductions=tuple(f"{r.id} ({r.source})" for r in skipped))


def test_holds(test: Test, preset: Preset, terrain: str, values: Mapping[str, Sequence[Any]],
               populations: Sequence[float]) -> bool:
    """Whether one test holds for a new unit of that terrain whose old units have these factor values."""
    if test.factor is None:
        return terrain in (test.terrains or ())
    factor = preset.factors[test.factor]
    column = values.get(test.factor, ())
    if factor.merge == "population_mean":  # an empty share counts as 0: no reduction for it
        shares = [number_or_zero(v) for v in column]
        total = float(sum(populations))
        held = sum(s * p for s, p in zip(shares, populations))
        return total > 0 and held >= float(test.minimum or 0) * total - 1e-9 * total
    passed = [v == test.equals for v in column]
    return bool(passed) and (any(passed) if factor.merge == "any" else all(passed))


def reduction_share(reduction: Reduction, preset: Preset, terrain: str, values: Mapping[str, Sequence[Any]],
                    populations: Sequence[float]) -> Fraction | None:
    """The share of the minimum a reduction leaves a new unit (None when it does not apply)."""
    if not all(test_holds(t, preset, terrain, values, populations) for t in reduction.when):
        return None
    if reduction.when_any and not any(test_holds(t, preset, terrain, values, populations) for t in reduction.when_any):
        return None
    shares = [share for extra, share in reduction.levels()
              if extra is None or test_holds(extra, preset, terrain, values, populations)]
    return min(shares)


def reduction_shares(preset: Preset, kind: str, terrain: str, values: Mapping[str, Sequence[Any]],
                     populations: Sequence[float]) -> dict[str, tuple[float, str]]:
    """Attribute -> (share of the minimum, reduction id) for a new unit: the lowest share of the reductions
    that apply (each criterion takes one reduction).

    Parameters
    ----------
    preset : Preset
        Gives the factors and the (active) reductions.
    kind, terrain : str
        The new unit's kind and terrain.
    values : mapping
        Factor column -> the old units' values, in the order of ``populations``.
    populations : sequence of float
        The old units' populations.
    """
    best: dict[str, tuple[float, str]] = {}
    for reduction in preset.reductions:
        if reduction.kinds is not None and kind not in reduction.kinds:
            continue
        share = reduction_share(reduction, preset, terrain, values, populations)
        if share is not None and (reduction.attribute not in best or float(share) < best[reduction.attribute][0]):
            best[reduction.attribute] = (float(share), reduction.id)
    return best


def floor_share(preset: Preset, kind: str, attribute: str) -> float:
    """The lowest share of a minimum any reduction may leave a new unit of that kind (1 when none).

    The optimizer's bounds use it: a minimum lowered as far as any reduction could lower it
    keeps them proven.
    """
    shares = [float(share) for r in preset.reductions if r.applies_to(kind, attribute) for _, share in r.levels()]
    return min([1.0, *shares])


def factor_values(preset: Preset, nodes: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Factor column -> the values of these old units (graph nodes or rows), for the active reductions."""
    names = sorted({f for r in preset.reductions for f in r.factors()})
    return {name: [node.get(name) for node in nodes] for name in names}
