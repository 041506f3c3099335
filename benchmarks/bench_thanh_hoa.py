"""Benchmark 1: Thanh Hóa, 166 new units (the official count), 2 workers, access limit 12.6 km.

Run from the project root::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_thanh_hoa.py [--solves N ...] [--workers 2]

Prints the official plan and the optimizer's plans (one per effort given with ``--solves``;
default: the default effort, two solves per old unit) evaluated under the same rules and data.
Acceptance: 166 meeting the standard, access_mean_km <= 2.20 (official plan 2.60), at the default
effort in at most 90 s on an idle machine.
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
    parser.add_argument("--solves", type=int, nargs="+", default=[None],
                        help="efforts to run (neighbourhood solves in all; default: the default effort)")
    parser.add_argument("--time-limit", type=float, default=None, help="emergency stop (default: the default)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--access-max-km", type=float, default=12.6)
    args = parser.parse_args()
    scenario, graph = pipeline.open_scenario(SCENARIO)
    baseline = dict(pipeline.evaluate(scenario, graph).summary)
    baseline["plan"] = "official 2025"
    rows = [baseline]
    for solves in args.solves:
        settings = OptimizeSettings(seed=args.seed, workers=args.workers, target="count", count=166,
                                    access_max_km=args.access_max_km, solves=solves)
        if args.time_limit is not None:
            settings.time_limit_s = args.time_limit
        result, summary = run_optimizer(scenario, graph, settings)
        summary["plan"] = f"optimizer, {settings.total_solves(graph.number_of_nodes())} solves"
        rows.append(summary)
        print(f"optimizer's own count of units meeting the standard: {result.meets_standard} "
              f"(evaluation: {summary['meets_standard']})", flush=True)
    print_table(rows, ["plan"] + FIGURES + ["status", "objective", "bound", "gap", "solve_seconds", "lns_solves"])


if __name__ == "__main__":
    main()
