"""The law as planner reads it: standards of a new unit (:mod:`~planner.rules.standards`),
staffing norms (:mod:`~planner.rules.staffing`) and names of new units
(:mod:`~planner.rules.naming`), all driven by the preset's data."""
