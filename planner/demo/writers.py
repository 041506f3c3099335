"""Writing the synthetic province's files: ``units.csv``, ``baseline.csv``, ``links.csv`` and
``boundaries.geojson`` (UTF-8, ``\\n`` line endings, the same bytes for the same province).

Files are written atomically by :func:`planner.outputs.write_text`, like every file planner writes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from shapely.geometry import Polygon

from planner.demo.cells import DECIMALS
from planner.demo.schema import BASELINE_COLUMNS, LINK_COLUMNS, UNIT_COLUMNS
from planner.outputs import write_text

__all__ = ["write_files"]


def write_files(
    folder: str | Path,
    units: pd.DataFrame,
    polygons: Sequence[Polygon],
    baseline: pd.DataFrame,
    links: pd.DataFrame,
) -> None:
    """Write the four data files of a province into ``folder``.

    Parameters
    ----------
    folder : str or pathlib.Path
        Destination folder, created if missing. Existing files of the same names are replaced.
    units : pandas.DataFrame
        Columns :data:`~planner.demo.schema.UNIT_COLUMNS`; areas are written with 3 decimals.
    polygons : sequence of shapely.Polygon
        Boundary of each unit in lon/lat, aligned with ``units``.
    baseline : pandas.DataFrame
        Columns :data:`~planner.demo.schema.BASELINE_COLUMNS`.
    links : pandas.DataFrame
        Columns :data:`~planner.demo.schema.LINK_COLUMNS`.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "units.csv", _csv_text(UNIT_COLUMNS, _unit_rows(units)))
    write_text(
        out / "baseline.csv", _csv_text(BASELINE_COLUMNS, _text_rows(baseline, BASELINE_COLUMNS))
    )
    write_text(out / "links.csv", _csv_text(LINK_COLUMNS, _text_rows(links, LINK_COLUMNS)))
    lines = [
        _feature_json(code, poly)
        for code, poly in zip(units["code"].tolist(), polygons, strict=True)
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    write_text(out / "boundaries.geojson", text)


def _unit_rows(units: pd.DataFrame) -> list[list[str]]:
    """The units as text: whole population and staff, area with 3 decimals."""
    rows = []
    for rec in units.itertuples(index=False):
        row = rec._asdict()
        row["population"] = str(int(row["population"]))
        row["staff"] = str(int(row["staff"]))
        row["area_km2"] = f"{float(row['area_km2']):.3f}"
        rows.append([str(row[c]) for c in UNIT_COLUMNS])
    return rows


def _text_rows(frame: pd.DataFrame, columns: list[str]) -> list[list[str]]:
    return [[str(v) for v in r] for r in frame[columns].itertuples(index=False)]


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _ring_text(coords: np.ndarray) -> str:
    return "[" + ",".join(f"[{x:.{DECIMALS}f},{y:.{DECIMALS}f}]" for x, y in coords) + "]"


def _feature_json(code: str, poly: Polygon) -> str:
    rings = [np.asarray(poly.exterior.coords)] + [np.asarray(r.coords) for r in poly.interiors]
    coords = ",".join(_ring_text(r) for r in rings)
    return (
        '{"type":"Feature","properties":{"code":' + json.dumps(code, ensure_ascii=False) + "},"
        '"geometry":{"type":"Polygon","coordinates":[' + coords + "]}}"
    )
