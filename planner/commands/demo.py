"""``planner demo``: the main job on the bundled demo scenario, from one command."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner import pipeline
from planner.commands.common import add_json_argument, print_summary
from planner.progress import step

DEMO_FOLDER = Path("scenarios") / "demo"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="run the main job on the bundled demo province",
        description="Evaluate the demo province's hand-drawn plan and write every output into --out. "
        "Uses scenarios/demo when run from a checkout; elsewhere the demo scenario is generated "
        "first (same seed, same files).")
    parser.add_argument("--out", metavar="DIR", default="demo-output",
                        help="folder for the outputs (default: demo-output)")
    parser.add_argument("--scenario", metavar="DIR", default=None,
                        help="demo scenario folder (default: scenarios/demo, generated if missing)")
    add_json_argument(parser)
    parser.set_defaults(run=run)


def demo_scenario_folder(out: Path, given: str | None) -> Path:
    """The demo scenario to use: the given folder, the checkout's, or a freshly generated one."""
    if given:
        return Path(given)
    if (DEMO_FOLDER / "scenario.yaml").exists():
        return DEMO_FOLDER
    from planner.demo import write_demo_scenario

    folder = out / "scenario"
    with step(f"generating the demo scenario in {folder}"):
        write_demo_scenario(folder)
    return folder


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    folder = demo_scenario_folder(out, args.scenario)
    with step("reading the demo scenario and building the unit graph"):
        scenario, graph = pipeline.open_scenario(folder)
    with step("evaluating the hand-drawn plan"):
        evaluation = pipeline.evaluate(scenario, graph)
    with step(f"writing {out}"):
        summary = pipeline.write_outputs(out / "baseline", scenario, graph, evaluation)
    print_summary(summary, f"{scenario.name}: hand-drawn plan", as_json=args.json)
    return 0
