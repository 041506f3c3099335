"""The shapes of ``scenario.yaml`` and of presets: every key planner reads, with its type.

:func:`check_scenario` and :func:`check_preset` run before the readers
(:mod:`planner.inputs.scenario_reader`, :mod:`planner.inputs.preset`): each value of the wrong
shape (a list where a mapping is expected, ``far`` for a distance, ``no`` for true or false, a
reduction whose ``min`` is above its ``max``) and each unknown key, at every level, is an error
naming the file and the key, an unknown key with the closest known one ("did you mean
'boundaries'?").  The readers get the document with those values left out and its numbers and
dates typed, so a scenario that ``planner validate`` accepts never fails later on its settings.
Values whose words a reader knows (``contiguity``, ``target.unreachable``, the kind rules) are
checked by that reader, with what each word means.  A key planner reads must be declared here
(the format is in ``docs/scenario.md`` and ``docs/presets.md``).
"""

from __future__ import annotations

from typing import Any

from planner.inputs.problems import ProblemList
from planner.inputs.schema import (
    DROP,
    Choice,
    Date,
    Either,
    Flag,
    ListOf,
    Map,
    Number,
    OneOrList,
    Share,
    Spec,
    Text,
    documented,
)

TEXTS = ListOf(Text(), expected="a list of texts")
#: A mapping of texts to texts (level -> column, kind name -> kind).
TEXT_MAP = Map(values=Text(), expected="a mapping of texts (such as level: column)")
#: Values of a table mapped to planner's words (``Phường: ward``).
VALUE_MAP = Map(values=Text(), expected="a mapping: value in the file -> planner's value (such as Phường: ward)")
COLUMNS = OneOrList(Text(), expected="a column or a list of columns")
WHOLE = Number(expected="a whole number", integer=True, minimum=0)
COUNT = Number(expected="a whole number of at least 1", integer=True, minimum=1)
POSITIVE = Number(expected="a number above 0", above=0.0)
#: A cut in the number of units: shares of the units removed, ``min`` at most ``max``.
REDUCTION = Map({"min": Share(), "max": Share()}, expected="{min: 0.6, max: 0.7} (shares of units removed)",
                ordered=("min", "max"))

# -- presets ----------------------------------------------------------------------------------
_STANDARD = Map({
    "id": Text(), "kind": Text(), "terrain": OneOrList(Text()), "context": OneOrList(Text()),
    "criteria": ListOf(Map({"attribute": Text(), "min": Number(minimum=0.0)},
                           expected="{attribute: population or area_km2, min: number}")),
    "source": Text(), "note": Text(), "alternative_to": Text(),
}, expected="a standard: {id, kind, criteria, source}")
_STAFF_NORM = Map({
    "kind": Text(), "terrain": OneOrList(Text()), "context": OneOrList(Text()), "population": Number(minimum=0.0),
    "area_km2": Number(minimum=0.0), "population_step": Share(maximum=None), "area_step": Share(maximum=None),
    "source": Text(), "note": Text(),
})
#: A staffing norm (the ``staffing`` section, or one of its dated ``norms``): base numbers by kind and class plus
#: steps above a standard, or a flat number of ``positions`` (one for all kinds, or by kind).
_STAFF_RULE = {
    "source": Text(), "note": Text(), "base": Map(values=Map(values=Number(minimum=0.0))),
    "assumed_class": Text(), "standard": ListOf(_STAFF_NORM), "population_step": Share(maximum=None),
    "area_step": Share(maximum=None), "label": Text(), "estimate": Flag(),
    "positions": Either((Number(minimum=0.0), Map(values=Number(minimum=0.0)))),
}
_FACTOR_TEST = Map({"factor": Text(), "min": Share(), "equals": Text(flags=True), "terrain": OneOrList(Text())},
                   expected="a test: {factor: column, min: share}, {factor: column, equals: value} or {terrain: [...]}")
_REDUCTION = Map({
    "id": Text(), "kind": OneOrList(Text()), "attribute": Text(), "share": Share(),
    "when": ListOf(_FACTOR_TEST), "when_any": ListOf(_FACTOR_TEST),
    "step": Map({"factor": Text(), "every": Share(), "by": Share(), "floor": Share()}),
    "source": Text(), "note": Text(),
}, expected="a reduction: {id, kind, attribute, share, when, source}")
_CAPACITY = Either((Choice(("none",)), Map({
    "per_day": POSITIVE, "offices": COUNT, "days_per_seal": COUNT})))

