"""Benchmark 2: Thanh Hóa, as many new units as possible with population >= 16,000 as the only standard.

Run from the project root::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_max_p.py [--solves N] [--workers 2]

Side by side: planner's max-p (CP-SAT warm start + large-neighbourhood search) and spopt's
``MaxPHeuristic`` on the same unit graph and threshold (optional extra ``bench``:
``pip install -e .[bench]``).  The upper bound is total population / 16,000.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table, run_optimizer  # noqa: E402

from planner import pipeline  # noqa: E402
from planner.inputs.preset import Criterion, StandardRule  # noqa: E402
from planner.optimize import OptimizeSettings  # noqa: E402

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "vn-thanh-hoa"
THRESHOLD = 16_000


def population_only(preset):
    """The preset with one standard for every kind: population >= THRESHOLD, no waiver."""
    rules = tuple(StandardRule(f"population-{kind}", kind, None, None, (Criterion("population", THRESHOLD),),
                               "benchmark") for kind in preset.output_kinds)
    data = dict(preset.data)
    data["waiver"] = {"enabled": False}
    return dataclasses.replace(preset, standards=rules, data=data)


def spopt_max_p(graph) -> dict:
    """spopt's MaxPHeuristic on the same graph and threshold, or why it could not run."""
    try:
        import geopandas as gpd
        import libpysal
        from spopt.region import MaxPHeuristic
    except ImportError as error:
        return {"plan": "spopt MaxPHeuristic", "note": f"not run: {error} (pip install -e .[bench])"}
    codes = sorted(graph.nodes)
    frame = gpd.GeoDataFrame({"code": codes, "population": [float(graph.nodes[c]["population"]) for c in codes],
                              "x": [graph.nodes[c]["x"] for c in codes], "y": [graph.nodes[c]["y"] for c in codes]},
                             geometry=[graph.nodes[c]["geometry"] for c in codes])
    index = {c: i for i, c in enumerate(codes)}
    neighbours = {index[c]: sorted(index[n] for n in graph.neighbors(c)) for c in codes}
    weights = libpysal.weights.W(neighbours, silence_warnings=True)
    start = time.perf_counter()
    model = MaxPHeuristic(frame, weights, ["x", "y"], "population", THRESHOLD, top_n=2, max_iterations_construction=99)
    model.solve()
    labels = model.labels_
    return {"plan": "spopt MaxPHeuristic", "units_after": int(len(set(labels))),
            "wall_seconds": round(time.perf_counter() - start, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solves", type=int, help="effort (default: the default effort)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-spopt", action="store_true")
    args = parser.parse_args()
    scenario, graph = pipeline.open_scenario(SCENARIO)
    scenario.preset = population_only(scenario.preset)
    bound = math.floor(float(scenario.units["population"].sum()) / THRESHOLD)
    settings = OptimizeSettings(seed=args.seed, workers=args.workers, target="max_p", standards="strict",
                                solves=args.solves)
    result, summary = run_optimizer(scenario, graph, settings)
    summary["plan"] = "planner max-p"
    rows = [summary]
    if not args.skip_spopt:
        rows.append(spopt_max_p(graph))
    print(f"upper bound: total population {int(scenario.units['population'].sum()):,} / {THRESHOLD:,} = {bound}")
    print_table(rows, ["plan", "units_after", "meets_standard", "below_standard", "noncontiguous", "access_mean_km",
                       "status", "bound", "gap", "wall_seconds"])
    for row in rows:
        if row.get("note"):
            print(f"{row['plan']}: {row['note']}")


if __name__ == "__main__":
    main()
