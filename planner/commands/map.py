"""``planner map SCENARIO [--plan FILE] --out DIR``: maps of a plan for review."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.markup import escape

from planner import pipeline
from planner.commands.common import (
    add_json_argument,
    add_out_argument,
    add_plan_argument,
    add_scenario_argument,
    open_and_evaluate,
    print_summary,
    print_warnings,
)
from planner.inputs.problems import ProblemList
from planner.maps import ATLAS_FILE, MAP_FILES, write_maps
from planner.maps.gapfile import read_gaps
from planner.maps.screenshot import BrowserError, take_screenshot
from planner.maps.static import ORIENTATIONS, PAPERS
from planner.output_folder import output_folder
from planner.progress import console, step

SCREENSHOT = "map-screenshot.png"
HELP = "draw a plan (the baseline by default): an offline web page and print-ready images"
DESCRIPTION = ("Draw a plan for review: map.html (one file that works offline: old and new boundaries, seats, gaps, "
               "figures on click, search, zoom), map.png and map.svg (A4 or A3, with title, dates, legend, scale "
               "bar, north arrow and data sources), atlas.pdf (an index map and one page per parent unit), and "
               "the GIS files plan.gpkg (new units, old units, seats, gaps, reference layers) and plan.geojson "
               "(new units), in EPSG:4326.")
#: The map's figures printed below the headline ones: (summary key, label).
MAP_LINES = [("map_colours", "fill colours"), ("map_gaps", "gaps marked"),
             ("map_load_s", "page load in Chromium, s")]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Scenario, ``--plan``, ``--out``, ``--gaps``, ``--title``, ``--date``, ``--draft-date``, ``--paper``,
    ``--orientation``, ``--screenshot`` and ``--json``."""
    add_scenario_argument(parser)
    add_plan_argument(parser)
    add_out_argument(parser, "folder for the map files")
    parser.add_argument("--gaps", metavar="FILE",
                        help="table of gaps to mark (columns unit, type, severity, text); "
                        "default: the gaps planner finds for the plan")
    parser.add_argument("--title", help="title printed on the maps (default: scenario and plan)")
    parser.add_argument("--date", help="effective date printed on the maps (default: the scenario's effective date)")
    parser.add_argument("--draft-date", metavar="DATE", help="the draft's date printed on the maps (default: none, "
                        "the print says Draft)")
    parser.add_argument("--paper", choices=list(PAPERS), default="A4", help="paper of map.png, map.svg and "
                        "atlas.pdf (default A4)")
    parser.add_argument("--orientation", choices=list(ORIENTATIONS),
                        help="orientation of the paper (default: landscape for a map wider than tall)")
    parser.add_argument("--screenshot", action="store_true",
                        help=f"also open map.html in headless Chromium and save {SCREENSHOT}")
    add_json_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Draw the maps of the plan, print the figures and the files written (``--json``: the summary)."""
    scenario, graph, plan, evaluation = open_and_evaluate(args)
    gaps = _gap_markers(args.gaps, scenario, graph, plan, evaluation)
    out = Path(args.out)
    with step(f"drawing the maps into {out}"), output_folder(out) as folder:
        data = write_maps(folder, scenario, graph, evaluation, gaps=gaps, title=args.title, date=args.date,
                          draft_date=args.draft_date, paper=args.paper, orientation=args.orientation, atlas=True)
        summary = dict(evaluation.summary)
        summary.update({"map_files": [str(out / name) for name in (*MAP_FILES, ATLAS_FILE)],
                        "map_colours": max(data.colours, default=0) + 1, "map_gaps": len(data.gaps)})
        shot = not args.screenshot or _screenshot(folder, out, summary)
    if not shot:
        return 1
    print_summary(summary, f"{scenario.name}: maps of {plan.label}", as_json=args.json, extra=MAP_LINES,
                  preset=scenario.preset)
    if not args.json:
        for path in summary["map_files"]:
            print(path)
    return 0


def _gap_markers(path: str | None, scenario: Any, graph: Any, plan: Any, evaluation: Any) -> list[dict[str, str]]:
    """The gaps to mark: read from ``--gaps``, else the gaps planner finds for the plan."""
    if path:
        problems = ProblemList()
        gaps = read_gaps(path, problems, set(plan.assignment.values()) | set(plan.assignment))
        problems.raise_if_errors()
        return gaps
    warnings: list[Any] = []
    with step("finding the gaps of the plan"):
        report = pipeline.find_plan_gaps(scenario, graph, evaluation, warnings)
    print_warnings(warnings)
    return pipeline.gap_markers(report, evaluation)


def _screenshot(folder: Path, out: Path, summary: dict[str, Any]) -> bool:
    """Save a screenshot of map.html (written in ``folder``, bound for ``out``) in headless Chromium and add
    it to ``summary``; False when it fails."""
    try:
        with step("taking a screenshot in headless Chromium"):
            load_s = take_screenshot(folder / "map.html", folder / SCREENSHOT)
    except BrowserError as error:
        console.print(f"[red]error:[/red] no screenshot: {escape(str(error))}")
        return False
    summary["map_files"].append(str(out / SCREENSHOT))
    summary["map_load_s"] = round(load_s, 3)
    return True
