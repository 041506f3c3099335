"""Go-live day: the agency layer (:mod:`~planner.transition.agencies`), the transition of bodies
and tasks (:mod:`~planner.transition.transition`), the gap checks (:mod:`~planner.transition.gaps`)
and their files and workbook (:mod:`~planner.transition.gap_outputs`, :mod:`~planner.transition.workbook`)."""
