"""Writing the gap report: ``gaps.csv``, the transition tables, the report section, the workbook.

The tables are sorted and their numbers formatted with fixed decimals, so the same plan
gives the same bytes; the XLSX workbook (:mod:`planner.transition.workbook`) is deterministic too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from planner.evaluation.evaluate import Evaluation
from planner.evaluation.report import format_table, template_environment
from planner.inputs.scenario import Scenario
from planner.outputs import write_csv
from planner.severities import severity_rank
from planner.transition.gaps import AGENCY_GAP_TYPES, GAP_TYPES, STAFF_GAP_TYPES, GapReport
from planner.transition.headcount import staffing_in_force
from planner.transition.workbook import write_workbook

MEANINGS = {
    "seal_missing": "a body that needs a new seal has none registered and no schedule to register it",
    "seal_late": "a seal is registered after go-live (by the seal schedule or in the agency tables)",
    "signing_without_authority": "a body must sign but has no seal of its own or no legal basis",
    "task_no_owner": "a task of an abolished body has no receiver in a new unit",
    "task_two_owners": "a task of an abolished body has more than one receiver in a new unit",
    "procedure_cites_abolished_body": "a procedure still names an abolished body",
    "no_one_stop_center": "a new unit has no one-stop service center",
    "signing_overload": "a new unit's signers cannot sign a working day's documents (too few with delegated authority)",
    "handover_backlog": "pending files of abolished bodies with no receiver, or more than the receiver can take over",
    "records_not_migrated": "records or IT systems of merged old units not migrated by go-live",
    "skill_shortage": "fewer positions of a skill (IT, land, accounting, construction) than the new unit needs",
    "headquarters_shortfall": "more staff move into the seat than its building holds",
    "access_beyond_threshold": "residents farther than the access threshold from the new seat",
    "staff_over_cap": "planned headcount above the sum of the constituents'",
    "staff_shortage": "headcount below the staffing norm",
    "staff_surplus": "headcount above the staffing norm",
    "duplicate_place_name": "two places of a new unit share a name",
}
SHOWN_IN_REPORT = 60
#: How a gap's detail says that it rests on an estimate (planner/transition/operational_gaps.py).
ESTIMATE_MARK = "estimate: "
DECIMALS = {"population": 0, "headcount": 1, "cap": 1, "surplus": 1, "shortage": 1, "area_km2": 3, "staff": 1,
            "transferred_in": 1,
            "residents": 0, "queue": 0, "days_late": 0}


def fixed_decimals(frame: pd.DataFrame) -> pd.DataFrame:
    """Fixed decimals for the gap tables' number columns, ISO text for dates, true/false for flags."""
    frame = frame.copy()
    for column in frame.columns:
        if column in DECIMALS:
            digits = DECIMALS[column]
            frame[column] = ["" if pd.isna(v) else f"{float(v):.{digits}f}" for v in frame[column]]
        elif frame[column].map(lambda v: isinstance(v, dt.date)).any():
            frame[column] = [v.isoformat() if isinstance(v, dt.date) else "" for v in frame[column]]
        elif frame[column].dtype == bool:
            frame[column] = ["true" if v else "false" for v in frame[column]]
    return frame


def gap_tables(report: GapReport) -> dict[str, pd.DataFrame]:
    """The gap report's tables, formatted for files: gaps, bodies to create, task transfers, staffing."""
    transition = report.transition
    tables = {
        "gaps": fixed_decimals(report.gaps),
        "bodies": fixed_decimals(transition.new_bodies),
        "task_transfers": fixed_decimals(transition.receivers),
        "staffing": fixed_decimals(report.staffing),
    }
    return {name: table for name, table in tables.items() if name not in tables_left_out(report)}


def tables_left_out(report: GapReport) -> set[str]:
    """The tables of checks that do not apply (:func:`~planner.transition.gaps.gap_types`), written neither as
    files nor as sheets: the bodies and task transfers without agency data, the staffing without a norm."""
    left_out = set()
    if not set(AGENCY_GAP_TYPES) & set(report.types):
        left_out |= {"bodies", "task_transfers"}
    if not set(STAFF_GAP_TYPES) & set(report.types):
        left_out.add("staffing")
    return left_out


def render_gap_section(scenario: Scenario, report: GapReport) -> str:
    """The Markdown section on gaps appended to ``report.md``."""
    environment = template_environment()
    gaps = report.gaps
    counts = []
    for gap_type in GAP_TYPES:
        rows = gaps[gaps["type"] == gap_type]
        for severity in sorted(set(rows["severity"]), key=severity_rank):
            counts.append({"type": gap_type, "severity": severity, "meaning": MEANINGS[gap_type],
                           "count": int((rows["severity"] == severity).sum())})
    shown = fixed_decimals(gaps.head(SHOWN_IN_REPORT)).to_dict("records")
    return environment.get_template("gaps.md.j2").render(
        t=report.summary["transition"], counts=counts, shown=shown, total=len(gaps),
        threshold=scenario.access_max_km, staffing_source=_staffing_source(scenario),
        ignored=report.transition.ignored, estimated=int(gaps["detail"].str.contains(ESTIMATE_MARK).sum()),
    ).rstrip("\n")


def _staffing_source(scenario: Scenario) -> str:
    """The norm in force, as the report names it: its source, and its words or the class assumed."""
    norm = staffing_in_force(scenario)
    source = scenario.preset.source_text(str(norm.get("source", "")))
    if norm.get("positions") is not None:
        return f"{source}: {norm.get('label') or 'a flat number'}"
    return f"{source}, class {norm.get('assumed_class', '?')} assumed"


def write_gap_files(out: Path, report: GapReport, evaluation: Evaluation,
                    extra_sheets: dict[str, pd.DataFrame] | None = None) -> None:
    """Write gaps.csv, bodies.csv, task_transfers.csv, staffing.csv and plan.xlsx into ``out``.

    ``extra_sheets`` are added to the workbook after its own (such as the ``cards`` sheet).
    """
    out = Path(out)
    tables = gap_tables(report)
    for name, frame in tables.items():
        write_csv(frame, out / f"{name}.csv")
    write_workbook(out / "plan.xlsx", {**workbook_sheets(report, evaluation), **(extra_sheets or {})})


def workbook_sheets(report: GapReport, evaluation: Evaluation) -> dict[str, pd.DataFrame]:
    """Sheets of plan.xlsx: units, members, findings, gaps, bodies, staffing (numbers as numbers).

    Task transfers (thousands of rows for a province) stay in task_transfers.csv.
    """
    sheets = {
        "units": format_table(evaluation.units).pipe(_numbers_back, evaluation.units),
        "members": evaluation.members,
        "findings": evaluation.findings,
        "gaps": report.gaps,
        "bodies": fixed_decimals(report.transition.new_bodies),
        "staffing": report.staffing,
    }
    return {name: sheet for name, sheet in sheets.items() if name not in tables_left_out(report)}


def _numbers_back(formatted: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    """Booleans as text, numbers as the raw values (a spreadsheet formats them)."""
    frame = formatted.copy()
    for column in raw.columns:
        if raw[column].dtype != bool and pd.api.types.is_numeric_dtype(raw[column]):
            frame[column] = raw[column]
    return frame


def gap_summary(report: GapReport) -> dict[str, Any]:
    """The keys the gap stage adds to summary.json: ``gaps``, ``gaps_by_severity``, ``transition``."""
    return dict(report.summary)
