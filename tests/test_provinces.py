"""The province scenario on real data: the 63 old provinces dissolved from the communes, the official 34 judged."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner import pipeline
from planner.cli import main
from planner.optimize.region import CountTarget, regions_of
from tests.conftest import ROOT

PROVINCES = ROOT / "scenarios" / "vn-2025-provinces"
#: Resolution 202/2025/QH15: the provinces and cities kept whole.
KEPT_WHOLE = {"01", "04", "11", "12", "14", "20", "22", "38", "40", "42", "46"}

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("provinces") / "out"
    assert main(["evaluate", str(PROVINCES), "--out", str(out), "--no-maps"]) == 0
    return out


def test_the_old_provinces_are_dissolved_from_the_communes(shared_vn: Path) -> None:
    scenario, graph = pipeline.open_scenario(PROVINCES)
    communes = pd.read_csv(shared_vn / "communes_before.csv", dtype=str)
    assert list(scenario.units.index) == sorted(communes["province_code"].unique())
    assert len(scenario.units) == 63 and len(scenario.parts) == len(communes)
    assert scenario.units["kind"].value_counts().to_dict() == {"province": 57, "centrally_run_city": 6}
    population = communes.astype({"population_est": float}).groupby("province_code")["population_est"].sum()
    assert scenario.units["population"].to_dict() == pytest.approx(population.to_dict())
    assert scenario.units.at["38", "name"] == "Tỉnh Thanh Hóa"
    assert graph.graph["islands"] == [] and len(scenario.geometries) == 63


def test_the_official_map_is_judged(evaluated: Path) -> None:
    units = pd.read_csv(evaluated / "units.csv", dtype={"new_unit": str, "seat": str, "constituents": str})
    summary = json.loads((evaluated / "summary.json").read_text(encoding="utf-8"))
    assert summary["units_before"] == 63 and summary["units_after"] == 34
    assert summary["by_kind"] == {"centrally_run_city": 6, "province": 28}
    assert summary["noncontiguous"] == 0
    assert summary["meets_standard"] + summary["below_standard"] == 34
    # the seats the scenario states: each new province's seat is the old province of its code
    assert (units["seat"] == units["new_unit"]).all()
    whole = units[units["n_constituents"] == 1]
    assert set(whole["new_unit"]) == KEPT_WHOLE
    # Cao Bằng, kept whole, misses both the population and the area of a mountainous province
    cao_bang = units.set_index("new_unit").loc["04"]
    assert cao_bang["status"] == "below" and "population" in cao_bang["failing"] and "area" in cao_bang["failing"]


def test_access_is_read_from_every_commune(evaluated: Path) -> None:
    parts = pd.read_csv(evaluated / "parts.csv", dtype={"part": str, "unit": str, "new_unit": str, "seat": str})
    units = pd.read_csv(evaluated / "units.csv", dtype={"new_unit": str})
    summary = json.loads((evaluated / "summary.json").read_text(encoding="utf-8"))
    assert len(parts) == 10035 and parts["part"].is_unique
    known = parts.dropna(subset=["distance_km", "population"])
    mean = (known["distance_km"] * known["population"]).sum() / known["population"].sum()
    assert summary["access_mean_km"] == pytest.approx(mean, abs=1e-3)
    assert summary["access_max_km"] == pytest.approx(parts["distance_km"].max(), abs=1e-3)
    # a province kept whole has its residents spread around its seat: Hà Nội's communes are not at 0 km
    hanoi = units.set_index("new_unit").loc["01"]
    assert 5 < hanoi["access_mean_km"] < hanoi["access_max_km"] < 100
    # the merged provinces take their residents farther than the ones kept whole
    merged = units["n_constituents"] > 1
    assert units.loc[merged, "access_mean_km"].mean() > units.loc[~merged, "access_mean_km"].mean()


def test_the_optimizer_counts_person_km_from_every_commune(evaluated: Path) -> None:
    scenario, graph = pipeline.open_scenario(PROVINCES)
    plan = pipeline.evaluate(scenario, graph, scenario.baseline).plan
    (region,) = regions_of(scenario, graph, {"": CountTarget("count", 34, 34)}, None)
    index = {code: i for i, code in enumerate(region.codes)}
    person_km = sum(region.cost(index[u], index[plan.seats[new]]) for u, new in plan.assignment.items())
    parts = pd.read_csv(evaluated / "parts.csv", dtype={"part": str})
    assert person_km == pytest.approx(float((parts["population"] * parts["distance_km"]).sum()), rel=1e-5)
    # a seat's own residents are not at its point: the seat's own person-km is not 0
    assert region.cost(index["01"], index["01"]) > 0


def test_plan_proposes_34_contiguous_provinces_with_a_bound(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    assert main(["plan", str(PROVINCES), "--out", str(out), "--solves", "40", "--workers", "1"]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["units_after"] == 34 and summary["noncontiguous"] == 0
    assert summary["objective"] == summary["meets_standard"] <= summary["bound"] <= 34
    assert summary["bound_method"]
    # the access limit the optimizer keeps is the one the evaluation reads, from the communes
    assert summary["findings"]["access"] == 0
    assert (out / "parts.csv").exists()
