"""Running a sweep's variants on Dask distributed: a local cluster of processes, or an existing one.

Each variant is one Dask task (:func:`planner.sweep.variant.variant_task`).  Its files come back
as bytes and are written here into ``OUT/variants/NAME`` through
:func:`planner.output_folder.output_folder`, then a record of the variant's cache key goes into
``OUT/.sweep/NAME.json``; a rerun reuses every variant whose key and folder are there.  A worker
that dies has its task run again by the scheduler (up to ``distributed.scheduler.allowed-failures``
times); a variant that fails is reported with its error and the others go on.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.inputs.problems import InputError, Problem
from planner.output_folder import check_output_folder, output_folder
from planner.outputs import write_bytes, write_json
from planner.sweep.spec import Sweep, Variant
from planner.sweep.variant import Outcome, can_start_processes, variant_key, variant_task

VARIANTS = "variants"
RECORDS = ".sweep"
#: Seconds between two progress reports while variants run.
REPORT_EVERY_S = 2.0


@dataclass
class VariantResult:
    """How a variant ended: ``done`` (planned now), ``reused`` (planned by an earlier run) or ``failed``."""

    variant: Variant
    status: str
    error: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Progress:
    """Counts of the sweep's variants: finished (planned now or reused), running, failed, waiting."""

    total: int
    done: int
    reused: int
    running: int
    failed: int

    @property
    def waiting(self) -> int:
        """Variants not started yet."""
        return self.total - self.done - self.reused - self.running - self.failed


def run_sweep(sweep: Sweep, out: str | Path, *, scheduler: str | None = None, workers: int = 2,
              on_progress: Callable[[Progress], None] | None = None) -> list[VariantResult]:
    """Plan every variant of ``sweep`` not already in ``out``; returns the results in the sweep's order.

    Parameters
    ----------
    sweep : Sweep
        The checked sweep (:func:`planner.sweep.spec.read_sweep`).
    out : str or Path
        The sweep's folder: ``variants/NAME`` per variant, and the records of finished ones.
    scheduler : str, optional
        The address of a Dask scheduler (``tcp://HOST:8786``); default: a local cluster.
    workers : int
        Worker processes of the local cluster (one task each at a time).
    on_progress : callable, optional
        Called with a :class:`Progress` as variants start and end.
    """
    out = check_output_folder(out)
    report = on_progress or (lambda _: None)
    keys = {v.name: variant_key(sweep.scenario, v.settings) for v in sweep.variants}
    recorded = {v.name: _recorded(out, v.name, keys[v.name]) for v in sweep.variants}
    results = {v.name: VariantResult(v, "reused", seconds=recorded[v.name])
               for v in sweep.variants if recorded[v.name] is not None}
    todo = [v for v in sweep.variants if v.name not in results]
    if todo:
        with connect(scheduler, workers) as client:
            _check_workers(client, todo)
            _run(client, sweep, todo, keys, out, results, report)
    report(_progress(sweep, results, 0))
    return [results[v.name] for v in sweep.variants]


@contextlib.contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A Dask client of the scheduler at ``scheduler``, else of a :func:`local_cluster` of ``workers`` processes."""
    from distributed import Client

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with local_cluster(workers) as cluster, Client(cluster) as client:
        yield client


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A Dask ``LocalCluster`` of ``workers`` processes of one thread each, on this machine.

    Its workers are not daemonic processes, so that a variant's optimizer can start its own
    worker processes (its ``workers`` setting), also in a worker restarted after a crash.
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                         silence_logs=logging.CRITICAL) as cluster:
        yield cluster


@contextlib.contextmanager
def regions_executor(scheduler: str | None) -> Iterator[Any]:
    """A ``concurrent.futures.Executor`` of the Dask scheduler at ``scheduler`` (None without one), on which
    :func:`planner.pipeline.optimize` solves the parent units' regions of one plan (``planner plan --scheduler``)."""
    if not scheduler:
        yield None
        return
    with connect(scheduler, 0) as client:
        yield client.get_executor(pure=False)


