"""The standards of a new unit as CP-SAT literals, decided exactly as :mod:`planner.rules.standards` decides them.

:class:`StandardsEncoder` turns a new unit's membership literals into literals for its kind,
its terrain, "meets the standard" and "waived", with the preset's rules.  Constants fold
away: a literal that cannot vary is the Python ``True`` or ``False``.
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from planner.inputs.preset import Preset
from planner.optimize.region import Region, share_fraction
from planner.rules.reductions import SHARE_DECIMALS, Test
from planner.rules.standards import applicable_rules, merged_kind, unarranged_rule, waiver_min_constituents


class StandardsEncoder:
    """Reifies each new unit's kind, terrain and standard with the rules of planner.rules.standards.

    - kind: a kind the preset keeps (special zone) when a member has it; else, under
      ``population_majority``, the rule's kind when units of the counted kinds hold more
      than half of the population (``2 * counted > total``), under ``any_ward`` when a
      member is of a counted kind, else ``otherwise``;
    - terrain: the first test whose terrain covers at least its share of the area
      (``q * covered >= p * total`` for a share ``p/q``), else ``otherwise``;
    - context: the region's (the parent unit's) context;
    - meets: one of the applicable rules (primary or alternatives) has every criterion met, at
      its minimum or at the lower one a special-factor reduction leaves when its tests hold
      (:meth:`reduction_options`: population-weighted shares as linear sums, flags as any/all),
      and, when the preset exempts units left as they were, the unit is not one
      (:meth:`unchanged`: one member that keeps its kind never counts as meeting it);
    - waived: below it, formed from enough units, of a kind the waiver covers.
    """

    def __init__(self, model: cp_model.CpModel, region: Region, preset: Preset):
        self.model = model
        self.region = region
        self.preset = preset
        self.context = region.context()
        rule = preset.merged_kind
        self.keep = [str(k) for k in rule.get("keep") or ()]
        self.fixed_kind = str(rule["kind"]) if rule.get("rule") == "fixed" else None
        self.any_counted = rule.get("rule") == "any_ward"
        self.exempt = unarranged_rule(preset) == "exempt"
        self.majority_kind = str(rule.get("kind", ""))
        self.counted = set(rule.get("counts") or [rule.get("kind")])
        self.otherwise_kind = str(rule.get("otherwise", rule.get("kind", "")))
        terrain = preset.merged_terrain
        self.terrain_tests = [(str(t["terrain"]), share_fraction(t["min_share"]))
                              for t in terrain.get("tests") or []]
        self.terrain_otherwise = str(terrain.get("otherwise", "other"))
        self.waiver_min = waiver_min_constituents(preset)
        self.waiver_kinds = preset.waiver.get("applies_to")

    # -- small reified helpers ---------------------------------------------------------------
    def all_of(self, literals: list) -> object:
        if any(lit is False for lit in literals):
            return False
        literals = [lit for lit in literals if lit is not True]
        if not literals:
            return True
        if len(literals) == 1:
            return literals[0]
        z = self.model.NewBoolVar("")
        for lit in literals:
            self.model.AddImplication(z, lit)
        self.model.AddBoolOr([z] + [negate(lit) for lit in literals])
        return z

    def any_of(self, literals: list) -> object:
        """A literal true when any of ``literals`` is (De Morgan on :meth:`all_of`)."""
        return negate(self.all_of([negate(lit) for lit in literals]))

    def at_least(self, terms: list[tuple[int, object]], minimum: int) -> object:
        """A literal equal to ``sum(coef * x) >= minimum`` (coefficients >= 0)."""
        top = sum(c for c, _ in terms)
        if minimum <= 0:
            return True
        if top < minimum:
            return False
        z = self.model.NewBoolVar("")
        expression = sum(c * x for c, x in terms)
        self.model.Add(expression >= minimum).OnlyEnforceIf(z)
        self.model.Add(expression <= minimum - 1).OnlyEnforceIf(negate(z))
        return z

    def linear_sign(self, terms: list[tuple[int, object]]) -> object:
        """A literal equal to ``sum(coef * x) >= 0`` (coefficients of any sign)."""
        if all(c >= 0 for c, _ in terms):
            return True
        if all(c < 0 for c, _ in terms):
            return self.all_of([negate(x) for _, x in terms])
        z = self.model.NewBoolVar("")
        expression = sum(c * x for c, x in terms)
        self.model.Add(expression >= 0).OnlyEnforceIf(z)
        self.model.Add(expression <= -1).OnlyEnforceIf(negate(z))
        return z

    # -- the unit's kind, terrain and verdict --------------------------------------------------
    def kinds(self, members: list[tuple[int, object]]) -> list[tuple[str, object]]:
        """(kind, literal) for each kind the new unit may take."""
        region = self.region
        options: list[tuple[str, object]] = []
        earlier: list[object] = []
        for kind in self.keep:
            has = self.any_of([x for u, x in members if region.kinds[u] == kind])
            options.append((kind, self.all_of([has] + [negate(e) for e in earlier])))
            earlier.append(has)
        none_kept = self.all_of([negate(e) for e in earlier])
        if self.fixed_kind is not None:
            options.append((self.fixed_kind, none_kept))
            return options
        if self.any_counted:
            majority = self.any_of([x for u, x in members if region.kinds[u] in self.counted])
            options.append((self.majority_kind, self.all_of([none_kept, majority])))
            options.append((self.otherwise_kind, self.all_of([none_kept, negate(majority)])))
            return options
        # 2 * counted - total >= 1  <=>  counted share strictly above one half
        terms = []
        for u, x in members:
            p = region.int_population(u)
            coefficient = (2 * p if region.kinds[u] in self.counted else 0) - p
            if coefficient:
                terms.append((coefficient, x))
        majority = self._strictly_positive(terms)
        options.append((self.majority_kind, self.all_of([none_kept, majority])))
        options.append((self.otherwise_kind, self.all_of([none_kept, negate(majority)])))
        return options

    def _strictly_positive(self, terms: list[tuple[int, object]]) -> object:
        if not terms:
            return False
        if all(c > 0 for c, _ in terms):
            return self.any_of([x for _, x in terms])
        if all(c <= 0 for c, _ in terms):
            return False
        z = self.model.NewBoolVar("")
        expression = sum(c * x for c, x in terms)
        self.model.Add(expression >= 1).OnlyEnforceIf(z)
        self.model.Add(expression <= 0).OnlyEnforceIf(negate(z))
        return z

    def terrains(self, members: list[tuple[int, object]]) -> list[tuple[str, object]]:
        """(terrain, literal) for each terrain the new unit may take."""
        region = self.region
        options: list[tuple[str, object]] = []
        earlier: list[object] = []
        for terrain, share in self.terrain_tests:
            terms = []
            for u, x in members:
                a = region.int_area(u)
                coefficient = share.denominator * (a if region.terrains[u] == terrain else 0) - share.numerator * a
                if coefficient:
                    terms.append((coefficient, x))
            covers = self.linear_sign(terms) if terms else self.any_of([x for _, x in members])
            options.append((terrain, self.all_of([covers] + [negate(e) for e in earlier])))
            earlier.append(covers)
        options.append((self.terrain_otherwise, self.all_of([negate(e) for e in earlier])))
        merged: dict[str, list[object]] = {}
        for terrain, literal in options:
            merged.setdefault(terrain, []).append(literal)
        return [(terrain, self.any_of(lits)) for terrain, lits in merged.items()]

    def verdict(self, seat_literal: object, members: list[tuple[int, object]]) -> tuple[object, object]:
        """Literals (meets, waived) of the new unit whose membership literals are given."""
        region = self.region
        sums = {
            "population": [(region.int_population(u), x) for u, x in members],
            "area_km2": [(region.int_area(u), x) for u, x in members],
        }
        scales = {"population": region.pop_scale, "area_km2": region.area_scale}
        kinds = self.kinds(members)
        terrains = self.terrains(members)
        criterion_cache: dict[tuple[str, float], object] = {}

        def criterion(attribute: str, minimum: float) -> object:
            key = (attribute, minimum)
            if key not in criterion_cache:
                threshold = math.ceil(minimum * scales[attribute] - 1e-9)
                criterion_cache[key] = self.at_least(sums[attribute], threshold)
            return criterion_cache[key]

        option_cache: dict[tuple[str, str, str], list[tuple[object, float]]] = {}

        def reduced(kind: str, terrain: str, attribute: str, minimum: float) -> object:
            """The criterion met at its minimum or at the minimum a special-factor reduction leaves."""
            key = (kind, terrain, attribute)
            if key not in option_cache:
                option_cache[key] = self.reduction_options(members, kind, terrain, attribute)
            options = option_cache[key]
            return self.any_of([criterion(attribute, minimum)]
                               + [self.all_of([lit, criterion(attribute, minimum * share)]) for lit, share in options])

        cases = []
        for kind, kind_literal in kinds:
            if kind_literal is False:
                continue
            for terrain, terrain_literal in terrains:
                if terrain_literal is False:
                    continue
                rules = applicable_rules(self.preset, kind, terrain, self.context)
                if not rules:
                    rule_met: object = True
                else:
                    rule_met = self.any_of([self.all_of([reduced(kind, terrain, c.attribute, c.minimum)
                                                         for c in r.criteria]) for r in rules])
                cases.append(self.all_of([kind_literal, terrain_literal, rule_met]))
        meets = self.all_of([seat_literal, self.any_of(cases), negate(self.unchanged(members))])
        if self.waiver_min is None:
            return meets, False
        covered = [lit for kind, lit in kinds
                   if self.waiver_kinds is None or kind in self.waiver_kinds]
        enough = self.at_least([(1, x) for _, x in members], self.waiver_min)
        waived = self.all_of([seat_literal, negate(meets), enough, self.any_of(covered)])
        return meets, waived

    def reduction_options(self, members: list[tuple[int, object]], kind: str, terrain: str,
                          attribute: str) -> list[tuple[object, float]]:
        """(literal, share) for each level of each special-factor reduction of that kind's attribute: the
        literal is true when the reduction applies at that level (:mod:`planner.rules.reductions`)."""
        options = []
        for reduction in self.preset.reductions:
            if not reduction.applies_to(kind, attribute):
                continue
            base = [self.factor_test(t, members, terrain) for t in reduction.when]
            if reduction.when_any:
                base.append(self.any_of([self.factor_test(t, members, terrain) for t in reduction.when_any]))
            applies = self.all_of(base)
            for extra, share in reduction.levels():
                literal = applies if extra is None else self.all_of(
                    [applies, self.factor_test(extra, members, terrain)])
                if literal is not False:
                    options.append((literal, float(share)))
        return options

    def factor_test(self, test: Test, members: list[tuple[int, object]], terrain: str) -> object:
        """A literal true when the new unit passes one test of a reduction (as :func:`test_holds` decides)."""
        if test.factor is None:
            return terrain in (test.terrains or ())
        region = self.region
        column = region.factors.get(test.factor) or [None] * region.size
        if self.preset.factors[test.factor].merge != "population_mean":
            hits = [x for u, x in members if column[u] == test.equals]
            misses = [x for u, x in members if column[u] != test.equals]
            merge = self.preset.factors[test.factor].merge
            if merge == "any":
                return self.any_of(hits)
            return self.all_of([self.any_of(hits), negate(self.any_of(misses))])
        # population-weighted mean >= p/q  <=>  sum(P * (q * s - p * R)) >= 0, shares s read to R = 10^decimals
        scale = 10 ** SHARE_DECIMALS
        p, q = test.minimum.numerator, test.minimum.denominator  # type: ignore[union-attr]
        terms = []
        for u, x in members:
            value = column[u]
            share = 0 if value is None or math.isnan(float(value)) else round(float(value) * scale)
            coefficient = region.int_population(u) * (q * share - p * scale)
            if coefficient:
                terms.append((coefficient, x))
        peopled = self.any_of([x for u, x in members if region.int_population(u) > 0])
        return self.all_of([self.linear_sign(terms) if terms else True, peopled])

    def unchanged(self, members: list[tuple[int, object]]) -> object:
        """A literal true when the new unit is one old unit that keeps its kind and the preset exempts it."""
        if not self.exempt:
            return False
        region = self.region
        keeps = [x for u, x in members
                 if merged_kind(self.preset, [region.kinds[u]], [region.int_population(u)]) == region.kinds[u]]
        return self.all_of([self.any_of(keeps), negate(self.at_least([(1, x) for _, x in members], 2))])


def negate(literal: object) -> object:
    """The negation of a literal, or of a constant True or False."""
    if literal is True:
        return False
    if literal is False:
        return True
    return literal.Not()  # type: ignore[union-attr]
