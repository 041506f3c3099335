"""How fast the maps are made and how fast map.html draws and redraws in headless Chromium (playwright).

Usage (from the project root; the data lives in ../shared/data/vn)::

    PYTHONPATH=$PWD python benchmarks/bench_map_load.py [SCENARIO ...] [--runs N] [--out DIR] [--page FILE]
        [--baseline FILE | --baseline-rev REV]

Default scenarios: scenarios/vn-thanh-hoa and scenarios/vn-2025 (the whole country, about 10,000 old and 3,300
new polygons).  The script evaluates each scenario's baseline plan itself (no earlier ``planner evaluate`` is
needed) and writes its maps without gap markers.  For each it prints: seconds to evaluate and to prepare and
write the map files, the page's size, and over ``--runs`` fresh pages in Chromium the medians of

- ``script s``: the page's own script, from its first line to the map drawn (``window.plannerMap.loadMs``);
- ``first draw s``: from navigation to the first frame after the page's script has drawn the map (the canvas
  layers paint in that frame); the page answers the mouse from then on (every handler is set before);
- ``pan redraw ms``: one redraw after a pan of 200 pixels at the whole-map view (what the hand sees when it
  lets go while panning; during the drag the drawn picture is moved as it is), to the next frame;
- ``zoom redraw ms``: one zoom step in at the middle, to the next frame;
- ``JS heap MB``: the page's JavaScript heap after the first draw and a garbage collection (Chromium's
  ``JSHeapUsedSize``; the canvases' pixels are not in it).

Targets for the national map (issue 15): first draw within 2 s, a redraw while panning within 100 ms; the
table's ``target`` row and ``meets targets`` column say whether each page meets them.

The baseline of issue 15 is the hand-written canvas renderer the Leaflet page replaced (commit 475fa10).
``--baseline FILE`` measures an already written page of it beside the scenarios' pages; ``--baseline-rev REV``
(e.g. ``475fa10^``) makes that page first, from the code of git revision REV in a temporary worktree beside the
project (``git worktree add``, removed afterwards), for the last scenario (the whole country by default); the
ratios of the last scenario's page to the baseline's are printed under the table.  An old page has
``window.plannerMap.render()`` and no ``panBy``: its pan and zoom are timed by that full redraw, the redraw it
makes when the hand rests (while moving it shifts a snapshot).  ``--page FILE`` measures one written page alone.
The load average is printed first: the figures mean little on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
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
#: Issue 15's targets on the whole country: (figure, limit).
TARGETS = {"first draw s": 2.0, "pan redraw ms": 100.0}
#: Writes the old renderer's map.html of a scenario with the code of the current directory (a worktree).
OLD_PAGE = """import sys
from pathlib import Path
from planner import pipeline
from planner.maps.data import prepare_map
from planner.maps.html import render_html
scenario, graph = pipeline.open_scenario(sys.argv[1])
evaluation = pipeline.evaluate(scenario, graph)
Path(sys.argv[2]).write_text(render_html(prepare_map(scenario, graph, evaluation)), encoding="utf-8")
"""


def measure_page(page_file: Path, runs: int) -> dict[str, float]:
    """Medians over ``runs`` fresh pages: script (s), first draw (s), pan and zoom redraw (ms), JS heap (MB)."""
    from playwright.sync_api import sync_playwright

    scripts, first, pans, zooms, heaps = [], [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            errors: list[str] = []
            page.on("pageerror", lambda error, seen=errors: seen.append(str(error)))
            page.goto(page_file.resolve().as_uri())
            page.wait_for_function("window.plannerMap && window.plannerMap.ready")
            first.append(page.evaluate(NEXT_FRAME) / 1000)
            scripts.append(page.evaluate("window.plannerMap.loadMs") / 1000)
            heaps.append(js_heap_mb(page))
            pans.append(statistics.median(page.evaluate(PAN) for _ in range(5)))
            zooms.append(page.evaluate(ZOOM))
            if errors:
                raise SystemExit(f"{page_file}: script errors: {errors}")
            page.close()
        browser.close()
    return {"script s": statistics.median(scripts), "first draw s": statistics.median(first),
            "pan redraw ms": statistics.median(pans), "zoom redraw ms": statistics.median(zooms),
            "JS heap MB": statistics.median(heaps)}


def js_heap_mb(page: object) -> float:
    """The page's used JavaScript heap after a garbage collection, in MB (Chromium DevTools metrics)."""
    session = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
    session.send("HeapProfiler.collectGarbage")
    session.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    session.detach()
    return metrics["JSHeapUsedSize"] / 1e6


