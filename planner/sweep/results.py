"""A sweep's results: ``sweep.csv``, ``sweep.xlsx``, the comparison page and the trade-off chart.

One row per variant, in the sweep's order, read from each variant's folder (its ``summary.json``
and ``plan.csv``), so a variant planned now and one reused from an earlier run give the same row.
Every file is deterministic: no clock figures, fixed decimals, codes and names as text.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import jinja2
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from planner.chart_style import chart_style  # noqa: E402
from planner.outputs import write_bytes, write_csv, write_text  # noqa: E402
from planner.severities import SEVERITIES  # noqa: E402
from planner.sweep.engine import RECORDS, VARIANTS, VariantResult  # noqa: E402
from planner.sweep.spec import Sweep, plan_command  # noqa: E402
from planner.transition.workbook import write_workbook  # noqa: E402

#: The columns of sweep.csv, after the variant's name and settings.
FIGURES = ["run", "error", "units", "meeting", "waived", "below", "unchanged", "access_mean_km", "access_max_km",
           "status", "objective", "bound", "gap", *(f"gaps_{s}" for s in SEVERITIES), "gaps_total"]
FILES = ("sweep.csv", "sweep.xlsx", "comparison.html", "tradeoff.png")


def result_rows(sweep: Sweep, results: list[VariantResult], out: Path) -> list[dict[str, Any]]:
    """A row per variant: its name, settings, figures (:data:`FIGURES`) and the ``planner plan`` command
    that, run in ``out``, writes the same folder."""
    rows = []
    for result in results:
        variant = result.variant
        folder = out / VARIANTS / variant.name
        row: dict[str, Any] = {"variant": variant.name, **setting_cells(variant.settings)}
        row.update(dict.fromkeys(FIGURES, ""))
        if result.status == "failed":
            row.update(run="failed", error=result.error)
        else:
            row.update(run="done", **variant_figures(folder))
        scenario = Path(os.path.relpath(sweep.scenario.resolve(), out.resolve())).as_posix()
        row["command"] = " ".join(["planner", *plan_command(scenario, f"{VARIANTS}/{variant.name}", variant.settings)])
        rows.append(row)
    return rows


def setting_cells(settings: dict[str, Any]) -> dict[str, str]:
    """The settings as the text of their columns (empty: the scenario's own)."""
    target = settings.get("target", "")
    if isinstance(target, dict):
        target = f"count {target['count']}" if "count" in target else "reduction {:g}-{:g}".format(*target["reduction"])
    where = " and ".join(f"{column} = {' or '.join(values)}" for column, values in settings.get("where", {}).items())
    cells = {"where": where, "preset": settings.get("preset", ""), "target": target,
             "standards": settings.get("standards", ""), "access_limit_km": settings.get("access_max_km", ""),
             **{key: settings.get(key, "") for key in ("seed", "solves", "workers", "time_limit_s")}}
    return {key: f"{value:g}" if isinstance(value, float) else str(value) for key, value in cells.items()}


def variant_figures(folder: Path) -> dict[str, Any]:
    """The figures of a planned variant from its folder's ``summary.json``."""
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    severity = summary.get("gaps_by_severity") or {}
    figures = {"units": summary.get("units_after"), "meeting": summary.get("meets_standard"),
               "waived": summary.get("waived"), "below": summary.get("below_standard"),
               "unchanged": summary.get("unchanged", 0),
               "access_mean_km": f"{float(summary.get('access_mean_km') or 0):.3f}",
               "access_max_km": f"{float(summary.get('access_max_km') or 0):.3f}",
               "status": summary.get("status", ""), "objective": summary.get("objective", ""),
               "bound": summary.get("bound", ""), "gap": f"{float(summary.get('gap') or 0):.4f}",
               **{f"gaps_{s}": int(severity.get(s, 0)) for s in SEVERITIES},
               "gaps_total": int(sum(severity.values()))}
    return {key: "" if value is None else value for key, value in figures.items()}


def write_results(sweep: Sweep, results: list[VariantResult], out: str | Path) -> pd.DataFrame:
    """Write ``sweep.csv``, ``sweep.xlsx``, ``comparison.html`` and ``tradeoff.png`` into ``out``.

    Returns
    -------
    pandas.DataFrame
        The table of sweep.csv.
    """
    out = Path(out)
    table = pd.DataFrame(result_rows(sweep, results, out), dtype=object)
    write_csv(table, out / "sweep.csv")
    write_workbook(out / "sweep.xlsx", {"variants": _numbers(table)})
    write_bytes(out / "tradeoff.png", tradeoff_png(table, sweep.name))
    write_text(out / "comparison.html", comparison_html(sweep, table))
    return table


def _numbers(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its figures as numbers (for the workbook), settings and codes as text."""
    numbers = table.copy()
    for column in FIGURES[2:]:
        if column != "status":
            numbers[column] = pd.to_numeric(numbers[column], errors="coerce")
    return numbers


def _planned(table: pd.DataFrame) -> pd.DataFrame:
    done = table[table["run"] == "done"]
    return _numbers(done) if len(done) else done


def tradeoff_png(table: pd.DataFrame, title: str) -> bytes:
    """The trade-off chart: new units (x) against units meeting the standard (y), coloured by the
    mean access distance, each point named by its variant (PNG bytes without date or software)."""
    planned = _planned(table)
    with plt.rc_context(chart_style()):  # variant and sweep names drawn as written
        figure, axes = plt.subplots(figsize=(8, 5.5))
        try:
            if len(planned):
                points = axes.scatter(planned["units"], planned["meeting"], c=planned["access_mean_km"], cmap="viridis",
                                      s=60, edgecolors="black", linewidths=0.5)
                figure.colorbar(points, ax=axes, label="access, mean km to the seat")
                _label_points(axes, planned)
            axes.set_xlabel("new units")
            axes.set_ylabel("new units meeting the standard")
            axes.set_title(title)
            axes.grid(True, linewidth=0.3)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=120, metadata={"Software": None}, bbox_inches="tight")
        finally:
            plt.close(figure)
    return buffer.getvalue()


def _label_points(axes: Any, planned: pd.DataFrame) -> None:
    """Name the variants beside their points: those at the same point in one label, one name a line,
    towards the middle of the chart (left of points in its right half, below those in its upper half)."""
    axes.margins(x=0.15, y=0.3)
    middle_x = (planned["units"].min() + planned["units"].max()) / 2
    middle_y = (planned["meeting"].min() + planned["meeting"].max()) / 2
    for (units, meeting), group in planned.groupby(["units", "meeting"], sort=True):
        right, up = units > middle_x, meeting > middle_y
        axes.annotate("\n".join(sorted(map(str, group["variant"]))), (units, meeting), textcoords="offset points",
                      xytext=(-6 if right else 6, -6 if up else 6), ha="right" if right else "left",
                      va="top" if up else "bottom", fontsize=7)


def comparison_html(sweep: Sweep, table: pd.DataFrame) -> str:
    """The comparison page (``planner/templates/sweep.html.j2``): the chart, the table, each variant's
    files, and ``planner diff`` of each variant against the first."""
    environment = jinja2.Environment(loader=jinja2.PackageLoader("planner", "templates"), autoescape=True,
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    rows = table.to_dict("records")
    first = next((r["variant"] for r in rows if r["run"] == "done"), None)
    diffs = [f"planner diff {VARIANTS}/{first} {VARIANTS}/{r['variant']}"
             for r in rows if first and r["run"] == "done" and r["variant"] != first]
    columns = [c for c in table.columns if c not in ("command", "error")]
    return environment.get_template("sweep.html.j2").render(
        name=sweep.name, description=sweep.description, columns=columns, rows=rows, variants=VARIANTS,
        diffs=diffs, failed=[r for r in rows if r["run"] == "failed"])


__all__ = ["FILES", "RECORDS", "result_rows", "tradeoff_png", "comparison_html", "write_results"]
