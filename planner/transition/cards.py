"""One card per new unit for officials: who it is made of, how it stands, what is missing on the go-live day.

A card holds a new unit's name, kind, seat, members (the old units merged), population, area, its
standard and shortfall, access to the seat, its gaps and its readiness on the go-live day.  The cards
are printed one A4 page each in ``cards.html`` (``planner/templates/cards.html.j2``) and listed one
row each in the workbook's ``cards`` sheet (:func:`cards_sheet`).

Every word a card prints comes from data: labels, status and readiness words from
``planner/templates/cards.yaml``, kind words (``naming.kind_words``) and legal citations
(``sources``) from the preset.  Readiness is read off the most severe gap of the unit
(:func:`planner.transition.readiness.unit_status`, the ``readiness`` rules of ``cards.yaml``).
"""

from __future__ import annotations

from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from planner.evaluation.evaluate import Evaluation
from planner.inputs.scenario import Scenario
from planner.inputs.yamlio import load_yaml
from planner.outputs import write_text
from planner.rules.standards import WAIVED
from planner.severities import SEVERITIES, severity_rank
from planner.transition.gaps import GapReport
from planner.transition.readiness import gaps_of_new_units, unit_status

NO_GAP = "none"
#: Decimals of the figures printed on a card.
DIGITS = {"population": 0, "area_km2": 3, "distance_km": 3}
#: The columns of the workbook's ``cards`` sheet.
SHEET_COLUMNS = [
    "new_unit", "name", "kind", "seat", "seat_name", "n_members", "members", "population", "area_km2",
    "rule", "standard", "legal_basis", "status", "population_short", "area_short_km2", "access_mean_km",
    "access_max_km", "access_threshold_km", "gaps", *(f"gaps_{s}" for s in SEVERITIES), "readiness",
]


def card_words() -> dict[str, Any]:
    """The words of the cards (``planner/templates/cards.yaml``)."""
    return load_yaml((resources.files("planner") / "templates" / "cards.yaml").read_text("utf-8"))


