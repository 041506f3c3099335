"""Running the regions' work in worker processes.

Regions are solved in worker processes, largest first; a single region uses the workers for
the neighbourhoods of its one search instead.  Results do not depend on how many processes
ran them: the work of each region is fixed before it starts.  An ``executor`` (any
``concurrent.futures.Executor``, such as a Dask client's ``get_executor()``) can run the regions
instead, on other machines too: each region's emergency stop is then sent as the seconds left
and read against the clock of the process that solves it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from typing import Any

from planner.inputs.preset import Preset
from planner.optimize.pool import ignore_interrupts, worker_pool
from planner.optimize.region import Region
from planner.optimize.search import Mapper, SearchSettings, solve_task

#: ``optimize_region(region, preset, settings, mapper, report) -> outcome``; a module-level function
#: (worker processes receive it by name).
RegionSolver = Callable[..., Any]
Progress = Callable[[str, object], None]

_WORKER: dict[str, object] = {}


def sequential_mapper(region: Region, preset: Preset) -> Mapper:
    """Solve a batch of neighbourhoods one after the other in this process."""
    def mapper(tasks):
        return [solve_task(region, preset, task) for task in tasks]
    return mapper


def _init_worker(region: Region, preset: Preset) -> None:
    ignore_interrupts()
    _WORKER["region"], _WORKER["preset"] = region, preset


def _worker_solve(task):
    return solve_task(_WORKER["region"], _WORKER["preset"], task)  # type: ignore[arg-type]


def _search_report(on_progress: Progress) -> Callable[[int, int, int], None]:
    """Report a single region's search as ``("solves", (meets, new_units, solves_done))``."""
    def report(meets: int, new_units: int, done: int) -> None:
        on_progress("solves", (meets, new_units, done))
    return report


def _solve_before(solve_region: RegionSolver, region: Region, preset: Preset, settings: SearchSettings,
                  seconds_left: float | None) -> Any:
    """``solve_region`` with its emergency stop ``seconds_left`` from now on this process's clock."""
    stop_at = None if seconds_left is None else time.monotonic() + seconds_left
    return solve_region(region, preset, replace(settings, stop_at=stop_at))


def run_regions(regions: list[Region], preset: Preset, settings_for: Callable[[Region], SearchSettings],
                workers: int, on_progress: Progress, solve_region: RegionSolver,
                executor: Executor | None = None) -> list[Any]:
    """``solve_region`` on every region; returns the outcomes in region order.

    One region: its neighbourhood solves spread over ``workers`` processes, progress reported
    as ``("solves", (meets, new_units, done))``.  Several: regions spread over the processes
    (or over ``executor``'s workers), each reported as ``("region", outcome)`` when it ends.
    """
    if len(regions) == 1:
        region = regions[0]
        report = _search_report(on_progress)
        if workers > 1:
            with worker_pool(workers, _init_worker, (region, preset)) as pool:
                def mapper(tasks):
                    return list(pool.map(_worker_solve, tasks))
                return [solve_region(region, preset, settings_for(region), mapper, report)]
        return [solve_region(region, preset, settings_for(region), None, report)]
    outcomes: dict[str, Any] = {}
    order = sorted(regions, key=lambda r: (-r.size, r.parent))
    if executor is not None or workers > 1:
        with (contextlib.nullcontext(executor) if executor is not None
              else worker_pool(workers)) as pool:
            futures = {r.parent: _submit(pool, solve_region, r, preset, settings_for(r)) for r in order}
            for region in order:
                outcomes[region.parent] = futures[region.parent].result()
                on_progress("region", outcomes[region.parent])
    else:
        for region in order:
            outcomes[region.parent] = solve_region(region, preset, settings_for(region))
            on_progress("region", outcomes[region.parent])
    return [outcomes[r.parent] for r in regions]


def _submit(pool: Executor, solve_region: RegionSolver, region: Region, preset: Preset,
            settings: SearchSettings) -> Any:
    """Submit a region with its emergency stop as the seconds left (another machine's clock differs)."""
    seconds_left = None if settings.stop_at is None else settings.stop_at - time.monotonic()
    return pool.submit(_solve_before, solve_region, region, preset, settings, seconds_left)
