"""The law as planner reads it: standards of a new unit (:mod:`~planner.rules.standards`) and
staffing norms (:mod:`~planner.rules.staffing`), both driven by the preset's data."""
