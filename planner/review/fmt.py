"""Canonical layout of scenario YAML files (``planner fmt``), keeping every comment.

A formatted scenario file has:

- two-space indentation for mappings, sequences indented under their key (``  - item``);
- top-level keys in the order of the scenario format (:data:`TOP_ORDER`), and the keys of the
  known sections in their documented order (:data:`SECTION_ORDER`); unknown keys follow the
  known ones in their original order;
- unit codes written as quoted strings (``'00004'`` stays ``"00004"``, never the number 4):
  in ``decisions``, ``removed_adjacencies``, ``links`` and the keys of ``target.by_parent``
  and ``units.contexts.values``;
- ``\\n`` line endings and one final newline.

The file is read and written with ruamel.yaml's round-trip mode, so comments and the user's
quoting survive.  Key order is changed on the text, block by block, with the comments and
blank lines above a key moving with it; the result is parsed again and must hold exactly
the same data, or the file is left in its original order.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from planner.inputs.problems import InputError, ProblemList
from planner.inputs.scenario import SCENARIO_FILE
from planner.inputs.yamlio import load_yaml

#: Order of the top-level keys of scenario.yaml (as in docs/scenario-format.md and docs/review.md).
TOP_ORDER = ("name", "description", "effective_date", "preset", "preset_overrides", "units", "boundaries",
             "links", "removed_adjacencies", "merge_within", "decisions", "target", "access", "solver", "baseline",
             "agencies")
#: Order of the keys inside known sections (dotted path of the section -> keys).
SECTION_ORDER = {
    "units": ("path", "layer", "sheet", "decimal_mark", "thousands_mark", "columns", "kind_values", "terrain_values",
              "contexts"),
    "units.columns": ("id", "name", "kind", "population", "area_km2", "terrain", "staff", "context",
                      "lon", "lat", "parents", "parent_names", "extra"),
    "units.contexts": ("by", "default", "values"),
    "merge_within": ("by", "map", "level"),
    "merge_within.map": ("path", "from", "to", "name"),
    "boundaries": ("path", "layer", "id", "crs", "tolerance_m", "min_shared_border_m", "contiguity", "repair_invalid"),
    "decisions": ("merge_together", "keep_apart", "unchanged", "fixed_seats", "max_members"),
    "target": ("count", "reduction", "max_p", "min_count", "by_parent"),
    "target.reduction": ("min", "max"),
    "access": ("max_km",),
    "solver": ("solves", "time_limit_s", "seed", "workers"),
    "baseline": ("path", "columns", "where", "kind_values"),
    "baseline.columns": ("unit", "new_unit", "new_name", "new_kind", "seat", "share"),
}
INDENT = 2
WIDTH = 120


@dataclass(frozen=True)
class FormatResult:
    """One file: its path, whether formatting changes it, and the formatted text."""

    path: Path
    changed: bool
    text: str
    original: str

    def unified_diff(self) -> str:
        """What formatting changes, as a unified diff (empty when nothing changes)."""
        return "".join(difflib.unified_diff(self.original.splitlines(True), self.text.splitlines(True),
                                            f"{self.path} (now)", f"{self.path} (formatted)"))


def scenario_files(paths: list[str | Path]) -> list[Path]:
    """The YAML files named: files as given, folders searched for ``scenario.yaml`` (sorted).

    Raises
    ------
    InputError
        When a path does not exist or a folder holds no scenario file.
    """
    problems = ProblemList()
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            found = sorted(path.rglob(SCENARIO_FILE))
            if not found:
                problems.error(str(path), "", "", f"no {SCENARIO_FILE} in this folder or below")
            files += found
        else:
            problems.error(str(path), "", "", "not found: expected a scenario folder or YAML file")
    problems.raise_if_errors()
    return sorted(dict.fromkeys(files))


def format_file(path: Path) -> FormatResult:
    """Format one YAML file in memory (nothing is written)."""
    problems = ProblemList()
    try:
        original = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        problems.error(str(path), "", "", "not UTF-8 text")
        raise InputError(problems.items) from None
    text = format_text(original, str(path))
    return FormatResult(path, text != original, text, original)


def format_text(text: str, label: str = "scenario.yaml") -> str:
    """The canonical form of a scenario document's text (see the module documentation).

    Raises
    ------
    InputError
        When the text is not valid YAML or not a mapping of keys.
    """
    document = _load(text, label)
    if document is None:
        return text
    _quote_codes(document)
    normal = _dump(document)
    ordered = reorder_text(normal)
    if load_yaml(ordered) == load_yaml(normal):
        normal = _dump(_load(ordered, label))
    return normal


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=INDENT, sequence=INDENT + 2, offset=INDENT)
    yaml.width = WIDTH
    return yaml


def _load(text: str, label: str) -> Any:
    problems = ProblemList()
    try:
        document = _yaml().load(text.replace("\r\n", "\n"))
    except YAMLError as exc:
        problems.error(label, "", "", f"not valid YAML: {exc}")
        raise InputError(problems.items) from exc
    if document is None:
        return None
    if not isinstance(document, CommentedMap):
        problems.error(label, "", "", "a scenario file must be a mapping of keys")
        raise InputError(problems.items)
    return document


def _dump(document: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue().rstrip("\n") + "\n"


# -- codes as strings --------------------------------------------------------------------------

def _code(value: Any) -> Any:
    """A number written where a unit code belongs, as a quoted string (leading zeros kept)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    width = getattr(value, "_width", None) if isinstance(value, ScalarInt) else None
    text = f"{int(value):0{width}d}" if width else str(int(value))
    return DoubleQuotedScalarString(text)


