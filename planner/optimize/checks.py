"""What would stop ``planner plan`` on a scenario as it is written, found without search.

``planner validate`` runs :func:`plan_problems`, so that a scenario it accepts is one
``planner plan`` can plan with the scenario's own settings: the count targets of every parent
unit (:func:`~planner.optimize.targets.region_targets`: a ``by_parent`` count missing, a count
above the units there are) and the optimizer's pre-checks of each region
(:func:`~planner.optimize.infeasible.precheck`: separate parts, fixed seats or ``max_members``
the count cannot hold, merge groups without a common seat).  Options of the command line can
still ask for a plan that cannot be made; ``plan`` then says why, the same way.
"""

from __future__ import annotations

import networkx as nx

from planner.inputs.problems import InputError, Problem
from planner.inputs.scenario import Scenario
from planner.optimize.infeasible import precheck
from planner.optimize.region import regions_of
from planner.optimize.settings import OptimizeSettings
from planner.optimize.targets import region_targets, relax_targets


def plan_problems(scenario: Scenario, graph: nx.Graph) -> list[Problem]:
    """The errors ``planner plan`` would stop on with the scenario's own settings ([] when none).

    Parameters
    ----------
    scenario : Scenario
        A scenario read without errors.
    graph : networkx.Graph
        Its unit graph (:func:`planner.graph.build_graph`).

    Returns
    -------
    list of Problem
        Each target that cannot be read or met and each reason why a region has no plan.

    Examples
    --------
    >>> from planner.graph import build_graph
    >>> from planner.inputs.scenario import load_scenario
    >>> scenario = load_scenario("scenarios/demo")
    >>> plan_problems(scenario, build_graph(scenario))
    []
    """
    settings = OptimizeSettings.from_solver(scenario.solver)
    try:
        mode, targets = region_targets(scenario, settings)
    except InputError as error:
        return error.errors
    regions = regions_of(scenario, graph, targets, scenario.access_max_km)
    if scenario.target.unreachable == "relax":
        relax_targets(regions)
    standards = "strict" if mode == "max_p" else "soft"
    source = str(scenario.folder / "scenario.yaml")
    return [Problem(source, "", "", reason) for region in regions
            for reason in precheck(region, scenario.preset, standards)]
