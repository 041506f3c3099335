"""Sweep files: a scenario and the settings to vary, as a grid, a list, or both.

A sweep file is YAML (``docs/sweep.md``)::

    name: Demo province, cut and access
    scenario: ../scenarios/demo        # relative to the sweep file
    settings:                          # every variant (optional)
      solves: 30
    grid:                              # every combination of these values
      target: [{reduction: [0.6, 0.7]}, max_p]
      access_max_km: [20, 25]
    variants:                          # listed variants, each crossed with the grid
      - {name: base}
      - {name: standards-2026, preset: vn-2026}

Each variant is one ``planner plan`` run; its settings are the options of that command
(:data:`SETTINGS`), and :func:`plan_command` gives the command line that writes the same folder.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.inputs.problems import ProblemList
from planner.inputs.yamlio import parse_mapping
from planner.optimize import STANDARDS_MODES

TOP_KEYS = ("name", "description", "scenario", "settings", "grid", "variants")
#: The settings a variant may set, with what each expects (the ``planner plan`` options).
SETTINGS = {
    "preset": "a preset id (vn-2026) or a preset file, relative to the scenario (planner plan --preset)",
    "target": "{count: N}, {reduction: [MIN, MAX]}, max_p or min_count (--target-count, --reduction, ...)",
    "standards": f"one of {', '.join(STANDARDS_MODES)} (--standards)",
    "access_max_km": "a distance in km above 0 (--access-max-km)",
    "seed": "a whole number from 0 (--seed)",
    "solves": "a whole number from 1, the effort (--solves)",
    "workers": "a whole number from 1 (--workers)",
    "time_limit_s": "seconds above 0, the emergency stop (--time-limit)",
    "where": "the region to plan: {COLUMN: VALUE or [VALUES]} of the units table (--where COLUMN=VALUE)",
}
TARGET_WORDS = ("max_p", "min_count")
NAME = re.compile(r"^[\w.+-]+$")


@dataclass(frozen=True)
class Variant:
    """One variant: its name (the folder under ``variants/``) and its settings (:data:`SETTINGS`)."""

    name: str
    settings: dict[str, Any]


@dataclass
class Sweep:
    """A checked sweep file: where it is, its scenario and its variants in order."""

    file: Path
    name: str
    description: str
    scenario: Path
    variants: list[Variant] = field(default_factory=list)


def is_sweep_file(path: str | Path) -> bool:
    """Whether ``path`` is a YAML file naming a ``scenario`` (a sweep), not a scenario itself."""
    path = Path(path)
    if not path.is_file() or path.suffix not in (".yaml", ".yml"):
        return False
    document = parse_mapping(path.read_text("utf-8", errors="replace"), str(path), "a sweep", ProblemList())
    return document is not None and "scenario" in document and "units" not in document


def read_sweep(path: str | Path) -> Sweep:
    """Read and check a sweep file: every problem (file, key, what was expected) at once.

    Raises
    ------
    InputError
        When the file cannot be read, names no scenario, or a setting is unknown or out of range.
    """
    path, problems = Path(path), ProblemList()
    label = str(path)
    if not path.is_file():
        problems.error(label, "", "", "sweep file not found: expected a YAML file (see docs/sweep.md)")
        problems.raise_if_errors()
    document = parse_mapping(path.read_text("utf-8", errors="replace"), label, "a sweep", problems) or {}
    for key in sorted(set(document) - set(TOP_KEYS)):
        problems.error(label, f"key {key}", "", f"unknown key: expected one of {', '.join(TOP_KEYS)}")
    scenario = document.get("scenario")
    if not isinstance(scenario, str) or not scenario:
        problems.error(label, "key scenario", "", "expected the scenario folder (or its YAML file), "
                       "relative to the sweep file")
        scenario = ""
    base = _settings(document.get("settings") or {}, label, "settings", problems)
    variants = _variants(document, base, label, problems)
    problems.raise_if_errors()
    return Sweep(path, str(document.get("name") or path.stem), str(document.get("description") or ""),
                 path.parent / scenario, variants)


def _variants(document: dict[str, Any], base: dict[str, Any], label: str, problems: ProblemList) -> list[Variant]:
    """The listed variants crossed with the grid's combinations, each over the shared settings."""
    listed = document.get("variants")
    if listed is not None and (not isinstance(listed, list) or not listed):
        problems.error(label, "key variants", "", "expected a list of variants (mappings of settings)")
        listed = None
    rows = [_listed(raw, i, label, problems) for i, raw in enumerate(listed or [{}])]
    combos = _grid(document.get("grid"), label, problems)
    variants, seen = [], {}
    for (given, own), combo in itertools.product(rows, combos):
        settings = {**base, **own, **combo}
        name = "_".join(part for part in (given or setting_name(own), setting_name(combo)) if part) or "base"
        where = f"variant {name}"
        if not NAME.match(name):
            problems.error(label, where, "name", "a variant's name must be letters, digits, '.', '+', '-' or '_'")
        elif name in seen:
            problems.error(label, where, "name", "two variants have this name: give each listed variant a name")
        seen[name] = settings
        variants.append(Variant(name, settings))
    return variants


def _listed(raw: Any, i: int, label: str, problems: ProblemList) -> tuple[str, dict[str, Any]]:
    """A listed variant: its name (empty when not given) and its own settings."""
    if not isinstance(raw, dict):
        problems.error(label, f"variants[{i}]", "", "expected a mapping of settings (and a name)")
        return "", {}
    own = {k: v for k, v in raw.items() if k != "name"}
    return str(raw.get("name") or ""), _settings(own, label, f"variants[{i}]", problems)


