"""Names of new units: the preset's ``naming:`` rule, applied the same way to every plan.

A new unit the plan (or the scenario's ``decisions.names``) does not name is named by the
rule of its preset (``docs/presets.md``):

- the *proper name* is its seat's old name without the seat's own kind word (``Thị trấn
  Ngọc Lặc`` -> ``Ngọc Lặc``); the kind words of every kind are read from the preset;
- the name is the preset's ``pattern`` with the new unit's own kind word and the proper name
  (``{kind_word} {proper_name}`` -> ``Xã Ngọc Lặc``), so a name never carries the word of
  another kind;
- names are unique within the new unit's parent (the preset's ``merge_within`` level): when
  several new units would share a name, names the plan or the scenario gave are kept, then
  the unit with the most populous seat keeps the name (ties: the smaller new-unit id); each
  other one adds the proper name of its most populous other member (``duplicates:
  next_member``, joined by ``joiner``), and when that is taken too or the unit has no other
  member, a number (``number_pattern``, from 2 up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner.inputs.problems import ProblemList

PROPER = "{proper_name}"
KIND_WORD = "{kind_word}"
DUPLICATE_RULES = ("next_member", "number")
#: Where a new unit's name comes from (the ``name_source`` column of units.csv).
FROM_PLAN, FROM_SCENARIO, FROM_RULE, MADE_UNIQUE = "plan", "scenario", "preset", "preset, made unique"


@dataclass(frozen=True)
class NamingRule:
    """A preset's naming rule.

    Attributes
    ----------
    pattern : str
        The name of a new unit, from ``{kind_word}`` and ``{proper_name}``.
    kind_words : dict
        Kind -> its words; the first is the one names are built with, all are stripped.
    duplicates : str
        ``next_member`` or ``number``: how a name taken in the same parent is made unique.
    joiner, number_pattern : str
        Between two proper names; a numbered proper name (``{proper_name}`` and ``{number}``).
    """

    pattern: str = PROPER
    kind_words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    duplicates: str = "next_member"
    joiner: str = " "
    number_pattern: str = "{proper_name} {number}"

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None) -> NamingRule:
        """The rule of a preset's ``naming:`` mapping (None: the seat's name, unchanged)."""
        if not data:
            return cls()
        words = {str(kind): _words(value) for kind, value in (data.get("kind_words") or {}).items()}
        return cls(pattern=str(data.get("pattern", PROPER)),
                   kind_words=tuple(sorted(words.items())),
                   duplicates=str(data.get("duplicates", "next_member")),
                   joiner=str(data.get("joiner", " ")),
                   number_pattern=str(data.get("number_pattern", "{proper_name} {number}")))

    def words_of(self, kind: str) -> tuple[str, ...]:
        """The words of ``kind`` (empty when the preset gives none)."""
        return dict(self.kind_words).get(kind, ())

    def _affixes(self) -> list[tuple[str, str, str]]:
        """(kind, text before the proper name, text after it) for every kind word, longest first."""
        before, _, after = self.pattern.partition(PROPER)
        affixes = [(kind, before.replace(KIND_WORD, word), after.replace(KIND_WORD, word))
                   for kind, words in self.kind_words for word in words]
        return sorted(affixes, key=lambda a: (-len(a[1]) - len(a[2]), a[0], a[1], a[2]))

    def split(self, name: str) -> tuple[str | None, str]:
        """The kind whose word ``name`` carries (None when none) and its proper name.

        Examples
        --------
        >>> rule = NamingRule("{kind_word} {proper_name}",
        ...                   (("commune", ("Xã",)), ("township", ("Thị trấn",))))
        >>> rule.split("Thị trấn Ngọc Lặc")
        ('township', 'Ngọc Lặc')
        >>> rule.split("Ngọc Lặc")
        (None, 'Ngọc Lặc')
        """
        text = " ".join(str(name).split())
        folded = text.casefold()
        for kind, before, after in self._affixes():
            if (len(text) > len(before) + len(after) and folded.startswith(before.casefold())
                    and folded.endswith(after.casefold())):
                return kind, text[len(before):len(text) - len(after)].strip()
        return None, text

    def proper_name(self, name: str) -> str:
        """``name`` without its kind word."""
        return self.split(name)[1]

    def build(self, kind: str, proper: str) -> str:
        """The name of a new unit of ``kind`` with that proper name.

        Examples
        --------
        >>> NamingRule("{kind_word} {proper_name}", (("commune", ("Xã",)),)).build("commune", "Ngọc Lặc")
        'Xã Ngọc Lặc'
        """
        words = self.words_of(kind)
        text = self.pattern.replace(KIND_WORD, words[0] if words else "").replace(PROPER, proper)
        return " ".join(text.split())

    def numbered(self, proper: str, number: int) -> str:
        """A proper name with a number, by ``number_pattern``."""
        return self.number_pattern.replace(PROPER, proper).replace("{number}", str(number))


def _words(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, (list, tuple)) else [value]
    return tuple(str(v) for v in values if v not in (None, ""))


def check_naming(data: Any, label: str, kinds: tuple[str, ...], problems: ProblemList) -> None:
    """Problems of a preset's ``naming:`` section: its keys, and a kind word for each of ``kinds``."""
    if data is None:
        return
    where = "key naming"
    if not isinstance(data, dict):
        problems.error(label, where, "naming", "expected a mapping: pattern, kind_words, duplicates")
        return
    pattern = data.get("pattern", PROPER)
    if not isinstance(pattern, str) or PROPER not in pattern:
        problems.error(label, where, "pattern", f"expected a text holding {PROPER} (and {KIND_WORD}), got {pattern!r}")
    words = data.get("kind_words") or {}
    if not isinstance(words, dict):
        problems.error(label, where, "kind_words", "expected a mapping: kind -> its words")
        words = {}
    uses_word = isinstance(pattern, str) and KIND_WORD in pattern
    for kind in kinds:
        if uses_word and not _words(words.get(kind)):
            problems.error(label, where, "kind_words", f"no word for the kind '{kind}' (the pattern needs one)")
    if data.get("duplicates", "next_member") not in DUPLICATE_RULES:
        problems.error(label, where, "duplicates", f"expected one of {', '.join(DUPLICATE_RULES)}")
    if "{number}" not in str(data.get("number_pattern", "{number}")):
        problems.error(label, where, "number_pattern", "expected a text holding {number}")