def _check_workers(client: Any, todo: list[Variant]) -> None:
    """Refuse a cluster whose workers cannot start processes when a variant's optimizer needs them."""
    if all(v.settings.get("workers") == 1 for v in todo):
        return
    daemonic = sorted(address for address, able in client.run(can_start_processes).items() if not able)
    if daemonic:
        raise InputError([Problem("--scheduler", "", "", f"the Dask workers {', '.join(daemonic)} are daemonic "
                                  "processes and cannot start the optimizer's worker processes: start them with "
                                  "DASK_DISTRIBUTED__WORKER__DAEMON=False dask worker ... (see docs/sweep.md)")])


def _run(client: Any, sweep: Sweep, todo: list[Variant], keys: dict[str, str], out: Path,
         results: dict[str, VariantResult], report: Callable[[Progress], None]) -> None:
    """Submit the variants, write each one's folder as it ends, and report progress meanwhile."""
    from distributed import wait

    futures = {client.submit(variant_task, str(sweep.scenario), v.settings, key=f"variant-{v.name}-{keys[v.name]}",
                             pure=False): v for v in todo}
    pending = set(futures)
    while pending:
        with contextlib.suppress(TimeoutError):
            wait(pending, timeout=REPORT_EVERY_S, return_when="FIRST_COMPLETED")
        finished = {future for future in pending if future.done()}
        pending -= finished
        for future in sorted(finished, key=lambda f: futures[f].name):
            variant = futures[future]
            results[variant.name] = _finish(future, variant, keys[variant.name], out)
        report(_progress(sweep, results, _running(client, pending)))


def _finish(future: Any, variant: Variant, key: str, out: Path) -> VariantResult:
    """Write a finished variant's folder and record (or say why it failed)."""
    try:
        outcome: Outcome = future.result()
    except Exception as error:  # a bug in planner, or a worker that died too often (KilledWorker)
        text = " ".join(str(error).split()) or "(no message)"
        return VariantResult(variant, "failed", f"{type(error).__name__}: {text}")
    if outcome.error:
        return VariantResult(variant, "failed", outcome.error, outcome.seconds)
    with output_folder(out / VARIANTS / variant.name) as folder:
        for name, data in outcome.files.items():
            write_bytes(folder / name, data)
    write_json({"key": key, "seconds": round(outcome.seconds, 1), "settings": variant.settings},
               out / RECORDS / f"{variant.name}.json")
    return VariantResult(variant, "done", seconds=outcome.seconds)


def _recorded(out: Path, name: str, key: str) -> float | None:
    """The seconds a finished variant took, when ``out`` holds its folder under the same key; else None."""
    record = out / RECORDS / f"{name}.json"
    if not record.is_file() or not (out / VARIANTS / name / "summary.json").is_file():
        return None
    try:
        data = json.loads(record.read_text("utf-8"))
    except ValueError:
        return None
    return float(data.get("seconds", 0.0)) if isinstance(data, dict) and data.get("key") == key else None


def _running(client: Any, pending: set[Any]) -> int:
    """How many of the ``pending`` tasks a worker is running now."""
    keys = {future.key for future in pending}
    try:
        processing, threads = client.processing(), client.nthreads()
    except Exception:  # the scheduler is restarting a worker: count none running for now
        return 0
    return sum(min(threads.get(worker, 1), sum(key in keys for key in tasks)) for worker, tasks in processing.items())


def _progress(sweep: Sweep, results: dict[str, VariantResult], running: int) -> Progress:
    statuses = [r.status for r in results.values()]
    return Progress(len(sweep.variants), statuses.count("done"), statuses.count("reused"), running,
                    statuses.count("failed"))


def progress_line(progress: Progress, started: float) -> str:
    """One line of a sweep's progress: ``3 done (1 reused), 2 running, 0 failed, 7 waiting of 12 (41 s)``."""
    finished = progress.done + progress.reused
    return (f"{finished} done ({progress.reused} reused), {progress.running} running, {progress.failed} failed, "
            f"{progress.waiting} waiting of {progress.total} ({time.perf_counter() - started:.0f} s)")
