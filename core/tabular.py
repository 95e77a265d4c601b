"""Reading uploaded tables (XLSX or CSV) checked by content, and import errors that name row and column.

Imports in every app use this; it depends on no app.
"""

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .formats import number
from .uploads import PackageRefused, check_xlsx_package

# Every import reads at most this many data rows unless its caller passes its own `max_rows`: far above
# any of the city's tables (171 units, a few hundred leaves or key tasks, one row per unit) and far
# below what would keep a request busy for seconds. A longer file is refused as soon as its next row
# is read, not parsed to the end.
DEFAULT_MAX_ROWS = 20_000
# A sheet may be wide instead of long: filled cells are capped too, at this many per allowed row on
# average (a 20.000-row table of 25 filled columns), so that a wide sheet costs no more to refuse.
CELLS_PER_ROW = 25
# An import lists its first problems and counts the rest: a page of 100.000 problems helps nobody.
MAX_LISTED_PROBLEMS = 200


def _number(value: int) -> str:
    return number(value)


@dataclass(frozen=True)
class ImportProblem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = {"row": self.row, "column": self.column, "message": self.message}
        if self.row is not None and self.column:
            return _("Dòng %(row)s, cột %(column)s: %(message)s") % where
        if self.row is not None:
            return _("Dòng %(row)s: %(message)s") % where
        if self.column:
            return _("cột %(column)s: %(message)s") % where
        return self.message


class ImportFailed(Exception):
    """Raised with every problem found; nothing was saved. `problems` holds the first
    MAX_LISTED_PROBLEMS of them and then one line counting the others; `total` counts them all."""

    def __init__(self, problems: list[ImportProblem]):
        problems = list(problems)
        self.total = len(problems)
        if self.total > MAX_LISTED_PROBLEMS:
            rest = self.total - MAX_LISTED_PROBLEMS
            more = ngettext("… và %(count)s lỗi khác.", "… và %(count)s lỗi khác.", rest)
            problems = problems[:MAX_LISTED_PROBLEMS] + [
                ImportProblem(None, None, more % {"count": _number(rest)})
            ]
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass
class Table:
    header: list[str]
    # (row number as the user sees it in the file, cell values), empty rows left out
    rows: list[tuple[int, list]]

    def column_label(self, index: int) -> str:
        """`B (title)`: the spreadsheet letter and the header name."""
        name = self.header[index] if index < len(self.header) else ""
        return f"{get_column_letter(index + 1)} ({name})" if name else get_column_letter(index + 1)


def _fail(message: str):
    raise ImportFailed([ImportProblem(None, None, message)])


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# The end of a row element, with or without a namespace prefix (`</row>`, `</x:row>`). A row with cells
# always has one; a blank row is written `<row …/>`.
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]{0,20}:)?row>")
_SCANNED_FROM_BYTES = 256 * 1024


def _row_elements(data: bytes) -> int:
    """The most rows with cells in any part of an XLSX package, counted in its bytes without parsing
    it: openpyxl reads a whole sheet once just to size it when the sheet does not say its size, and
    then every row before ours could stop it, so a very long sheet is refused before openpyxl opens it."""
    most = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.file_size < _SCANNED_FROM_BYTES:
                continue
            count, tail = 0, b""
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    text = tail + chunk
                    last = 0
                    for match in _ROW_END.finditer(text):
                        count, last = count + 1, match.end()
                    # A row end cut by the chunk's edge lies in its last 31 bytes: keep those.
                    tail = text[max(last, len(text) - 31) :]
            most = max(most, count)
    return most


