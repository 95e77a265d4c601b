"""Hostile workbooks for the import limits: many rows in a small file, and a zip bomb."""

import io
import re
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_sheet(data: bytes, sheet: bytes, compress=zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compress, compresslevel=9) as target:
        for name in source.namelist():
            target.writestr(name, sheet if name == SHEET else source.read(name))
    return buffer.getvalue()


def _cell(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def many_rows(header: list[str], row: list[str], count: int) -> bytes:
    """A valid workbook of `header` and `count` copies of `row`, written as tersely as a generator
    would (rows without their numbers): 100.000 rows pack into a few tens of kilobytes."""
    base = workbook([header])
    sheet = zipfile.ZipFile(io.BytesIO(base)).read(SHEET).decode()
    line = "<row>" + "".join(_cell(v) for v in row) + "</row>"
    sheet = re.sub(r'<dimension ref="[^"]*"/>', "", sheet)
    sheet = sheet.replace("</sheetData>", line * count + "</sheetData>")
    return _with_sheet(base, sheet.encode())


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A workbook whose sheet is padded with `unpacked_bytes` spaces: a few kilobytes packed."""
    base = workbook([["code", "name", "kind"], ["00070", "Hoàn Kiếm", "commune"]])
    sheet = zipfile.ZipFile(io.BytesIO(base)).read(SHEET)
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * unpacked_bytes, 1)
    return _with_sheet(base, padded)
