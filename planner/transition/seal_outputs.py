"""Writing the seal schedule and the readiness of new units: ``seal_schedule.csv``, its chart, the report sections.

``seal_schedule.csv`` holds one row per seal (:data:`~planner.transition.seal_schedule.SCHEDULE_COLUMNS`),
sorted by province, registration date and queue, with fixed decimals; ``seal_schedule.png`` charts the
seals registered per working day against go-live (:mod:`~planner.transition.seal_chart`).  The report
gets a section on the schedule (``planner/templates/seals.md.j2``) and one on readiness
(``planner/templates/readiness.md.j2``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from planner.evaluation.evaluate import Evaluation
from planner.evaluation.report import template_environment
from planner.outputs import write_csv
from planner.transition.gap_outputs import fixed_decimals
from planner.transition.gaps import GapReport
from planner.transition.readiness import readiness_counts
from planner.transition.seal_chart import write_seal_chart
from planner.transition.seal_schedule import SCHEDULE_COLUMNS

CSV = "seal_schedule.csv"
CHART = "seal_schedule.png"
PROVINCES_SHOWN = 40
UNITS_SHOWN = 60


def seal_table(report: GapReport) -> pd.DataFrame:
    """The schedule as the files hold it (empty with its columns when there is none)."""
    if report.seals is None:
        return pd.DataFrame(columns=SCHEDULE_COLUMNS)
    return fixed_decimals(report.seals.table)


def write_seal_files(out: Path, report: GapReport, title: str) -> bool:
    """Write ``seal_schedule.csv`` and, when some seal has a date, ``seal_schedule.png`` (returns whether it did)."""
    out = Path(out)
    write_csv(seal_table(report), out / CSV)
    return report.seals is not None and write_seal_chart(out / CHART, report.seals, title)


def render_seal_section(report: GapReport, chart: bool) -> str:
    """The section of ``report.md`` on the seal schedule ('' when the plan needs no seal)."""
    if report.seals is None or report.seals.table.empty:
        return ""
    provinces = report.seals.provinces.sort_values(["critical_late", "late", "province"],
                                                   ascending=[False, False, True], kind="mergesort")
    shown = provinces.head(PROVINCES_SHOWN).astype(object).where(provinces.notna(), None).to_dict("records")
    return template_environment().get_template("seals.md.j2").render(
        s=report.seals.summary, go_live=report.seals.go_live, chart=CHART if chart else "", provinces=shown,
        more=max(0, len(provinces) - PROVINCES_SHOWN)).rstrip("\n")


def render_readiness_section(evaluation: Evaluation, words: dict[str, Any]) -> str:
    """The section of ``report.md`` on readiness: counts, then the units not ready and at risk with the reasons."""
    units = evaluation.units
    order = {status: i for i, status in enumerate(words["readiness"]["order"])}
    flagged = units[units["readiness"] != "ready"]
    flagged = flagged.assign(_o=flagged["readiness"].map(order))
    flagged = flagged.sort_values(["_o", "new_unit"], kind="mergesort")
    return template_environment().get_template("readiness.md.j2").render(
        counts=readiness_counts(units, words), words=words["readiness"]["words"], total=len(units),
        shown=flagged.head(UNITS_SHOWN).to_dict("records"),
        hidden=max(0, len(flagged) - UNITS_SHOWN)).rstrip("\n")


def seal_sheet(report: GapReport) -> pd.DataFrame:
    """The workbook's ``seal_schedule`` sheet: dates and flags as text, numbers as numbers."""
    table = seal_table(report)
    if report.seals is not None:
        for column in ("residents", "queue", "days_late"):
            table[column] = report.seals.table[column].astype(float)
    return table
