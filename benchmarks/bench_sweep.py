"""Benchmark: a sweep of 12 variants of Thanh Hóa, one after the other and on a local Dask cluster.

Run from the project root (it takes a while: 12 plans of 547 units, twice)::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_sweep.py [--workers 2] [--solves N] [--out DIR]

The variants: 3 targets (the official count 166, a 60-70 % cut, max-p) x 2 access limits (20 and
25 km) x 2 seeds.  Each variant is first planned alone in this process (the sequential time and the
task times), then the same 12 as a sweep on a local cluster of ``--workers`` processes; the two
sets of folders are compared file by file (summary.json without ``solve_seconds``).  Printed: the
task times, the sequential and the cluster's wall time, the speed-up, the cluster's overhead per
variant, and a projection of the whole-country sweep (63 provinces x 10 variants) on 1, 8 and 64
workers: each province's task time is Thanh Hóa's mean task time scaled by its number of units
(the default effort is two neighbourhood solves per unit), the tasks scheduled largest first on
the workers, plus the measured overhead per task.
"""

from __future__ import annotations

import argparse
import heapq
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from planner.sweep import read_sweep, run_sweep, write_results
from planner.sweep.engine import RECORDS, VARIANTS
from planner.sweep.variant import comparable_files, run_variant

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "vn-thanh-hoa"
NATIONAL_UNITS = ROOT.parent / "shared" / "data" / "vn" / "communes_before.csv"
THANH_HOA_UNITS = 547
PROVINCES, VARIANTS_PER_PROVINCE = 63, 10
PROJECTED_WORKERS = (1, 8, 64)
SWEEP = """\
name: Thanh Hóa, 12 variants
scenario: {scenario}
settings: {settings}
grid:
  target: [{{count: 166}}, {{reduction: [0.6, 0.7]}}, max_p]
  access_max_km: [20, 25]
  seed: [0, 1]
"""


def differing(a: Path, b: Path) -> list[str]:
    """The files that differ between two folders, or are in one only (summary.json without its clock figure)."""
    left, right = comparable_files(a), comparable_files(b)
    return sorted(name for name in left.keys() | right.keys() if left.get(name) != right.get(name))


def sequential(sweep, out: Path) -> dict[str, float]:
    """Plan each variant alone in this process; returns the seconds of each."""
    seconds = {}
    for variant in sweep.variants:
        start = time.perf_counter()
        run_variant(sweep.scenario, variant.settings, out / variant.name)
        seconds[variant.name] = time.perf_counter() - start
        print(f"  {variant.name}: {seconds[variant.name]:.1f} s", flush=True)
    return seconds


def province_units() -> list[int]:
    """The number of units of each province of the national table (Thanh Hóa's alone when it is absent)."""
    if not NATIONAL_UNITS.is_file():
        return [THANH_HOA_UNITS] * PROVINCES
    units = pd.read_csv(NATIONAL_UNITS, dtype=str, usecols=["province_code"])
    return sorted(units["province_code"].value_counts().tolist(), reverse=True)


def makespan(tasks: list[float], workers: int) -> float:
    """The wall time of ``tasks`` scheduled largest first on ``workers`` (each takes the next task when free)."""
    free = [0.0] * workers
    for task in sorted(tasks, reverse=True):
        heapq.heappush(free, heapq.heappop(free) + task)
    return max(free)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster")
    parser.add_argument("--solves", type=int, default=None, help="the effort of each variant (default: two per unit)")
    parser.add_argument("--out", type=Path, default=None, help="folder for the outputs (default: a temporary one)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    out.mkdir(parents=True, exist_ok=True)
    # the scenario's 60 s emergency stop would make a busy run depend on the clock: an hour instead
    settings = json.dumps({"time_limit_s": 3600, **({"solves": args.solves} if args.solves else {})})
    (out / "sweep.yaml").write_text(SWEEP.format(scenario=SCENARIO, settings=settings), encoding="utf-8")
    sweep = read_sweep(out / "sweep.yaml")
    print(f"{len(sweep.variants)} variants of {SCENARIO.name}; outputs in {out}")
    print("sequential, one after the other in this process:")
    start = time.perf_counter()
    alone = sequential(sweep, out / "sequential")
    sequential_s = time.perf_counter() - start
    print(f"local cluster of {args.workers} workers:", flush=True)
    start = time.perf_counter()
    results = run_sweep(sweep, out / "cluster", workers=args.workers)
    cluster_s = time.perf_counter() - start
    write_results(sweep, results, out / "cluster")
    failed = [r.variant.name for r in results if r.status == "failed"]
    tasks = {r.variant.name: json.loads((out / "cluster" / RECORDS / f"{r.variant.name}.json").read_text("utf-8"))
             ["seconds"] for r in results if r.status != "failed"}
    differ = {name: differing(out / "sequential" / name, out / "cluster" / VARIANTS / name) for name in tasks}
    report(alone, tasks, sequential_s, cluster_s, args.workers, failed, differ)


def report(alone: dict[str, float], tasks: dict[str, float], sequential_s: float, cluster_s: float, workers: int,
           failed: list[str], differ: dict[str, list[str]]) -> None:
    """Print the measured times, the comparison and the projection."""
    print(f"{'variant':32} {'alone s':>8} {'in cluster s':>12}")
    for name in alone:
        print(f"{name:32} {alone[name]:8.1f} {tasks.get(name, float('nan')):12.1f}")
    mean_task = statistics.mean(alone.values())
    overhead = max(0.0, cluster_s - makespan(list(tasks.values()), workers)) / max(1, len(tasks))
    print(f"sequential {sequential_s:.1f} s; cluster of {workers}: {cluster_s:.1f} s (speed-up "
          f"{sequential_s / cluster_s:.2f}); overhead {overhead:.1f} s per variant; failed: {failed or 'none'}")
    same = sorted(name for name, files in differ.items() if not files)
    print(f"folders identical to the sequential runs: {len(same)} of {len(differ)}"
          + "".join(f"\n  {name}: {', '.join(files)}" for name, files in differ.items() if files))
    units = province_units()
    per_unit = mean_task / THANH_HOA_UNITS
    country = [per_unit * n + overhead for n in units for _ in range(VARIANTS_PER_PROVINCE)]
    print(f"projection, {len(units)} provinces x {VARIANTS_PER_PROVINCE} variants ({len(country)} tasks, "
          f"{per_unit * 1000:.0f} ms per unit per variant):")
    for count in PROJECTED_WORKERS:
        print(f"  {count:3d} workers: {makespan(country, count) / 3600:.2f} h")


if __name__ == "__main__":
    sys.exit(main())
