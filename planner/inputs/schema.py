"""Shapes of settings: the checker of ``scenario.yaml`` and preset documents.

A shape (:class:`Spec`) says what one value of a YAML document must be: a text, a number in a
range, true or false, a date, one of a few words, a list or a mapping of known keys.
:meth:`Spec.clean` walks a value, reports every value of the wrong shape and every unknown key
(with the closest known key: "did you mean 'boundaries'?") through ``report(key, message)``, and
returns the value with its wrong parts left out (:data:`DROP`) and its numbers and dates typed, so
that the readers after it meet only values of the right shape.  The shapes of planner's settings
are in :mod:`planner.inputs.settings`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction as _Fraction
from typing import Any

from planner.inputs.tables import control_character

#: ``report(key, message)``: records an error at a key of the document (``units.columns.parents``).
Report = Callable[[str, str], None]


class _Drop:
    """The marker of a value left out because its shape is wrong."""

    def __repr__(self) -> str:
        return "DROP"


DROP = _Drop()


def describe(value: Any) -> str:
    """A value as a message shows it: its YAML type and, when short, the value.

    Examples
    --------
    >>> describe(["a", "b"]), describe("far"), describe(True)
    ("a list ['a', 'b']", "'far'", 'true')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return f"a mapping {dict(value)!r}"[:80]
    if isinstance(value, list):
        return f"a list {value!r}"[:80]
    return repr(value) if isinstance(value, str) else str(value)


def suggestion(key: str, known: list[str]) -> str:
    """The closing words of an unknown key's message: the closest known key, else all of them.

    Examples
    --------
    >>> suggestion("boundries", ["units", "boundaries", "links"])
    "did you mean 'boundaries'?"
    """
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"expected one of {', '.join(sorted(known))}" if known else "no keys are expected here"


def _join(key: str, part: str) -> str:
    """The key of a value inside the value at ``key`` (``units`` + ``path`` -> ``units.path``)."""
    return f"{key}{part}" if part.startswith("[") or not key else f"{key}.{part}"


@dataclass(frozen=True)
class Spec:
    """The shape of one value.  Subclasses say which values ``fits`` and how ``clean`` reads them."""

    expected: str = field(default="a value", kw_only=True)
    #: Whether an empty value (``key:`` with nothing after it, ``null``) is allowed: the reader's default.
    nullable: bool = field(default=False, kw_only=True)

    def fits(self, value: Any) -> bool:
        """Whether the value is of this shape's YAML type (a mapping, a list or a scalar)."""
        return True

    def clean(self, value: Any, key: str, report: Report) -> Any:
        """The value, typed, or :data:`DROP` after reporting why it is of the wrong shape."""
        if not self.fits(value):
            report(key, f"expected {self.expected}, got {describe(value)}")
            return DROP
        return self.read(value, key, report)

    def read(self, value: Any, key: str, report: Report) -> Any:
        """The typed value of a value that fits (the default: the value itself)."""
        return value


def _scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list))


@dataclass(frozen=True)
class Text(Spec):
    """A text: a YAML string or number (codes and column names), not a list or mapping (nor true/false)."""

    expected: str = field(default="a text", kw_only=True)
    flags: bool = False

    def fits(self, value: Any) -> bool:
        return value is not None and _scalar(value) and (self.flags or not isinstance(value, bool))

    def read(self, value: Any, key: str, report: Report) -> Any:
        if isinstance(value, str) and control_character(value):
            report(key, f"the text holds the control character {control_character(value)}: remove it")
            return DROP
        return value