def _grid(raw: Any, label: str, problems: ProblemList) -> list[dict[str, Any]]:
    """Every combination of the grid's values, in the order written (the last key varies fastest)."""
    if raw is None:
        return [{}]
    if not isinstance(raw, dict) or not raw:
        problems.error(label, "key grid", "", "expected a mapping of settings to lists of values")
        return [{}]
    axes = []
    for key, values in raw.items():
        if not isinstance(values, list) or not values:
            problems.error(label, f"key grid.{key}", "", "expected a list of values to try")
            continue
        checked = [_settings({key: value}, label, f"grid.{key}[{i}]", problems) for i, value in enumerate(values)]
        axes.append([c for c in checked if c])
    return [dict(item for part in combo for item in part.items()) for combo in itertools.product(*axes)]


def _settings(raw: Any, label: str, where: str, problems: ProblemList) -> dict[str, Any]:
    """The settings of a mapping, each checked (:data:`SETTINGS`); wrong ones are left out."""
    if not isinstance(raw, dict):
        problems.error(label, where, "", "expected a mapping of settings")
        return {}
    settings = {}
    for key, value in raw.items():
        if key not in SETTINGS:
            problems.error(label, where, str(key), f"unknown setting: expected one of {', '.join(SETTINGS)}")
            continue
        checked = check_setting(str(key), value)
        if checked is None:
            problems.error(label, where, str(key), f"{value!r} is not valid: expected {SETTINGS[key]}")
        else:
            settings[str(key)] = checked
    return settings


def check_setting(key: str, value: Any) -> Any:
    """``value`` as the setting ``key`` holds it, or None when it is not valid.

    Examples
    --------
    >>> check_setting("target", {"reduction": [0.6, 0.7]})
    {'reduction': [0.6, 0.7]}
    >>> check_setting("seed", -1) is None
    True
    """
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    whole = isinstance(value, int) and not isinstance(value, bool)
    checks = {
        "preset": lambda: value if isinstance(value, str) and value else None,
        "target": lambda: _target(value),
        "standards": lambda: value if value in STANDARDS_MODES else None,
        "access_max_km": lambda: float(value) if number and value > 0 else None,
        "time_limit_s": lambda: float(value) if number and value > 0 else None,
        "seed": lambda: value if whole and value >= 0 else None,
        "solves": lambda: value if whole and value >= 1 else None,
        "workers": lambda: value if whole and value >= 1 else None,
        "where": lambda: _where(value),
    }
    return checks[key]()


def _target(value: Any) -> Any:
    """A target: ``max_p``, ``min_count``, ``{count: N}`` or ``{reduction: [MIN, MAX]}``; else None."""
    if value in TARGET_WORDS:
        return value
    if not isinstance(value, dict) or len(value) != 1:
        return None
    count, reduction = value.get("count"), value.get("reduction")
    if isinstance(count, int) and not isinstance(count, bool) and count >= 1:
        return {"count": count}
    if (isinstance(reduction, list) and len(reduction) == 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in reduction)
            and 0 <= reduction[0] <= reduction[1] < 1):
        return {"reduction": [float(reduction[0]), float(reduction[1])]}
    return None


def _where(value: Any) -> dict[str, list[str]] | None:
    """A region: column -> the values kept (text), or None when it is not such a mapping."""
    if not isinstance(value, dict) or not value:
        return None
    where = {}
    for column, values in value.items():
        values = values if isinstance(values, list) else [values]
        if not values or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
            return None
        where[str(column)] = [str(v) for v in values]
    return where


def setting_name(settings: dict[str, Any]) -> str:
    """A short folder name made of the settings' values, in their order.

    Examples
    --------
    >>> setting_name({"target": {"reduction": [0.6, 0.7]}, "access_max_km": 20.0, "preset": "vn-2026"})
    'cut0.6-0.7_access20_vn-2026'
    """
    parts = []
    for key, value in settings.items():
        if key == "target":
            parts.append(value.replace("_", "-") if isinstance(value, str) else
                         f"count{value['count']}" if "count" in value else
                         "cut{:g}-{:g}".format(*value["reduction"]))
        elif key == "where":
            parts.append("_".join(f"{column}-{'+'.join(values)}" for column, values in value.items()))
        elif key in ("preset", "standards"):
            parts.append(Path(str(value)).stem)
        else:
            short = {"access_max_km": "access", "time_limit_s": "limit"}.get(key, key)
            parts.append(f"{short}{value:g}")
    return "_".join(parts)


def plan_command(scenario: str | Path, out: str | Path, settings: dict[str, Any]) -> list[str]:
    """The ``planner plan`` arguments that write the same folder as a variant with ``settings``.

    Examples
    --------
    >>> plan_command("scenarios/demo", "out/a", {"target": "max_p", "seed": 1, "solves": 30})
    ['plan', 'scenarios/demo', '--out', 'out/a', '--max-p', '--seed', '1', '--solves', '30']
    """
    args = ["plan", str(scenario), "--out", str(out)]
    for key, value in settings.items():
        if key == "target":
            args += (["--" + value.replace("_", "-")] if isinstance(value, str) else
                     ["--target-count", str(value["count"])] if "count" in value else
                     ["--reduction", *(f"{x:g}" for x in value["reduction"])])
        elif key == "where":
            args += [f"--where={column}={v}" for column, values in value.items() for v in values]
        else:
            flag = {"time_limit_s": "--time-limit"}.get(key, "--" + key.replace("_", "-"))
            args += [flag, f"{value:g}" if isinstance(value, float) else str(value)]
    return args
