"""Inputs: scenario files read and checked, presets, plan files, tables, YAML and the problems found.

Everything a user hands planner comes in here and leaves as validated objects:
:func:`~planner.inputs.scenario.load_scenario` gives a :class:`~planner.inputs.scenario.Scenario`
(units, boundaries, links, the dated preset, decisions, target, baseline plan), or raises
:class:`~planner.inputs.problems.InputError` with every problem found in one pass.
"""
