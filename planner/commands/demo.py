"""``planner demo``: the main job on the bundled demo scenario, from one command."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner import pipeline
from planner.commands.common import (
    add_json_argument,
    add_out_argument,
    open_scenario,
    print_json,
    print_table,
    stdout,
)
from planner.commands.numbers import count_of, positive_number
from planner.commands.plan import optimize_with_progress
from planner.demo.side_by_side import comparison_rows, same_count_settings, with_agencies_for
from planner.inputs.scenario import Scenario
from planner.optimize import OptimizeSettings
from planner.output_folder import DEMO_NAMES, output_folder
from planner.progress import step

DEMO_FOLDER = Path("scenarios") / "demo"

HELP = "run the main job on the bundled demo province"
DESCRIPTION = ("Evaluate the demo province's hand-drawn plan, ask the optimizer for a plan with the same number of "
               "new units, and write every output (tables, report, gaps, maps) of both into --out/baseline and "
               "--out/plan; --free-count adds a run at the scenario's own target in --out/plan-free-count. The "
               "optimizer's plans get agency tables from the generator that made the hand-drawn plan's (in "
               "--out/agencies-*), so gap and staffing figures rest on the same kind of data. Uses scenarios/demo "
               "when run from a checkout; elsewhere the demo scenario is generated first (same seed, same files).")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--out``, ``--scenario``, ``--free-count``, the optimizer's ``--time-limit`` and ``--solves``, ``--json``."""
    add_out_argument(parser, "folder for the outputs (default: demo-output)", default="demo-output")
    parser.add_argument("--scenario", metavar="DIR", default=None,
                        help="demo scenario folder (default: scenarios/demo, generated if missing)")
    parser.add_argument("--free-count", action="store_true",
                        help="also run the optimizer at the scenario's own target (a third column)")
    parser.add_argument("--time-limit", type=positive_number("seconds"), metavar="SECONDS",
                        help="the optimizer's emergency stop (default: the demo scenario's)")
    parser.add_argument("--solves", type=count_of("solves"), metavar="N",
                        help="the optimizer's effort: neighbourhood solves in all (default: the demo scenario's)")
    add_json_argument(parser)


def demo_scenario_folder(out: Path, given: str | None) -> Path:
    """The demo scenario to use: the given folder, the checkout's, or a freshly generated one."""
    if given:
        return Path(given)
    if (DEMO_FOLDER / "scenario.yaml").exists():
        return DEMO_FOLDER
    from planner.demo.bundled import write_demo_scenario

    folder = out / "scenario"
    with step(f"generating the demo scenario in {folder}"):
        write_demo_scenario(folder)
    return folder


def run(args: argparse.Namespace) -> int:
    """Evaluate the hand-drawn plan and optimizer plans of the demo; print them side by side.

    Everything is written beside ``--out`` and moved in at the end (:func:`planner.output_folder.output_folder`).
    """
    out = Path(args.out)
    with output_folder(out, DEMO_NAMES) as written:
        scenario, sides, runs = _write_sides(args, written, out)
    if args.json:
        print_json({"baseline": sides["hand-drawn"],
                    **{folder.replace("-", "_"): sides[label] for label, folder, _ in runs}})
        return 0
    title = f"{scenario.name}: the hand-drawn plan and the optimizer's, on the same terms"
    columns = ("figure", *sides, "rests on")
    print_table(title, columns, comparison_rows(list(sides.values()), scenario.preset.id),
                text_columns=(0, len(columns) - 1))
    stdout.print(f"outputs: {', '.join(str(out / folder) for folder in ('baseline', *(r[1] for r in runs)))} "
                 f"(open plan/map.html in a browser)", highlight=False)
    return 0


def _write_sides(args: argparse.Namespace, written: Path, out: Path) -> tuple[Scenario, dict[str, Any], list[Any]]:
    """Evaluate and write every side into ``written`` (bound for ``out``); the scenario, summaries and runs."""
    scenario, graph = open_scenario(demo_scenario_folder(written, args.scenario), "the demo scenario")
    with step("evaluating the hand-drawn plan"):
        baseline = pipeline.evaluate(scenario, graph)
    with step(f"writing {out / 'baseline'}"):
        sides = {"hand-drawn": pipeline.write_outputs(written / "baseline", scenario, graph, baseline)}
    settings = OptimizeSettings.from_solver(scenario.solver, time_limit_s=args.time_limit, solves=args.solves)
    runs = [("optimizer, same count", "plan", same_count_settings(settings, baseline.plan))]
    if args.free_count:
        runs.append(("optimizer, own target", "plan-free-count", settings))
    for label, folder, run_settings in runs:
        sides[label] = _optimizer_side(scenario, graph, run_settings, written, folder)
    return scenario, sides, runs


def _optimizer_side(scenario: Scenario, graph: Any, settings: OptimizeSettings, out: Path,
                    folder: str) -> dict[str, Any]:
    """Run the optimizer, give its plan the demo's agency tables and write its outputs; returns the summary."""
    result = optimize_with_progress(scenario, graph, settings)
    with step(f"generating agency tables for the optimizer's plan in {out / ('agencies-' + folder)}"):
        own = with_agencies_for(scenario, graph, result.plan, out / f"agencies-{folder}")
    with step(f"evaluating the optimizer's {len(set(result.plan.assignment.values()))} new units"):
        optimized = pipeline.evaluate(own, graph, result.plan)
    with step(f"writing {out / folder}"):
        return pipeline.write_outputs(out / folder, own, graph, optimized, solver=result.summary())
