"""Reading the tables a scenario refers to: CSV, XLSX, GeoJSON, GeoPackage, Shapefile.

Every value is read as text, so that codes keep their leading zeros (``00004``); numbers
are parsed later, where a bad value can be reported with its row and column.  The cells
of spreadsheets and vector files become text the same way in every format
(:func:`~planner.inputs.numbers.cell_text`: ``12``, ``1539.582``, empty for a missing
value or NaN).  Vector formats also give their geometries (shapely, in the file's
coordinates) and the coordinate reference system the file declares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely

from planner.inputs.numbers import cell_text
from planner.inputs.problems import ProblemList

VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp"}
#: Control characters (tab and line breaks aside), which no report, workbook or map can show.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
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
            table = _read_csv(path, name)
        elif suffix == ".xlsx":
            table = _read_xlsx(path, name, sheet)
        else:
            table = _read_vector(path, name, layer)
        return table if _printable(table, problems) else None
    except UnicodeDecodeError as exc:
        problems.error(name, f"byte {exc.start}", "", "the file is not UTF-8 text: save it as UTF-8")
    except Exception as exc:  # noqa: BLE001 - any reader failure is the user's file
        problems.error(name, "", "", f"cannot be read as {suffix[1:].upper()}: {exc}")
    return None


def control_character(text: str) -> str:
    """The first control character of a text, as ``U+0016`` ("" when it has none).

    Examples
    --------
    >>> control_character("Xã\x16"), control_character("Xã Ô")
    ('U+0016', '')
    """
    found = CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else ""


def _printable(table: Table, problems: ProblemList) -> bool:
    """Whether no column name nor cell holds a control character (each one that does is an error)."""
    clean = True
    for column in table.frame.columns:
        if control_character(column):
            problems.error(table.name, table.header, column.encode("unicode_escape").decode(),
                           f"the column name holds the control character {control_character(column)}: remove it")
            clean = False
        cells = table.frame[column]
        for i in cells.index[cells.str.contains(CONTROL)]:
            problems.error(table.name, table.where(i), column, f"the cell holds the control character "
                           f"{control_character(cells[i])}, which no output can show: remove it")
            clean = False
    return clean


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
