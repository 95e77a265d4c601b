"""Reading uploaded tables (XLSX or CSV) checked by content, and import errors that name row and column.

Imports in every app use this; it depends on no app.
"""

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter


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
    """Raised with every problem found; nothing was saved."""

    def __init__(self, problems: list[ImportProblem]):
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


def read_table(data: bytes, filename: str = "", *, allow_csv: bool = True) -> Table:
    """Read the first sheet of an .xlsx file (or a UTF-8 CSV) into a header and rows."""
    if not data or not data.strip():
        _fail(_("Tệp rỗng: không có dữ liệu nào để nhập."))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm")) or not allow_csv:
        _fail(_("Tệp không phải là tệp Excel .xlsx hợp lệ (nội dung không đúng định dạng)."))
    return _read_csv(data)


# A zip that opens as a workbook but whose sheet is damaged fails only while its rows are read:
# SyntaxError is what ElementTree's and lxml's parse errors derive from, the rest a damaged member.
DAMAGED_SHEET = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError)


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (OSError, TypeError, *DAMAGED_SHEET):
        _fail(_("Tệp không phải là tệp Excel .xlsx hợp lệ (không mở được)."))
    try:
        sheet = workbook.worksheets[0]
        rows = []
        header: list[str] | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = list(values)
            if header is None:
                if not any(cell_text(v) for v in values):
                    continue
                header = [cell_text(v) for v in values]
                while header and not header[-1]:
                    header.pop()
                continue
            if any(cell_text(v) for v in values):
                rows.append((number, values))
    except DAMAGED_SHEET:
        _fail(_("Tệp Excel .xlsx bị hỏng: không đọc được nội dung trang tính."))
    finally:
        workbook.close()
    if header is None:
        _fail(_("Tệp rỗng: trang tính đầu tiên không có dữ liệu."))
    return Table(header=header, rows=rows)


def _read_csv(data: bytes) -> Table:
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
