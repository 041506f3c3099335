"""The transition of a plan: the bodies each new unit must create and who receives each task.

For a plan, :func:`plan_transition` works out

- which bodies are abolished: every body of the abolished level (``district``) and every
  commune-level body of an old unit that is merged with others or left alone with a new kind
  or name (a township that becomes a commune);
- which bodies each new unit must create (bodies of the new map that do not carry on an
  unmerged unit's body), with their seal needs;
- for each task of an abolished body and each new unit its territory falls in, the
  receiving body (Resolution 190/2025: a document naming the abolished body is read as
  naming the receiver).  The receiver is the one named in the tasks table, else the body
  of the transfer rule's kind in that new unit (``to_level: commune``) or in its parent
  unit (``to_level: province``; with a scenario ``merge_within`` mapping provinces, the new
  province: the body of the province whose code it has).  A piece of territory with no receiver,
  or with more than one, is reported by :mod:`planner.transition.gaps`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from planner.inputs.plan import Plan
from planner.inputs.scenario import Scenario
from planner.transition.agencies import BASE_LEVEL, AgencyLayer, bodies_for_plan, kept_units, split_ids

RECEIVER_COLUMNS = ["task", "task_name", "category", "from_body", "from_name", "new_unit", "population",
                    "receiver", "receiver_name", "basis", "n_receivers"]
BODY_COLUMNS = ["new_unit", "new_unit_name", "body", "name", "kind", "status", "needs_seal", "seal_registered",
                "signs", "one_stop", "legal_basis", "staff", "transferred_in", "origin"]


@dataclass
class Transition:
    """What a plan asks of the bodies of its units.

    Attributes
    ----------
    bodies : pandas.DataFrame
        Every body (the layer's plus the template bodies new units lack), indexed by id.
    new_bodies : pandas.DataFrame
        One row per body of a new unit (:data:`BODY_COLUMNS`); ``status`` is ``create``
        or ``continues`` (the body of an old unit left alone with its kind and name carries on).
    abolished : list of str
        Ids of the bodies that end with the old map.
    receivers : pandas.DataFrame
        One row per (task, new unit, receiver) (:data:`RECEIVER_COLUMNS`); a piece with no
        receiver has one row with an empty ``receiver`` and ``n_receivers`` 0.
    ignored : list of str
        Bodies of new units that the plan does not have (left out, with a warning).
    """

    bodies: pd.DataFrame
    new_bodies: pd.DataFrame
    abolished: list[str]
    receivers: pd.DataFrame
    ignored: list[str] = field(default_factory=list)

    def receivers_of(self, body: str, task: str | None = None) -> list[str]:
        """The bodies that receive the tasks of an abolished body (of one task if given)."""
        rows = self.receivers[(self.receivers["from_body"] == body) & (self.receivers["receiver"] != "")]
        if task:
            rows = rows[rows["task"] == task]
        return sorted(set(rows["receiver"]))


def plan_transition(scenario: Scenario, layer: AgencyLayer, plan: Plan) -> Transition:
    """The transition of ``plan`` (bodies to create, abolished bodies, task receivers)."""
    bodies = bodies_for_plan(layer, scenario, plan)
    groups = plan.groups()
    after_units = bodies[(bodies["level"] == BASE_LEVEL) & (bodies["period"] == "after")]["unit"]
    ignored = sorted(after_units.index[~after_units.isin(groups.keys())])
    bodies = bodies.drop(index=ignored)
    abolished = abolished_bodies(bodies, plan, layer.abolished_level, set(kept_units(scenario, plan)))
    new_bodies = _new_bodies(bodies, plan, set(abolished))
    receivers = _task_receivers(scenario, layer, bodies, plan, set(abolished))
    return Transition(bodies, new_bodies, abolished, receivers, ignored)


def abolished_bodies(bodies: pd.DataFrame, plan: Plan, abolished_level: str | None,
                     kept: set[str] | None = None) -> list[str]:
    """Bodies of the abolished level, and commune-level bodies of old units of the plan not ``kept`` (merged with
    others, or alone with a new kind or name: :func:`~planner.transition.agencies.kept_units`; by default every old
    unit alone in its new unit is kept)."""
    if kept is None:
        kept = {members[0] for members in plan.groups().values() if len(members) == 1}
    before = bodies[bodies["period"] == "before"]
    ended = []
    for body, row in before.iterrows():
        if row["level"] == abolished_level:
            ended.append(body)
        elif row["level"] == BASE_LEVEL and row["unit"] in plan.assignment and row["unit"] not in kept:
            ended.append(body)
    return sorted(ended)


def _new_bodies(bodies: pd.DataFrame, plan: Plan, abolished: set[str]) -> pd.DataFrame:
    rows = []
    commune = bodies[bodies["level"] == BASE_LEVEL]
    for body, row in commune.iterrows():
        if row["period"] == "after":
            new, status = row["unit"], "create"
        elif body not in abolished and row["unit"] in plan.assignment:
            new, status = plan.assignment[row["unit"]], "continues"
        else:
            continue
        rows.append({"new_unit": new, "new_unit_name": plan.names.get(new, ""), "body": body,
                     "name": row["name"], "kind": row["kind"], "status": status,
                     "needs_seal": bool(row["needs_seal"]), "seal_registered": row["seal_registered"],
                     "signs": bool(row["signs"]), "one_stop": bool(row["one_stop"]),
                     "legal_basis": row["legal_basis"], "staff": row["staff"],
                     "transferred_in": row["transferred_in"], "origin": row["origin"]})
    frame = pd.DataFrame(rows, columns=BODY_COLUMNS)
    return frame.sort_values(["new_unit", "body"], ignore_index=True)


class _Jurisdictions:
    """Lookups of bodies by level, unit and kind, and of territories."""

    def __init__(self, scenario: Scenario, bodies: pd.DataFrame, plan: Plan, abolished: set[str]):
        self.units = scenario.units
        self.parents = {level: scenario.units[level].to_dict() for level in scenario.parent_levels}
        merge = scenario.merge_within
        if merge is not None and merge.by is not None:  # the mapped parent (new province) receives the level's tasks
            self.parents[merge.by] = scenario.units[merge.level].to_dict()
        self.plan = plan
        self.by_place: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for row in bodies.to_dict("records"):
            body = row["id"]
            if body in abolished:
                continue
            if row["period"] == "before" and row["level"] != BASE_LEVEL:
                continue
            unit = row["unit"]
            if row["level"] == BASE_LEVEL and row["period"] != "after":
                unit = plan.assignment.get(unit, unit)
            self.by_place[(row["level"], unit, row["kind"])].append(body)

    @functools.cache  # noqa: B019 - one lookup object per transition
    def territory(self, level: str, unit: str) -> tuple[str, ...]:
        if level == BASE_LEVEL:
            return (unit,) if unit in self.plan.assignment else ()
        if level not in self.units.columns:
            return ()
        return tuple(sorted(self.units.index[self.units[level] == unit]))

    def covers(self, body: pd.Series, new_unit: str, members: list[str]) -> bool:
        if body["level"] == BASE_LEVEL:
            unit = body["unit"] if body["period"] == "after" else self.plan.assignment.get(body["unit"])
            return unit == new_unit
        return body["unit"] in self.parents_of(body["level"], members)

    def parents_of(self, level: str, members: list[str]) -> list[str]:
        parents = self.parents.get(level)
        return sorted({parents[m] for m in members}) if parents else []

    def receivers(self, level: str, kind: str, new_unit: str, members: list[str]) -> list[str]:
        if level == BASE_LEVEL:
            return self.by_place.get((level, new_unit, kind), [])
        return [b for p in self.parents_of(level, members) for b in self.by_place.get((level, p, kind), [])]


def _task_receivers(scenario: Scenario, layer: AgencyLayer, bodies: pd.DataFrame, plan: Plan,
                    abolished: set[str]) -> pd.DataFrame:
    places = _Jurisdictions(scenario, bodies, plan, abolished)
    rules: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for _, rule in layer.transfer_rules.iterrows():
        rules[rule["category"]].append((rule["to_level"], rule["receiver_kind"], rule["legal_reference"]))
    population = scenario.units["population"].fillna(0.0).to_dict()
    names = bodies["name"].to_dict()
    rows = []
    for task in layer.tasks.to_dict("records"):
        for holder, holder_name, territory in _holders(task["holder"], bodies, abolished, places, scenario,
                                                       layer.abolished_level):
            pieces: dict[str, list[str]] = defaultdict(list)
            for unit in territory:
                pieces[plan.assignment[unit]].append(unit)
            for new_unit, members in sorted(pieces.items()):
                found = _receivers_of_piece(task, rules, bodies, places, new_unit, members)
                base = {"task": task["id"], "task_name": task["name"], "category": task["category"],
                        "from_body": holder, "from_name": holder_name, "new_unit": new_unit,
                        "population": float(sum(population[m] for m in members)), "n_receivers": len(found)}
                if not found:
                    rows.append(base | {"receiver": "", "receiver_name": "", "basis": ""})
                for receiver, basis in found:
                    rows.append(base | {"receiver": receiver, "receiver_name": names[receiver],
                                        "basis": basis})
    frame = pd.DataFrame(rows, columns=RECEIVER_COLUMNS)
    return frame.sort_values(["task", "from_body", "new_unit", "receiver"], ignore_index=True)


def _holders(holder: str, bodies: pd.DataFrame, abolished: set[str], places: _Jurisdictions,
             scenario: Scenario, abolished_level: str | None) -> list[tuple[str, str, tuple[str, ...]]]:
    """(holder id, name, territory) for each abolished holder of a task.

    A holder that is a level name (``district``) stands for every unit of that level.
    """
    if holder in bodies.index:
        if holder not in abolished:
            return []
        row = bodies.loc[holder]
        return [(holder, row["name"], places.territory(row["level"], row["unit"]))]
    if holder and holder == abolished_level:
        names = scenario.parent_names.get(holder, {})
        codes = sorted({str(c) for c in scenario.units[holder] if str(c)})
        return [(f"{holder}:{c}", str(names.get(c, c)), places.territory(holder, c)) for c in codes]
    return []


def _receivers_of_piece(task: dict, rules: dict[str, list[tuple[str, str, str]]], bodies: pd.DataFrame,
                        places: _Jurisdictions, new_unit: str, members: list[str]) -> list[tuple[str, str]]:
    named = split_ids(task["receiver"])
    if named:
        return [(r, "named in the tasks table") for r in named
                if r in bodies.index and places.covers(bodies.loc[r], new_unit, members)]
    found: dict[str, str] = {}
    for level, kind, reference in rules.get(task["category"], []):
        for receiver in places.receivers(level, kind, new_unit, members):
            found.setdefault(receiver, f"transfer rule {task['category']} -> {level} {kind}"
                             + (f" ({reference})" if reference else ""))
    return sorted(found.items())
