"""Progress display for long work (stderr, so stdout stays clean for --json)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
