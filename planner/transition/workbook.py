"""An XLSX workbook of a plan's tables for officials who work in spreadsheets.

openpyxl stamps the workbook with the time of saving, and the zip archive holds file
times too; :func:`workbook_bytes` fixes both (to ``FIXED_TIME``) so that the same tables
always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from planner.outputs import write_bytes

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_WIDTH = 60


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """The XLSX bytes of ``sheets`` (sheet name -> table), deterministic.

    Numbers stay numbers (NaN becomes an empty cell), text stays text; the header row is
    frozen and columns are sized to their content.
    """
    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(500)])
            sheet.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, width + 2)
    book.properties.creator = "planner"
    book.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_archive(buffer.getvalue())


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """Write the workbook of ``sheets`` to ``path`` atomically."""
    write_bytes(path, workbook_bytes(sheets))


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def _fixed_archive(data: bytes) -> bytes:
    """The same archive with fixed file times and a fixed modification time in docProps/core.xml."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rf"\g<1>{stamp}\g<2>", text)
                content = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()
