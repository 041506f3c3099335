"""Helpers shared by the benchmark scripts: run the optimizer, print tables."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from planner import pipeline
from planner.optimize import OptimizeSettings, optimize

FIGURES = ["units_after", "meets_standard", "waived", "below_standard", "noncontiguous", "access_mean_km",
           "access_max_km"]


def run_optimizer(scenario, graph, settings: OptimizeSettings) -> tuple[Any, dict[str, Any]]:
    """Optimize, evaluate the plan; returns the result and the evaluation summary with solver figures."""
    start = time.perf_counter()
    result = optimize(scenario, graph, settings)
    evaluation = pipeline.evaluate(scenario, graph, result.plan)
    summary = dict(evaluation.summary)
    summary.update(result.summary())
    summary["wall_seconds"] = round(time.perf_counter() - start, 1)
    return result, summary


def synthetic_scenario_yaml() -> str:
    """The demo's scenario.yaml for a synthetic province: without the demo's agency tables and with
    the default effort (the synthetic generator writes units, boundaries, links and baseline only)."""
    import yaml

    path = Path(__file__).resolve().parent.parent / "scenarios" / "demo" / "scenario.yaml"
    document = yaml.safe_load(path.read_text("utf-8"))
    document.pop("agencies", None)
    document.get("solver", {}).pop("solves", None)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def print_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """A plain text table."""
    widths = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in columns}
    print("  ".join(c.rjust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join(_fmt(row.get(c)).rjust(widths[c]) for c in columns))


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
