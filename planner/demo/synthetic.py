"""Deterministic generator of a synthetic, Vietnamese-like province.

The province is fictional: an irregular blob of land placed around lon 105.0-106.5, lat
19.3-20.6, mountainous in the west and lowland towards an eastern coast, with one small island
commune offshore.
Communes are Voronoi cells of a variable-density point set clipped to the province outline, so that
mountain communes are large (about 40-150 km2), lowland communes medium (8-30 km2) and the wards of
the provincial capital and of the towns small (1-8 km2). Every number comes from a
:class:`numpy.random.Generator` seeded by the caller: the same ``(n_units, seed)`` gives the same
province, and :func:`write_scenario` writes the same bytes.

The generator is used for the bundled demo scenario (``scenarios/demo``, 300 units, seed 7) and by
the scaling benchmarks (200 to 2,000 units).

Run ``python -m planner.demo.synthetic OUT_FOLDER --units 300 --seed 7`` to write a scenario folder.

The work is done by the modules of :mod:`planner.demo`, in this order: :mod:`~planner.demo.landscape`
(outline, terrain line, urban centres), :mod:`~planner.demo.cells` (the cells and their borders),
:mod:`~planner.demo.districts` (terrain zones and districts), :mod:`~planner.demo.attributes`
(kinds, codes, names, population, staff), :mod:`~planner.demo.baseline` (the hand-drawn plan) and
:mod:`~planner.demo.writers` (the files).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from shapely.geometry import Polygon

from planner.demo.attributes import draw_units
from planner.demo.baseline import hand_drawn_plan
from planner.demo.cells import Geometry, adjacency_pairs, draw_geometry
from planner.demo.districts import draw_districts
from planner.demo.schema import BASELINE_COLUMNS, LINK_COLUMNS, UNIT_COLUMNS
from planner.demo.writers import write_files

__all__ = [
    "BASELINE_COLUMNS",
    "LINK_COLUMNS",
    "UNIT_COLUMNS",
    "SyntheticProvince",
    "adjacency_pairs",
    "main",
    "make_province",
    "write_scenario",
]


@dataclass
class SyntheticProvince:
    """A generated province.

    Attributes
    ----------
    units : pandas.DataFrame
        One row per commune-level unit with the columns of :data:`UNIT_COLUMNS`, sorted by ``code``
        (which sorts by district).
    polygons : list of shapely.Polygon
        Boundary of each unit in lon/lat (WGS84), aligned with the rows of ``units``. Coordinates
        are rounded to 5 decimals, exterior rings counter-clockwise; ``area_km2`` is the area of
        these polygons in an equal-area projection.
    baseline : pandas.DataFrame
        A hand-drawn-looking merger plan, columns :data:`BASELINE_COLUMNS`, one row per unit, sorted
        by ``unit``.
    links : pandas.DataFrame
        Non-border connections (the island ferry), columns :data:`LINK_COLUMNS`.
    seed : int
        The seed the province was generated with.
    """

    units: pd.DataFrame
    polygons: list[Polygon]
    baseline: pd.DataFrame
    links: pd.DataFrame
    seed: int = 7

    def adjacency(self) -> list[tuple[str, str]]:
        """Return the pairs of unit codes whose polygons share a border.

        Returns
        -------
        list of tuple of str
            Sorted pairs ``(a, b)`` with ``a < b``.
        """
        codes = self.units["code"].tolist()
        return sorted(
            tuple(sorted((codes[i], codes[j]))) for i, j in adjacency_pairs(self.polygons)
        )

    def write(self, folder: str | Path) -> None:
        """Write ``units.csv``, ``boundaries.geojson``, ``links.csv`` and ``baseline.csv``.

        Parameters
        ----------
        folder : str or pathlib.Path
            Destination folder, created if missing. Existing files of the same names are replaced.
        """
        write_files(folder, self.units, self.polygons, self.baseline, self.links)


def make_province(
    n_units: int,
    seed: int = 7,
    *,
    province_code: str = "99",
    province_name: str = "Tỉnh Demo",
) -> SyntheticProvince:
    """Generate a synthetic province of ``n_units`` commune-level units.

    Parameters
    ----------
    n_units : int
        Number of units, island included (40 to 9,000).
    seed : int, default 7
        Seed of the random generator; the result is a pure function of ``(n_units, seed)`` and the
        province code and name.
    province_code : str, default "99"
        Value of the ``province_code`` column.
    province_name : str, default "Tỉnh Demo"
        Value of the ``province_name`` column.

    Returns
    -------
    SyntheticProvince
        Units, polygons, the baseline plan and the ferry link of the island.

    Raises
    ------
    ValueError
        If ``n_units`` is outside the supported range.

    Notes
    -----
    About ``n_units / 25`` districts are drawn, a third of them mountainous (the west of the
    province). The capital district ("Thành phố Demo") and the towns ("Thị xã ...", about one per
    150 units: two for 300 units) hold the wards; each other district has one township
    ("Thị trấn ...", its seat). Exactly two pairs of
    adjacent communes in neighbouring districts share the same name. One island commune lies a few
    kilometres off the east coast, joined to the nearest coastal commune by a ferry link.
    """
    if not 40 <= n_units <= 9000:
        raise ValueError(f"n_units must be between 40 and 9000, got {n_units}")
    rng = np.random.default_rng(seed)
    geometry = draw_geometry(rng, n_units)
    districts = draw_districts(geometry)
    units, order = draw_units(
        rng, geometry, districts, province_code=province_code, province_name=province_name
    )
    row = {i: r for r, i in enumerate(order)}
    baseline = hand_drawn_plan(units, nx.relabel_nodes(geometry.graph, row), row[geometry.island])
    polygons = [geometry.polygons[i] for i in order]
    return SyntheticProvince(units, polygons, baseline, _ferry(units, geometry, row), seed)


def _ferry(units: pd.DataFrame, geometry: Geometry, row: dict[int, int]) -> pd.DataFrame:
    """The link from the island to the nearest coastal unit."""
    codes = units["code"].tolist()
    pair = sorted((codes[row[geometry.coast]], codes[row[geometry.island]]))
    note = f"ferry crossing about {geometry.ferry_km:.1f} km"
    return pd.DataFrame([[pair[0], pair[1], "ferry", note]], columns=LINK_COLUMNS)


def write_scenario(folder: str | Path, n_units: int = 300, seed: int = 7, **kwargs: Any) -> None:
    """Generate a province and write its scenario files.

    Writes ``units.csv``, ``boundaries.geojson``, ``links.csv`` and ``baseline.csv`` (UTF-8, LF line
    endings, byte-for-byte deterministic for the same arguments). ``scenario.yaml`` is not written.

    Parameters
    ----------
    folder : str or pathlib.Path
        Destination folder, created if missing.
    n_units : int, default 300
        Number of units, island included.
    seed : int, default 7
        Seed of the random generator.
    **kwargs
        Passed to :func:`make_province` (``province_code``, ``province_name``).
    """
    make_province(n_units, seed, **kwargs).write(folder)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m planner.demo.synthetic OUT_FOLDER --units 300 --seed 7``.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status.
    """
    parser = argparse.ArgumentParser(
        prog="python -m planner.demo.synthetic",
        description=(
            "Write a synthetic Vietnamese-like province (units.csv, boundaries.geojson, links.csv, "
            "baseline.csv) into OUT_FOLDER. Output is byte-for-byte deterministic for a seed."
        ),
    )
    parser.add_argument("folder", metavar="OUT_FOLDER", help="destination folder (created)")
    parser.add_argument("--units", type=int, default=300, help="number of units (default 300)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--province-code", default="99", help="province code (default 99)")
    parser.add_argument("--province-name", default="Tỉnh Demo", help="province name")
    args = parser.parse_args(argv)
    write_scenario(
        args.folder,
        n_units=args.units,
        seed=args.seed,
        province_code=args.province_code,
        province_name=args.province_name,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
