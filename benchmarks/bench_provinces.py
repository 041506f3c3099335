"""The province level: the official 34-province map judged, and the optimizer's 34-province map beside it.

Reads scenarios/vn-2025-provinces (the 63 old provinces dissolved from the 10,035 communes of ../shared/data/vn),
evaluates its baseline (the official 63 -> 34 mapping of Resolution 202/2025/QH15) and plans 34 provinces with the
optimizer, access read at commune level (the population-weighted distance from each commune to the new provincial
seat, the evaluation's measure).  Prints, for each map, a row per new province (old provinces, population, area,
standard status, what falls short, mean and max commune distance to the seat), then both maps side by side with the
optimizer's bound and the times.

Run: ``.venv/bin/python benchmarks/bench_provinces.py`` (target: at most 60 s on a 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pandas as pd
from common import print_table

from planner import pipeline
from planner.optimize import OptimizeSettings, optimize

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "vn-2025-provinces"
COLUMNS = ["new_unit", "name", "n", "population", "area_km2", "kind", "status", "failing", "mean_km", "max_km"]
SIDE = ["map", "units", "meets", "below", "access_mean_km", "access_max_km", "km_over_100", "objective", "bound",
        "bound_method", "seconds"]


def province_rows(units: pd.DataFrame) -> list[dict[str, object]]:
    """One row per new province, by code."""
    return [{"new_unit": u["new_unit"], "name": u["name"], "n": int(u["n_constituents"]),
             "population": f"{float(u['population']):,.0f}", "area_km2": f"{float(u['area_km2']):,.0f}",
             "kind": u["kind"], "status": u["status"], "failing": u["failing"] or "-",
             "mean_km": float(u["access_mean_km"]), "max_km": float(u["access_max_km"])}
            for u in units.sort_values("new_unit").to_dict("records")]


def side_row(label: str, evaluation, seconds: float, result=None) -> dict[str, object]:
    """The headline figures of one map."""
    summary = evaluation.summary
    parts = evaluation.parts
    far = int((parts["distance_km"] > 100).sum()) if parts is not None else None
    return {"map": label, "units": summary["units_after"], "meets": summary["meets_standard"],
            "below": summary["below_standard"], "access_mean_km": summary["access_mean_km"],
            "access_max_km": summary["access_max_km"], "km_over_100": far,
            "objective": result.objective if result else "-", "bound": result.bound if result else "-",
            "bound_method": result.bound_method if result else "-", "seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solves", type=int, default=None, help="the optimizer's effort (default: the scenario's)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    start = time.perf_counter()
    scenario, graph = pipeline.open_scenario(SCENARIO)
    read_s = time.perf_counter() - start
    clock = time.perf_counter()
    official = pipeline.evaluate(scenario, graph, scenario.baseline)
    official_s = time.perf_counter() - clock
    clock = time.perf_counter()
    settings = OptimizeSettings(seed=args.seed, workers=args.workers, target="count", count=34,
                                solves=args.solves if args.solves is not None else scenario.solver.solves,
                                time_limit_s=scenario.solver.time_limit_s)
    result = optimize(scenario, graph, settings)
    optimized = pipeline.evaluate(scenario, graph, result.plan)
    optimize_s = time.perf_counter() - clock
    total_s = time.perf_counter() - start
    print(f"\nscenario read in {read_s:.1f} s: {len(scenario.units)} old provinces from {len(scenario.parts)} "
          f"communes")
    print("\nThe official 34 provinces (Resolution 202/2025/QH15):")
    print_table(province_rows(official.units), COLUMNS)
    print(f"\nThe optimizer's 34 provinces ({result.solves} neighbourhood solves, seed {args.seed}, "
          f"{args.workers} workers; status {result.status}):")
    print_table(province_rows(optimized.units), COLUMNS)
    print("\nSide by side (access: population-weighted distance from each commune to its provincial seat; "
          "km_over_100: communes farther than 100 km):")
    print_table([side_row("official", official, official_s), side_row("optimizer", optimized, optimize_s, result)],
                SIDE)
    print(f"\ntotal {total_s:.1f} s (read {read_s:.1f}, official {official_s:.1f}, optimizer and its evaluation "
          f"{optimize_s:.1f}); load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