@dataclass(frozen=True)
class NewUnit:
    """What naming needs to know of a new unit: its kind, seat, members and parent.

    ``members`` are sorted by population, most populous first (the seat among them).
    """

    kind: str
    seat: str
    members: tuple[str, ...]
    parent: str = ""
    seat_population: float = 0.0


def name_units(rule: NamingRule, units: Mapping[str, NewUnit], old_names: Mapping[str, str],
               given: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The name of every new unit and where it comes from (:data:`FROM_RULE` and the like).

    Parameters
    ----------
    rule : NamingRule
        The preset's rule.
    units : mapping
        New unit id -> :class:`NewUnit`.
    old_names : mapping
        Old unit code -> its name.
    given : mapping
        New unit id -> (name, source) for names the plan or the scenario gives; kept as they are.

    Returns
    -------
    dict
        New unit id -> (name, source), sorted by id.
    """
    names = {new: given[new] for new in units if new in given}
    built = {new: rule.build(u.kind, rule.proper_name(old_names.get(u.seat, u.seat)))
             for new, u in units.items() if new not in given}
    taken = {(units[new].parent, name.casefold()) for new, (name, _) in names.items()}
    order = sorted(built, key=lambda new: (-units[new].seat_population, new))
    first_of: set[tuple[str, str]] = set()
    for new in order:
        key = (units[new].parent, built[new].casefold())
        if key not in taken and key not in first_of:
            first_of.add(key)
            names[new] = (built[new], FROM_RULE)
    taken |= first_of
    for new in sorted(set(built) - set(names)):
        name = _unique_name(rule, units[new], old_names, taken)
        taken.add((units[new].parent, name.casefold()))
        names[new] = (name, MADE_UNIQUE)
    return dict(sorted(names.items()))


def _unique_name(rule: NamingRule, unit: NewUnit, old_names: Mapping[str, str],
                 taken: set[tuple[str, str]]) -> str:
    proper = rule.proper_name(old_names.get(unit.seat, unit.seat))
    if rule.duplicates == "next_member":
        for member in unit.members:
            other = rule.proper_name(old_names.get(member, member))
            if member == unit.seat or other.casefold() == proper.casefold():
                continue
            name = rule.build(unit.kind, f"{proper}{rule.joiner}{other}")
            if (unit.parent, name.casefold()) not in taken:
                return name
    number = 2
    while True:
        name = rule.build(unit.kind, rule.numbered(proper, number))
        if (unit.parent, name.casefold()) not in taken:
            return name
        number += 1
