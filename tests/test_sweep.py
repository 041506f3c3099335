"""Sweeps on a real Dask cluster of 2 worker processes, with the demo scenario and small efforts.

A small sweep's variant folders equal single ``planner plan`` runs byte for byte (summary.json
without its clock figure), even with a worker killed while it plans a variant; a rerun reuses
every finished variant; a failing variant is reported and the others go on; sweep files are
checked in one pass by ``planner sweep`` and ``planner validate``.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from planner.cli import main
from planner.inputs.problems import InputError
from planner.inputs.scenario import load_scenario
from planner.sweep import read_sweep, run_sweep, write_results
from planner.sweep.engine import RECORDS, VARIANTS, local_cluster
from planner.sweep.spec import plan_command
from planner.sweep.variant import comparable_files, variant_key, worker_pid

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "scenarios" / "demo"
SWEEP = f"""\
name: Demo sweep
description: Two seeds and access limits, the 2026 standards in three districts, and a region with no units.
scenario: {DEMO}
settings:
  solves: 20
variants:
  - name: base
  - {{seed: 1, access_max_km: 20}}
  - name: west-2026
    preset: vn-2026
    where: {{district_code: ["901", "902", "903"]}}
  - name: nowhere
    where: {{district_code: "999"}}
"""


def copy_demo(folder: Path) -> Path:
    """A copy of the demo scenario in ``folder``."""
    for path in DEMO.rglob("*"):
        if path.is_file():
            (folder / path.relative_to(DEMO)).parent.mkdir(parents=True, exist_ok=True)
            (folder / path.relative_to(DEMO)).write_bytes(path.read_bytes())
    return folder


def kill_a_busy_worker(address: str, killed: list[int], stop: threading.Event) -> None:
    """Kill (SIGKILL) the worker process that runs a variant, a few seconds into the variant."""
    from distributed import Client

    with Client(address) as client:
        pids = client.run(worker_pid)
        while not stop.is_set():
            busy = sorted(worker for worker, tasks in client.processing().items() if tasks)
            if busy:
                time.sleep(3)
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(pids[busy[0]])
                return
            time.sleep(0.2)


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The sweep run once on a local cluster of 2 workers, one of them killed mid-variant, then rerun."""
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "sweep.yaml").write_text(SWEEP, encoding="utf-8")
    sweep = read_sweep(folder / "sweep.yaml")
    out = folder / "out"
    killed: list[int] = []
    stop = threading.Event()
    seen = []
    with local_cluster(2) as cluster:
        killer = threading.Thread(target=kill_a_busy_worker, args=(cluster.scheduler_address, killed, stop))
        killer.start()
        try:
            results = run_sweep(sweep, out, scheduler=cluster.scheduler_address, on_progress=seen.append)
        finally:
            stop.set()
            killer.join()
    table = write_results(sweep, results, out)
    first = {name: (out / name).read_bytes() for name in ("sweep.csv", "sweep.xlsx", "comparison.html", "tradeoff.png")}
    started = time.perf_counter()
    rerun = run_sweep(sweep, out)  # no cluster is started when every variant is reused
    rerun_seconds = time.perf_counter() - started
    write_results(sweep, rerun, out)
    return {"sweep": sweep, "out": out, "results": results, "table": table, "killed": killed, "progress": seen,
            "rerun": rerun, "rerun_seconds": rerun_seconds, "first": first}


def test_variants_equal_single_plan_runs_byte_for_byte_with_a_worker_killed(swept, tmp_path):
    assert swept["killed"], "no worker was killed"
    statuses = {r.variant.name: r.status for r in swept["results"]}
    assert statuses == {"base": "done", "seed1_access20": "done", "west-2026": "done", "nowhere": "failed"}
    for result in swept["results"]:
        if result.status != "done":
            continue
        single = tmp_path / result.variant.name
        assert main(plan_command(DEMO, single, result.variant.settings)) == 0
        variant = swept["out"] / VARIANTS / result.variant.name
        assert comparable_files(variant) == comparable_files(single), result.variant.name
    summary = json.loads((swept["out"] / VARIANTS / "west-2026" / "summary.json").read_text("utf-8"))
    assert summary["preset"] == "vn-2026" and summary["units_before"] == 72


def test_a_failing_variant_is_reported_and_the_others_go_on(swept):
    failed = next(r for r in swept["results"] if r.status == "failed")
    assert failed.variant.name == "nowhere" and "999" in failed.error
    assert not (swept["out"] / VARIANTS / "nowhere").exists()
    last = swept["progress"][-1]
    assert (last.total, last.done, last.failed, last.running, last.waiting) == (4, 3, 1, 0, 0)


