"""Least-change repair of Thanh Hóa's official plan: units meeting the standard against old units moved.

Run from the project root::

    .venv/bin/python benchmarks/bench_least_change.py [--moves 0 10 25 50 100 none] [--solves 600]
        [--chart out/least-change.png]

Starts from the official 2025 mapping (the scenario's baseline), keeps its 166 new units and
repairs it with at most N moves (``planner plan --from --max-moves N``), N = ``none`` for no
limit.  Prints a table (moves allowed, moves made, meeting / waived / below, access mean and
max, status, seconds) and draws the trade-off chart.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table  # noqa: E402

from planner import pipeline  # noqa: E402
from planner.optimize import OptimizeSettings  # noqa: E402
from planner.review.moves import plan_moves  # noqa: E402

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "vn-thanh-hoa"
COLUMNS = ["max_moves", "moves", "meets_standard", "waived", "below_standard", "access_mean_km", "access_max_km",
           "status", "seconds"]


def repair_row(scenario, graph, settings: OptimizeSettings, max_moves: int | None) -> dict:
    """One repair of the baseline with at most ``max_moves`` moves, evaluated."""
    start = time.perf_counter()
    repair_settings, repair = pipeline.repair_settings(scenario, graph, settings, scenario.baseline, max_moves)
    result = pipeline.optimize(scenario, graph, repair_settings)
    evaluation = pipeline.evaluate(scenario, graph, result.plan)
    row = dict(evaluation.summary)
    row.update(max_moves="none" if max_moves is None else max_moves, status=result.status,
               moves=len(plan_moves(repair.start, evaluation)), seconds=round(time.perf_counter() - start, 1))
    return row


def draw(rows: list[dict], official: dict, path: Path) -> None:
    """Units meeting the standard against moves made, the official plan as the first point."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = [(0, official["meets_standard"])] + [(r["moves"], r["meets_standard"]) for r in rows]
    figure, axes = plt.subplots(figsize=(6, 4), dpi=120)
    axes.plot([p[0] for p in points], [p[1] for p in points], marker="o")
    axes.set_xlabel("old units moved")
    axes.set_ylabel("new units meeting the standard")
    axes.set_title("Thanh Hóa: least-change repair of the official plan (166 units)")
    axes.grid(True, alpha=0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Software": None}, bbox_inches="tight")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", nargs="*", default=["0", "10", "25", "50", "100", "none"])
    parser.add_argument("--solves", type=int, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chart", type=Path, default=Path("out") / "least-change.png")
    args = parser.parse_args()
    scenario, graph = pipeline.open_scenario(SCENARIO)
    official = dict(pipeline.evaluate(scenario, graph).summary)
    official.update(max_moves="official", moves=0, status="-", seconds=0.0)
    settings = OptimizeSettings(seed=0, workers=args.workers, solves=args.solves)
    rows = [repair_row(scenario, graph, settings, None if m == "none" else int(m)) for m in args.moves]
    print_table([official] + rows, COLUMNS)
    draw(rows, official, args.chart)
    print(f"chart: {args.chart}")


if __name__ == "__main__":
    main()
