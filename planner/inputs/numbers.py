"""Numbers written in a user's table: the marks they use, and one parser for all of them.

A figure such as ``3,779`` is ambiguous: a decimal comma (3.779) or a thousands separator
(3779), a thousandfold difference.  :class:`NumberFormat` holds the marks a scenario
declares (``units.decimal_mark``, ``units.thousands_mark``); without a declaration the
decimal mark is the point, there is no thousands mark, and a comma is refused with a
message saying how to declare it.  :func:`cell_text` turns the values of spreadsheet and
vector files (numpy 2 scalars included) into the text every format shares.

Examples
--------
>>> NumberFormat().parse("1539.582")
1539.582
>>> NumberFormat(decimal=",", thousands=".").parse("1.539,5")
1539.5
>>> cell_text(np.float64(1539.582)), cell_text(np.float32(12.0)), cell_text(np.nan)
('1539.582', '12', '')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: The marks a scenario may declare (a space as thousands mark covers "1 234" and "1\u00a0234").
DECIMAL_MARKS = (".", ",")
THOUSANDS_MARKS = (",", ".", " ", "'", "\u00a0", "\u202f")
#: Texts read as a missing value in a numeric column (what spreadsheets and numpy write for one).
MISSING_TEXTS = frozenset({"nan", "NaN", "NAN"})


@dataclass(frozen=True)
class NumberFormat:
    """The decimal and thousands marks of a table's figures.

    Parameters
    ----------
    decimal : str
        The decimal mark, ``.`` (default) or ``,``.
    thousands : str or None
        The thousands mark (``,``, ``.``, a space, ``'``), or None when figures have none.
    """

    decimal: str = "."
    thousands: str | None = None

    @property
    def declared(self) -> bool:
        """Whether the scenario declared marks other than the plain default."""
        return self != NumberFormat()

    def describe(self) -> str:
        """The marks in words, for messages."""
        thousands = f"'{self.thousands}'" if self.thousands else "none"
        return f"decimal mark '{self.decimal}', thousands mark {thousands}"

    def parse(self, text: str) -> float:
        """The number written as ``text``.

        Parameters
        ----------
        text : str
            A cell, stripped.

        Returns
        -------
        float
            The value (NaN for the texts of :data:`MISSING_TEXTS`).

        Raises
        ------
        ValueError
            With the reason, when ``text`` is not a number written with these marks.
        """
        if text in MISSING_TEXTS:
            return math.nan
        if self.declared:
            return self._parse_declared(text)
        if "," in text:
            raise ValueError("has a comma, which may be a decimal mark or a thousands separator "
                             "(a thousandfold difference): declare the scenario's marks, e.g. "
                             "units.decimal_mark: ',' or units.thousands_mark: ','")
        try:
            return float(text)
        except ValueError:
            raise ValueError("is not a number") from None

    def _parse_declared(self, text: str) -> float:
        thousands = re.escape(self.thousands) if self.thousands else None
        decimal = re.escape(self.decimal)
        grouped = rf"\d{{1,3}}(?:{thousands}\d{{3}})+" if thousands else None
        whole = rf"(?:{grouped}|\d+)" if grouped else r"\d+"
        pattern = rf"[+-]?(?:{whole}(?:{decimal}\d*)?|{decimal}\d+)(?:[eE][+-]?\d+)?"
        if not re.fullmatch(pattern, text):
            raise ValueError(f"is not a number written with the scenario's {self.describe()}")
        if self.thousands:
            text = text.replace(self.thousands, "")
        return float(text.replace(self.decimal, "."))


#: The words of a yes/no cell (lower case; an empty cell is no), for every table planner reads.
TRUE_WORDS = ("true", "yes", "y", "1", "x")
FALSE_WORDS = ("false", "no", "n", "0", "")


def cell_text(value: object) -> str:
    """The text of one cell of a spreadsheet or vector file, the same in every format.

    Integral numbers are written without a decimal part (``12``, as a spreadsheet shows
    them), other numbers in their shortest positional form (``1539.582``), missing values
    (None, NaN, NaT) as the empty string.

    Parameters
    ----------
    value : object
        A value as the reader gives it: str, bytes, int, float, numpy scalar, None, date.

    Returns
    -------
    str
        The cell's text (not stripped).
    """
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return np.format_float_positional(value, trim="-")
    if isinstance(value, np.integer):
        return str(int(value))
    if pd.api.types.is_scalar(value) and pd.isna(value):  # NaT, pandas.NA
        return ""
    return str(value)


def number_or_zero(value: object) -> float:
    """A figure as a float, 0 when it is empty, NaN or not a number (sums and shares skip it).

    Examples
    --------
    >>> number_or_zero("12.5"), number_or_zero(None), number_or_zero(float("nan"))
    (12.5, 0.0, 0.0)
    """
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(number) else number
