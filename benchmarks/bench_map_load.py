"""How fast the maps are made and how fast map.html loads in headless Chromium.

Usage (from the project root; the data lives in ../shared/data/vn)::

    PYTHONPATH=$PWD python benchmarks/bench_map_load.py [SCENARIO ...] [--runs N] [--out DIR]

Default scenarios: scenarios/vn-thanh-hoa and scenarios/vn-2025 (the whole country, about
10,000 old and 3,300 new polygons).  For each it prints: seconds to prepare and write the
three map files, their sizes, and over ``--runs`` fresh page loads in Chromium the median
wall time from navigation to the load event (the page's script has drawn the first map by
then), the script's own time, and the time of one full redraw at the whole-map view.
Target for the national map: load under 5 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from planner import pipeline
from planner.maps import write_maps
from planner.maps.browser import Browser

REDRAW = "(() => { const t = performance.now(); window.plannerMap.render(); return performance.now() - t; })()"


def measure(scenario_path: str, out: Path, runs: int) -> dict[str, object]:
    scenario, graph = pipeline.open_scenario(scenario_path)
    evaluation = pipeline.evaluate(scenario, graph)
    started = time.perf_counter()
    write_maps(out, scenario, graph, evaluation)
    write_s = time.perf_counter() - started
    loads, scripts, redraws = [], [], []
    for _ in range(runs):
        with Browser() as browser:
            page = browser.open_page((out / "map.html").resolve().as_uri())
            messages = page.messages()
            if messages["errors"]:
                raise SystemExit(f"{scenario_path}: console errors: {messages['errors']}")
            loads.append(page.load_s)
            scripts.append(page.evaluate("window.plannerMap.loadMs") / 1000)
            redraws.append(page.evaluate(REDRAW) / 1000)
            drawn = page.evaluate("window.plannerMap.state().drawnNew")
    return {
        "scenario": scenario_path, "new units": len(evaluation.units), "drawn": drawn,
        "write s": write_s, "html MB": (out / "map.html").stat().st_size / 1e6,
        "png MB": (out / "map.png").stat().st_size / 1e6, "svg MB": (out / "map.svg").stat().st_size / 1e6,
        "load s": statistics.median(loads), "script s": statistics.median(scripts),
        "redraw s": statistics.median(redraws),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=["scenarios/vn-thanh-hoa", "scenarios/vn-2025"])
    parser.add_argument("--runs", type=int, default=3, help="page loads per scenario (median reported)")
    parser.add_argument("--out", default="/tmp/planner-bench-maps", help="folder for the map files")
    args = parser.parse_args()
    rows = [measure(s, Path(args.out) / Path(s).name, args.runs) for s in args.scenarios]
    columns = list(rows[0])
    print(" | ".join(columns))
    print(" | ".join("---" for _ in columns))
    for row in rows:
        print(" | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in row.values()))


if __name__ == "__main__":
    main()
