"""Numbers on the command line, range-checked as they are parsed.

Each option's value is read by one of the types below: a value that is not a number, not a
whole number where one is needed, not finite, or outside its range ends the command at once
with argparse's usage line, one message naming the option, the value and what was expected,
and exit status 2.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="planner plan")
>>> _ = parser.add_argument("--workers", type=count_of("worker processes"))
>>> parser.parse_args(["--workers", "3"]).workers
3
>>> count_of("worker processes")("0")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected a whole number of at least 1 (worker processes), got '0'
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from typing import Any


def _read(text: str, whole: bool, expected: str) -> float:
    """``text`` as a finite number (a whole one when ``whole``), else an ArgumentTypeError."""
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r} (not a finite number)")
    return value


def count_of(what: str, minimum: int = 1) -> Callable[[str], int]:
    """The type of an option counting ``what``: a whole number of at least ``minimum``.

    Parameters
    ----------
    what : str
        What is counted, for the message ("worker processes").
    minimum : int
        The smallest value allowed.

    Returns
    -------
    callable
        ``str -> int``, raising :class:`argparse.ArgumentTypeError` on a value out of range.
    """
    expected = f"a whole number of at least {minimum} ({what})"

    def parse(text: str) -> int:
        value = int(_read(text, True, expected))
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value
    return parse


def positive_number(what: str) -> Callable[[str], float]:
    """The type of an option holding a finite number of ``what`` above 0 (seconds, kilometres).

    Parameters
    ----------
    what : str
        The unit of the number, for the message ("seconds").

    Returns
    -------
    callable
        ``str -> float``, raising :class:`argparse.ArgumentTypeError` on a value out of range.

    Examples
    --------
    >>> positive_number("seconds")("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a number of seconds above 0, got 'nan' (not a finite number)
    """
    expected = f"a number of {what} above 0"

    def parse(text: str) -> float:
        value = _read(text, False, expected)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value
    return parse


def share(text: str) -> float:
    """The type of an option holding a share of the units: a number from 0 up to (not including) 1.

    Examples
    --------
    >>> share("0.65")
    0.65
    """
    expected = "a share of the units from 0 up to 1 (0.6 for 60 %)"
    value = _read(text, False, expected)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value


class ShareRange(argparse.Action):
    """``--reduction MIN MAX``: two shares (:func:`share`), MIN at most MAX, stored as a tuple."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        low, high = values  # type: ignore[misc]
        if low > high:
            parser.error(f"argument {option_string}: MIN ({low:g}) is above MAX ({high:g}): "
                         "give the smaller share first (e.g. 0.6 0.7)")
        setattr(namespace, self.dest, (low, high))
