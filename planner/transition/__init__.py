"""Go-live day: the agency layer, the transition of bodies and tasks, and the gaps it leaves.

Modules:

- :mod:`~planner.transition.agencies`: the agency layer (``AgencyLayer``, ``load_agency_layer``,
  ``bodies_for_plan``, ``layer_summary``); the names of the modules below are importable from it too;
- :mod:`~planner.transition.agency_tables`: the layer's tables, their columns, levels and periods;
- :mod:`~planner.transition.agency_reader`: the checks of a scenario's ``agencies:`` tables;
- :mod:`~planner.transition.template`: the preset's agency template;
- :mod:`~planner.transition.agency_graph`: the unit graph with the layer added (``add_agency_layer``);
- :mod:`~planner.transition.transition`: the bodies to create and abolish, the task receivers;
- :mod:`~planner.transition.gaps`: the gap checks (``find_gaps``);
- :mod:`~planner.transition.headcount`: the staffing table of the new units;
- :mod:`~planner.transition.gap_outputs`, :mod:`~planner.transition.workbook`: their files and workbook.
"""