def measure(scenario_path: str, out: Path, runs: int) -> dict[str, object]:
    started = time.perf_counter()
    scenario, graph = pipeline.open_scenario(scenario_path)
    evaluation = pipeline.evaluate(scenario, graph)
    evaluate_s = time.perf_counter() - started
    started = time.perf_counter()
    write_maps(out, scenario, graph, evaluation)
    write_s = time.perf_counter() - started
    return {"page": scenario_path, "renderer": "Leaflet", "new units": len(evaluation.units),
            "evaluate s": evaluate_s, "write s": write_s, **page_figures(out / "map.html", runs)}


def page_figures(page: Path, runs: int) -> dict[str, object]:
    return {"html MB": page.stat().st_size / 1e6, **measure_page(page, runs)}


def old_page(rev: str, scenario_path: str, out: Path) -> tuple[Path, float]:
    """The map.html of ``scenario_path`` made by the code of git revision ``rev``, and the seconds it took.

    The worktree is a sibling of the project, so that the scenarios' relative data paths still hold; it is
    removed afterwards.
    """
    root = Path.cwd().resolve()
    worktree = root.parent / f"{root.name}-bench-baseline"
    if worktree.exists():
        raise SystemExit(f"{worktree} exists: remove it (git worktree remove --force {worktree}) or use --baseline")
    out.mkdir(parents=True, exist_ok=True)
    page = (out / "map.html").resolve()
    subprocess.run(["git", "worktree", "add", "--detach", str(worktree), rev], check=True, capture_output=True)
    try:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", OLD_PAGE, scenario_path, str(page)], cwd=worktree, check=True,
                       env={**os.environ, "PYTHONPATH": str(worktree)})
        return page, time.perf_counter() - started
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], check=False)
        if worktree.exists():
            shutil.rmtree(worktree, ignore_errors=True)


def verdict(row: dict[str, object]) -> str:
    """Whether a row meets the targets (only said for the whole country, where they apply)."""
    missed = [f"{k} > {v:g}" for k, v in TARGETS.items() if float(row[k]) > v]  # type: ignore[arg-type]
    return "yes" if not missed else "no (" + ", ".join(missed) + ")"


def print_table(rows: list[dict[str, object]]) -> None:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    print(" | ".join(columns))
    print(" | ".join("---" for _ in columns))
    for row in rows:
        print(" | ".join(_cell(row.get(c, "")) for c in columns))


def _cell(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=["scenarios/vn-thanh-hoa", "scenarios/vn-2025"])
    parser.add_argument("--runs", type=int, default=3, help="fresh pages per scenario (median reported)")
    parser.add_argument("--out", default="/tmp/planner-bench-maps", help="folder for the map files")
    parser.add_argument("--page", help="measure this map.html alone instead of writing the scenarios' maps")
    baseline = parser.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="also measure this page of the renderer compared "
                          "against (the hand-written canvas page before commit 475fa10)")
    baseline.add_argument("--baseline-rev", metavar="REV", help="make the baseline page of the first scenario "
                          "with the code of this git revision (e.g. 475fa10^) and measure it too")
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores")
    if args.page:
        rows = [{"page": args.page, **page_figures(Path(args.page), args.runs)}]
    else:
        rows = [measure(s, Path(args.out) / Path(s).name, args.runs) for s in args.scenarios]
    compared = len(rows) - 1  # the row the baseline is set against: the last scenario's (or --page)
    if args.baseline_rev:
        scenario = str(rows[compared]["page"]) if not args.page else args.scenarios[-1]
        page, made_s = old_page(args.baseline_rev, scenario, Path(args.out) / f"baseline-{Path(scenario).name}")
        rows.append({"page": f"{scenario} at {args.baseline_rev}", "renderer": "hand-written canvas (baseline)",
                     "evaluate s": "", "write s": f"{made_s:.2f} (and evaluate)", **page_figures(page, args.runs)})
    elif args.baseline:
        rows.append({"page": args.baseline, "renderer": "baseline", **page_figures(Path(args.baseline), args.runs)})
    for row in rows:
        row["meets targets"] = verdict(row)
    rows.append({"page": "target (whole country)", **{k: v for k, v in TARGETS.items()}})
    print_table(rows)
    if args.baseline or args.baseline_rev:
        new, old = rows[compared], rows[-2]
        ratios = ", ".join(f"{k} {float(new[k]) / float(old[k]):.2f}×"  # type: ignore[arg-type]
                           for k in ("html MB", "first draw s", "pan redraw ms", "zoom redraw ms", "JS heap MB")
                           if float(old[k]) > 0)  # type: ignore[arg-type]
        print(f"\n{new['page']} against the baseline ({old['page']}): {ratios}")


if __name__ == "__main__":
    main()
