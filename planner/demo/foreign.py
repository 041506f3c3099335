"""Nordmark: a small made-up country that is not Vietnam, for trying planner as a new user would.

Its files are what another country's statistics office might hand over, not what planner writes:

- the units table is a GeoPackage (``units.gpkg``, layer ``units``) in a projected CRS, ETRS89 /
  LAEA Europe (EPSG:3035, metres), holding the polygons too; population is a whole number, area and
  land share are decimals; codes keep their leading zeros (``0101``); names have Nordic letters;
- county ``01`` (Gridmark) is a surveyed grid of 5 km squares, where four units meet at each inner
  corner: corner contacts that are no border;
- county ``02`` (Fjordvik) is two rows of offset blocks, sharing a line with Gridmark;
- county ``03`` (Øyane) is three islands, more separate parts than its reduction leaves new units:
  its count is relaxed (``target: {..., unreachable: relax}``);
- the preset is ``generic``, with merges kept inside a county; the baseline pairs neighbouring units.

Examples
--------
>>> import tempfile
>>> from planner.inputs.scenario import load_scenario
>>> folder = write_foreign_country(Path(tempfile.mkdtemp()) / "nordmark")
>>> scenario = load_scenario(folder)
>>> len(scenario.units), sorted(scenario.units["county"].unique())
(28, ['01', '02', '03'])
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from shapely.geometry import Polygon, box

from planner.outputs import write_text

#: The CRS of the country's files: ETRS89 / LAEA Europe, in metres.
CRS = "EPSG:3035"
#: The south-west corner of Gridmark, in the CRS's metres (about 52 N, 10 E).
ORIGIN = (4_300_000.0, 3_400_000.0)
SQUARE_M = 5000.0
COUNTIES = {"01": "Gridmark", "02": "Fjordvik", "03": "Øyane"}
PREFIXES = ("Ål", "Bjør", "Dal", "Eid", "Fjær", "Gran", "Hå", "Ly", "Mø", "Nes", "Ør", "Rå", "Sø", "Tø")
SUFFIXES = ("by", "vik", "strand", "dal")
SCENARIO_YAML = """\
name: Nordmark
description: A made-up country in EPSG:3035 (planner.demo.foreign), planned under the generic preset.
effective_date: 2031-01-01
preset: generic
preset_overrides: {merge_within: county}
units:
  path: units.gpkg
  layer: units
  columns:
    id: code
    name: name
    population: population
    area_km2: area_km2
    parents: {county: county}
    parent_names: {county: county_name}
    extra: [land_share]
boundaries: {path: units.gpkg, layer: units, id: code, tolerance_m: 50}
baseline: {path: baseline.csv}
target: {reduction: {min: 0.5, max: 0.7}, unreachable: relax}
access: {max_km: 40}
solver: {solves: 40, seed: 0, workers: 1}
"""


def _shapes() -> list[tuple[str, Polygon, str]]:
    """Every unit as (county, polygon, new unit of the baseline), county by county, west to east."""
    x0, y0, side = *ORIGIN, SQUARE_M
    units = [("01", box(x0 + c * side, y0 + r * side, x0 + (c + 1) * side, y0 + (r + 1) * side), f"01-{r}{c // 2}")
             for r in range(4) for c in range(4)]
    east = x0 + 4 * side
    bricks = [(0, 0, 1, "a"), (0, 1, 2, "a"), (0, 2, 3, "b"),
              (1, -0.5, 0.5, "c"), (1, 0.5, 1.5, "c"), (1, 1.5, 2.5, "d"), (1, 2.5, 3, "d")]
    units += [("02", box(east + max(0.0, a) * side, y0 + r * side, east + b * side, y0 + (r + 1) * side), f"02-{new}")
              for r, a, b, new in bricks]
    south, island = y0 - 3 * side, 0.8 * side
    for number, (start, parts) in enumerate(((0.0, 2), (2.8, 2), (5.6, 1))):
        units += [("03", box(x0 + start * side + k * island, south, x0 + start * side + (k + 1) * island,
                             south + island), f"03-{number}") for k in range(parts)]
    return units


def write_foreign_country(folder: Path, seed: int = 7) -> Path:
    """Write Nordmark's scenario (scenario.yaml, units.gpkg, baseline.csv) into ``folder``.

    Parameters
    ----------
    folder : Path
        The scenario folder (created if missing).
    seed : int
        The seed of the populations and land shares (the same seed gives the same files).

    Returns
    -------
    Path
        ``folder``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    shapes = _shapes()
    counts: dict[str, int] = {}
    codes = []
    for county, _polygon, _new in shapes:
        counts[county] = counts.get(county, 0) + 1
        codes.append(f"{county}{counts[county]:02d}")
    polygons = [polygon for _county, polygon, _new in shapes]
    land = np.round(rng.uniform(0.9, 1.0, len(shapes)), 4)
    fields = {
        "code": np.array(codes, dtype=object),
        "name": np.array([PREFIXES[i % len(PREFIXES)] + SUFFIXES[i // len(PREFIXES)] for i in range(len(shapes))],
                         dtype=object),
        "county": np.array([county for county, _p, _n in shapes], dtype=object),
        "county_name": np.array([COUNTIES[county] for county, _p, _n in shapes], dtype=object),
        "population": rng.integers(2200, 4200, len(shapes)).astype(np.int64),
        "area_km2": np.round(np.array([p.area for p in polygons]) * land / 1e6, 3),
        "land_share": land,
    }
    path = folder / "units.gpkg"
    path.unlink(missing_ok=True)
    pyogrio.raw.write(str(path), shapely.to_wkb(shapely.multipolygons([[p] for p in polygons])),
                      list(fields.values()), list(fields), layer="units", geometry_type="MultiPolygon", crs=CRS,
                      driver="GPKG", encoding="UTF-8")
    baseline = "".join(f"{code},{new}\n" for code, (_c, _p, new) in zip(codes, shapes))
    write_text(folder / "baseline.csv", "unit,new_unit\n" + baseline)
    write_text(folder / "scenario.yaml", SCENARIO_YAML)
    return folder
