"""The scenario's name fixes: ``decisions.names``, old unit code -> the name of its new unit.

A planner fixes a new unit's name by naming any of its old units (usually the seat)::

    decisions:
      names:
        "90073": Xã Cẩm Khê

The fix names the new unit that holds ``90073`` in every plan evaluated with the scenario
(optimizer or hand-drawn), before the plan's own name and the preset's naming rule
(:mod:`planner.rules.naming`).  Validation checks the codes, that each name is text, and that
its kind word is that of a kind a new unit may take.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from planner.inputs.preset import Preset
from planner.inputs.problems import ProblemList

Report = Callable[[str, str], None]


def read_name_fixes(raw: Any, codes: set[str] | None, preset: Preset | None, problems: ProblemList,
                    label: str) -> dict[str, str]:
    """The fixes of ``decisions.names`` (sorted by code), every problem reported.

    Parameters
    ----------
    raw : Any
        The value of ``decisions.names`` as read from YAML.
    codes : set of str or None
        The scenario's unit codes (None when the units table could not be read).
    preset : Preset or None
        Gives the kind words (None when the preset could not be read).
    problems : ProblemList
        Receives the errors and warnings, at their key of ``label`` (the scenario file).
    label : str
        The scenario file, as named in messages.
    """

    def error(key: str, message: str) -> None:
        problems.error(label, f"key {key}", "", message)

    def warn(key: str, message: str) -> None:
        problems.warn(label, f"key {key}", "", message)

    if raw is None:
        return {}
    if not isinstance(raw, dict):
        error("decisions.names", "expected a mapping: old unit code -> name of its new unit")
        return {}
    fixes: dict[str, str] = {}
    for code, name in raw.items():
        key = f"decisions.names.{code}"
        if codes is not None and str(code) not in codes:
            error(key, f"unknown unit '{code}' (write codes as quoted strings: \"00004\")")
            continue
        if not isinstance(name, str) or not name.strip():
            error(key, f"expected the name of the new unit as text, got {name!r}")
            continue
        fixes[str(code)] = " ".join(name.split())
        if preset is not None:
            _check_kind_word(preset, key, fixes[str(code)], error, warn)
    return dict(sorted(fixes.items()))


def _check_kind_word(preset: Preset, key: str, name: str, error: Report, warn: Report) -> None:
    rule = preset.naming
    if not rule.kind_words:
        return
    kind, _ = rule.split(name)
    allowed = ", ".join(w for k in preset.output_kinds for w in rule.words_of(k))
    if kind is None:
        warn(key, f"'{name}' carries no kind word (expected one of {allowed})")
    elif kind not in preset.output_kinds:
        error(key, f"'{name}' carries the word of the kind '{kind}', which no new unit may take "
                   f"(expected one of {allowed})")
