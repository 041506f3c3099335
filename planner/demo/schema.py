"""The columns of the synthetic province's files and the values of its kind and terrain columns."""

from __future__ import annotations

__all__ = [
    "BASELINE_COLUMNS",
    "COMMUNE",
    "ISLAND_TERRAIN",
    "LINK_COLUMNS",
    "MOUNTAINOUS",
    "OTHER",
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
