"""``planner plan SCENARIO --out DIR``: propose a plan with the optimizer, then evaluate it."""

from __future__ import annotations

import argparse
from typing import Any

from planner import pipeline
from planner.commands.common import (
    add_json_argument,
    add_out_argument,
    add_scenario_argument,
    open_scenario,
    print_summary,
    print_warnings,
    where_of,
)
from planner.commands.numbers import ShareRange, count_of, positive_number, share
from planner.inputs.problems import InputError, Problem
from planner.optimize import DEFAULT_TIME_LIMIT_S, SOLVES_PER_UNIT, STANDARDS_MODES, OptimizeSettings
from planner.progress import console, optimizer_progress, step

HELP = "propose a merger plan with the optimizer and evaluate it"
DESCRIPTION = ("Propose a plan with OR-Tools CP-SAT (warm start, then large-neighbourhood search per parent unit), "
               "evaluate it like 'planner evaluate' and write plan.csv, units.csv, members.csv, report.md and "
               "summary.json (with status, objective, bound, gap, solve_seconds) into --out. The same scenario, "
               "seed and settings give the same files. See docs/optimizer.md.")
#: The solver's figures printed below the headline ones: (summary key, label).
SOLVER_LINES = [("status", "solver status"), ("objective", "objective (primary)"), ("bound", "bound (primary)"),
                ("gap", "gap"), ("solve_seconds", "solve seconds"), ("moves", "old units moved")]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Scenario, ``--out``, the optimizer's settings and target, and ``--json``."""
    add_scenario_argument(parser)
    add_out_argument(parser)
    parser.add_argument("--time-limit", type=positive_number("seconds"), metavar="SECONDS",
                        help="emergency stop: every stage stops there and the plan is marked time_limit "
                        f"(default: the scenario's solver.time_limit_s, else {DEFAULT_TIME_LIMIT_S:g})")
    parser.add_argument("--preset", metavar="ID",
                        help="plan under this preset (an id such as vn-2026, or a preset file relative to the "
                        "scenario) instead of the scenario's; summary.json records it as the scenario's preset")
    parser.add_argument("--seed", type=count_of("a random seed", minimum=0),
                        help="random seed (default: the scenario's solver.seed)")
    parser.add_argument("--workers", type=count_of("worker processes"),
                        help="worker processes (default: the scenario's solver.workers)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="solve the parent units (provinces) on the Dask cluster of this scheduler "
                        "(tcp://HOST:8786) instead of --workers local processes; the same plan (docs/sweep.md)")
    parser.add_argument("--solves", type=count_of("solves"), metavar="N",
                        help="the effort, which with --seed and --workers decides the plan: neighbourhood solves "
                        f"in all (default: the scenario's solver.solves, else {SOLVES_PER_UNIT:g} per old unit)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--target-count", type=count_of("new units"), metavar="N", help="exactly N new units in all")
    target.add_argument("--reduction", type=share, nargs=2, action=ShareRange, metavar=("MIN", "MAX"),
                        help="remove between MIN and MAX (shares, e.g. 0.6 0.7) of the units")
    target.add_argument("--max-p", action="store_true",
                        help="as many new units as the standards allow (each must meet it)")
    target.add_argument("--min-count", action="store_true",
                        help="as few new units as the access and size limits allow")
    parser.add_argument("--standards", choices=STANDARDS_MODES,
                        help="soft: maximise units meeting the standard; hard: each meets it or is waived; "
                        "strict: each meets it (default: strict for --max-p, else soft)")
    parser.add_argument("--access-max-km", type=positive_number("kilometres"), metavar="KM",
                        help="hard maximum distance from any old unit to its new seat (default: the scenario's)")
    parser.add_argument("--from", dest="start", nargs="?", const="baseline", metavar="PLAN",
                        help="least-change repair: start from PLAN (a plan CSV; without a value, the scenario's "
                        "baseline), keep its count and change as few units as it takes")
    parser.add_argument("--max-moves", type=count_of("old units", minimum=0), metavar="N",
                        help="with --from: at most N old units move to another new unit")
    add_json_argument(parser)


def settings_from(args: argparse.Namespace, scenario: Any) -> OptimizeSettings:
    """Optimizer settings: command-line options over the scenario's solver section."""
    target = None
    if args.target_count is not None:
        target = "count"
    elif args.reduction is not None:
        target = "reduction"
    elif args.max_p:
        target = "max_p"
    elif args.min_count:
        target = "min_count"
    return OptimizeSettings.from_solver(
        scenario.solver, time_limit_s=args.time_limit, seed=args.seed, workers=args.workers, solves=args.solves,
        target=target, count=args.target_count, reduction=tuple(args.reduction) if args.reduction else None,
        standards=args.standards, access_max_km=args.access_max_km)


def optimize_with_progress(scenario: Any, graph: Any, settings: OptimizeSettings, executor: Any = None) -> Any:
    """Run the optimizer with a progress bar on stderr; returns the OptimizeResult."""
    with optimizer_progress(settings.total_solves(graph.number_of_nodes())) as on_event:
        result = pipeline.optimize(scenario, graph, settings, on_event, executor)
    console.print(f"[green]✓[/green] optimizer: {result.status}, objective {result.objective}, bound {result.bound} "
                  f"(gap {result.gap:.1%}), {result.solve_seconds:.1f} s", highlight=False)
    print_warnings(result.warnings)
    if result.status == "time_limit":
        console.print(f"[bold red]WARNING: the optimizer reached its emergency stop ({settings.time_limit_s:g} s) "
                      f"after {result.solves} of {settings.total_solves(graph.number_of_nodes())} solves: this plan "
                      "depends on the machine's speed. Rerun with a longer --time-limit or fewer --solves.[/bold red]",
                      highlight=False)
    return result


def run(args: argparse.Namespace) -> int:
    """Propose a plan, evaluate it, write the output folder and print the figures with the solver's."""
    scenario, graph = open_scenario(args.scenario, where=where_of(args),
                                    changes={"preset": args.preset} if args.preset else None)
    settings, repair = settings_from(args, scenario), None
    if args.max_moves is not None and args.start is None:
        raise InputError([Problem("command line", "--max-moves", "", "--max-moves needs --from (the plan to repair)")])
    if args.start is not None:
        warnings: list[Any] = []
        start = pipeline.load_plan(scenario, None if args.start == "baseline" else args.start, warnings)
        print_warnings(warnings)
        settings, repair = pipeline.repair_settings(scenario, graph, settings, start, args.max_moves)
    from planner.sweep.engine import regions_executor

    with regions_executor(args.scheduler) as executor:
        result = optimize_with_progress(scenario, graph, settings, executor)
    with step(f"evaluating {len(set(result.plan.assignment.values()))} new units"):
        evaluation = pipeline.evaluate(scenario, graph, result.plan)
    with step(f"writing {args.out}"):
        summary = pipeline.write_outputs(args.out, scenario, graph, evaluation, solver=result.summary(), repair=repair)
    print_summary(summary, f"{scenario.name}: optimizer plan", extra=SOLVER_LINES, as_json=args.json,
                  preset=scenario.preset)
    return 0
