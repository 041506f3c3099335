"""Same outputs before and after a change: plan, evaluate and demo files of two revisions, byte by byte.

Run from the project root::

    .venv/bin/python benchmarks/bench_same_outputs.py --base REV [--head REV] [--revert COMMIT ...] [--quick]

Each side is a git worktree of the revision (``--head`` defaults to the working tree), run with
its own code from the same virtual environment.  Jobs: ``planner plan`` and ``planner
evaluate`` on the demo and on Thanh Hóa (same seed and settings, the scenarios' own), with
``--quick`` only the demo.  ``--revert COMMIT`` undoes a commit in the head worktree first
(to compare a refactoring with a behaviour change that came after it set aside).  Prints a
table: job, file, identical or not, the two SHA-256 prefixes, and each run's status and
seconds; a ``time_limit`` status means the run was stopped by the clock and is not
reproducible (rerun on an idle machine).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ["plan.csv", "units.csv", "members.csv", "report.md", "gaps.csv", "staffing.csv"]
JOBS = {
    "demo plan": ["plan", "scenarios/demo"],
    "demo evaluate": ["evaluate", "scenarios/demo", "--no-maps"],
    "Thanh Hóa plan": ["plan", "scenarios/vn-thanh-hoa"],
    "Thanh Hóa evaluate": ["evaluate", "scenarios/vn-thanh-hoa", "--no-maps"],
}
QUICK = ("demo plan", "demo evaluate")


def checkout(revision: str | None, reverts: list[str], folder: Path) -> Path:
    """A worktree of ``revision`` beside the project (so ``../shared`` resolves), or the working tree."""
    if revision is None and not reverts:
        return ROOT
    target = ROOT.parent / f".bench-{folder.name}"
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(target), revision or "HEAD"], cwd=ROOT,
                   check=True, capture_output=True)
    for commit in reverts:
        subprocess.run(["git", "revert", "--no-commit", commit], cwd=target, check=True, capture_output=True)
    return target


def run_job(code: Path, args: list[str], out: Path) -> dict[str, object]:
    """Run one planner command with the code of ``code``; returns status and seconds."""
    start = time.perf_counter()
    command = [sys.executable, str(code / "cli.py"), *args, "--out", str(out)]
    done = subprocess.run(command, cwd=code, env={**os.environ, "PYTHONPATH": str(code)},
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {code}:\n{done.stderr[-2000:]}")
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    return {"status": summary.get("status", "-"), "seconds": round(time.perf_counter() - start, 1)}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "missing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the revision before the change")
    parser.add_argument("--head", help="the revision after it (default: the working tree)")
    parser.add_argument("--revert", nargs="*", default=[], metavar="COMMIT", help="commits undone in the head")
    parser.add_argument("--quick", action="store_true", help="the demo only")
    args = parser.parse_args()
    jobs = {k: v for k, v in JOBS.items() if not args.quick or k in QUICK}
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp)
        sides = {"base": checkout(args.base, [], out / "base"), "head": checkout(args.head, args.revert, out / "head")}
        try:
            rows, runs = [], {}
            for job, job_args in jobs.items():
                for side, code in sides.items():
                    runs[job, side] = run_job(code, job_args, out / side / job.replace(" ", "-"))
                for name in FILES:
                    a, b = (digest(out / side / job.replace(" ", "-") / name) for side in sides)
                    rows.append((job, name, "identical" if a == b else "DIFFERENT", a, b))
        finally:
            for code in sides.values():
                if code != ROOT:
                    subprocess.run(["git", "worktree", "remove", "--force", str(code)], cwd=ROOT, capture_output=True)
    print(f"{'job':20} {'file':13} {'result':10} {'base':12} {'head':12}")
    for row in rows:
        print(f"{row[0]:20} {row[1]:13} {row[2]:10} {row[3]:12} {row[4]:12}")
    print()
    for (job, side), run in runs.items():
        print(f"{job:20} {side:5} status {run['status']:14} {run['seconds']:7.1f} s")
    different = sum(row[2] != "identical" for row in rows)
    print(f"\n{len(rows) - different} of {len(rows)} files identical")


if __name__ == "__main__":
    main()
