"""Plain-text rendering of a :class:`planner.review.compare.Comparison`, for people reading a review.

The text is deterministic (sorted sections, fixed decimals) and free of terminal markup,
so it can be pasted into a review or compared in a test.  Layout::

    A: HEAD~1:scenarios/x (scenario)
    B: HEAD:scenarios/x (scenario)

    Settings (scenario.yaml): 1 change
      target.count: 166 -> 160

    Data: 1 file changed
      units (units.csv): 1 row changed
        ~ 0003 population: 5400 -> 5600

    New units: 166 -> 165: 1 created, 2 dissolved, 3 changed (1 renamed), 160 unchanged
      + N9 Xã Mới (commune, seat 0003): 0003 Xã A (from N1), ...
      - N2 Xã Cũ (commune, seat 0004): 0004 Xã B (to N9), ...
      ~ N1 Xã One: +0007 Xã G (from N3); -0003 Xã A (to N9); seat 0003 -> 0001

    Old units moved: 6
      0003 Xã A: N1 -> N9

    By province: 2 parent units, 1 with changes
      38 Tỉnh Thanh Hóa: new units 166 -> 165, population 3,900,000, 6 new units changed, 6 old units moved

    Figures             A        B   change
      units after     166      165       -1

Every change reads from A to B: A's value, then B's; ``+`` is only in B, ``-`` only in A.
"""

from __future__ import annotations

from typing import Any

from planner.review.compare import Comparison, UnitChange, canonical_text
from planner.review.scenario_data import DataChange

#: Rows listed per changed data file (the rest are counted); --json lists them all.
ROWS_SHOWN = 20


def render_text(comparison: Comparison, *, brief: bool = False) -> str:
    """The comparison as plain text; ``brief`` leaves out the lists of units."""
    lines = [f"A: {comparison.a.label} ({comparison.a.source})",
             f"B: {comparison.b.label} ({comparison.b.source})"]
    lines += _rules(comparison)
    lines += _data(comparison, brief)
    lines += _units(comparison, brief)
    lines += _parents(comparison, brief)
    lines += _figures(comparison)
    if comparison.notes:
        lines += ["", *[f"note: {note}" for note in comparison.notes]]
    if not comparison.differs:
        lines += ["", "no differences"]
    return "\n".join(lines) + "\n"


def _rules(comparison: Comparison) -> list[str]:
    if comparison.a.rules is None or comparison.b.rules is None:
        return []
    lines = ["", f"Settings (scenario.yaml): {_plural(len(comparison.rules), 'change')}"]
    for rule in comparison.rules:
        if rule.added or rule.removed:
            parts = ([f"added {', '.join(rule.added)}"] if rule.added else []) + (
                [f"removed {', '.join(rule.removed)}"] if rule.removed else [])
            lines.append(f"  {rule.key}: {'; '.join(parts)}")
        else:
            lines.append(f"  {rule.key}: {_value(rule.a)} -> {_value(rule.b)}")
    return lines


def _data(comparison: Comparison, brief: bool) -> list[str]:
    if comparison.a.data is None or comparison.b.data is None:
        return []
    lines = ["", f"Data: {_plural(len(comparison.data), 'file')} changed"]
    for change in comparison.data:
        lines.append(f"  {_data_line(change)}")
        if not brief:
            lines += _data_rows(change)
    return lines


def _data_line(change: DataChange) -> str:
    paths = change.path_a if change.path_a == change.path_b else f"{change.path_a} -> {change.path_b}"
    head = f"{change.section} ({paths or ''})"
    if change.path_a is None:
        return f"{change.section} ({change.path_b}): only in B, {_plural(change.count_b or 0, 'row')}"
    if change.path_b is None:
        return f"{change.section} ({change.path_a}): only in A, {_plural(change.count_a or 0, 'row')}"
    if change.content_only:
        return f"{head}: content differs (by SHA-256; an output folder records no rows)"
    parts = [f"{len(change.added)} added", f"{len(change.removed)} removed",
             f"{_plural(len({row for row, *_ in change.changed}), 'row')} changed"]
    return f"{head}: {', '.join(parts)} ({_number(change.count_a)} -> {_number(change.count_b)} rows)"


def _data_rows(change: DataChange) -> list[str]:
    rows = ([f"    + {key}" for key in change.added] + [f"    - {key}" for key in change.removed]
            + [f"    ~ {row} {column}: {_value(a or None)} -> {_value(b or None)}"
               for row, column, a, b in change.changed])
    if len(rows) > ROWS_SHOWN:
        rows = rows[:ROWS_SHOWN] + [f"    ... and {len(rows) - ROWS_SHOWN} more (--json lists them all)"]
    return rows