@dataclass(frozen=True)
class Number(Spec):
    """A finite number (``integer``: a whole one) of at least ``minimum``, above ``above``, at most ``maximum``."""

    expected: str = field(default="a number", kw_only=True)
    integer: bool = False
    minimum: float | None = None
    above: float | None = None
    maximum: float | None = None

    def fits(self, value: Any) -> bool:
        return _scalar(value) and not isinstance(value, bool)

    def read(self, value: Any, key: str, report: Report) -> Any:
        number = self.parse(value)
        if number is None or not self.in_range(number):
            report(key, f"{describe(value)} is not {self.expected}")
            return DROP
        return number if not isinstance(value, str) else (int(number) if self.integer else number)

    def parse(self, value: Any) -> float | None:
        """The value as a number (None when it is not one, or not whole when ``integer``)."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        if not math.isfinite(number) or (self.integer and not number.is_integer()):
            return None
        return number

    def in_range(self, number: float) -> bool:
        """Whether the number is of at least ``minimum``, above ``above`` and at most ``maximum``."""
        return ((self.minimum is None or number >= self.minimum) and (self.above is None or number > self.above)
                and (self.maximum is None or number <= self.maximum))


@dataclass(frozen=True)
class Share(Number):
    """A share from 0 to 1, written as a number or a fraction such as ``2/3``."""

    expected: str = field(default="a share from 0 to 1 (such as 0.5 or 2/3)", kw_only=True)
    minimum: float | None = 0.0
    maximum: float | None = 1.0

    def parse(self, value: Any) -> float | None:
        if isinstance(value, str) and "/" in value:
            try:
                return float(_Fraction(value.replace(" ", "")))
            except (ValueError, ZeroDivisionError):
                return None
        return super().parse(value)

    def read(self, value: Any, key: str, report: Report) -> Any:
        number = super().read(value, key, report)
        return value if number is not DROP and isinstance(value, str) and "/" in value else number


@dataclass(frozen=True)
class Flag(Spec):
    """``true`` or ``false`` (a YAML boolean; ``no`` or ``"false"`` is a text and refused)."""

    expected: str = field(default="true or false", kw_only=True)

    def fits(self, value: Any) -> bool:
        return isinstance(value, bool)


@dataclass(frozen=True)
class Date(Spec):
    """A date, YYYY-MM-DD (a YAML date or a text of one)."""

    expected: str = field(default="a date, YYYY-MM-DD", kw_only=True)

    def fits(self, value: Any) -> bool:
        return _scalar(value) and not isinstance(value, bool)

    def read(self, value: Any, key: str, report: Report) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            report(key, f"{describe(value)} is not {self.expected}")
            return DROP


@dataclass(frozen=True)
class Choice(Spec):
    """One of a few words (compared without case and surrounding spaces)."""

    choices: tuple[str, ...] = ()

    def fits(self, value: Any) -> bool:
        return _scalar(value) and not isinstance(value, bool)

    def read(self, value: Any, key: str, report: Report) -> Any:
        if str(value).strip().lower() not in {c.lower() for c in self.choices}:
            report(key, f"{describe(value)} is not a choice: expected one of {', '.join(map(repr, self.choices))}")
            return DROP
        return value


@dataclass(frozen=True)
class ListOf(Spec):
    """A list whose items have the shape ``item`` (the wrong items are left out)."""

    item: Spec = field(default_factory=Text)
    expected: str = field(default="a list", kw_only=True)
    nullable: bool = field(default=True, kw_only=True)

    def fits(self, value: Any) -> bool:
        return isinstance(value, list)

    def read(self, value: Any, key: str, report: Report) -> Any:
        items = [self.item.clean(v, f"{key}[{i}]", report) for i, v in enumerate(value)]
        return [v for v in items if v is not DROP]


@dataclass(frozen=True)
class OneOrList(ListOf):
    """One value of the shape ``item``, or a list of them."""

    def fits(self, value: Any) -> bool:
        return isinstance(value, list) or self.item.fits(value)

    def read(self, value: Any, key: str, report: Report) -> Any:
        return super().read(value, key, report) if isinstance(value, list) else self.item.clean(value, key, report)


@dataclass(frozen=True)
class Either(Spec):
    """The first of ``shapes`` whose YAML type the value has (a text, or a mapping of ``default`` and ``values``)."""

    shapes: tuple[Spec, ...] = ()
    nullable: bool = field(default=True, kw_only=True)

    def fits(self, value: Any) -> bool:
        return any(shape.fits(value) for shape in self.shapes)

    def read(self, value: Any, key: str, report: Report) -> Any:
        return next(shape for shape in self.shapes if shape.fits(value)).clean(value, key, report)


@dataclass(frozen=True)
class Map(Spec):
    """A mapping of the known keys ``keys`` (each with its shape), or of any keys whose values are ``values``.

    Unknown keys of a mapping of known keys are errors naming the closest known key.  ``ordered``
    names two keys whose numbers must not decrease (``("min", "max")``).  An empty value
    (``key:`` with nothing after it) is left as it is, for the readers' defaults, where the key's
    shape is ``nullable`` (mappings and lists are), and an error elsewhere.
    """

    keys: Mapping[str, Spec] = field(default_factory=dict)
    values: Spec | None = None
    expected: str = field(default="a mapping of keys", kw_only=True)
    nullable: bool = field(default=True, kw_only=True)
    ordered: tuple[str, str] | None = None

    def fits(self, value: Any) -> bool:
        return isinstance(value, Mapping)

    def read(self, value: Any, key: str, report: Report) -> Any:
        cleaned: dict[Any, Any] = {}
        for name, item in value.items():
            shape = self.values if self.values is not None else self.keys.get(str(name))
            if shape is None:
                report(_join(key, str(name)), f"unknown key '{name}': {suggestion(str(name), list(self.keys))}")
                continue
            if item is None and not shape.nullable:
                report(_join(key, str(name)), f"expected {shape.expected}, got nothing (leave the key out for "
                       "the default)")
                continue
            cleaned[name] = item if item is None else shape.clean(item, _join(key, str(name)), report)
        cleaned = {name: item for name, item in cleaned.items() if item is not DROP}
        return self.check_order(cleaned, key, report)

    def check_order(self, value: dict[Any, Any], key: str, report: Report) -> Any:
        """The mapping, or :data:`DROP` when the numbers of ``ordered`` decrease."""
        if self.ordered is None:
            return value
        low, high = (value.get(name) for name in self.ordered)
        if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low > high:
            report(key, f"{self.ordered[0]} {low:g} is above {self.ordered[1]} {high:g}")
            return DROP
        return value


def documented(keys: Mapping[str, Spec]) -> dict[str, Spec]:
    """``keys`` with ``source`` and ``note``, which every section of a preset may carry."""
    return {**keys, "source": Text(), "note": Text()}
