"""Stopping a run from outside: Ctrl-C (SIGINT) and SIGTERM end it the same way.

Python turns Ctrl-C into :class:`KeyboardInterrupt`; :func:`sigterm_raises` turns SIGTERM into
:class:`Terminated`, a KeyboardInterrupt, so that the same clean-up runs for both: worker
processes are ended (:mod:`planner.optimize.pool`), the temporary folder of an output folder
being written is removed and ``--out`` is left as it was (:mod:`planner.output_folder`).  The
command line exits with status 130 after Ctrl-C and 143 (128 + 15) after SIGTERM.

Python raises the exception only when the main thread runs Python code again, not in the middle
of a long call into C++ such as a CP-SAT solve.  :func:`stop_watch` watches for the signals from
a thread and runs the callbacks registered with :func:`on_signal` at once (the solver module
registers one that stops every running solve), so the exception comes within moments.

Examples
--------
>>> import os
>>> try:
...     with sigterm_raises():
...         os.kill(os.getpid(), signal.SIGTERM)
... except Terminated:
...     print("stopped")
stopped
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

#: The signals that stop a run.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
#: Called (from the watching thread) when a stop signal arrives; see :func:`on_signal`.
_CALLBACKS: list[Callable[[], None]] = []


class Terminated(KeyboardInterrupt):
    """SIGTERM was received: raised like Ctrl-C's KeyboardInterrupt, so the same clean-up runs."""


def _raise_terminated(number: int, frame: Any) -> None:
    raise Terminated(f"stopped by signal {signal.Signals(number).name}")


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` instead of ending the process at once.

    Only in the main thread, and only when SIGTERM has its default action (a handler a program
    set up around planner is left alone); the previous action is back after the block.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL):
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def on_signal(callback: Callable[[], None]) -> None:
    """Run ``callback`` (from another thread, so it must be thread-safe) as soon as Ctrl-C or SIGTERM
    arrives within a :func:`stop_watch`: to end a long call into C++ that Python cannot interrupt."""
    _CALLBACKS.append(callback)


def _watch(reader: int) -> None:
    """Read the signal numbers Python writes to its wakeup pipe; run the callbacks on a stop signal."""
    while True:
        received = os.read(reader, 64)
        if not received:
            return
        if any(number in STOP_SIGNALS for number in received):
            for callback in list(_CALLBACKS):
                callback()


@contextlib.contextmanager
def stop_watch() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` and both Ctrl-C and SIGTERM run the
    :func:`on_signal` callbacks at once; main thread only (elsewhere the block just runs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    reader, writer = os.pipe()
    os.set_blocking(writer, False)
    previous = signal.set_wakeup_fd(writer, warn_on_full_buffer=False)
    watcher = threading.Thread(target=_watch, args=(reader,), name="planner-stop-watch", daemon=True)
    watcher.start()
    try:
        with sigterm_raises():
            yield
    finally:
        signal.set_wakeup_fd(previous)
        os.close(writer)
        watcher.join()
        os.close(reader)