def unit_cards(scenario: Scenario, evaluation: Evaluation, report: GapReport,
               words: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The card of each new unit, sorted by new unit.

    Parameters
    ----------
    scenario : Scenario
        For the preset (standards, kind words, sources), the access threshold and the old units' areas.
    evaluation : Evaluation
        The evaluated plan.
    report : GapReport
        Its gaps (:func:`planner.pipeline.find_plan_gaps`).
    words : dict, optional
        The words of :func:`card_words`.

    Returns
    -------
    list of dict
        Per new unit: ``new_unit``, ``name``, ``kind``, ``kind_word``, ``seat``, ``seat_name``,
        ``members`` (code, name, population, area_km2, distance_km each), ``population``,
        ``area_km2``, ``rule``, ``legal_basis``, ``criteria`` (label, minimum, value, short each),
        ``status``, ``access_mean_km``, ``access_max_km``, ``gaps`` (severity, type, detail, fix each),
        ``gap_counts`` (per severity), ``worst`` (the most severe, or ``none``), ``readiness``.
    """
    words = words or card_words()
    rules = {rule.id: rule for rule in scenario.preset.standards}
    gaps = _gaps_of_new_units(report.gaps, evaluation)
    members = _members_of_new_units(scenario, evaluation)
    cards = []
    for unit in evaluation.units.sort_values("new_unit").to_dict("records"):
        code = str(unit["new_unit"])
        rule = rules.get(str(unit["rule"]))
        unit_gaps = gaps.get(code, [])
        counts = {severity: sum(g["severity"] == severity for g in unit_gaps) for severity in SEVERITIES}
        worst = next((severity for severity in SEVERITIES if counts[severity]), NO_GAP)
        cards.append({
            "new_unit": code, "name": str(unit["name"]), "kind": str(unit["kind"]),
            "kind_word": " / ".join(scenario.preset.naming.words_of(str(unit["kind"]))[:1]),
            "seat": str(unit["seat"]), "seat_name": str(unit["seat_name"]), "members": members.get(code, []),
            "population": float(unit["population"]), "area_km2": float(unit["area_km2"]),
            "rule": str(unit["rule"]), "legal_basis": _legal_basis(scenario, rule, str(unit["status"])),
            "criteria": _criteria(rule, unit, words),
            "status": str(unit["status"]), "status_text": str(words["status"].get(unit["status"], unit["status"])),
            "population_short": float(unit["population_short"]), "area_short_km2": float(unit["area_short_km2"]),
            "access_mean_km": float(unit["access_mean_km"]), "access_max_km": float(unit["access_max_km"]),
            "gaps": unit_gaps, "gap_counts": counts, "worst": worst,
            "readiness": str(words["readiness"]["words"][unit_status([g["severity"] for g in unit_gaps], words)]),
        })
    return cards


def _gaps_of_new_units(gaps: pd.DataFrame, evaluation: Evaluation) -> dict[str, list[dict[str, str]]]:
    """The gaps of each new unit (a gap of an old unit belongs to the new unit it joins), most severe first."""
    found = {unit: [{"severity": str(row["severity"]), "type": str(row["type"]), "detail": _text(row.get("detail")),
                     "fix": _text(row.get("suggested_fix"))} for row in rows]
             for unit, rows in gaps_of_new_units(gaps, evaluation).items()}
    return {unit: sorted(rows, key=lambda g: severity_rank(g["severity"])) for unit, rows in found.items()}


def _text(value: Any) -> str:
    """A table cell as text (empty for a missing one)."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _members_of_new_units(scenario: Scenario, evaluation: Evaluation) -> dict[str, list[dict[str, Any]]]:
    """The old units of each new unit, the seat first, then by code."""
    areas = scenario.units["area_km2"]
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in evaluation.members.to_dict("records"):
        code = str(row["unit"])
        found[str(row["new_unit"])].append({
            "code": code, "name": str(row["name"]), "population": float(row["population"]),
            "area_km2": float(areas.get(code, float("nan"))), "distance_km": float(row["distance_km"]),
            "seat": code == str(row["seat"]),
        })
    return {unit: sorted(rows, key=lambda m: (not m["seat"], m["code"])) for unit, rows in found.items()}


def _criteria(rule: Any, unit: dict[str, Any], words: dict[str, Any]) -> list[dict[str, Any]]:
    """The rule's minimums with the unit's values and shortfalls."""
    if rule is None:
        return []
    return [{"attribute": c.attribute, "label": str(words["criteria"].get(c.attribute, c.attribute)),
             "minimum": float(c.minimum), "value": float(unit[c.attribute]),
             "short": max(0.0, float(c.minimum) - float(unit[c.attribute]))} for c in rule.criteria]


def _legal_basis(scenario: Scenario, rule: Any, status: str) -> str:
    """The sources of the unit's standard (and of the waiver, when it is waived), with their titles."""
    preset = scenario.preset
    parts = [preset.source_text(rule.source)] if rule is not None and rule.source else []
    if status == WAIVED and preset.waiver.get("source"):
        parts.append(preset.source_text(str(preset.waiver["source"])))
    return "; ".join(parts)


def number_text(value: float, digits: int, words: dict[str, Any]) -> str:
    """``value`` with ``digits`` decimals and the thousands and decimal marks of ``cards.yaml``.

    Examples
    --------
    >>> number_text(1234567.891, 2, {"numbers": {"thousands_mark": ".", "decimal_mark": ","}})
    '1.234.567,89'
    """
    if value != value:  # NaN
        return ""
    marks = words["numbers"]
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", str(marks["decimal_mark"])).replace("\0", str(marks["thousands_mark"]))


def render_cards(scenario: Scenario, evaluation: Evaluation, cards: list[dict[str, Any]],
                 words: dict[str, Any] | None = None) -> str:
    """The printable page of the cards: one A4 page per new unit (``planner/templates/cards.html.j2``)."""
    words = words or card_words()
    environment = jinja2.Environment(loader=jinja2.PackageLoader("planner", "templates"), autoescape=True,
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    environment.filters["number"] = lambda value, digits=0: number_text(float(value), digits, words)
    summary = evaluation.summary
    return environment.get_template("cards.html.j2").render(
        cards=cards, words=words, labels=words["labels"], scenario=scenario.name,
        plan=summary.get("plan", ""), preset=scenario.preset.title, effective=summary.get("effective_date") or "",
        threshold=scenario.access_max_km, gaps_shown=int(words["gaps_shown"]),
        members_shown=int(words["members_shown"]))


def cards_sheet(cards: list[dict[str, Any]], scenario: Scenario, words: dict[str, Any] | None = None) -> pd.DataFrame:
    """The workbook's ``cards`` sheet: one row per new unit (numbers as numbers, columns :data:`SHEET_COLUMNS`)."""
    words = words or card_words()
    rows = []
    for card in cards:
        rows.append({
            **{key: card[key] for key in ("new_unit", "name", "kind", "seat", "seat_name", "population", "area_km2",
                                          "rule", "legal_basis", "status", "population_short", "area_short_km2",
                                          "access_mean_km", "access_max_km", "readiness")},
            "n_members": len(card["members"]),
            "members": "; ".join(f"{m['code']} {m['name']}" for m in card["members"]),
            "standard": _standard_text(card["criteria"], words),
            "access_threshold_km": scenario.access_max_km,
            "gaps": len(card["gaps"]), **{f"gaps_{s}": n for s, n in card["gap_counts"].items()},
        })
    return pd.DataFrame(rows, columns=SHEET_COLUMNS)


def _standard_text(criteria: list[dict[str, Any]], words: dict[str, Any]) -> str:
    """The minimums of a standard in one line (``population >= 16,000; area >= 30.000``)."""
    if not criteria:
        return str(words["labels"]["no_rule"])
    return "; ".join(f"{c['label']} >= {number_text(c['minimum'], DIGITS.get(c['attribute'], 0), words)}"
                     for c in criteria)


def write_cards(path: Path, scenario: Scenario, evaluation: Evaluation, cards: list[dict[str, Any]]) -> None:
    """Write ``cards.html`` (atomically)."""
    write_text(Path(path), render_cards(scenario, evaluation, cards))
