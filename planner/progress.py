"""Progress display for long work (stderr, so stdout stays clean for --json)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console

console = Console(stderr=True)


@contextmanager
def step(message: str) -> Iterator[None]:
    """Show a spinner with ``message`` while the block runs, then a tick and the time."""
    import time

    start = time.perf_counter()
    with console.status(message):
        yield
    console.print(f"[green]✓[/green] {message} ({time.perf_counter() - start:.1f} s)")


@contextmanager
def optimizer_progress(total: int) -> Iterator[Callable[[str, object], None]]:
    """A progress bar of the optimizer's neighbourhood solves, with the incumbent plan.

    Yields the ``progress(kind, payload)`` callback of :func:`planner.pipeline.optimize`.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [TextColumn("[bold]optimizing"), BarColumn(), MofNCompleteColumn(), TextColumn("solves"),
               TextColumn("{task.fields[incumbent]}"), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("searching", total=total, incumbent="-")

        def on_event(kind: str, payload: Any) -> None:
            if kind == "solves":
                meets, new_units, done = payload
                progress.update(task, completed=done, incumbent=f"{meets} meet / {new_units} units")
            elif kind == "region":
                progress.advance(task, payload.solves)
                progress.update(task, incumbent=f"parent {payload.parent} done")

        yield on_event
