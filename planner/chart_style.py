"""The matplotlib settings of every chart and printed map planner draws.

Names are drawn as written: matplotlib reads text between two ``$`` as mathtext, so a unit or
scenario named ``Quỹ $1`` would be drawn as a formula, or stop the drawing with a parse error.
:func:`chart_style` turns that off (``text.parse_math``) for every text, title, label and legend
entry drawn within it.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> with plt.rc_context(chart_style()):
...     figure = plt.figure()
...     text = figure.text(0.5, 0.5, "Xã $A$ & $")
>>> text.get_parse_math()
False
>>> plt.close(figure)
"""

from __future__ import annotations

from typing import Any

#: The font of every chart and map: it has the Vietnamese letters and the symbols used.
FONT = "DejaVu Sans"


def chart_style(settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """The rcParams for :func:`matplotlib.pyplot.rc_context`: planner's font, text drawn as plain text,
    and ``settings`` over them.

    Parameters
    ----------
    settings : dict, optional
        More rcParams (say, ``{"svg.hashsalt": "planner-map"}``).

    Returns
    -------
    dict
        The rcParams.
    """
    return {"font.family": FONT, "text.parse_math": False, **(settings or {})}
