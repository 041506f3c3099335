"""Ctrl-C (SIGINT) and SIGTERM stop a command: exit status 130 after SIGINT and 143 after SIGTERM,
``--out`` left as it was and no temporary folder left beside it.

The signals are real: sent to a ``planner plan`` process on the demo once it is optimizing (a
plan of the demo at 200 solves takes far longer than the moments the test waits)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from planner.interrupts import Terminated, stop_watch
from planner.output_folder import output_folder
from planner.outputs import write_text

DEMO = ROOT / "scenarios" / "demo"


def _folder_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _previous_run(tmp_path: Path) -> Path:
    """An output folder as a previous run and its user left it: planner's files and a user's note."""
    out = tmp_path / "out"
    out.mkdir()
    write_text(out / "report.md", "# the previous plan\n")
    write_text(out / "notes.txt", "a user's notes\n")
    return out


@pytest.mark.parametrize(("number", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_plan_while_it_optimizes(number: int, status: int, tmp_path: Path) -> None:
    out = _previous_run(tmp_path)
    before = _folder_state(out)
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", "plan", str(DEMO), "--out", str(out), "--solves", "200"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seen = []
    for line in process.stderr:  # type: ignore[union-attr]
        seen.append(line)
        if "building the unit graph" in line:  # the optimizer starts next
            break
    time.sleep(2)
    process.send_signal(number)
    _, rest = process.communicate()
    err = "".join(seen) + rest
    assert process.returncode == status, err
    assert "✓ optimizer" not in err and "Traceback" not in err
    assert ("terminated (SIGTERM)" if number == signal.SIGTERM else "interrupted") in err
    assert _folder_state(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_sigterm_while_writing_removes_the_temporary_folder(tmp_path: Path) -> None:
    out = _previous_run(tmp_path)
    before = _folder_state(out)
    with pytest.raises(Terminated), output_folder(out) as folder:
        write_text(folder / "report.md", "# half of a new plan\n")
        os.kill(os.getpid(), signal.SIGTERM)
        write_text(folder / "summary.json", "{}\n")
    assert _folder_state(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_the_stop_watch_runs_callbacks_and_restores_the_signals() -> None:
    from planner import interrupts

    called = []
    interrupts.on_signal(lambda: called.append(True))
    try:
        with pytest.raises(KeyboardInterrupt), stop_watch():
            os.kill(os.getpid(), signal.SIGINT)
            while not called:  # the watching thread runs the callback
                time.sleep(0.01)
    finally:
        interrupts._CALLBACKS.pop()
    assert called == [True]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    assert signal.set_wakeup_fd(-1) == -1


def test_a_worker_pool_ends_its_processes_when_the_run_stops() -> None:
    from planner.optimize.pool import worker_pool

    with pytest.raises(KeyboardInterrupt), worker_pool(2) as pool:
        pool.submit(time.sleep, 600).add_done_callback(lambda _: None)
        processes = list(pool._processes.values())
        raise KeyboardInterrupt
    assert processes and not any(process.is_alive() for process in processes)
