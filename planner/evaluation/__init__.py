"""Judging a plan: standards, waiver, contiguity, access and compactness of each new unit
(:mod:`~planner.evaluation.evaluate`), and the report and tables written from it
(:mod:`~planner.evaluation.report`)."""
