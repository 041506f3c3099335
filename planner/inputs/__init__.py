"""Inputs: scenario files read and checked, presets, plan files, tables, YAML and the problems found.

Everything a user hands planner comes in here and leaves as validated objects:
:func:`~planner.inputs.scenario.load_scenario` gives a :class:`~planner.inputs.scenario.Scenario`
(units, boundaries, links, the dated preset, decisions, target, baseline plan), or raises
:class:`~planner.inputs.problems.InputError` with every problem found in one pass.

Modules:

- :mod:`~planner.inputs.scenario`: the scenario model (``Scenario``, ``Link``, ``Decisions``,
  ``Target``, ``SolverSettings``, the format's constants) and ``load_scenario``;
- :mod:`~planner.inputs.scenario_reader`: the reader of the sections of ``scenario.yaml``;
- :mod:`~planner.inputs.name_fixes`: the scenario's name fixes (``decisions.names``);
- :mod:`~planner.inputs.units`: the units table, through the scenario's column mapping;
- :mod:`~planner.inputs.geometry`: the boundaries, checked and repaired;
- :mod:`~planner.inputs.preset`: the dated policy presets (the legal standards);
- :mod:`~planner.inputs.plan`: plans (the new unit of each old unit, names, kinds, seats);
- :mod:`~planner.inputs.tables`: reading CSV, XLSX and vector tables as text;
- :mod:`~planner.inputs.yamlio`: YAML parsing;
- :mod:`~planner.inputs.problems`: the problems found and ``InputError``.
"""
