"""Reading YAML documents (scenarios, presets) with ruamel.yaml's safe loader."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

__all__ = ["YAMLError", "load_yaml"]


def load_yaml(text: str) -> Any:
    """Parse YAML text into plain Python values (dicts, lists, str, numbers, dates)."""
    return YAML(typ="safe", pure=True).load(text)
