"""Working days (Monday to Friday; public holidays are not counted out) for the go-live dates and the seal schedule."""

from __future__ import annotations

import datetime as dt


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a Monday to Friday."""
    return day.weekday() < 5


def working_days_before(day: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (Monday to Friday) before ``day``.

    Examples
    --------
    >>> working_days_before(dt.date(2025, 7, 1), 3)  # a Tuesday
    datetime.date(2025, 6, 26)
    """
    current, left = day, days
    while left > 0:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def working_days_after(day: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``day`` (``day`` itself, or the next working day, for 0).

    Examples
    --------
    >>> working_days_after(dt.date(2025, 6, 26), 3)  # a Thursday
    datetime.date(2025, 7, 1)
    >>> working_days_after(dt.date(2025, 6, 28), 0)  # a Saturday
    datetime.date(2025, 6, 30)
    """
    current, left = day, days
    while left > 0 or not is_working_day(current):
        current += dt.timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def working_days_from(first: dt.date, count: int) -> list[dt.date]:
    """The first ``count`` working days from ``first`` on (``first`` included when it is one).

    Examples
    --------
    >>> working_days_from(dt.date(2025, 6, 27), 3)
    [datetime.date(2025, 6, 27), datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)]
    """
    days, current = [], first
    while len(days) < count:
        if is_working_day(current):
            days.append(current)
        current += dt.timedelta(days=1)
    return days


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days after ``start`` up to ``end`` included (0 when ``end`` is not later).

    Examples
    --------
    >>> working_days_between(dt.date(2025, 7, 1), dt.date(2025, 7, 7))  # Tuesday to the next Monday
    4
    """
    whole_weeks, rest = divmod(max(0, (end - start).days), 7)
    count = 5 * whole_weeks
    for offset in range(1, rest + 1):
        count += is_working_day(start + dt.timedelta(days=7 * whole_weeks + offset))
    return count
