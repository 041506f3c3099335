"""The operations data of an agency template: the estimates of the go-live operations checks.

``planner/templates/operations/<id>.yaml`` completes the agency template of the same id with the
rates and defaults of the gap types ``signing_overload``, ``handover_backlog``, ``records_not_migrated``,
``skill_shortage`` and ``headquarters_shortfall`` and the words by which procedures name a level
(``docs/gaps.md``).
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from planner.inputs.yamlio import load_yaml


@functools.cache
def operations_data(template_id: str) -> dict[str, Any]:
    """The operations data of an agency template, {} when it has none.

    Parameters
    ----------
    template_id : str
        The agency template's id (``vn-2025``).

    Returns
    -------
    dict
        The document of ``planner/templates/operations/<id>.yaml`` (do not change it: it is shared).

    Examples
    --------
    >>> operations_data("vn-2025")["signing"]["body_kind"]
    'people_committee'
    >>> operations_data("none")
    {}
    """
    path = resources.files("planner") / "templates" / "operations" / f"{template_id}.yaml"
    if not path.is_file():
        return {}
    document = load_yaml(path.read_text("utf-8"))
    return document if isinstance(document, dict) else {}
