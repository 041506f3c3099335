"""The go-live operations gaps: signing, handover, records, skills and headquarters.

Five failures of 2025 that seals and tasks do not show (``docs/gaps.md``):

- ``signing_overload``: the documents a new unit's signing body must sign a working day (from its
  residents and a rate of procedures, or the ``body_capacity`` table) against its signers with
  delegated authority (one vice-chair in Hải Châu, Đà Nẵng, signed about 1,008 certifications in a week);
- ``handover_backlog``: pending files of abolished bodies with no receiver by go-live, or more than a
  receiver can take over;
- ``records_not_migrated``: registers and IT systems of merged old units with no migration done by
  go-live (61 % of overdue files in Gia Lai came from data-sync problems);
- ``skill_shortage``: positions by skill (IT, land, accounting, construction) of a new unit against its need;
- ``headquarters_shortfall``: staff moving into a seat beyond its building's capacity.

Each figure comes from the scenario's operations tables (:mod:`~planner.transition.operations_input`)
where given, else from the estimates of the template's operations data; a gap that rests on an
estimate says so in its ``detail``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.transition.agencies import BASE_LEVEL, split_ids
from planner.transition.operations_input import Operations

if TYPE_CHECKING:  # gaps imports this module: its check class is needed for hints only
    from planner.transition.gaps import _Checks

#: The gap types of this module, in report order.
OPERATION_GAP_TYPES = ("signing_overload", "handover_backlog", "records_not_migrated", "skill_shortage",
                       "headquarters_shortfall")
ESTIMATE = "estimate"


def skill_need(spec: dict[str, Any], residents: float) -> int:
    """The positions of a skill a unit of ``residents`` needs: one per ``residents_per_position``, at least ``minimum``.

    Examples
    --------
    >>> skill_need({"residents_per_position": 10000, "minimum": 2}, 34500.0)
    4
    >>> skill_need({"residents_per_position": 10000, "minimum": 2}, 5000.0)
    2
    """
    per = float(spec.get("residents_per_position") or 0)
    need = math.ceil(residents / per - 1e-9) if per > 0 and math.isfinite(residents) else 0
    return max(int(spec.get("minimum", 0)), need)


def documents_per_day(spec: dict[str, Any], residents: float) -> float:
    """Documents a signing body signs a working day, estimated from its unit's residents.

    Examples
    --------
    >>> documents_per_day({"documents_per_resident_year": 0.6, "working_days_per_year": 250}, 25000.0)
    60.0
    """
    days = float(spec.get("working_days_per_year") or 250)
    return float(spec.get("documents_per_resident_year") or 0) * (residents if math.isfinite(residents) else 0) / days


class OperationChecks:
    """The five checks of one plan, adding their rows through the gap checks' ``add``.

    Parameters
    ----------
    checks : planner.transition.gaps._Checks
        The gap checks of the plan (its units, transition, go-live date and ``add``).
    operations : Operations
        The operations tables and the template's estimates.
    staffing : pandas.DataFrame
        The staffing table (headcount per new unit; empty without a norm).
    """

    def __init__(self, checks: _Checks, operations: Operations, staffing: pd.DataFrame):
        self.checks = checks
        self.operations = operations
        self.data = operations.data
        self.staffing = staffing
        self.units = checks.units
        self.plan = checks.plan
        self.transition = checks.transition

    def run(self) -> None:
        """Run the five checks."""
        self.signing()
        self.handover()
        self.records()
        self.skills()
        self.headquarters()

    def _by(self, name: str, key: str) -> dict[str, dict[str, Any]]:
        """The rows of an operations table by ``key`` (the first row of a key)."""
        frame = self.operations.tables[name]
        return {str(r[key]): r for r in reversed(frame.to_dict("records"))}

    # -- signing --------------------------------------------------------------------------------------------------
    def signing(self) -> None:
        """New units whose signers cannot sign the documents of a working day."""
        spec = self.data.get("signing") or {}
        given = self._by("body_capacity", "body")
        bodies = self.transition.new_bodies
        signing = bodies[(bodies["kind"] == spec.get("body_kind")) | bodies["body"].isin(
            [b for b, r in given.items() if not pd.isna(r["signers"])])]
        for row in signing.to_dict("records"):
            self._signing_body(row, given.get(row["body"], {}), spec)

    def _signing_body(self, row: dict[str, Any], given: dict[str, Any], spec: dict[str, Any]) -> None:
        unit = row["new_unit"]
        residents = float(self.units.at[unit, "population"]) if unit in self.units.index else math.nan
        documents, signers = given.get("documents_per_day", math.nan), given.get("signers", math.nan)
        estimated = []
        if pd.isna(documents):
            if not spec:
                return
            documents = documents_per_day(spec, residents)
            estimated.append(f"documents: residents x {spec.get('documents_per_resident_year')} a year / "
                             f"{spec.get('working_days_per_year', 250)} working days")
        if pd.isna(signers):
            if "default_signers" not in spec:
                return
            signers = float(spec["default_signers"])
            estimated.append("signers: the template's default")
        per_signer = float(spec.get("documents_per_signer_day") or 0)
        if not per_signer or documents <= signers * per_signer:
            return
        needed = math.ceil(documents / per_signer - 1e-9)
        self.checks.add("signing_overload", "critical" if signers == 0 else "high", unit, body=row["body"],
                        body_name=row["name"], subject=f"{documents:.0f} documents a working day",
                        fix_by=self.checks.go_live,
                        fix=f"delegate signing authority to {needed - int(signers)} more vice-chair(s) or heads of "
                            f"department ({needed} signers at {per_signer:g} documents a day)",
                        detail=f"{documents:.0f} documents a working day against {signers:g} signer(s) with "
                               f"delegated authority x {per_signer:g} a day" + _estimate_note(estimated))

    # -- handover -------------------------------------------------------------------------------------------------
    def handover(self) -> None:
        """Pending files of abolished bodies without a receiver, and receivers given more than they can take."""
        spec = self.data.get("handover") or {}
        given = self._by("handover", "body")
        load: dict[str, float] = defaultdict(float)
        sources: dict[str, list[str]] = defaultdict(list)
        estimated_load: set[str] = set()
        pieces = self.transition.receivers
        named = pieces[pieces["receiver"] != ""]
        self._receivers = {str(b): sorted(set(g)) for b, g in named.groupby("from_body")["receiver"]}
        self._residents = {str(b): float(g.drop_duplicates("new_unit")["population"].sum())
                           for b, g in pieces.groupby("from_body")}
        for body in self.transition.abolished:
            files, receivers, estimated = self._pending(body, given.get(body), spec)
            if not files:
                continue
            if not receivers:
                self._no_receiver(body, files)
                continue
            for receiver in receivers:
                load[receiver] += files / len(receivers)
                sources[receiver].append(body)
                if estimated:
                    estimated_load.add(receiver)
        capacity = self._by("body_capacity", "body")
        for receiver in sorted(load):
            self._receiver_load(receiver, load[receiver], sources[receiver], capacity.get(receiver, {}), spec,
                                estimated=receiver in estimated_load)

    def _pending(self, body: str, given: dict[str, Any] | None,
                 spec: dict[str, Any]) -> tuple[float, list[str], bool]:
        """The pending files of an abolished body, its receivers, and whether the files are an estimate."""
        receivers = self._receivers.get(body, [])
        if given is not None:  # receivers the plan does not have take nothing
            named = [r for r in split_ids(given["receiver"]) if r in self.transition.bodies.index]
            return float(given["pending_files"]), named or ([] if given["receiver"] else receivers), False
        rate = spec.get("pending_files_per_1000_residents")
        if rate is None or not receivers:  # no task, or no receiver at all: the task gaps say so
            return 0.0, [], True
        return math.ceil(float(rate) * self._residents.get(body, 0.0) / 1000.0), receivers, True

    def _no_receiver(self, body: str, files: float) -> None:
        bodies = self.transition.bodies
        unit, unit_name, population = self.checks._place_of(bodies.loc[body])
        self.checks.add("handover_backlog", "critical", unit, body=body, body_name=str(bodies.at[body, "name"]),
                        population=population, subject=f"{files:.0f} pending files", fix_by=self.checks.go_live,
                        unit_name=unit_name,
                        fix="name the body that takes over the files (handover.receiver) and hand them over "
                            "before go-live",
                        detail="the files of an abolished body have no receiver by go-live")

    def _receiver_load(self, receiver: str, files: float, sources: list[str], given: dict[str, Any],
                       spec: dict[str, Any], *, estimated: bool) -> None:
        capacity, notes = given.get("file_capacity", math.nan), []
        if pd.isna(capacity):
            if spec.get("files_per_receiver") is None:
                return
            capacity = float(spec["files_per_receiver"])
            notes.append("capacity: the template's files_per_receiver")
        if estimated:
            notes.append(f"pending files: {spec.get('pending_files_per_1000_residents')} per 1,000 residents")
        if files <= capacity:
            return
        bodies = self.transition.bodies
        unit, unit_name, population = self.checks._place_of(bodies.loc[receiver])
        shown = ", ".join(sources[:3]) + (f" and {len(sources) - 3} more" if len(sources) > 3 else "")
        self.checks.add("handover_backlog", "high", unit, body=receiver, body_name=str(bodies.at[receiver, "name"]),
                        population=population, subject=f"{files:.0f} pending files", fix_by=self.checks.go_live,
                        unit_name=unit_name,
                        fix=f"hand over in stages before go-live or second staff to the receiver "
                            f"({files - capacity:.0f} files above what it can take over)",
                        detail=f"{files:.0f} pending files from {len(sources)} abolished bodies ({shown}) against "
                               f"a capacity of {capacity:.0f}" + _estimate_note(notes))

    # -- records --------------------------------------------------------------------------------------------------
    def records(self) -> None:
        """Records and IT systems of merged old units not migrated by go-live."""
        groups = self.plan.groups()
        merged = {m: new for new, members in groups.items() if len(members) > 1 for m in members}
        table = self.operations.tables["records"]
        go_live = self.checks.go_live
        for row in table.to_dict("records"):
            new = merged.get(row["unit"])
            done = row["migrated"]
            if new is None or (done is not None and (go_live is None or done <= go_live)):
                continue
            when = f"migration done {done.isoformat()}, after go-live" if done else "no migration done"
            self.checks.add("records_not_migrated", "high", new, subject=f"{row['id']}: {row['name']}",
                            fix_by=go_live, body=row["unit"], body_name=self._old_name(row["unit"]),
                            fix="migrate the records into the new unit's systems before go-live, or keep "
                                "read access to the old ones until it is done",
                            detail=f"{when} (records of {row['unit']})")
        systems = (self.data.get("records") or {}).get("systems") or []
        covered = set(table["unit"])
        for new, members in sorted(groups.items()):
            left = [m for m in members if m not in covered] if len(members) > 1 else []
            if systems and left:
                self._estimated_records(new, left, systems)

    def _estimated_records(self, new: str, left: list[str], systems: list[dict[str, Any]]) -> None:
        names = ", ".join(str(s.get("name", s.get("id"))) for s in systems)
        self.checks.add("records_not_migrated", "high", new,
                        subject=f"{len(systems) * len(left)} records and systems of {len(left)} old units",
                        fix_by=self.checks.go_live,
                        fix="record the migration of each old unit's registers and systems (a records table), and "
                            "migrate before go-live those not done",
                        detail=f"{ESTIMATE}: no migration recorded for {', '.join(left[:5])}"
                               f"{' and more' if len(left) > 5 else ''}; each is taken to hold: {names}")

    def _old_name(self, code: str) -> str:
        return str(self.checks.scenario.units.at[code, "name"]) if code in self.checks.scenario.units.index else ""

    # -- skills ---------------------------------------------------------------------------------------------------
    def skills(self) -> None:
        """Positions by skill of each new unit against its need."""
        skills = self.data.get("skills") or {}
        table = self.operations.tables["positions"]
        given = {(str(r["unit"]), str(r["skill"])): r for r in table.to_dict("records")}
        groups = self.plan.groups()
        for new in sorted(groups):
            residents = float(self.units.at[new, "population"]) if new in self.units.index else math.nan
            for skill in sorted(set(skills) | {s for u, s in given if u == new}):
                row = given.get((new, skill))
                self._skill(new, skill, skills.get(skill, {}), row, len(groups[new]), residents)

    def _skill(self, new: str, skill: str, spec: dict[str, Any], row: dict[str, Any] | None, members: int,
               residents: float) -> None:
        notes = []
        if row is not None and not pd.isna(row["needed"]):
            need = int(row["needed"])
        else:
            need = skill_need(spec, residents)
            notes.append(f"need: one per {spec.get('residents_per_position')} residents, at least "
                         f"{spec.get('minimum', 0)}")
        if row is not None:
            have = float(row["positions"])
        else:
            have = float(spec.get("per_old_unit", 0)) * members
            notes.append(f"positions: {spec.get('per_old_unit', 0)} per old unit")
        if have >= need:
            return
        name = spec.get("name", skill)
        self.checks.add("skill_shortage", "medium", new, subject=f"{skill}: {need - have:g} position(s)",
                        fix_by=self.checks.go_live,
                        fix=f"recruit, second or train staff in {name} (or share them among neighbouring units)",
                        detail=f"{have:g} {skill} position(s) against a need of {need}" + _estimate_note(notes))

    # -- headquarters ---------------------------------------------------------------------------------------------
    def headquarters(self) -> None:
        """Seats whose building holds fewer staff than move in."""
        buildings = self._by("buildings", "site")
        headroom = (self.data.get("headquarters") or {}).get("headroom")
        headcounts, guessed = self._headcounts(), self._estimated_headcounts()
        for new, members in sorted(self.plan.groups().items()):
            seat = self.plan.seats.get(new)
            staff = headcounts.get(new, math.nan)
            if seat is None or not math.isfinite(staff) or (len(members) == 1 and seat not in buildings):
                continue
            notes = []
            if seat in buildings:
                capacity, name = float(buildings[seat]["capacity"]), str(buildings[seat]["name"] or seat)
            elif headroom is not None:
                own = self._seat_staff(seat, staff / len(members))
                capacity, name = float(headroom) * own, seat
                notes.append(f"capacity: the seat's own staff {own:g} x {headroom:g}")
            else:
                continue
            if new in guessed:
                notes.append("headcount: the constituents' norms")
            if staff > capacity:
                self._shortfall(new, seat, name, staff, capacity, notes)

    def _shortfall(self, new: str, seat: str, name: str, staff: float, capacity: float, notes: list[str]) -> None:
        self.checks.add("headquarters_shortfall", "medium", new, body=seat, body_name=self._old_name(seat),
                        subject=f"{staff - capacity:.0f} staff without a desk", fix_by=self.checks.go_live,
                        fix="use the old units' buildings as branch offices of the seat, or rent or build space",
                        detail=f"{staff:g} staff move into the seat {seat} ({name}) whose building holds "
                               f"{capacity:.0f}" + _estimate_note(notes))

    def _headcounts(self) -> dict[str, float]:
        """New unit -> staff moving in: the staffing table's headcount, else its bodies' staff."""
        if len(self.staffing):
            return {str(u): float(h) for u, h in zip(self.staffing["new_unit"], self.staffing["headcount"])}
        bodies = self.transition.new_bodies
        known = bodies[bodies["staff"].notna()]
        return {str(k): float(v) for k, v in known.groupby("new_unit")["staff"].sum().items()}

    def _estimated_headcounts(self) -> set[str]:
        """The new units whose headcount in the staffing table is an estimate (its ``estimated`` column)."""
        if "estimated" not in self.staffing.columns:
            return set()
        marked = self.staffing["estimated"].fillna("").astype(str).str.contains("headcount")
        return set(self.staffing.loc[marked, "new_unit"].astype(str))

    def _seat_staff(self, seat: str, average: float) -> float:
        """The seat's own old staff (units table, else its old bodies'), else the new unit's average per old unit."""
        units = self.checks.scenario.units
        if "staff" in units.columns and pd.notna(units.at[seat, "staff"]):
            return float(units.at[seat, "staff"])
        bodies = self.transition.bodies
        old = bodies[(bodies["level"] == BASE_LEVEL) & (bodies["unit"] == seat) & (bodies["period"] != "after")]
        total = float(old["staff"].dropna().sum())
        return total if total > 0 else average


def _estimate_note(notes: list[str]) -> str:
    """``; estimate: ...`` naming the figures that are estimates, or nothing."""
    return f"; {ESTIMATE}: " + "; ".join(notes) if notes else ""
