"""Backbone timings on the real data: loading, the unit graph and the evaluation of the official plan.

Targets (issue: the backbone): the graph of all 10,023 pre-2025 polygons in at most 30 s; evaluating the whole
country (10,035 units) in at most 2 minutes.

Run from the project root: ``python benchmarks/bench_backbone.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner import pipeline  # noqa: E402
from planner.graph import build_graph  # noqa: E402
from planner.inputs.scenario import load_scenario  # noqa: E402


def measure(name: str) -> dict:
    start = time.perf_counter()
    scenario = load_scenario(ROOT / "scenarios" / name)
    loaded = time.perf_counter()
    graph = build_graph(scenario)
    built = time.perf_counter()
    evaluation = pipeline.evaluate(scenario, graph)
    evaluated = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        pipeline.write_outputs(out, scenario, graph, evaluation)
    written = time.perf_counter()
    s = evaluation.summary
    return {
        "scenario": name, "units": s["units_before"], "polygons": len(scenario.geometries),
        "edges": graph.number_of_edges(), "load_s": loaded - start, "graph_s": built - loaded,
        "evaluate_s": evaluated - built, "total_s": written - start, "after": s["units_after"],
        "meets": s["meets_standard"], "waived": s["waived"], "below": s["below_standard"],
        "noncontig": s["noncontiguous"], "access_mean": s["access_mean_km"], "access_max": s["access_max_km"],
        "no_data": len(s["units_without_data"]),
    }


def main() -> None:
    rows = [measure(name) for name in ("vn-thanh-hoa", "vn-2025")]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in row.values()) + " |")
    print("\ntargets: vn-2025 graph_s <= 30, total_s <= 120")


if __name__ == "__main__":
    main()
