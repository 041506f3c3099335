"""Judging a plan: standards, waiver, contiguity, access and compactness of each new unit
(:mod:`~planner.evaluation.evaluate`), the names of its new units (:mod:`~planner.evaluation.names`),
its checks against the scenario (:mod:`~planner.evaluation.findings`), and the report and tables
written from it (:mod:`~planner.evaluation.report`)."""
