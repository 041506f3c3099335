"""Reviewing plans and scenarios: diffs of plans, output folders, scenarios and git revisions
(:mod:`~planner.review.diff`: the sides read by :mod:`~planner.review.sides`, compared by
:mod:`~planner.review.compare`, shown as text and as a map), plan files as text for ``git diff``
(:mod:`~planner.review.plan_text`, :mod:`~planner.review.gitsetup`) and scenario formatting
(:mod:`~planner.review.fmt`)."""
