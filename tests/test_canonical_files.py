"""Every file planner writes is canonical: the same inputs give the same bytes.

Each run is a separate process with its own hash seed, so an order that depends on set or
dict iteration (or on anything else of the process) shows up as a difference.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from diff_helpers import PLAN_V2, PROJECT_ROOT, SEATS_V2, write_data, write_plan, write_scenario


def planner(*args: str, seed: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True,
                          env=environment, cwd=PROJECT_ROOT, check=True)


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_evaluate_twice_gives_identical_bytes(tmp_path):
    write_data(tmp_path / "data")
    scenario = tmp_path / "scenario"
    write_scenario(scenario, "../data", version=1, count=4)
    planner("evaluate", str(scenario), "--out", str(tmp_path / "one"), seed="1")
    planner("evaluate", str(scenario), "--out", str(tmp_path / "two"), seed="2")
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert {"members.csv", "plan.csv", "report.md", "summary.json", "units.csv"} <= set(one)
    assert sorted(one) == sorted(two)
    for name in one:
        assert one[name] == two[name], name
        if name.endswith((".csv", ".md", ".json")):
            assert b"\r" not in one[name]
            one[name].decode("utf-8")


def test_diff_outputs_are_identical_across_runs(tmp_path):
    write_data(tmp_path / "data")
    scenario = tmp_path / "scenario"
    write_scenario(scenario, "../data", version=1, count=4)
    write_plan(tmp_path / "b.csv", PLAN_V2, SEATS_V2)
    outputs = []
    for seed in ("3", "4"):
        args = ["diff", str(scenario / "plan.csv"), str(tmp_path / "b.csv"), "--scenario", str(scenario)]
        data = planner(*args, "--json", "--map", str(tmp_path / f"map{seed}.svg"), seed=seed).stdout
        outputs.append((data, (tmp_path / f"map{seed}.svg").read_bytes()))
    assert outputs[0] == outputs[1]
    assert '"moved": 1' in outputs[0][0]