def read_table(
    data: bytes, filename: str = "", *, allow_csv: bool = True, max_rows: int = DEFAULT_MAX_ROWS
) -> Table:
    """Read the first sheet of an .xlsx file (or a UTF-8 CSV) into a header and rows.

    Refused whole (ImportFailed) when an XLSX declares too much to unpack (core.uploads), or when the
    table has more than `max_rows` data rows or (XLSX) `max_rows * CELLS_PER_ROW` filled cells: the
    reading stops at the first row past the limit."""
    if not data or not data.strip():
        _fail(_("Tệp rỗng: không có dữ liệu nào để nhập."))
    if data[:4] == b"PK\x03\x04":
        try:
            check_xlsx_package(data)
            rows = _row_elements(data)
        except PackageRefused as exc:
            _fail(str(exc))
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ):  # a damaged, encrypted or oddly compressed member
            _fail(_("Tệp Excel .xlsx bị hỏng: không đọc được nội dung trang tính."))
        # Blank rows that carry formatting have cells too: room for as many again before refusing.
        if rows > 2 * max_rows + 100:
            _too_many_rows(max_rows)
        return _read_xlsx(data, max_rows)
    if filename.lower().endswith((".xlsx", ".xlsm")) or not allow_csv:
        _fail(_("Tệp không phải là tệp Excel .xlsx hợp lệ (nội dung không đúng định dạng)."))
    return _read_csv(data, max_rows)


def _too_many_rows(max_rows: int):
    _fail(
        _(
            "Tệp có hơn %(limit)s dòng; mỗi lần nhập tối đa %(limit)s dòng dữ liệu. "
            "Hãy chia dữ liệu thành nhiều tệp rồi nhập lần lượt."
        )
        % {"limit": _number(max_rows)}
    )


def _too_many_cells(max_cells: int):
    _fail(
        _(
            "Tệp có hơn %(limit)s ô có dữ liệu; mỗi lần nhập tối đa %(limit)s ô. "
            "Hãy bỏ các cột không cần thiết hoặc chia dữ liệu thành nhiều tệp."
        )
        % {"limit": _number(max_cells)}
    )


# A zip that opens as a workbook but whose sheet is damaged fails only while its rows are read:
# SyntaxError is what ElementTree's and lxml's parse errors derive from, the rest a damaged member.
DAMAGED_SHEET = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError)


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (OSError, TypeError, *DAMAGED_SHEET):
        _fail(_("Tệp không phải là tệp Excel .xlsx hợp lệ (không mở được)."))
    try:
        sheet = workbook.worksheets[0]
        rows = []
        header: list[str] | None = None
        max_cells, cells = max_rows * CELLS_PER_ROW, 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = list(values)
            cells += sum(value is not None for value in values)
            if cells > max_cells:
                _too_many_cells(max_cells)
            if header is None:
                if not any(cell_text(v) for v in values):
                    continue
                header = [cell_text(v) for v in values]
                while header and not header[-1]:
                    header.pop()
                continue
            if any(cell_text(v) for v in values):
                if len(rows) == max_rows:
                    _too_many_rows(max_rows)
                rows.append((number, values))
    except DAMAGED_SHEET:
        _fail(_("Tệp Excel .xlsx bị hỏng: không đọc được nội dung trang tính."))
    finally:
        workbook.close()
    if header is None:
        _fail(_("Tệp rỗng: trang tính đầu tiên không có dữ liệu."))
    return Table(header=header, rows=rows)


def _read_csv(data: bytes, max_rows: int) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(_("Tệp CSV phải được lưu với bảng mã UTF-8."))
    if "\x00" in text:
        _fail(_("Tệp không phải là tệp CSV hay Excel .xlsx hợp lệ."))
    first_line = text.split("\n", 1)[0]
    # Tab-separated text (a copy from a spreadsheet) is read as such; otherwise comma-separated.
    reader = csv.reader(io.StringIO(text), delimiter="\t" if "\t" in first_line else ",")
    header = None
    rows = []
    try:
        for number, values in enumerate(reader, start=1):
            if header is None:
                if any(v.strip() for v in values):
                    header = [v.strip() for v in values]
                continue
            if any(v.strip() for v in values):
                if len(rows) == max_rows:
                    _too_many_rows(max_rows)
                rows.append((number, values))
    except csv.Error as exc:
        _fail(_("Tệp CSV không đọc được: %(error)s.") % {"error": exc})
    if header is None:
        _fail(_("Tệp rỗng: không có dòng tiêu đề."))
    return Table(header=header, rows=rows)


def parse_decimal(value) -> Decimal | None:
    """A number from a cell (accepting a Vietnamese decimal comma); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = cell_text(value).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def parse_date(value) -> date | None:
    """A date from a cell: a real Excel date, dd/mm/yyyy or yyyy-mm-dd. Raises ValueError."""
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for layout in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValueError(text)
