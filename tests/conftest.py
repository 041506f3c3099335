"""Shared fixtures: small scenarios written by the tests themselves, and the real data beside the project.

Tests that read the real data (Thanh Hóa, the whole country) are marked ``shared_data``; they are
skipped, with the reason, when the data is not there (a clone without ``../shared/data``).  CI
(``.ci/run``) refuses to run without it, so there the marked tests always run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from shapely.geometry import box, mapping

ROOT = Path(__file__).resolve().parent.parent
#: Where the tests look for the real data (``../shared/data`` beside the project).  The ``vn-*``
#: scenarios read ``../shared/data/vn`` themselves, so PLANNER_SHARED_DATA is only for making the
#: data look absent (``PLANNER_SHARED_DATA=/nonexistent``), as it is in a user's clone.
SHARED_DATA = Path(os.environ.get("PLANNER_SHARED_DATA") or ROOT.parent / "shared" / "data")
SHARED_VN = SHARED_DATA / "vn"
SHARED_DATA_REASON = "needs ../shared/data/vn beside the project (real data, not redistributed)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked ``shared_data`` when the real data is not there."""
    if SHARED_VN.is_dir():
        return
    skip = pytest.mark.skip(reason=SHARED_DATA_REASON)
    for item in items:
        if item.get_closest_marker("shared_data"):
            item.add_marker(skip)


def scenario_yaml(name: str, rest: str, *, terrain: bool = True,
                  parents: str = "{district: district_code, province: province_code}") -> str:
    """The YAML of a small test scenario: a header, the units table of ``units.csv``, then ``rest``."""
    return (f"name: {name}\neffective_date: 2025-07-01\npreset: vn-2025\n"
            "units:\n  path: units.csv\n  columns:\n    id: code\n    name: name\n    kind: type\n"
            "    population: population\n    area_km2: area_km2\n"
            + ("    terrain: terrain\n" if terrain else "")
            + f"    parents: {parents}\n" + rest)


#: A small test scenario: a 3 x 4 grid of communes.
SCENARIO_YAML = scenario_yaml(
    "Grid", "boundaries:\n  path: boundaries.geojson\n  id: code\n  tolerance_m: 20\nbaseline:\n  path: baseline.csv\n")


def grid_units(rows: int = 3, cols: int = 4) -> list[dict]:
    """Units of a grid of ~3 x 3 km cells near 105E 20N, codes with leading zeros."""
    units = []
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            units.append({
                "code": f"{i + 1:05d}",
                "name": f"Xã Ô {i + 1}",
                "type": "Phường" if i == 0 else "Xã",
                "district_code": "001" if c < cols // 2 else "002",
                "province_code": "01",
                "population": str(6000 + 500 * i),
                "area_km2": "9.0",
                "terrain": "other",
                "geometry": box(105 + c * 0.03, 20 + r * 0.03, 105 + (c + 1) * 0.03, 20 + (r + 1) * 0.03),
            })
    return units


def write_units_csv(path: Path, units: list[dict]) -> None:
    columns = ["code", "name", "type", "district_code", "province_code", "population", "area_km2", "terrain"]
    lines = [",".join(columns)] + [",".join(u[c] for c in columns) for u in units]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_boundaries(path: Path, units: list[dict]) -> None:
    features = [{"type": "Feature", "properties": {"code": u["code"]},
                 "geometry": mapping(u["geometry"]) if u["geometry"] is not None else None} for u in units]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


def write_grid_scenario(folder: Path, units: list[dict] | None = None, yaml_text: str = SCENARIO_YAML) -> Path:
    """Write the grid scenario (units, boundaries, a baseline of column pairs) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    units = units if units is not None else grid_units()
    write_units_csv(folder / "units.csv", units)
    write_boundaries(folder / "boundaries.geojson", units)
    cols = 4
    baseline = ["unit,new_unit"] + [f"{u['code']},N{i // cols}{i % cols // 2}" for i, u in enumerate(units)]
    (folder / "baseline.csv").write_text("\n".join(baseline) + "\n", encoding="utf-8")
    (folder / "scenario.yaml").write_text(yaml_text, encoding="utf-8")
    return folder


@pytest.fixture
def grid_scenario(tmp_path: Path) -> Path:
    return write_grid_scenario(tmp_path / "grid")


@pytest.fixture(scope="session")
def shared_vn() -> Path:
    """The real data; a test using it must be marked ``shared_data`` (then it is skipped without the data)."""
    assert SHARED_VN.is_dir(), f"{SHARED_VN} not found: mark the test @pytest.mark.shared_data"
    return SHARED_VN
