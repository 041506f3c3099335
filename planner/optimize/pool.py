"""Worker processes that stop when the run stops.

Ctrl-C and SIGTERM (:mod:`planner.interrupts`) stop the run in the main process: in a
:func:`worker_pool`, the work not yet started is then cancelled and the worker processes are
ended at once, not left to finish their solves.  The workers ignore Ctrl-C themselves (a
terminal sends it to every process of the command; the main process ends them).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def ignore_interrupts() -> None:
    """In a worker process: leave Ctrl-C to the main process, which ends the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def worker_pool(workers: int, initializer: Callable[..., None] = ignore_interrupts,
                initargs: tuple[Any, ...] = ()) -> Iterator[ProcessPoolExecutor]:
    """``workers`` spawned processes; on any exception (Ctrl-C, SIGTERM, an error) the queued work
    is cancelled and the processes are ended before the exception goes on.

    Parameters
    ----------
    workers : int
        The number of processes.
    initializer : callable
        Run in each process when it starts, with ``initargs``; it must call
        :func:`ignore_interrupts`.
    initargs : tuple
        The initializer's arguments.

    Yields
    ------
    ProcessPoolExecutor
        The pool, shut down (waiting for its work) when the block ends normally.

    Examples
    --------
    >>> with worker_pool(1) as pool:
    ...     pool.submit(abs, -3).result()
    3
    """
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=initializer, initargs=initargs)
    try:
        yield pool
    except BaseException:
        processes = list((pool._processes or {}).values())  # the executor has no public way to end them
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join()
        raise
    pool.shutdown()
