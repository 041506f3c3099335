"""Benchmark 1: Thanh Hóa, 166 new units (the official count), 60 s, 2 workers, access limit 12.6 km.

Run from the project root::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_thanh_hoa.py [--time-limit 60] [--workers 2]

Prints the official plan and the optimizer's plan evaluated under the same rules and data.
Acceptance: meets_standard >= 163, waived + below <= 3, noncontiguous 0, access_mean_km <= 2.3,
access_max_km <= 12.6.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import FIGURES, print_table, run_optimizer  # noqa: E402

from planner import pipeline  # noqa: E402
from planner.optimize import OptimizeSettings  # noqa: E402

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "vn-thanh-hoa"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--access-max-km", type=float, default=12.6)
    args = parser.parse_args()
    scenario, graph = pipeline.open_scenario(SCENARIO)
    baseline = dict(pipeline.evaluate(scenario, graph).summary)
    baseline["plan"] = "official 2025"
    settings = OptimizeSettings(time_limit_s=args.time_limit, seed=args.seed, workers=args.workers,
                                target="count", count=166, access_max_km=args.access_max_km)
    result, summary = run_optimizer(scenario, graph, settings)
    summary["plan"] = "optimizer"
    print_table([baseline, summary], ["plan"] + FIGURES + ["status", "objective", "bound", "gap", "solve_seconds",
                                                          "lns_solves"])
    print(f"optimizer's own count of units meeting the standard: {result.meets_standard} "
          f"(evaluation: {summary['meets_standard']})")


if __name__ == "__main__":
    main()
