"""The official 2025 plan of the whole country and of Thanh Hóa, judged rule by rule (no optimizer run).

Reads scenarios/vn-2025 once and evaluates its baseline (the official mapping to 3,316 new units)
with the rules added one at a time, so that each figure's change is due to one rule:

1. every unit lowland, ``population_est``, kind by population majority, units left as they were judged;
2. the terrain of the data (``terrain_est``: Thanh Hóa's official district list, elsewhere an estimate);
3. the kind rule ``any_ward`` (a merger with a ward is a ward);
4. units left as they were ``unchanged`` (not judged);
5. the population matched to official figures where the data has it (``population_adj``), else the
   estimate: the scenario as shipped.

For each step: new units meeting the standard, waived, below, unchanged, and the share of official
new units whose kind the kind rule gives; the same for Thanh Hóa (new units whose seat is in
province 38); and the old units by terrain source.  Ward contexts are the shipped scenario's (by the
province formed in 2025) in every step.

Run: ``.venv/bin/python benchmarks/bench_official_2025.py`` (about 3 minutes, most of it reading the data).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import yaml
from common import print_table

from planner import pipeline
from planner.inputs.preset import load_preset
from planner.inputs.problems import ProblemList

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "vn-2025"
PROVINCE = "38"
STEPS = (
    ("1 lowland, majority kind, all judged", {"merged_kind": {"rule": "population_majority"},
                                              "unarranged": {"rule": "judged"}}, False, "est"),
    ("2 + terrain_est", {"merged_kind": {"rule": "population_majority"}, "unarranged": {"rule": "judged"}},
     True, "est"),
    ("3 + kind rule any_ward", {"unarranged": {"rule": "judged"}}, True, "est"),
    ("4 + unarranged exempt", {}, True, "est"),
    ("5 + population_adj (as shipped)", {}, True, "shipped"),
)


def figures(units: pd.DataFrame) -> dict[str, object]:
    """Counts by status and the share of new units whose kind the rule reproduces."""
    status = units["status"].value_counts()
    same = float((units["kind"] == units["kind_by_rule"]).mean()) if len(units) else 0.0
    return {"units": len(units), "meets": int(status.get("meets", 0)), "waived": int(status.get("waived", 0)),
            "below": int(status.get("below", 0)), "unchanged": int(status.get("unchanged", 0)),
            "kind_by_rule_%": f"{100 * same:.1f}"}


def set_figures(graph, scenario, terrain: bool, population: str, estimates: dict[str, float]) -> None:
    """The graph's terrain and population for one step (the evaluation reads the graph's nodes)."""
    units = scenario.units
    for code in graph.nodes:
        node = graph.nodes[code]
        node["terrain"] = units.at[code, "terrain"] if terrain else ""
        node["population"] = units.at[code, "population"] if population == "shipped" else estimates[code]


def main() -> None:
    start = time.perf_counter()
    scenario, graph = pipeline.open_scenario(SCENARIO)
    read_s = time.perf_counter() - start
    units_path = SCENARIO / yaml.safe_load((SCENARIO / "scenario.yaml").read_text("utf-8"))["units"]["path"]
    table = pd.read_csv(units_path, dtype=str, keep_default_na=False, usecols=["code", "population_est"])
    estimates = {c: float(p) if p else float("nan") for c, p in zip(table["code"], table["population_est"])}
    province_of = scenario.units["province"].to_dict()
    country, thanh_hoa = [], []
    for label, overrides, terrain, population in STEPS:
        preset = load_preset("vn-2025", ProblemList(), overrides=overrides or None)
        set_figures(graph, scenario, terrain, population, estimates)
        units = pipeline.evaluate(replace(scenario, preset=preset), graph).units
        country.append({"step": label, **figures(units)})
        thanh_hoa.append({"step": label, **figures(units[units["seat"].map(province_of) == PROVINCE])})
    columns = ["step", "units", "meets", "waived", "below", "unchanged", "kind_by_rule_%"]
    print(f"Official 2025 plan, whole country (read in {read_s:.0f} s):")
    print_table(country, columns)
    print(f"\nThanh Hóa (new units whose seat is in province {PROVINCE}):")
    print_table(thanh_hoa, columns)
    sources = scenario.units.groupby(scenario.units["province"] == PROVINCE)["terrain_source"].value_counts()
    print("\nOld units by terrain source (Thanh Hóa: True):")
    for (in_province, source), count in sorted(sources.items()):
        print(f"  {str(in_province):5} {source:24} {count:6,}")
    by_population = scenario.units["population_source"].replace("", "none (no figure)").value_counts()
    print("\nOld units by population figure: " + ", ".join(f"{k} {v:,}" for k, v in sorted(by_population.items())))


if __name__ == "__main__":
    main()