#: The keys of a preset (``planner/presets/*.yaml``, ``docs/presets.md``) and of ``preset_overrides``.
PRESET = Map({
    "id": Text(), "title": Text(), "country": Text(), "valid_from": Date(), "valid_until": Date(nullable=True),
    "data_as_of": Date(nullable=True), "sources": TEXT_MAP,
    "kinds": Map({"input": TEXTS, "output": TEXTS}),
    "merged_kind": Map(documented({"rule": Text(),
                                   "kind": Text(), "counts": TEXTS, "otherwise": Text(), "keep": TEXTS})),
    "unarranged": Either((Text(), Map(documented({"rule": Text()})))),
    "naming": Map(documented({"pattern": Text(), "kind_words": Map(values=OneOrList(Text())),
                              "duplicates": Text(), "joiner": Text(),
                              "number_pattern": Text()})),
    "merged_terrain": Map(documented({"rule": Choice(("area_share",)), "otherwise": Text(),
                                      "tests": ListOf(Map({"terrain": Text(), "min_share": Share()}))})),
    "unknown_terrain": Map(documented({"treat_as": Text()})),
    "contexts": TEXTS, "default_context": Text(),
    "standards": ListOf(_STANDARD, expected="a list of standards"),
    "factors": Map(values=Map(documented({"type": Text(), "merge": Text()})),
                   expected="a mapping: column of the units table -> {type: share, flag or text, merge}"),
    "reductions": ListOf(_REDUCTION, expected="a list of special-factor reductions"),
    "waiver": Map(documented({"enabled": Flag(), "min_constituents": COUNT, "applies_to": TEXTS,
                              "scope_settled": Flag()})),
    "target": Map(documented({"reduction": REDUCTION, "count_reference": COUNT})),
    "merge_within": Text(nullable=True), "merge_within_source": Text(),
    "access": Map(documented({"max_km": Number(expected="a number above 0", above=0.0, nullable=True)})),
    "agency_templates": Text(),
    "seals": Map(documented({"lead_time_days": WHOLE, "order_working_days_before": WHOLE, "capacity": _CAPACITY,
                             "schedule_source": Text()})),
    "staffing": Map({
        **_STAFF_RULE, "assumed_class_source": Text(), "assumed_class_note": Text(),
        "cap": Text(), "cap_source": Text(), "cap_note": Text(), "surplus_years": WHOLE,
        "norms": ListOf(Map({**_STAFF_RULE, "id": Text(), "valid_from": Date(), "valid_until": Date(nullable=True)}),
                        expected="a list of staffing norms, each with the dates it is in force"),
    }),
}, expected="a mapping of preset keys")

# -- scenarios --------------------------------------------------------------------------------
_KIND_OR_VALUES = Either((Text(), Map({"default": Text(), "values": TEXT_MAP})),
                         expected="one value for all units or {default: ..., values: {unit code: ...}}")
UNITS = Map({
    "path": Text(), "layer": Text(), "sheet": Text(),
    "columns": Map({
        "id": Text(), "name": Text(), "kind": Text(), "terrain": Text(), "terrain_source": Text(),
        "context": Text(), "lon": Text(), "lat": Text(), "population": COLUMNS, "area_km2": COLUMNS,
        "staff": COLUMNS, "parents": TEXT_MAP, "parent_names": TEXT_MAP, "factors": TEXT_MAP,
        "extra": ListOf(Text(), expected="a list of columns"),
    }, expected="a mapping: planner field -> column of the table"),
    "where": Map(values=OneOrList(Text(flags=True), expected="a value or a list of values"),
                 expected="a mapping: column -> value or list of values"),
    "dissolve": Map({"by": Text(), "name": Text(), "kind": _KIND_OR_VALUES, "terrain": _KIND_OR_VALUES,
                     "parents": TEXT_MAP, "parent_names": TEXT_MAP}),
    "kind_values": VALUE_MAP, "terrain_values": VALUE_MAP, "estimated_terrain": TEXTS,
    "estimated_population": TEXTS,
    "contexts": Map(documented({"by": Text(), "default": Text(), "values": TEXT_MAP,
                                "map": Map({"path": Text(), "from": Text(), "to": Text()})}),
                    expected="{by: parent level, default: context, values: {parent code: context}}"),
    "decimal_mark": Text(), "thousands_mark": Text(),
})
BOUNDARIES = Map({
    "path": Text(), "layer": Text(), "id": Text(), "crs": Text(), "tolerance_m": Number(minimum=0.0),
    "min_shared_border_m": Number(minimum=0.0), "contiguity": Text(),
    "repair_invalid": Flag(),
    # may maps of these boundaries leave the organisation (docs/maps.md): the notice the page and print show
    "redistribution": Choice(("allowed", "not_allowed")), "notice": Text(),
})
_LINK = Map({"a": Text(), "b": Text(), "kind": Text(), "note": Text()}, expected="{a: code, b: code, kind: ferry}")
_GROUPS = ListOf(TEXTS, expected="a list of lists of unit codes")
AGENCY_TABLES = ("agencies", "tasks", "transfer_rules", "procedures", "service_points", "places")
#: The go-live operations tables (planner/transition/operations_input.py).
OPERATION_TABLES = ("body_capacity", "handover", "records", "positions", "buildings")
AGENCIES = Map({
    "template": Text(), "go_live": Date(), "seal_lead_time_days": WHOLE, "abolished_level": Text(),
    "seal_schedule": Map({"order_date": Date(), "capacity": _CAPACITY, "provinces": Text()}),
    "from_template": ListOf(Choice(AGENCY_TABLES)),
    **{name: Text() for name in AGENCY_TABLES},
    **{name: Text() for name in OPERATION_TABLES},
})

