"""Reading YAML documents (scenarios, presets) with ruamel.yaml's safe loader."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

__all__ = ["YAMLError", "load_yaml", "parse_mapping"]


def load_yaml(text: str) -> Any:
    """Parse YAML text into plain Python values (dicts, lists, str, numbers, dates)."""
    return YAML(typ="safe", pure=True).load(text)


def parse_mapping(text: str, label: str, what: str, problems: Any) -> dict[str, Any] | None:
    """Parse YAML text that must hold a mapping; record a problem (and return None) when it does not.

    ``what`` names the document in the message (``"a scenario"``, ``"a preset"``).
    """
    try:
        document = load_yaml(text)
    except YAMLError as exc:
        problems.error(label, "", "", f"not valid YAML: {exc}")
        return None
    if not isinstance(document, dict):
        problems.error(label, "", "", f"{what} must be a mapping of keys")
        return None
    return document
