"""Units named in messages: code, name and the name of their parent (``14755 Phường Hàm Rồng (Thanh Hóa)``).

The same name occurs in several parents (a ``Xã An Bình`` in many provinces), so a message that
names a unit gives its code, its name and its parent's name; :func:`unit_labeller` makes the
function that does so for one scenario's units table.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def unit_labeller(units: pd.DataFrame | None, parent_levels: list[str],
                  parent_names: dict[str, dict[str, str]], level: str | None = None) -> Callable[[str], str]:
    """A function giving a unit's code, name and parent's name, for messages.

    Parameters
    ----------
    units : pandas.DataFrame or None
        The units table (indexed by code, with ``name`` and a column per parent level); None when it
        could not be read (codes are then given alone).
    parent_levels : list of str
        The parent levels of the units table.
    parent_names : dict
        Level -> parent code -> name (``units.columns.parent_names``).
    level : str, optional
        The level whose parent is named (the preset's merge level); default: the first level with names.

    Returns
    -------
    callable
        ``label(code)``: ``"code name (parent name)"``, ``"code name"`` without parent names, ``"code"`` for a
        code the table does not hold.

    Examples
    --------
    >>> units = pd.DataFrame({"name": ["Xã An"], "province": ["38"]}, index=["00001"])
    >>> unit_labeller(units, ["province"], {"province": {"38": "Thanh Hóa"}})("00001")
    '00001 Xã An (Thanh Hóa)'
    """
    if level not in parent_names:
        level = next((lv for lv in parent_levels if lv in parent_names), None)
    names = parent_names.get(level, {}) if level else {}

    def label(code: str) -> str:
        if units is None or code not in units.index:
            return str(code)
        text = f"{code} {units.at[code, 'name']}"
        parent = names.get(units.at[code, level]) if level and level in units.columns else None
        return f"{text} ({parent})" if parent else text

    return label
