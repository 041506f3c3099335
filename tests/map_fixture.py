"""A tiny scenario for map tests, generated with shapely boxes (no real data).

24 old units on a 6 x 4 grid of 0.05 degree squares near 20 N, 105.8 E, merged three by
three along each row into 8 new units.  One old unit and one new unit carry a hostile
name, ``<script>alert(1)</script>``, to check that names are shown as text.
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely

from tests.conftest import scenario_yaml

HOSTILE = "<script>alert(1)</script>"
COLUMNS, ROWS, SIZE = 6, 4, 0.05
WEST, SOUTH = 105.8, 20.0


def old_code(column: int, row: int) -> str:
    return f"{100 + row * COLUMNS + column:05d}"


def new_code(column: int, row: int) -> str:
    return f"{900 + row * 2 + column // 3:05d}"


def write_map_scenario(folder: Path) -> Path:
    """Write the scenario (CSV units, GeoJSON boundaries, baseline plan) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    units, features, plan = ["code,name,type,population,area_km2,district,province"], [], \
        ["old_code,new_code,new_name"]
    for row in range(ROWS):
        for column in range(COLUMNS):
            code = old_code(column, row)
            name = HOSTILE if (column, row) == (1, 1) else f"Xã Ô {column}-{row} & Đồi"
            units.append(f'{code},"{name}",Xã,{3000 + 500 * column + 700 * row},{28.0 + column},D{row},P1')
            box = shapely.box(WEST + column * SIZE, SOUTH + row * SIZE, WEST + (column + 1) * SIZE,
                              SOUTH + (row + 1) * SIZE)
            features.append({"type": "Feature", "properties": {"code": code},
                             "geometry": json.loads(shapely.to_geojson(box))})
            new = new_code(column, row)
            new_name = HOSTILE if new == new_code(0, 2) else f"Xã Mới {new}"
            plan.append(f'{code},{new},"{new_name}"')
    (folder / "units.csv").write_text("\n".join(units) + "\n", encoding="utf-8")
    (folder / "plan.csv").write_text("\n".join(plan) + "\n", encoding="utf-8")
    (folder / "boundaries.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    (folder / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    return folder


SCENARIO = scenario_yaml(
    "Map test province",
    "boundaries:\n  path: boundaries.geojson\n  id: code\n  tolerance_m: 20\n"
    "baseline:\n  path: plan.csv\n  columns:\n    unit: old_code\n    new_unit: new_code\n    new_name: new_name\n",
    terrain=False, parents="{district: district, province: province}")
