"""core/tabular.py: every import reads its uploads through read_table."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from core.tabular import ImportFailed, read_table


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cut_sheet(data: bytes, cut: int) -> bytes:
    """The same workbook with its first sheet's XML cut off after `cut` bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for name in source.namelist():
            content = source.read(name)
            damaged.writestr(name, content[:cut] if name == "xl/worksheets/sheet1.xml" else content)
    return buffer.getvalue()


def test_a_workbook_is_read_with_the_row_numbers_the_user_sees():
    table = read_table(workbook([["code", "name"], [None, None], ["00070", "Hoàn Kiếm"]]), "a.xlsx")
    assert table.header == ["code", "name"] and table.rows == [(3, ["00070", "Hoàn Kiếm"])]


def test_a_workbook_whose_sheet_is_damaged_is_refused_not_a_500():
    """It opens as a workbook (the zip and its index are fine) and fails only while the rows are read."""
    data = cut_sheet(workbook([["code", "name"], ["00070", "Hoàn Kiếm"]]), 80)
    with pytest.raises(ImportFailed, match="Tệp Excel .xlsx bị hỏng|không mở được"):
        read_table(data, "a.xlsx")


@pytest.mark.parametrize("cut", [80, 200, 400])
def test_a_workbook_cut_anywhere_in_its_sheet_is_refused(cut):
    data = cut_sheet(workbook([["code"], *[[f"{n:05d}"] for n in range(50)]]), cut)
    with pytest.raises(ImportFailed):
        read_table(data, "a.xlsx")
