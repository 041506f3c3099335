"""Reading the tables a scenario refers to: CSV, XLSX, GeoJSON, GeoPackage, Shapefile.

Every value is read as text, so that codes keep their leading zeros (``00004``); numbers
are parsed later, where a bad value can be reported with its row and column.  The cells
of spreadsheets and vector files become text the same way in every format
(:func:`~planner.inputs.numbers.cell_text`: ``12``, ``1539.582``, empty for a missing
value or NaN).  Vector formats also give their geometries (shapely, in the file's
coordinates) and the coordinate reference system the file declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely

from planner.inputs.numbers import cell_text
from planner.inputs.problems import ProblemList

VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp"}
TABLE_SUFFIXES = {".csv", ".xlsx"} | VECTOR_SUFFIXES


@dataclass
class Table:
    """A table read from a user's file.

    Attributes
    ----------
    name : str
        The file as the user named it, used in messages.
    frame : pandas.DataFrame
        All values as ``str`` (empty string for a missing value), default RangeIndex.
    geometries : list or None
        One shapely geometry (or None) per row for vector formats, else None.
    row_word : str
        ``"row"`` for CSV/XLSX (numbered as a spreadsheet shows them) or ``"feature"``.
    crs : str or None
        The coordinate reference system a vector file declares (as GDAL gives it: an
        authority code or WKT), None when it declares none or is not a vector file.
    """

    name: str
    frame: pd.DataFrame
    geometries: list | None = None
    row_word: str = "row"
    crs: str | None = None

    @property
    def header(self) -> str:
        """Where the column names are: ``"row 1"`` of a sheet, the ``"fields"`` of a vector layer."""
        return "row 1" if self.row_word == "row" else "fields"

    def where(self, index: int) -> str:
        """The place of row ``index`` (0-based) as the user sees it."""
        if self.row_word == "row":
            return f"row {index + 2}"  # the header is row 1
        return f"feature {index + 1}"


def read_table(
    path: Path,
    name: str,
    problems: ProblemList,
    *,
    layer: str | None = None,
    sheet: str | None = None,
) -> Table | None:
    """Read a table, recording a problem (and returning None) when it cannot be read.

    Parameters
    ----------
    path : Path
        The file to read.
    name : str
        How to name the file in messages (usually the path as written in the scenario).
    problems : ProblemList
        Where unreadable files are reported.
    layer, sheet : str, optional
        The layer of a GeoPackage, the sheet of a workbook.
    """
    suffix = path.suffix.lower()
    if not path.exists():
        problems.error(name, "", "", f"file not found (looked for {path})")
        return None
    if suffix not in TABLE_SUFFIXES:
        problems.error(
            name, "", "", f"unsupported format '{suffix}': expected one of "
            + ", ".join(sorted(TABLE_SUFFIXES))
        )
        return None
    try:
        if suffix == ".csv":
            return _read_csv(path, name)
        if suffix == ".xlsx":
            return _read_xlsx(path, name, sheet)
        return _read_vector(path, name, layer)
    except UnicodeDecodeError as exc:
        problems.error(name, f"byte {exc.start}", "", "the file is not UTF-8 text: save it as UTF-8")
    except Exception as exc:  # noqa: BLE001 - any reader failure is the user's file
        problems.error(name, "", "", f"cannot be read as {suffix[1:].upper()}: {exc}")
    return None


def _read_csv(path: Path, name: str) -> Table:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")  # raises UnicodeDecodeError on non-UTF-8 input
    from io import StringIO

    frame = pd.read_csv(
        StringIO(text), dtype=str, keep_default_na=False, na_filter=False, skipinitialspace=False
    )
    return Table(name, _as_text(frame))


def _read_xlsx(path: Path, name: str, sheet: str | None) -> Table:
    frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, engine="openpyxl")
    return Table(name, _as_text(frame.map(cell_text)))


def _read_vector(path: Path, name: str, layer: str | None) -> Table:
    import pyogrio.raw

    kwargs = {"layer": layer} if layer else {}
    meta, _fids, wkb, fields = pyogrio.raw.read(str(path), encoding="UTF-8", **kwargs)
    columns = {}
    for column, values in zip(meta["fields"], fields):
        columns[str(column)] = [cell_text(v) for v in values]
    frame = pd.DataFrame(columns, dtype=object)
    geometries = list(shapely.from_wkb(wkb)) if wkb is not None else [None] * len(frame)
    return Table(name, _as_text(frame), geometries, "feature", meta.get("crs") or None)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(object).where(frame.notna(), "")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.map(lambda v: str(v).strip()).astype(object).reset_index(drop=True)