def _units(comparison: Comparison, brief: bool) -> list[str]:
    if comparison.a.plan is None or comparison.b.plan is None:
        return []
    counts = comparison.counts()
    renamed = f" ({counts['renamed']} renamed)" if counts["renamed"] else ""
    lines = ["", f"New units: {counts['new_units_a']} -> {counts['new_units_b']}: {counts['created']} created, "
             f"{counts['dissolved']} dissolved, {counts['changed']} changed{renamed}, "
             f"{counts['unchanged']} unchanged"]
    names = {**comparison.a.unit_names, **comparison.b.unit_names}
    a_of = comparison.a.plan.assignment
    b_of = comparison.b.plan.assignment
    if not brief:
        lines += [_unit_line(change, names, a_of, b_of) for change in comparison.units]
    lines += ["", f"Old units moved: {len(comparison.moves)}"]
    if not brief:
        lines += [f"  {_unit(m.unit, names)}: {m.a} -> {m.b}" for m in comparison.moves]
    lines += ["", f"Seats changed: {len(comparison.seat_changes)}"]
    if not brief:
        lines += [f"  {change.b} {change.name_b}: {_unit(change.seat_a, names)} -> {_unit(change.seat_b, names)}"
                  for change in comparison.seat_changes]
    for side, codes in (("A", comparison.only_in_a), ("B", comparison.only_in_b)):
        if codes:
            lines += ["", f"Old units only in {side}: {len(codes)}"]
            if not brief:
                lines += [f"  {_unit(code, names)}" for code in codes]
    return lines


def _parents(comparison: Comparison, brief: bool) -> list[str]:
    """Per parent unit of the merge level (a new province): new units, population, changes; the changed ones listed."""
    if not comparison.parents:
        return []
    changed = [row for row in comparison.parents if row.differs]
    lines = ["", f"By {comparison.parent_level}: {_plural(len(comparison.parents), 'parent unit')}, "
             f"{len(changed)} with changes"]
    if brief:
        return lines
    for row in changed:
        units = f"{row.units_a}" if row.units_a == row.units_b else f"{row.units_a} -> {row.units_b}"
        people = f"{row.population_a:,.0f}" if round(row.population_a) == round(row.population_b) else \
            f"{row.population_a:,.0f} -> {row.population_b:,.0f}"
        lines.append(f"  {_unit(row.code, {row.code: row.name})}: new units {units}, population {people}, "
                     f"{_plural(row.changes, 'new unit')} changed, {_plural(row.moved, 'old unit')} moved")
    return lines


def _unit_line(change: UnitChange, names: dict[str, str], a_of: dict[str, str], b_of: dict[str, str]) -> str:
    if change.status == "created":
        members = ", ".join(f"{_unit(u, names)} (from {a_of.get(u, 'nowhere')})" for u in change.members_b)
        return f"  + {change.b} {_describe(change.name_b, change.kind_b, change.seat_b, change.standard_b)}: {members}"
    if change.status == "dissolved":
        members = ", ".join(f"{_unit(u, names)} (to {b_of.get(u, 'nowhere')})" for u in change.members_a)
        return f"  - {change.a} {_describe(change.name_a, change.kind_a, change.seat_a, change.standard_a)}: {members}"
    parts = []
    if change.added:
        parts.append("+" + ", +".join(f"{_unit(u, names)} (from {a_of.get(u, 'nowhere')})" for u in change.added))
    if change.removed:
        parts.append("-" + ", -".join(f"{_unit(u, names)} (to {b_of.get(u, 'nowhere')})" for u in change.removed))
    for what in ("id", "name", "kind", "seat", "standard"):
        if what in change.changes:
            first, second = (change.a, change.b) if what == "id" else (
                getattr(change, f"{what}_a"), getattr(change, f"{what}_b"))
            parts.append(f"{what} {first} -> {second}")
    if "contiguous" in change.changes:
        parts.append("now contiguous" if change.contiguous_b else "no longer contiguous")
    return f"  ~ {change.b} {change.name_b}: {'; '.join(parts)}"


def _figures(comparison: Comparison) -> list[str]:
    if not comparison.figures:
        return []
    width = max(len(f.label) for f in comparison.figures)
    cells = [(f.label, _number(f.a), _number(f.b), _change(f)) for f in comparison.figures]
    size = max([10] + [len(text) for cell in cells for text in cell[1:]])
    lines = ["", f"{'Figures':<{width + 2}} {'A':>{size}} {'B':>{size}} {'change':>{size}}"]
    lines += [f"  {label:<{width}} {a:>{size}} {b:>{size}} {change:>{size}}" for label, a, b, change in cells]
    return lines


def _change(figure: Any) -> str:
    if figure.delta is not None:
        return _number(figure.delta, signed=True)
    return "changed" if figure.differs else ""


def _describe(name: str, kind: str, seat: str, standard: str) -> str:
    details = ", ".join(part for part in (kind, f"seat {seat}" if seat else "", standard) if part)
    return f"{name} ({details})" if details else name


def _unit(code: str, names: dict[str, str]) -> str:
    name = names.get(code, "")
    return f"{code} {name}" if name else code


def _number(value: Any, signed: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:+.3f}" if signed else f"{value:.3f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:+d}" if signed else str(value)
    return str(value)


def _value(value: Any) -> str:
    if value is None:
        return "(absent)"
    if isinstance(value, (dict, list)):
        return canonical_text(value)
    return str(value)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
