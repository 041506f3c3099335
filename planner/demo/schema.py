"""The columns of the synthetic province's files and the values of its kind and terrain columns."""

from __future__ import annotations

__all__ = [
    "BASELINE_COLUMNS",
    "COMMUNE",
    "ISLAND_TERRAIN",
    "LINK_COLUMNS",
    "MOUNTAINOUS",
    "OTHER",
    "REGION",
    "TOWNSHIP",
    "UNIT_COLUMNS",
    "WARD",
]

UNIT_COLUMNS = [
    "code",
    "name",
    "type",
    "district_code",
    "district_name",
    "province_code",
    "province_name",
    "population",
    "area_km2",
    "terrain",
    "staff",
    "ethnic_minority_share",
    "border",
    "especially_difficult_coastal",
    "region",
]
BASELINE_COLUMNS = ["unit", "new_unit", "new_name", "new_kind"]
LINK_COLUMNS = ["a", "b", "kind", "note"]

COMMUNE = "Xã"
WARD = "Phường"
TOWNSHIP = "Thị trấn"
MOUNTAINOUS = "mountainous"
OTHER = "other"
#: Terrain written for the island commune (the brief asks for two values only; the vn-2026 preset
#: also knows "island").
ISLAND_TERRAIN = OTHER
#: The socio-economic region of the whole synthetic province (a special factor of the vn presets: not the
#: Red River Delta, so its reduction never applies to the demo).
REGION = "north_central"
