"""The fixed words of the gap report: generic ones, and a country's from its agency template.

The suggested fixes and details that are the same for every gap of a type (a seal missing, a body signing
without a seal, a procedure citing an abolished body, a unit without a one-stop center, staff
over the cap) are data, not code: :data:`GENERIC_FILE` holds generic words, and the ``fixes:``
section of the agency template the scenario uses replaces any of them with the country's bodies
and laws.  A cap's legal basis is the preset's (``staffing.cap_source``).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from planner.inputs.yamlio import load_yaml

#: The generic words, by key (``planner/templates/gap_fixes.yaml``).
GENERIC_FILE = "gap_fixes.yaml"


def fix_texts(template: dict[str, Any], staffing: dict[str, Any]) -> dict[str, str]:
    """The gap report's fixed words: generic, then the agency template's ``fixes``, with the cap's basis.

    Parameters
    ----------
    template : dict
        The agency template of the scenario ({} without one).
    staffing : dict
        The preset's ``staffing`` section ({} without one): ``cap_source`` is cited after the cap's fix.

    Returns
    -------
    dict
        Key (``seal_missing``, ``signing_without_seal``, ``procedure_cites_abolished_body``,
        ``no_one_stop_center``, ``staff_over_cap``) -> the words.

    Examples
    --------
    >>> fix_texts({}, {})["no_one_stop_center"]
    "set up the unit's one-stop service center"
    >>> fix_texts({"fixes": {"no_one_stop_center": "open a center (Decree 1)"}}, {})["no_one_stop_center"]
    'open a center (Decree 1)'
    """
    text = (resources.files("planner") / "templates" / GENERIC_FILE).read_text("utf-8")
    words = {str(k): " ".join(str(v).split()) for k, v in (load_yaml(text) or {}).items()}
    fixes = template.get("fixes") if isinstance(template.get("fixes"), dict) else {}
    words.update({str(k): " ".join(str(v).split()) for k, v in fixes.items()})
    basis = staffing.get("cap_source")
    if basis and "staff_over_cap" not in fixes:
        words["staff_over_cap"] += f" ({basis})"
    return words
