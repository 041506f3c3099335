"""Procedures that name a level of bodies: "Ủy ban nhân dân cấp huyện" is every district's People's Committee.

Real procedure lists do not name one body but a level ("UBND cấp huyện", "Phòng Tài nguyên và Môi trường
cấp huyện").  :class:`ProcedureBodies` matches a procedure's ``body`` cell to the bodies it cites: the body
of that id, else the bodies of that exact name, else, when the cell is the name of a kind of body of the
abolished level written with a word of the level instead of a unit's name, every body of that kind at
that level.  The kinds' names are the agency template's (``before.<level>``), the level's words and the
abbreviations the template's operations data (``procedure_levels``, ``docs/gaps.md``).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pandas as pd


def normalized(text: str, abbreviations: dict[str, str] | None = None) -> str:
    """``text`` in NFC, case-folded, single-spaced, its abbreviations (whole words) spelled out.

    Examples
    --------
    >>> normalized("  UBND   cấp Huyện", {"UBND": "Ủy ban nhân dân"})
    'ủy ban nhân dân cấp huyện'
    """
    words = unicodedata.normalize("NFC", str(text)).split()
    spelled = {unicodedata.normalize("NFC", k): v for k, v in (abbreviations or {}).items()}
    return " ".join(str(spelled.get(w, w)) for w in words).casefold()


def level_names(template: dict[str, Any], data: dict[str, Any], level: str | None) -> dict[str, str]:
    """The names by which a procedure cites every body of a kind of ``level``: normalized name -> kind.

    Examples
    --------
    >>> template = {"before": {"district": [{"kind": "dpc", "name": "Ủy ban nhân dân {unit_name}"}]}}
    >>> level_names(template, {"procedure_levels": {"words": {"district": ["cấp huyện"]}}}, "district")
    {'ủy ban nhân dân cấp huyện': 'dpc'}
    """
    settings = data.get("procedure_levels") or {}
    words = (settings.get("words") or {}).get(level or "") or []
    found: dict[str, str] = {}
    for entry in (template.get("before") or {}).get(level or "") or []:
        pattern = str(entry.get("name", entry["kind"]))
        for word in words:
            name = pattern.replace("{unit_name}", str(word)).replace("{code}", "")
            found.setdefault(normalized(name, settings.get("abbreviations")), str(entry["kind"]))
    return found


class ProcedureBodies:
    """The bodies a procedure's ``body`` cell cites: by id, by exact name, or by level and kind.

    Parameters
    ----------
    bodies : pandas.DataFrame
        The bodies (indexed by id; ``name``, ``level``, ``kind``).
    template : dict
        The agency template ({} without one: no level is recognized).
    data : dict
        Its operations data (``procedure_levels``).
    level : str or None
        The abolished level (only its bodies are matched by level).
    """

    def __init__(self, bodies: pd.DataFrame, template: dict[str, Any], data: dict[str, Any], level: str | None):
        self.bodies = bodies
        self.by_name = {name: body for body, name in sorted(bodies["name"].items(), reverse=True)}
        self.abbreviations = (data.get("procedure_levels") or {}).get("abbreviations")
        self.kinds = level_names(template, data, level)
        self.level = level

    def level_kind(self, reference: str) -> str | None:
        """The kind of body of the abolished level that ``reference`` names as a level, else None."""
        return self.kinds.get(normalized(reference, self.abbreviations))

    def match(self, reference: str) -> tuple[list[str], str | None]:
        """The ids of the bodies cited, and the kind when they are cited by level (None otherwise)."""
        if reference in self.bodies.index:
            return [reference], None
        if reference in self.by_name:
            return [self.by_name[reference]], None
        kind = self.level_kind(reference)
        if kind is None:
            return [], None
        bodies = self.bodies
        chosen = bodies.index[(bodies["level"] == self.level) & (bodies["kind"] == kind)]
        return sorted(str(b) for b in chosen), kind


def scenario_level_names(scenario: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The level names of a scenario's agency template (:func:`level_names`) and its abbreviations.

    Parameters
    ----------
    scenario : Scenario
        Its ``agencies:`` section or preset names the template and the abolished level.

    Returns
    -------
    tuple of dict
        Normalized name -> kind, and abbreviation -> word (both empty without a template).
    """
    from planner.inputs.problems import ProblemList
    from planner.transition.operations_data import operations_data
    from planner.transition.template import load_template

    section = scenario.document.get("agencies") or {}
    key = section.get("template", scenario.preset.data.get("agency_templates"))
    if not isinstance(section, dict) or not key:
        return {}, {}
    template = load_template(str(key), ProblemList(), "")
    data = operations_data(str(key))
    level = section.get("abolished_level", template.get("abolished_level"))
    return level_names(template, data, level), (data.get("procedure_levels") or {}).get("abbreviations") or {}
