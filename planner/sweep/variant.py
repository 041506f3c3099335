"""One variant of a sweep: the ``planner plan`` run of its settings, and the key it is cached by.

:func:`run_variant` calls the same :mod:`planner.pipeline` functions as ``planner plan`` with the
same settings, so a variant's folder is byte for byte the folder of that command
(:func:`planner.sweep.spec.plan_command`).  :func:`variant_task` is what a Dask worker runs: the
folder is written in a temporary place on the worker and sent back as bytes, so workers need
the scenario's files but no shared disk with the machine that writes the results.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner import __version__, pipeline
from planner.inputs.preset import load_preset
from planner.inputs.problems import InputError, ProblemList
from planner.inputs.scenario import find_scenario_file
from planner.inputs.yamlio import load_yaml
from planner.optimize import OptimizeSettings
from planner.review.scenario_data import data_files, file_digest

#: The figures of summary.json read from the clock, the one difference between two runs of a variant.
CLOCK_KEYS = ("solve_seconds",)


@dataclass
class Outcome:
    """What a variant's task gives back: the files of its folder, or the error that stopped it."""

    files: dict[str, bytes] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0


def scenario_changes(settings: dict[str, Any]) -> dict[str, Any] | None:
    """The keys of scenario.yaml a variant sets (its ``preset``), or None."""
    return {"preset": settings["preset"]} if "preset" in settings else None


def optimize_settings(solver: Any, settings: dict[str, Any]) -> OptimizeSettings:
    """The optimizer's settings of a variant: its settings over the scenario's ``solver`` section,
    as ``planner plan`` makes them from its options."""
    target = settings.get("target")
    mode = target if isinstance(target, str) else next(iter(target)) if target else None
    reduction = target.get("reduction") if isinstance(target, dict) else None
    return OptimizeSettings.from_solver(
        solver, time_limit_s=settings.get("time_limit_s"), seed=settings.get("seed"), workers=settings.get("workers"),
        solves=settings.get("solves"), target=mode, count=target.get("count") if isinstance(target, dict) else None,
        reduction=tuple(reduction) if reduction else None, standards=settings.get("standards"),
        access_max_km=settings.get("access_max_km"))


def run_variant(scenario: str | Path, settings: dict[str, Any], out: str | Path) -> dict[str, Any]:
    """Plan a variant into ``out`` exactly as ``planner plan`` with its options; returns the summary.

    Raises
    ------
    InputError
        When the scenario, changed by the variant, has errors.
    planner.optimize.Infeasible
        (an InputError) When no plan satisfies the variant's hard constraints.
    """
    where = {column: tuple(values) for column, values in settings.get("where", {}).items()}
    opened, graph = pipeline.open_scenario(scenario, scenario_changes(settings), where=where)
    result = pipeline.optimize(opened, graph, optimize_settings(opened.solver, settings))
    evaluation = pipeline.evaluate(opened, graph, result.plan)
    return pipeline.write_outputs(out, opened, graph, evaluation, solver=result.summary())


def variant_task(scenario: str, settings: dict[str, Any]) -> Outcome:
    """Run a variant in a temporary folder and return its files (the task a Dask worker runs).

    A variant whose input or constraints fail gives an :class:`Outcome` with the error; a bug
    raises, and the sweep reports it as the variant's error.
    """
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="planner-variant-") as temporary:
        out = Path(temporary) / "out"
        try:
            run_variant(scenario, settings, out)
        except InputError as error:  # bad input, or no plan satisfies the constraints (Infeasible)
            return Outcome(error="; ".join(str(p) for p in error.errors), seconds=time.perf_counter() - start)
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return Outcome(files=files, seconds=time.perf_counter() - start)


def comparable_files(folder: str | Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), ``summary.json`` without the figures read
    from the clock (:data:`CLOCK_KEYS`): two runs of the same settings give equal dicts."""
    folder = Path(folder)
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "summary.json":
            summary = {k: v for k, v in json.loads(data).items() if k not in CLOCK_KEYS}
            data = json.dumps(summary, sort_keys=True).encode("utf-8")
        files[path.relative_to(folder).as_posix()] = data
    return files


def can_start_processes() -> bool:
    """Whether this process may start worker processes (a daemonic Dask worker may not)."""
    return not multiprocessing.current_process().daemon


def variant_key(scenario: str | Path, settings: dict[str, Any]) -> str:
    """The cache key of a variant: a SHA-256 of its settings, the scenario document it reads (with
    the variant's changes), the bytes of every data file and preset it names, and planner's own files.

    Any change to one of them gives another key, so a rerun plans the variant again.
    """
    file = find_scenario_file(scenario)
    document = load_yaml(file.read_text("utf-8")) if file.is_file() else None
    document = {**document, **(scenario_changes(settings) or {})} if isinstance(document, dict) else {}
    inputs = {label: _digest(file.parent / str(spec["path"])) for label, spec, _ in data_files(document)
              if (file.parent / str(spec["path"])).is_file()}
    overrides = document.get("preset_overrides")
    preset = load_preset(str(document.get("preset")), ProblemList(), base_dir=file.parent,
                         overrides=overrides if isinstance(overrides, dict) else None)
    payload = {"planner": [__version__, planner_digest()], "settings": settings, "scenario": document,
               "inputs": inputs, "preset": preset.data if preset is not None else None}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode("utf-8")).hexdigest()


#: planner's files that do not shape a variant's folder (the CLI, and the sweep's own engine, checks
#: and results): editing them plans no variant again.
NOT_IN_VARIANTS = ("commands/", "sweep/engine.py", "sweep/check.py", "sweep/results.py", "templates/sweep.html.j2")


def _digest(path: Path) -> str:
    """The SHA-256 of a data file, read once for all the variants that name it (while it is unchanged)."""
    stat = path.stat()
    return _file_digest(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    return file_digest(Path(path))


@lru_cache(maxsize=1)
def planner_digest() -> str:
    """A SHA-256 of planner's own files that shape a variant's folder (code, presets, templates):
    new code plans variants again."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc" \
                and not name.startswith(NOT_IN_VARIANTS):
            digest.update(path.relative_to(root).as_posix().encode("utf-8"))
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def worker_pid() -> int:
    """The process id of the process that runs this (a Dask worker's, for ``Client.run``)."""
    return os.getpid()
