"""Determinism: the same plan on an idle machine and on a busy one.

Run from the project root::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_determinism.py [--solves N] [--burners 2] [--synthetic 1000]

Each case runs ``planner plan`` twice with the same settings, the second time with ``--burners``
CPU-burning processes alongside (on a 2-core machine, two burners halve the optimizer's share of
the processors), and compares every output file byte for byte (``summary.json`` without
``solve_seconds``, the one figure read from the clock).  Cases: Thanh Hóa at 166 units and
12.6 km, and a synthetic province (``planner.demo.synthetic``, seed 7) at 30 % of its units,
both at the default effort unless ``--solves`` is given.  Acceptance: identical files, status
not ``time_limit``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table, synthetic_scenario_yaml  # noqa: E402

from planner.demo.synthetic import write_scenario  # noqa: E402
from planner.sweep.variant import comparable_files  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PLANNER = [sys.executable, "-c", "import sys; from planner.cli import main; sys.exit(main(sys.argv[1:]))"]


def burn() -> None:
    """Keep one processor busy until killed."""
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003


@contextmanager
def busy(burners: int):
    """``burners`` CPU-burning processes for the duration of the block."""
    processes = [multiprocessing.Process(target=burn, daemon=True) for _ in range(burners)]
    for p in processes:
        p.start()
    try:
        yield
    finally:
        for p in processes:
            p.kill()
            p.join()


def plan(scenario: Path, out: Path, options: list[str]) -> float:
    """Run ``planner plan``; returns the wall-clock seconds."""
    start = time.perf_counter()
    subprocess.run([*PLANNER, "plan", str(scenario), "--out", str(out), *options], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def compare(a: Path, b: Path) -> tuple[int, list[str]]:
    """Files compared and the names of those that differ (or exist on one side only), summary.json's
    clock figures left out (:func:`planner.sweep.variant.comparable_files`)."""
    left, right = comparable_files(a), comparable_files(b)
    names = sorted(set(left) | set(right))
    return len(names), [n for n in names if left.get(n) != right.get(n)]


def run_case(name: str, scenario: Path, options: list[str], burners: int, tmp: Path) -> dict:
    """Two runs of one case, idle and busy; the table row."""
    idle_out, busy_out = tmp / f"{name}-idle", tmp / f"{name}-busy"
    idle_s = plan(scenario, idle_out, options)
    with busy(burners):
        busy_s = plan(scenario, busy_out, options)
    files, differ = compare(idle_out, busy_out)
    summaries = [json.loads((d / "summary.json").read_text("utf-8")) for d in (idle_out, busy_out)]
    return {"case": name, "units_after": summaries[0]["units_after"], "solves": summaries[0]["lns_solves"],
            "idle_s": idle_s, "busy_s": busy_s, "status_idle": summaries[0]["status"],
            "status_busy": summaries[1]["status"], "files": files, "identical": files - len(differ),
            "plan_csv": "identical" if "plan.csv" not in differ else "DIFFERENT",
            "differ": ", ".join(differ) or "-"}


def synthetic_scenario(folder: Path, units: int) -> Path:
    """A synthetic province with the demo's scenario settings, the effort left at the default."""
    write_scenario(folder, n_units=units, seed=7)
    (folder / "scenario.yaml").write_text(synthetic_scenario_yaml(), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solves", type=int, help="effort of every run (default: the default effort)")
    parser.add_argument("--burners", type=int, default=2, help="CPU-burning processes in the busy run")
    parser.add_argument("--synthetic", type=int, default=1000, help="units of the synthetic province (0: none)")
    parser.add_argument("--cases", nargs="+", default=["thanh-hoa", "synthetic"])
    args = parser.parse_args()
    effort = ["--solves", str(args.solves)] if args.solves else []
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "thanh-hoa" in args.cases:
            rows.append(run_case("thanh-hoa", ROOT / "scenarios" / "vn-thanh-hoa",
                                 ["--target-count", "166", "--access-max-km", "12.6", *effort], args.burners, tmp))
        if "synthetic" in args.cases and args.synthetic:
            folder = synthetic_scenario(tmp / f"synthetic-{args.synthetic}", args.synthetic)
            rows.append(run_case(f"synthetic-{args.synthetic}", folder,
                                 ["--target-count", str(round(0.3 * args.synthetic)), *effort], args.burners, tmp))
    print_table(rows, ["case", "units_after", "solves", "idle_s", "busy_s", "status_idle", "status_busy", "files",
                       "identical", "plan_csv", "differ"])


if __name__ == "__main__":
    main()