def test_a_rerun_reuses_every_finished_variant_and_writes_the_same_results(swept):
    statuses = [r.status for r in swept["rerun"]]
    assert statuses == ["reused", "reused", "reused", "failed"]
    for name, data in swept["first"].items():
        assert (swept["out"] / name).read_bytes() == data, name
    records = sorted(p.name for p in (swept["out"] / RECORDS).iterdir())
    assert records == ["base.json", "seed1_access20.json", "west-2026.json"]


def test_results_table_has_a_row_per_variant(swept):
    table = pd.read_csv(swept["out"] / "sweep.csv", dtype=str, keep_default_na=False)
    assert list(table["variant"]) == ["base", "seed1_access20", "west-2026", "nowhere"]
    assert list(table["run"]) == ["done", "done", "done", "failed"]
    base = table.iloc[0]
    assert int(base["units"]) == int(base["meeting"]) + int(base["waived"]) + int(base["below"])
    assert table.iloc[1]["access_limit_km"] == "20" and table.iloc[2]["where"] == "district_code = 901 or 902 or 903"
    assert table.iloc[2]["command"].startswith("planner plan ") and "--preset vn-2026" in table.iloc[2]["command"]
    assert (swept["out"] / "tradeoff.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (swept["out"] / "comparison.html").read_text("utf-8")
    assert "planner diff variants/base variants/west-2026" in page and "nowhere" in page


def test_the_cache_key_follows_settings_and_input_files(tmp_path):
    copy = copy_demo(tmp_path / "demo")
    key = variant_key(copy, {"seed": 0})
    assert variant_key(copy, {"seed": 0}) == key and variant_key(DEMO, {"seed": 0}) == key
    assert variant_key(copy, {"seed": 1}) != key
    units = copy / "units.csv"
    units.write_text(units.read_text("utf-8").replace(",19806,", ",19807,"), encoding="utf-8")
    assert variant_key(copy, {"seed": 0}) != key


BAD_SWEEP = f"""\
scenario: {DEMO}
colour: blue
settings:
  seed: -1
  solves: many
grid:
  target: [{{reduction: [0.7, 0.6]}}, max_q, max_p]
  access_max_km: 20
variants:
  - {{name: a/b, standards: loose}}
"""


def test_a_bad_sweep_file_gives_every_problem_at_once(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_SWEEP, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_sweep(bad)
    messages = [str(p) for p in caught.value.errors]
    for expected in ("key colour", "column 'seed'", "column 'solves'", "grid.target[0]", "grid.target[1]",
                     "key grid.access_max_km", "column 'standards'", "column 'name'"):
        assert any(expected in m for m in messages), (expected, messages)
    assert main(["sweep", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert main(["validate", str(bad)]) == 2
    assert "key colour" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_validate_checks_each_variant_of_a_sweep(tmp_path, capsys):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(f"scenario: {DEMO}\nvariants:\n  - {{name: ok}}\n  - {{name: odd, preset: vn-1999}}\n",
                     encoding="utf-8")
    assert main(["validate", str(sweep)]) == 2
    err = capsys.readouterr().err
    assert "variant odd" in err and "vn-1999" in err and "variant ok" not in err


def test_a_cluster_whose_workers_cannot_start_processes_is_refused(tmp_path):
    from distributed import LocalCluster

    sweep = tmp_path / "sweep.yaml"
    sweep.write_text(f"scenario: {DEMO}\nsettings: {{solves: 20}}\n", encoding="utf-8")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with pytest.raises(InputError, match="DASK_DISTRIBUTED__WORKER__DAEMON=False"):
            run_sweep(read_sweep(sweep), tmp_path / "out", scheduler=cluster.scheduler_address)
    assert not (tmp_path / "out").exists()


def test_plan_solves_the_parent_units_on_a_cluster_with_the_same_files(tmp_path):
    """``planner plan --scheduler``: the regions (here the demo's 12 districts) solved as Dask tasks."""
    scenario = copy_demo(tmp_path / "demo")
    text = (scenario / "scenario.yaml").read_text("utf-8")
    (scenario / "scenario.yaml").write_text(text.replace("preset_overrides: {}", "preset_overrides:\n"
                                                         "  merge_within: district"), encoding="utf-8")
    options = ["--solves", "40"]
    assert main(["plan", str(scenario), "--out", str(tmp_path / "local"), *options]) == 0
    with local_cluster(2) as cluster:
        assert main(["plan", str(scenario), "--out", str(tmp_path / "cluster"), *options,
                     "--scheduler", cluster.scheduler_address]) == 0
        on_cluster = "solve_before" in cluster.scheduler.task_prefixes  # the regions ran as its tasks
    assert load_scenario(scenario).merge_level == "district" and on_cluster
    assert comparable_files(tmp_path / "cluster") == comparable_files(tmp_path / "local")
    summary = json.loads((tmp_path / "cluster" / "summary.json").read_text("utf-8"))
    assert summary["units_after"] < 300
