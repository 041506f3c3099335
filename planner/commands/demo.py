"""``planner demo``: the main job on the bundled demo scenario, from one command."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner import pipeline
from planner.commands.common import add_json_argument, open_scenario, print_json, print_table, stdout
from planner.commands.plan import optimize_with_progress
from planner.evaluation.evaluate import HEADLINE_FIGURES
from planner.optimize import OptimizeSettings
from planner.progress import step

DEMO_FOLDER = Path("scenarios") / "demo"

HELP = "run the main job on the bundled demo province"
DESCRIPTION = ("Evaluate the demo province's hand-drawn plan, propose a plan with the optimizer and write every "
               "output (tables, report, gaps, maps) of both into --out/baseline and --out/plan. Uses scenarios/demo "
               "when run from a checkout; elsewhere the demo scenario is generated first (same seed, same files).")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--out``, ``--scenario``, the optimizer's ``--time-limit`` and ``--solves``, and ``--json``."""
    parser.add_argument("--out", metavar="DIR", default="demo-output",
                        help="folder for the outputs (default: demo-output)")
    parser.add_argument("--scenario", metavar="DIR", default=None,
                        help="demo scenario folder (default: scenarios/demo, generated if missing)")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                        help="optimizer time limit (default: the demo scenario's)")
    parser.add_argument("--solves", type=int, metavar="N", help="optimizer neighbourhood solves (default: by time)")
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
    """Evaluate the hand-drawn plan and an optimizer plan of the demo; print them side by side."""
    out = Path(args.out)
    scenario, graph = open_scenario(demo_scenario_folder(out, args.scenario), "the demo scenario")
    with step("evaluating the hand-drawn plan"):
        baseline = pipeline.evaluate(scenario, graph)
    with step(f"writing {out / 'baseline'}"):
        before = pipeline.write_outputs(out / "baseline", scenario, graph, baseline)
    solver = scenario.solver
    settings = OptimizeSettings(args.time_limit or solver.time_limit_s, solver.seed, solver.workers, solves=args.solves)
    result = optimize_with_progress(scenario, graph, settings)
    with step(f"evaluating the optimizer's {len(set(result.plan.assignment.values()))} new units"):
        optimized = pipeline.evaluate(scenario, graph, result.plan)
    with step(f"writing {out / 'plan'}"):
        after = pipeline.write_outputs(out / "plan", scenario, graph, optimized, solver=result.summary())
    if args.json:
        print_json({"baseline": before, "plan": after})
        return 0
    print_comparison(before, after, f"{scenario.name}: hand-drawn plan and optimizer plan")
    stdout.print("The demo's agency tables register seals for the hand-drawn plan's new bodies only: the optimizer's "
                 "plan creates other bodies, so their seals show as missing.", highlight=False)
    stdout.print(f"outputs: {out / 'baseline'} and {out / 'plan'} (open plan/map.html in a browser)", highlight=False)
    return 0


def print_comparison(before: dict[str, Any], after: dict[str, Any], title: str) -> None:
    """The headline figures and gap totals of two plans side by side."""
    for side in (before, after):
        side["gaps_total"] = sum((side.get("gaps") or {}).values())
    rows = [(label, *(f"{v:.2f}" if isinstance(v, float) else str(v) for v in (before.get(key), after.get(key))))
            for key, label in [*HEADLINE_FIGURES, ("gaps_total", "gaps found")]]
    print_table(title, ("figure", "hand-drawn", "optimizer"), rows)