def _quote_list(items: Any, depth: int) -> None:
    if not isinstance(items, CommentedSeq):
        return
    for i, item in enumerate(items):
        if depth > 1:
            _quote_list(item, depth - 1)
        else:
            items[i] = _code(item)


def _quote_keys(mapping: Any) -> None:
    if not isinstance(mapping, CommentedMap):
        return
    for position, key in enumerate(list(mapping)):
        new = _code(key)
        if new is not key:
            value = mapping.pop(key)
            comment = mapping.ca.items.pop(key, None)
            mapping.insert(position, new, value)
            if comment is not None:
                mapping.ca.items[new] = comment


def _quote_codes(document: CommentedMap) -> None:
    decisions = document.get("decisions")
    if isinstance(decisions, CommentedMap):
        for key, depth in (("merge_together", 2), ("keep_apart", 2), ("unchanged", 1), ("fixed_seats", 1)):
            _quote_list(decisions.get(key), depth)
    _quote_list(document.get("removed_adjacencies"), 2)
    links = document.get("links")
    if isinstance(links, CommentedSeq):
        for link in links:
            if isinstance(link, CommentedMap):
                for key in ("a", "b"):
                    if key in link:
                        link[key] = _code(link[key])
    target = document.get("target")
    if isinstance(target, CommentedMap):
        _quote_keys(target.get("by_parent"))
    units = document.get("units")
    if isinstance(units, CommentedMap) and isinstance(units.get("contexts"), CommentedMap):
        _quote_keys(units["contexts"].get("values"))


# -- key order on the text ---------------------------------------------------------------------

_KEY = re.compile(r"""^(?P<indent> *)(?P<key>"[^"]*"|'[^']*'|[^\s#'"\-?][^:#]*?)\s*:(\s|$)""")


def reorder_text(text: str) -> str:
    """Put top-level keys and the keys of known sections in their documented order.

    Each key moves with its value's lines and with the comment and blank lines just above it.
    """
    lines = text.split("\n")
    trailing = lines.pop() if lines and lines[-1] == "" else None
    ordered = _reorder_block(lines, 0, "")
    return "\n".join(ordered) + ("\n" if trailing is not None else "")


def _reorder_block(lines: list[str], indent: int, path: str) -> list[str]:
    header, blocks, footer = _split_blocks(lines, indent)
    if not blocks:
        return lines
    order = TOP_ORDER if not path else SECTION_ORDER.get(path, ())
    for i, (key, block) in enumerate(blocks):
        child = f"{path}.{key}" if path else key
        if child in SECTION_ORDER:
            head, _ = _key_line_index(block, indent)
            blocks[i] = (key, block[:head + 1] + _reorder_block(block[head + 1:], indent + INDENT, child))
    rank = {key: i for i, key in enumerate(order)}
    position = {key: i for i, (key, _) in enumerate(blocks)}
    blocks.sort(key=lambda kb: (rank.get(kb[0], len(rank)), position[kb[0]]))
    out = list(header)
    for _, block in blocks:
        out += block
    return out + footer


def _key_line_index(block: list[str], indent: int) -> tuple[int, str]:
    for i, line in enumerate(block):
        match = _KEY.match(line)
        if match and len(match.group("indent")) == indent:
            return i, match.group("key")
    return 0, ""


def _split_blocks(lines: list[str], indent: int) -> tuple[list[str], list[tuple[str, list[str]]], list[str]]:
    """Lines before the first key, (key, lines) per key, and comment lines after the last value."""
    starts = []
    for i, line in enumerate(lines):
        match = _KEY.match(line)
        if match and len(match.group("indent")) == indent:
            starts.append((i, match.group("key").strip("'\"")))
    if not starts:
        return lines, [], []
    header = lines[:starts[0][0]]
    blocks: list[tuple[str, list[str]]] = []
    lead: list[str] = []
    for n, (start, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        body = lines[start:end]
        cut = len(body)
        while cut > 1 and _is_loose(body[cut - 1], indent):
            cut -= 1
        blocks.append((key, lead + body[:cut]))
        lead = body[cut:]
    return header, blocks, lead


def _is_loose(line: str, indent: int) -> bool:
    """A blank line, or a comment at the key's indentation (it belongs to the key below)."""
    stripped = line.strip()
    return not stripped or (stripped.startswith("#") and len(line) - len(line.lstrip(" ")) <= indent)
