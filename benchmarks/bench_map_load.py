"""How fast the maps are made and how fast map.html draws and redraws in headless Chromium (playwright).

Usage (from the project root; the data lives in ../shared/data/vn)::

    PYTHONPATH=$PWD python benchmarks/bench_map_load.py [SCENARIO ...] [--runs N] [--out DIR] [--page FILE]

Default scenarios: scenarios/vn-thanh-hoa and scenarios/vn-2025 (the whole country, about 10,000 old and 3,300
new polygons).  For each it prints: seconds to prepare and write the map files, the page's size, and over
``--runs`` fresh pages in Chromium the medians of

- ``first draw s``: from navigation to the first frame after the page's script has drawn the map (the canvas
  layers paint in that frame);
- ``pan redraw ms``: one redraw after a pan of 200 pixels at the whole-map view (what the hand sees when it
  lets go while panning; during the drag the drawn picture is moved as it is), to the next frame;
- ``zoom redraw ms``: one zoom step in at the middle, to the next frame.

Targets for the national map: first draw within 2 s, a redraw while panning within 100 ms.  ``--page FILE``
measures an already written page instead (another renderer's, for a side-by-side measurement: a page with
``window.plannerMap.render()`` and no ``panBy`` is timed by that full redraw).  The load average is printed
first: the figures mean little on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from planner import pipeline
from planner.maps import write_maps
from planner.maps.screenshot import launch_options

NEXT_FRAME = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
PAN = f"""(async () => {{ const m = window.plannerMap, t = performance.now();
    if (m.panBy) m.panBy(200, 0); else m.render();
    return (await {NEXT_FRAME}) - t; }})()"""
ZOOM = f"""(async () => {{ const m = window.plannerMap, t = performance.now();
    document.getElementById('zoom-in').click();
    if (!m.panBy) m.render();
    return (await {NEXT_FRAME}) - t; }})()"""


def measure_page(page_file: Path, runs: int) -> dict[str, float]:
    """Medians over ``runs`` fresh pages: first draw (s), pan redraw (ms), zoom redraw (ms)."""
    from playwright.sync_api import sync_playwright

    first, pans, zooms = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            errors: list[str] = []
            page.on("pageerror", lambda error, seen=errors: seen.append(str(error)))
            page.goto(page_file.resolve().as_uri())
            page.wait_for_function("window.plannerMap && window.plannerMap.ready")
            first.append(page.evaluate(NEXT_FRAME) / 1000)
            pans.append(statistics.median(page.evaluate(PAN) for _ in range(5)))
            zooms.append(page.evaluate(ZOOM))
            if errors:
                raise SystemExit(f"{page_file}: script errors: {errors}")
            page.close()
        browser.close()
    return {"first draw s": statistics.median(first), "pan redraw ms": statistics.median(pans),
            "zoom redraw ms": statistics.median(zooms)}


def measure(scenario_path: str, out: Path, runs: int) -> dict[str, object]:
    scenario, graph = pipeline.open_scenario(scenario_path)
    evaluation = pipeline.evaluate(scenario, graph)
    started = time.perf_counter()
    write_maps(out, scenario, graph, evaluation)
    write_s = time.perf_counter() - started
    return {"scenario": scenario_path, "new units": len(evaluation.units), "write s": write_s,
            "html MB": (out / "map.html").stat().st_size / 1e6, **measure_page(out / "map.html", runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=["scenarios/vn-thanh-hoa", "scenarios/vn-2025"])
    parser.add_argument("--runs", type=int, default=3, help="fresh pages per scenario (median reported)")
    parser.add_argument("--out", default="/tmp/planner-bench-maps", help="folder for the map files")
    parser.add_argument("--page", help="measure this map.html instead of writing the scenarios' maps")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    if args.page:
        page = Path(args.page)
        rows = [{"page": args.page, "html MB": page.stat().st_size / 1e6, **measure_page(page, args.runs)}]
    else:
        rows = [measure(s, Path(args.out) / Path(s).name, args.runs) for s in args.scenarios]
    columns = list(rows[0])
    print(" | ".join(columns))
    print(" | ".join("---" for _ in columns))
    for row in rows:
        print(" | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in row.values()))


if __name__ == "__main__":
    main()
