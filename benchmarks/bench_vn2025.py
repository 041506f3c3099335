"""Benchmark 3: the whole country, each old province with its official 2025 count (target.by_parent).

Run from the project root::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_vn2025.py [--solves N] [--workers 2]

The effort and emergency stop are the scenario's (``solver`` in scenarios/vn-2025) unless given.

One row per province: units, count, units meeting the standard in the official plan and in
the optimizer's plan (same rules, same data), then the totals.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table  # noqa: E402

from planner import pipeline  # noqa: E402
from planner.optimize import OptimizeSettings, optimize  # noqa: E402

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "vn-2025"


def per_province(scenario, evaluation) -> dict[str, dict[str, int]]:
    level = scenario.merge_level
    rows: dict[str, dict[str, int]] = {}
    for _, unit in evaluation.units.iterrows():
        parent = str(scenario.units.at[unit["seat"], level])
        row = rows.setdefault(parent, {"new_units": 0, "meets": 0, "waived": 0, "below": 0, "unchanged": 0})
        row["new_units"] += 1
        row[unit["status"]] += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solves", type=int, help="effort (default: the scenario's solver.solves)")
    parser.add_argument("--time-limit", type=float, help="emergency stop (default: the scenario's)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    scenario, graph = pipeline.open_scenario(SCENARIO)
    official = pipeline.evaluate(scenario, graph)
    result = optimize(scenario, graph, OptimizeSettings.from_solver(
        scenario.solver, solves=args.solves, time_limit_s=args.time_limit, seed=args.seed, workers=args.workers))
    mine = pipeline.evaluate(scenario, graph, result.plan)
    before = per_province(scenario, official)
    after = per_province(scenario, mine)
    rows = []
    for region in result.regions:
        p = region["parent"]
        rows.append({"province": p, "units": region["units"], "count": region["new_units"],
                     "official_meets": before.get(p, {}).get("meets", 0), "planner_meets": after[p]["meets"],
                     "planner_waived": after[p]["waived"], "planner_below": after[p]["below"],
                     "planner_unchanged": after[p]["unchanged"],
                     "seconds": region["seconds"]})
    print_table(rows, list(rows[0]))
    print()
    totals = [dict(official.summary, plan="official 2025"), dict(mine.summary, plan="optimizer", **result.summary())]
    print_table(totals, ["plan", "units_after", "meets_standard", "waived", "below_standard", "unchanged",
                         "noncontiguous",
                         "access_mean_km", "access_max_km", "status", "bound", "solve_seconds"])
    print(f"total wall time: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
