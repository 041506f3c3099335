"""The printed map's fixed lines: the dates of its header and its data-source line.

The words come from ``planner/templates/map_words.yaml`` (``print:``); the figures from the
scenario (its files) and the evaluation's summary (how many old units took their population
from each column, how many have an estimated terrain).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from planner.inputs.scenario import Scenario
from planner.maps.layers import map_words


def date_lines(effective: str, draft: str | None) -> list[str]:
    """The header's dates: the effective date, then the draft's (``Draft`` alone when undated).

    Examples
    --------
    >>> date_lines("2025-07-01", "2025-06-10")
    ['Effective 2025-07-01', 'Draft of 2025-06-10']
    >>> date_lines("", None)
    ['Draft']
    """
    words = map_words()["print"]
    lines = [words["effective"].format(date=effective)] if effective else []
    return lines + [words["draft"].format(date=draft) if draft else words["draft_undated"]]


def source_line(scenario: Scenario, summary: Mapping[str, Any], tolerance_m: float,
                levels_m: Sequence[float] = ()) -> str:
    """The data-source line: where the units, their population and boundaries come from, and what is estimated.

    Parameters
    ----------
    scenario : Scenario
        Its units table and boundary file (their file names), the population column(s) it reads.
    summary : mapping
        The evaluation's summary: ``units_before``, ``population_sources`` (old units by the column their
        population was taken from) and ``terrain_estimated`` (old units with an estimated terrain).
    tolerance_m : float
        The display simplification, in metres.
    levels_m : sequence of float, optional
        The simplification of each detail level, in metres, finest first: for the interactive page, which draws
        the level the zoom needs (the line then gives the finest and the coarsest).

    Returns
    -------
    str
    """
    words = map_words()["print"]
    document = scenario.document
    units = document.get("units") or {}
    parts = [words["units"].format(count=_count(summary.get("units_before", len(scenario.units))),
                                   file=_file(units.get("path"))),
             words["population"].format(columns=_population(units, {"units_before": len(scenario.units), **summary},
                                                            words))]
    if summary.get("terrain_estimated"):
        parts.append(words["terrain_estimated"].format(count=_count(summary["terrain_estimated"])))
    boundaries = document.get("boundaries") or {}
    if boundaries.get("path"):
        if len(levels_m) > 1:
            parts.append(words["boundaries_levels"].format(file=_file(boundaries["path"]),
                                                           finest=f"{min(levels_m):,.0f}",
                                                           coarsest=f"{max(levels_m):,.0f}"))
        else:
            parts.append(words["boundaries"].format(file=_file(boundaries["path"]), metres=f"{tolerance_m:,.0f}"))
    return words["source"].format(parts="; ".join(parts))


def _population(units: Mapping[str, Any], summary: Mapping[str, Any], words: Mapping[str, str]) -> str:
    """The population column(s), each with the number of old units that took it (``estimated`` where the
    scenario says so: ``units.estimated_population``)."""
    estimated = {str(c) for c in units.get("estimated_population") or []}
    sources = summary.get("population_sources")
    if not sources:
        column = (units.get("columns") or {}).get("population") or "population"
        column = column[0] if isinstance(column, list) and column else column
        sources = {str(column): summary.get("units_before", "")}
    return ", ".join(words["population_estimated" if column in estimated else "population_column"].format(
        column=column, count=_count(count)) for column, count in sources.items() if column != "none")


def _file(path: Any) -> str:
    return Path(str(path)).name if path else ""


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)