#: The keys of ``scenario.yaml`` (``docs/scenario.md``).
SCENARIO = Map({
    "name": Text(nullable=True), "description": Text(nullable=True), "effective_date": Date(), "preset": Text(),
    "preset_overrides": PRESET,
    "units": UNITS, "boundaries": BOUNDARIES,
    "links": Either((Map({"path": Text()}), ListOf(_LINK)),
                    expected="{path: links.csv} or a list of {a, b, kind}"),
    "removed_adjacencies": _GROUPS,
    "decisions": Map({"merge_together": _GROUPS, "keep_apart": _GROUPS, "unchanged": TEXTS, "fixed_seats": TEXTS,
                      "max_members": COUNT, "names": TEXT_MAP}),
    "target": Map({"count": COUNT, "reduction": REDUCTION, "max_p": Flag(), "min_count": Flag(),
                   "by_parent": Map(values=COUNT, expected="a mapping: parent code -> count"),
                   "unreachable": Text()}),
    "access": Map({"max_km": POSITIVE}),
    "merge_within": Either((Text(), Map({"by": Text(), "level": Text(),
                                         "map": Map({"path": Text(), "from": Text(), "to": Text(), "name": Text()})})),
                           expected="a parent level, or {by: parent level, map: {path, from, to, name}, level: name}"),
    "solver": Map({"time_limit_s": Number(expected="a time limit: seconds above 0", above=0.0), "solves": COUNT,
                   "seed": WHOLE, "workers": COUNT}),
    "baseline": Map({
        "path": Text(),
        "columns": Map({name: Text() for name in ("unit", "new_unit", "new_name", "new_kind", "seat", "share")},
                       expected="a mapping: plan field -> column of the file"),
        "where": Map(values=Text(flags=True), expected="a mapping: column -> value"),
        "kind_values": VALUE_MAP, "seats": Map(values=Text(), expected="a mapping: new unit -> old unit of its seat"),
    }),
    "agencies": AGENCIES,
}, expected="a mapping of scenario keys")


def check_document(spec: Spec, document: dict[str, Any], problems: ProblemList, file: str,
                   prefix: str = "") -> dict[str, Any]:
    """A document checked against ``spec``: every problem recorded, the wrong values left out.

    Parameters
    ----------
    spec : Spec
        The shape of the document (:data:`SCENARIO`, :data:`PRESET`).
    document : dict
        The parsed YAML document.
    problems : ProblemList
        Receives one error per value of the wrong shape and per unknown key.
    file : str
        The document, as named in messages.
    prefix : str
        Put before the keys in messages (``"key "``).

    Returns
    -------
    dict
        The document without the values of the wrong shape, numbers and dates typed.

    Examples
    --------
    >>> problems = ProblemList()
    >>> check_document(SCENARIO, {"name": "A", "boundries": {"path": "b.geojson"}}, problems, "s.yaml", "key ")
    {'name': 'A'}
    >>> print(problems.errors[0])
    s.yaml, key boundries: unknown key 'boundries': did you mean 'boundaries'?
    """
    cleaned = spec.clean(document, "", lambda key, message: problems.error(file, f"{prefix}{key}", "", message))
    return {} if cleaned is DROP else cleaned


def check_scenario(document: dict[str, Any], problems: ProblemList, file: str) -> dict[str, Any]:
    """``scenario.yaml`` checked against :data:`SCENARIO` (see :func:`check_document`)."""
    return check_document(SCENARIO, document, problems, file, "key ")


def check_preset(document: dict[str, Any], problems: ProblemList, label: str) -> dict[str, Any]:
    """A preset (after ``extends`` and the scenario's overrides) checked against :data:`PRESET`."""
    return check_document(PRESET, document, problems, label, "key ")
