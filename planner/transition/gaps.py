"""The gap report: what breaks on the day a plan takes effect.

:func:`find_gaps` runs every check on an evaluated plan and its transition and returns one
row per gap (:data:`GAP_COLUMNS`): its type, severity, new unit, body, the population
affected, the task or procedure concerned, the date by which it must be fixed and a
suggested fix.  Gap types, their legal sources and the severity rules are documented in
``docs/gaps.md``; :data:`GAP_TYPES` lists them in report order.  The staffing figures behind
the staffing gaps come from :mod:`~planner.transition.headcount`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from planner.evaluation.evaluate import Evaluation
from planner.inputs.plan import Plan
from planner.inputs.problems import Problem
from planner.inputs.scenario import Scenario
from planner.severities import SEVERITIES, severity_rank
from planner.transition.agencies import BASE_LEVEL, AgencyLayer
from planner.transition.fix_texts import fix_texts
from planner.transition.headcount import (
    as_float,
    staffing_gap_rows,
    staffing_in_force,
    staffing_summary,
    staffing_table,
)
from planner.transition.operational_gaps import OPERATION_GAP_TYPES, OperationChecks
from planner.transition.operations_data import operations_data
from planner.transition.operations_input import read_operations
from planner.transition.procedure_levels import ProcedureBodies
from planner.transition.seal_schedule import SealSchedule, schedule_seals, seal_gap_rows, seal_needs
from planner.transition.transition import Transition
from planner.transition.workdays import working_days_before

__all__ = ["GAP_COLUMNS", "GAP_TYPES", "SEVERITIES", "GapReport", "find_gaps", "working_days_before", "years_after"]

#: The severities the gap rules give; their order is planner/templates/severities.yaml's (:data:`SEVERITIES`).
CRITICAL, HIGH, MEDIUM, LOW = "critical", "high", "medium", "low"
GAP_TYPES = (
    "seal_missing", "seal_late", "signing_without_authority", "signing_overload", "task_no_owner",
    "task_two_owners", "handover_backlog", "procedure_cites_abolished_body", "records_not_migrated",
    "no_one_stop_center", "access_beyond_threshold", "staff_over_cap", "staff_shortage", "staff_surplus",
    "skill_shortage", "headquarters_shortfall", "duplicate_place_name",
)
#: Gap types of the agency layer (checked only with agency data) and of the staffing norm (only with one).
AGENCY_GAP_TYPES = ("seal_missing", "seal_late", "signing_without_authority", "task_no_owner", "task_two_owners",
                    "procedure_cites_abolished_body", "no_one_stop_center", *OPERATION_GAP_TYPES)
STAFF_GAP_TYPES = ("staff_over_cap", "staff_shortage", "staff_surplus")
#: Figures of the summary's ``transition`` that only agency data gives (left out without it).
AGENCY_FIGURES = ("seal_deadline", "seal_lead_time_days", "bodies_abolished", "bodies_to_create", "seals_needed",
                  "tasks_reassigned", "task_transfers")
GAP_COLUMNS = ["type", "severity", "unit", "unit_name", "body", "body_name", "population", "task_or_procedure",
               "fix_by", "suggested_fix", "detail"]


@dataclass
class GapReport:
    """The gaps of a plan and the figures behind them.

    Attributes
    ----------
    gaps : pandas.DataFrame
        One row per gap (:data:`GAP_COLUMNS`), most severe first.
    transition : Transition
        Bodies to create, abolished bodies, task receivers.
    staffing : pandas.DataFrame
        One row per new unit (:data:`~planner.transition.headcount.STAFF_COLUMNS`), empty when the preset has
        no norm.
    summary : dict
        ``gaps`` (count per gap type) and ``transition`` figures for ``summary.json``.
    seal_deadline : datetime.date or None
        The go-live date minus the seal lead time in working days: the last day to order a seal.
    seals : SealSchedule or None
        The seals the new units need and their registration dates
        (:mod:`~planner.transition.seal_schedule`).
    warnings : list of Problem
        The warnings of reading the operations tables (:func:`~planner.transition.operations_input.read_operations`).
    """

    gaps: pd.DataFrame
    transition: Transition
    staffing: pd.DataFrame
    summary: dict[str, Any]
    seal_deadline: dt.date | None
    seals: SealSchedule | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def types(self) -> tuple[str, ...]:
        """The gap types checked for this plan (:func:`gap_types`), in report order."""
        return tuple(self.summary["gaps"])


def gap_types(scenario: Scenario, layer: AgencyLayer) -> tuple[str, ...]:
    """The gap types that can be checked: agency types with agency data, staffing with a staffing norm.

    Parameters
    ----------
    scenario : Scenario
        Gives the preset (its ``staffing`` norm).
    layer : AgencyLayer
        The agency layer (``source`` ``none`` when the scenario has no agency tables and the preset no template).

    Returns
    -------
    tuple of str
        The types of :data:`GAP_TYPES` that apply, in report order.
    """
    skipped = set()
    if layer.source == "none":
        skipped |= set(AGENCY_GAP_TYPES)
    if not staffing_in_force(scenario):
        skipped |= set(STAFF_GAP_TYPES)
    return tuple(t for t in GAP_TYPES if t not in skipped)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a year that has none.

    Examples
    --------
    >>> years_after(dt.date(2028, 2, 29), 5)
    datetime.date(2033, 2, 28)
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass
class _Checks:
    """The gap checks of one plan; each method appends rows to ``self.rows``."""

    scenario: Scenario
    graph: nx.Graph
    evaluation: Evaluation
    layer: AgencyLayer
    transition: Transition
    rows: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.plan: Plan = self.evaluation.plan
        self.units: pd.DataFrame = self.evaluation.units.set_index("new_unit")
        self.go_live: dt.date | None = self.layer.go_live
        self.deadline: dt.date | None = (working_days_before(self.go_live, self.layer.seal_lead_time_days)
                                         if self.go_live else None)
        #: The fixed words of fixes and details (:mod:`~planner.transition.fix_texts`).
        self.words = fix_texts(self.layer.template, self.scenario.preset.data.get("staffing") or {})

    def add(self, kind: str, severity: str, unit: str, *, body: str = "", body_name: str = "",
            population: float | None = None, subject: str = "", fix_by: dt.date | None = None,
            fix: str = "", detail: str = "", unit_name: str | None = None) -> None:
        """Record one gap; the unit's name and population default to the new unit's."""
        if unit_name is None:
            unit_name = str(self.units.at[unit, "name"]) if unit in self.units.index else ""
        if population is None:
            population = float(self.units.at[unit, "population"]) if unit in self.units.index else math.nan
        self.rows.append({"type": kind, "severity": severity, "unit": unit, "unit_name": unit_name, "body": body,
                          "body_name": body_name, "population": population, "task_or_procedure": subject,
                          "fix_by": fix_by.isoformat() if fix_by else "", "suggested_fix": fix, "detail": detail})

    # -- seals and authority -----------------------------------------------------------------------------------
    def seals(self) -> SealSchedule:
        """Seals missing or registered after go-live, read from the seal schedule; returns the schedule."""
        schedule = schedule_seals(seal_needs(self.scenario, self.evaluation, self.layer, self.transition), self.layer)
        for row in seal_gap_rows(schedule, self.deadline, self.words["seal_missing"]):
            self.add(row.pop("kind"), row.pop("severity"), row.pop("unit"), **row)
        return schedule

    def authority(self) -> None:
        """Bodies that must sign without a legal basis or without a seal."""
        for row in self.transition.new_bodies.to_dict("records"):
            if not row["signs"]:
                continue
            if not str(row["legal_basis"]).strip():
                self.add("signing_without_authority", CRITICAL, row["new_unit"], body=row["body"],
                         body_name=row["name"], fix_by=self.go_live,
                         fix="issue the decision establishing the body, or have its parent body sign",
                         detail="the body must sign but has no legal basis")
            elif not row["needs_seal"]:
                self.add("signing_without_authority", HIGH, row["new_unit"], body=row["body"],
                         body_name=row["name"], fix_by=self.deadline,
                         fix=self.words["signing_without_seal"],
                         detail="the body must sign but has no seal of its own")

    # -- tasks and procedures ---------------------------------------------------------------------------------
    def tasks(self) -> None:
        """Tasks of abolished bodies left with no owner, or with more than one, in a new unit."""
        receivers = self.transition.receivers
        receivers = receivers[receivers["n_receivers"] != 1]
        for (task, holder, unit), piece in receivers.groupby(["task", "from_body", "new_unit"], sort=True):
            first = piece.iloc[0]
            subject = f"{task}: {first['task_name']}"
            if first["n_receivers"] == 0:
                self.add("task_no_owner", CRITICAL, unit, body=holder, body_name=first["from_name"],
                         population=first["population"], subject=subject, fix_by=self.go_live,
                         fix=f"name a receiver in tasks.receiver or add a transfer rule for category "
                             f"'{first['category']}'",
                         detail=f"the task of an abolished body has no owner in {unit} after the transition")
            elif first["n_receivers"] > 1:
                names = "; ".join(f"{r} ({n})" for r, n in zip(piece["receiver"], piece["receiver_name"]))
                self.add("task_two_owners", HIGH, unit, body=holder, body_name=first["from_name"],
                         population=first["population"], subject=subject, fix_by=self.go_live,
                         fix="keep one owner and remove the others from tasks.receiver or the transfer rules",
                         detail=f"{first['n_receivers']} owners: {names}")

    def procedures(self) -> None:
        """Procedures that still cite an abolished body."""
        bodies = self.transition.bodies
        abolished = set(self.transition.abolished)
        matcher = ProcedureBodies(bodies, self.layer.template, operations_data(str(self.layer.template.get("id"))),
                                  self.layer.abolished_level)
        for row in self.layer.procedures.to_dict("records"):
            cited, kind = matcher.match(row["body"])
            for body in cited:
                if body in abolished:
                    self._procedure(row, body, by_level=kind is not None)

    def _procedure(self, row: dict[str, Any], body: str, *, by_level: bool) -> None:
        """A procedure citing the abolished body ``body`` (by id or name, or as one of a level's bodies)."""
        bodies = self.transition.bodies
        receivers = self.transition.receivers_of(body, row["task"] or None)
        names = [f"{bodies.at[r, 'name']}" for r in receivers]
        unit, unit_name, population = self._place_of(bodies.loc[body])
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        self.add("procedure_cites_abolished_body", HIGH, unit, body=body, body_name=bodies.at[body, "name"],
                 population=population, subject=f"{row['id']}: {row['name']}", fix_by=self.go_live,
                 unit_name=unit_name,
                 fix=f"re-publish the procedure naming {shown}" if names else
                 "re-publish the procedure naming the body that receives the task (none found: see task gaps)",
                 detail=self.words["procedure_cites_abolished_body"] + (
                     f" (it names the level: '{row['body']}')" if by_level else ""))

    def _place_of(self, body: pd.Series) -> tuple[str, str, float]:
        """The unit a body stands for in a gap row: its new unit, or its parent unit above commune level."""
        population = self.scenario.units["population"].fillna(0.0)
        if body["level"] == BASE_LEVEL:
            new = self.plan.assignment.get(body["unit"], body["unit"])
            return new, str(self.units.at[new, "name"]) if new in self.units.index else "", float(
                population.get(body["unit"], math.nan))
        level, code = body["level"], body["unit"]
        names = self.scenario.parent_names.get(level, {})
        inside = self.scenario.units[level] == code if level in self.scenario.units else []
        return code, str(names.get(code, code)), float(population[inside].sum())

    # -- service to residents ---------------------------------------------------------------------------------
    def one_stop(self) -> None:
        """New units without a one-stop center."""
        sites = self._service_sites()
        with_center = {unit for unit, kind, _x, _y in sites if kind == "one_stop_center"}
        bodies = self.transition.new_bodies
        with_center |= set(bodies.loc[bodies["one_stop"].astype(bool), "new_unit"])
        for unit in self.units.index:
            if unit not in with_center:
                self.add("no_one_stop_center", CRITICAL, unit, fix_by=self.go_live,
                         fix=self.words["no_one_stop_center"],
                         detail="no one-stop center among the unit's bodies or service points")

    def _service_sites(self) -> list[tuple[str, str, float, float]]:
        """(new unit, kind, x, y) of every service point, located in the graph's projection."""
        sites = []
        for row in self.layer.service_points.to_dict("records"):
            unit = self.plan.assignment.get(row["site"])
            if unit is None:
                continue
            x, y = self._point(row["site"], row["lon"], row["lat"])
            sites.append((unit, row["kind"], x, y))
        return sites

    def _point(self, code: str, lon: float, lat: float) -> tuple[float, float]:
        """A place in the graph's projection: its lon/lat when given, else the position of unit ``code``."""
        if isinstance(lon, float) and math.isfinite(lon) and math.isfinite(lat):
            x, y = self.graph.graph["projection"].forward.transform(lon, lat)
            return float(x), float(y)
        node = self.graph.nodes[code]
        return float(node["x"]), float(node["y"])

    def access(self) -> None:
        """Places farther from their new unit's seat and from every service point than the threshold."""
        threshold = self.scenario.access_max_km
        if not threshold:
            return
        points = defaultdict(list)
        for unit, _kind, x, y in self._service_sites():
            points[unit].append((x, y))
        places = self.layer.places
        with_places = set(places["unit"])
        candidates = [(row["id"], row["name"], row["unit"], row["population"], *self._point(row["unit"], row["lon"],
                                                                                             row["lat"]))
                      for row in places.to_dict("records")]
        for code, node in self.graph.nodes(data=True):
            if code not in with_places and code in self.plan.assignment:
                candidates.append((code, node["name"], code, node.get("population"), node["x"], node["y"]))
        for place, name, old, population, x, y in sorted(candidates, key=lambda c: (c[2], c[0])):
            new = self.plan.assignment[old]
            seat = self.graph.nodes[self.plan.seats[new]]
            distance = math.hypot(x - seat["x"], y - seat["y"]) / 1000.0
            if not distance > threshold:
                continue
            near = [math.hypot(x - px, y - py) / 1000.0 for px, py in points.get(new, [])]
            if near and min(near) <= threshold:
                continue
            self.add("access_beyond_threshold", MEDIUM, new, population=as_float(population),
                     subject=f"{place}: {name}", fix_by=self.go_live,
                     fix=f"open a reception point at {name} ({old}), or move the seat",
                     detail=f"{distance:.1f} km from the seat {self.plan.seats[new]} "
                            f"({seat['name']}); threshold {threshold:g} km")

    # -- staffing -----------------------------------------------------------------------------------------------
    def staffing(self) -> pd.DataFrame:
        """Staff over the cap, surplus and shortage of each new unit (:func:`staffing_gap_rows`); returns the table."""
        years = int((self.scenario.preset.data.get("staffing") or {}).get("surplus_years", 5))
        frame = staffing_table(self.scenario, self.units, self.transition)
        absorb_by = years_after(self.go_live, years) if self.go_live else None
        for row in staffing_gap_rows(frame, self.go_live, absorb_by, years, self.words["staff_over_cap"]):
            self.add(row.pop("kind"), row.pop("severity"), row.pop("unit"), **row)
        return frame

    # -- names ---------------------------------------------------------------------------------------------------
    def duplicate_names(self) -> None:
        """Places of one new unit whose names are alike once the kind word (the preset's ``naming``) is left out."""
        proper = self.scenario.preset.naming.proper_name
        named: dict[tuple[str, str], list[tuple[float, str, str]]] = defaultdict(list)
        for code, new in self.plan.assignment.items():
            node = self.graph.nodes[code]
            name = str(node["name"])
            named[(new, proper(name).casefold())].append((as_float(node.get("population")), code, name))
        for row in self.layer.places.to_dict("records"):
            new = self.plan.assignment.get(row["unit"])
            if new is not None:
                named[(new, proper(row["name"]).casefold())].append(
                    (as_float(row["population"]), row["id"], row["name"]))
        for (new, _key), places in sorted(named.items()):
            if len(places) < 2:
                continue
            ordered = sorted(places, key=lambda p: (-p[0] if math.isfinite(p[0]) else 0.0, p[1]))
            keeper = ordered[0]
            others = ", ".join(f"{p[2]} ({p[1]})" for p in ordered[1:])
            self.add("duplicate_place_name", LOW, new, population=float(np.nansum([p[0] for p in ordered[1:]])),
                     subject=keeper[2], fix_by=self.go_live,
                     fix=f"keep the name for {keeper[2]} ({keeper[1]}, most populous) and rename {others}",
                     detail=f"{len(places)} places named alike: " + ", ".join(p[1] for p in ordered))


def find_gaps(scenario: Scenario, graph: nx.Graph, evaluation: Evaluation, layer: AgencyLayer,
              transition: Transition) -> GapReport:
    """Run every gap check on an evaluated plan and its transition.

    Parameters
    ----------
    scenario, graph, evaluation
        The scenario, its unit graph and the evaluation of the plan (seats filled in).
    layer : AgencyLayer
        From :func:`planner.transition.agencies.load_agency_layer`.
    transition : Transition
        From :func:`planner.transition.transition.plan_transition` on ``evaluation.plan``.
    """
    operations = read_operations(scenario, layer)
    checks = _Checks(scenario, graph, evaluation, layer, transition)
    schedule = None
    if len(layer.agencies) or len(transition.new_bodies):
        schedule = checks.seals()
        checks.authority()
        checks.one_stop()
    checks.tasks()
    checks.procedures()
    checks.access()
    staffing = checks.staffing()
    if layer.source != "none":
        OperationChecks(checks, operations, staffing).run()
    checks.duplicate_names()
    gaps = pd.DataFrame(checks.rows, columns=GAP_COLUMNS)
    order = {t: i for i, t in enumerate(GAP_TYPES)}
    gaps = gaps.assign(_s=gaps["severity"].map(severity_rank), _t=gaps["type"].map(order))
    gaps = gaps.sort_values(["_s", "_t", "unit", "body", "task_or_procedure"], ignore_index=True)
    gaps = gaps.drop(columns=["_s", "_t"])
    summary = _summary(gaps, transition, staffing, checks)
    if schedule is not None:
        summary["seal_schedule"] = schedule.summary
        summary["transition"] |= {"seals_remade": schedule.summary["remade"], "seals_late": schedule.summary["late"],
                                  "seal_capacity_needed_per_day": schedule.summary["capacity_needed_per_day"]}
    return GapReport(gaps, transition, staffing, summary, checks.deadline, schedule, list(operations.warnings))


def _summary(gaps: pd.DataFrame, transition: Transition, staffing: pd.DataFrame, checks: _Checks) -> dict[str, Any]:
    """The figures of ``summary.json``: gaps by type and severity, and the transition's."""
    counts = gaps["type"].value_counts()
    created = transition.new_bodies[transition.new_bodies["status"] == "create"]
    reassigned = transition.receivers[transition.receivers["receiver"] != ""]
    access = gaps[gaps["type"] == "access_beyond_threshold"]
    types = gap_types(checks.scenario, checks.layer)
    summary = {
        "gaps": {t: int(counts.get(t, 0)) for t in types},
        "gaps_by_severity": {s: int((gaps["severity"] == s).sum()) for s in SEVERITIES},
        "transition": {
            "agency_source": checks.layer.source,
            "go_live": checks.go_live.isoformat() if checks.go_live else None,
            "seal_deadline": checks.deadline.isoformat() if checks.deadline else None,
            "seal_lead_time_days": checks.layer.seal_lead_time_days,
            "bodies_abolished": len(transition.abolished),
            "bodies_to_create": int(len(created)),
            "seals_needed": int(created["needs_seal"].astype(bool).sum()),
            "tasks_reassigned": int(reassigned["task"].nunique()),
            "task_transfers": int(len(reassigned)),
            **staffing_summary(staffing),
            "residents_beyond_threshold": int(round(float(access["population"].fillna(0).sum()))),
            "places_beyond_threshold": int(len(access)),
        },
    }
    left_out = (set() if set(AGENCY_GAP_TYPES) & set(types) else set(AGENCY_FIGURES)) | (
        set() if set(STAFF_GAP_TYPES) & set(types) else {k for k in summary["transition"] if k.startswith("staff_")})
    summary["transition"] = {k: v for k, v in summary["transition"].items() if k not in left_out}
    return summary
