"""Spreadsheet exports: columns declared once, written as XLSX or CSV, and never a formula.

Every cell a user downloads goes through this module, because the text in our exports is typed by
units, respondents and staff: a progress note `=HYPERLINK("http://…?x="&A2,"Xem")` must reach the
reader as that text, not as a live link that sends the neighbouring cells away.

How text is guarded (docs/decisions.md, 32): a text value beginning with `=`, `+`, `-`, `@`, a tab or
a carriage return (OWASP's list for CSV injection) is marked the way a spreadsheet marks text typed
after an apostrophe.
- XLSX: every text cell is a string cell (data type "s", so openpyxl never writes a formula), and a
  dangerous one also carries the quote-prefix style, Excel's own mark of "typed with a leading
  apostrophe": the reader sees exactly the text, and editing the cell keeps it text.
- CSV has no types, so the apostrophe itself is written before a dangerous text ("'=HYPERLINK…").
Both files therefore say the same thing; only the CSV carries the mark inside the value. Numbers,
dates and booleans are written as themselves (numbers stay numbers, dates stay dates).

How to add an export:
1. In the app's `exports.py` (or `documents.py`), declare the columns once::

       COLUMNS = [
           Column("Số TT", "number", width=8),
           Column("Hạn", "due", number_format=DATE_FORMAT),
           Column("Quá hạn", lambda task: "Có" if task.is_overdue() else ""),
       ]

   A column's value is an attribute name (or a key, for dict rows; a position, for list rows) or
   a callable of the row.
2. Build the bytes: `xlsx(Sheet("nhiem-vu", COLUMNS, tasks))`, or `csv_bytes(COLUMNS, tasks)`.
3. In the view: `return download(content, "ten-tep.xlsx")` (the content type follows the suffix).
A workbook with its own layout (titles, merged headers, colours) writes its cells with `put` or
`append`, which apply the same guard.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {".xlsx": XLSX_CONTENT_TYPE, ".csv": CSV_CONTENT_TYPE}
# What a spreadsheet may evaluate when a cell starts with it (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
HEADER_FONT = Font(bold=True)


def is_dangerous(value: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    return value.startswith(FORMULA_START)


def clean_text(value: str) -> str:
    """The text without the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _plain(value):
    """A value as a workbook holds it: an aware datetime in Hà Nội time without its zone (Excel
    has no time zones)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def cell(sheet, value, number_format: str | None = None):
    """A cell of `sheet` (write-only or not) holding `value`: text as text, never a formula."""
    value = _plain(value)
    if isinstance(value, str):
        value = clean_text(value)  # first: removing a control character may bare a "="
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"  # openpyxl would otherwise write a leading "=" as a formula
        if is_dangerous(value):
            text.quotePrefix = True
        return text
    made = WriteOnlyCell(sheet, value)
    if value is not None:
        if number_format:
            made.number_format = number_format
        elif isinstance(value, datetime):
            made.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            made.number_format = DATE_FORMAT
    return made


def append(sheet, values: Iterable, formats: Sequence[str | None] | None = None, font=None):
    """Append one row of guarded cells; `formats` gives a number format per position."""
    cells = []
    for position, value in enumerate(values):
        made = cell(sheet, value, formats[position] if formats else None)
        if font is not None:
            made.font = font
        cells.append(made)
    sheet.append(cells)


def put(sheet, row: int, column: int, value, number_format: str | None = None):
    """Write a guarded value at (row, column) of a workbook that is not write-only; the cell."""
    made = cell(sheet, value, number_format)
    target = sheet.cell(row=row, column=column)
    target.value = made.value
    target.data_type = made.data_type  # after the value, which would have made "=…" a formula
    if made.quotePrefix:
        target.quotePrefix = True
    if made.number_format != "General":
        target.number_format = made.number_format
    return target


@dataclass(frozen=True)
class Column:
    """One column of an export: its header and where its value comes from."""

    header: str
    value: str | int | Callable[[Any], Any]
    number_format: str | None = None
    width: float | None = None

    def of(self, row):
        if callable(self.value):
            return self.value(row)
        if isinstance(self.value, int) or isinstance(row, Mapping):
            return row[self.value]
        return getattr(row, self.value)


@dataclass
class Sheet:
    """A sheet of a workbook: a title, the columns, the rows, and lines above the header."""

    title: str
    columns: Sequence[Column]
    rows: Iterable
    preamble: Sequence[Sequence] = field(default_factory=list)


def xlsx(*sheets: Sheet) -> bytes:
    """The sheets as one workbook (write-only, so that memory does not grow with the rows)."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.title)
        for position, column in enumerate(spec.columns, start=1):
            if column.width:
                sheet.column_dimensions[get_column_letter(position)].width = column.width
        sheet.freeze_panes = f"A{len(spec.preamble) + 2}"
        for line in spec.preamble:
            append(sheet, line)
        append(sheet, [c.header for c in spec.columns], font=HEADER_FONT)
        formats = [c.number_format for c in spec.columns]
        for row in spec.rows:
            append(sheet, [c.of(row) for c in spec.columns], formats)
    return save(book)


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_value(value):
    """A value as CSV text: a dangerous text behind an apostrophe, dates as dd/mm/yyyy."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if is_dangerous(value) else value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def csv_rows(rows: Iterable[Sequence]) -> bytes:
    """Rows of values as CSV, UTF-8 with a byte-order mark so that Excel reads the Vietnamese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_bytes(columns: Sequence[Column], rows: Iterable) -> bytes:
    """The declared columns as CSV: the header, then one line per row."""
    lines = ([c.of(row) for c in columns] for row in rows)
    return csv_rows(chain([[c.header for c in columns]], lines))


def download(content: bytes, filename: str) -> HttpResponse:
    """An attachment response; the content type follows the file name's suffix (.xlsx or .csv)."""
    suffix = filename[filename.rfind(".") :]
    response = HttpResponse(content, content_type=CONTENT_TYPES[suffix])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
