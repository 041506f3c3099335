"""Writing an evaluation to disk: ``summary.json``, ``units.csv``, ``members.csv``, ``findings.csv``,
``report.md``.

Numbers are formatted with fixed decimals and rows are sorted, so the same plan gives the
same bytes.  The report is a Jinja2 template (``planner/templates/report.md.j2``); later
stages add their own sections (gaps) through ``sections``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from planner.evaluation.evaluate import Evaluation
from planner.evaluation.findings import MEANINGS, SHOWN_IN_REPORT, finding_counts
from planner.inputs.scenario import Scenario
from planner.outputs import write_csv, write_json, write_text
from planner.rules.standards import BELOW, MEETS, UNCHANGED, WAIVED

#: Solver figures measured by the clock: kept in summary.json, left out of the report so that
#: the same scenario, seed and settings give the same report.
CLOCK_FIGURES = ("solve_seconds",)

FLOAT_DECIMALS = {
    "population": 0, "area_km2": 3, "population_short": 0, "area_short_km2": 3,
    "access_mean_km": 3, "access_max_km": 3, "polsby_popper": 4, "distance_km": 3,
}


def format_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Fixed decimals for known float columns, ``true``/``false`` for booleans."""
    frame = frame.copy()
    for column in frame.columns:
        if column in FLOAT_DECIMALS:
            digits = FLOAT_DECIMALS[column]
            frame[column] = [("" if pd.isna(v) else f"{float(v):.{digits}f}") for v in frame[column]]
        elif frame[column].dtype == bool:
            frame[column] = ["true" if v else "false" for v in frame[column]]
    return frame


def render_report(scenario: Scenario, evaluation: Evaluation, *, solver: dict[str, Any] | None = None,
                  sections: list[str] | None = None) -> str:
    """The Markdown report of an evaluation."""
    environment = template_environment()
    units = evaluation.units
    summary = evaluation.summary
    records = units.to_dict("records")
    return environment.get_template("report.md.j2").render(
        summary=summary,
        plan_label=summary["plan"],
        preset=scenario.preset,
        reduction=summary["units_before"] - summary["units_after"],
        solver={k: v for k, v in solver.items() if k not in CLOCK_FIGURES} if solver else None,
        below=[u for u in records if u["status"] == BELOW],
        waived=[u for u in records if u["status"] == WAIVED],
        unchanged=[u for u in records if u["status"] == UNCHANGED],
        noncontiguous=[u for u in records if not u["contiguous"]],
        splits=evaluation.plan.splits,
        sections=sections or [],
        warnings=[str(w) for w in scenario.warnings],
        unit_names={str(k): str(v) for k, v in scenario.units["name"].items()},
    )


def template_environment() -> jinja2.Environment:
    """The Jinja2 environment of planner's templates, with the ``md`` filter (:func:`markdown_text`)."""
    environment = jinja2.Environment(loader=jinja2.PackageLoader("planner", "templates"),
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    environment.filters["md"] = markdown_text
    return environment


def render_findings_section(findings: pd.DataFrame) -> str:
    """The section of ``report.md`` on the findings: the count per check, the first findings listed."""
    counts = [{"check": check, "count": count, "meaning": MEANINGS[check]}
              for check, count in finding_counts(findings).items()]
    return template_environment().get_template("findings.md.j2").render(
        counts=counts, shown=findings.head(SHOWN_IN_REPORT).to_dict("records"), total=len(findings)).rstrip("\n")


def render_parents_section(scenario: Scenario, units: pd.DataFrame) -> str:
    """The section of ``report.md`` on the scenario's ``merge_within`` parents (new provinces): per parent, its new
    units, how many meet the standard and its population; "" without a scenario ``merge_within``.

    A new unit with members in several parents (a crossing) is counted in each of them.
    """
    merge, level = scenario.merge_within, scenario.merge_level
    if merge is None or level is None or level not in units.columns:
        return ""
    names = scenario.parent_names.get(level, {})
    rows: dict[str, dict[str, Any]] = {}
    for unit in units.to_dict("records"):
        for code in str(unit[level]).split(";"):
            row = rows.setdefault(code, {"code": code, "name": names.get(code, ""), "units": 0, "meets": 0,
                                         "below": 0, "population": 0.0})
            row["units"] += 1
            row["meets"] += unit["status"] == MEETS
            row["below"] += unit["status"] == BELOW
            row["population"] += float(unit["population"]) if pd.notna(unit["population"]) else 0.0
    crossing = int(units[level].astype(str).str.contains(";").sum())
    return template_environment().get_template("parents.md.j2").render(
        level=level, source=merge.source, rows=[rows[c] for c in sorted(rows)], crossing=crossing).rstrip("\n")


def markdown_text(value: Any) -> str:
    """Text safe inside a Markdown table cell (pipes and angle brackets escaped)."""
    text = str(value)
    for raw, escaped in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;"), ("\n", " ")):
        text = text.replace(raw, escaped)
    return text


def write_evaluation(out: Path, scenario: Scenario, evaluation: Evaluation, *,
                     solver: dict[str, Any] | None = None, sections: list[str] | None = None,
                     extra_summary: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write summary.json, units.csv, members.csv, findings.csv and report.md into ``out``
    (and parts.csv for units dissolved from a finer table).

    The report's sections: the findings (:mod:`planner.evaluation.findings`), then ``sections``.

    Returns the summary as written (with ``solver`` figures and ``extra_summary`` merged).
    """
    out = Path(out)
    summary = dict(evaluation.summary)
    if solver:
        summary.update(solver)
    if extra_summary:
        summary.update(extra_summary)
    write_csv(format_table(evaluation.units), out / "units.csv")
    write_csv(format_table(evaluation.members), out / "members.csv")
    if evaluation.parts is not None:  # units dissolved from a finer table: access from each part
        write_csv(format_table(evaluation.parts), out / "parts.csv")
    write_csv(evaluation.findings, out / "findings.csv")
    parents = render_parents_section(scenario, evaluation.units)
    sections = [render_findings_section(evaluation.findings), *([parents] if parents else []), *(sections or [])]
    write_text(out / "report.md", render_report(scenario, evaluation, solver=solver, sections=sections))
    write_json(summary, out / "summary.json")
    return summary
