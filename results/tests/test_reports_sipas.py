"""SIPAS in the analysis report, the short version and the results workbook."""

import io

from docx import Document
from openpyxl import load_workbook

from results.reports import BUILDERS
from results.reports.sipas import for_cycle
from results.snapshot import build
from results.tests.test_api_sipas import finalised  # noqa: F401  (the fixture)


def _text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _snapshot(cycle):
    snapshot = build(cycle)
    snapshot["sipas"] = for_cycle(cycle)
    return snapshot


def test_the_reports_carry_sipas(finalised):  # noqa: F811
    snapshot = _snapshot(finalised)
    _name, docx = BUILDERS["docx"](snapshot, lambda *_: None)
    text = _text(docx)
    assert "VII. CHỈ SỐ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC (SIPAS)" in text
    assert "đạt 73,54\xa0%" in text and "Sở Tư pháp" in text and "2.500,00" in text
    _name, short = BUILDERS["short"](snapshot, lambda *_: None)
    assert "Chỉ số hài lòng của người dân, tổ chức (SIPAS) năm 2025" in _text(short)
    _name, xlsx = BUILDERS["xlsx"](snapshot, lambda *_: None)
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames[-1] == "SIPAS"
    rows = list(book["SIPAS"].values)
    city = next(r for r in rows if r[0] == "Thành phố")
    assert city[3] == 73.54
    unit = next(r for r in rows if r[1] == "00070")
    assert unit[-2:] == (10000, 2500)


def test_no_sipas_no_section(finalised):  # noqa: F811
    snapshot = build(finalised)
    snapshot["sipas"] = None
    _name, docx = BUILDERS["docx"](snapshot, lambda *_: None)
    assert "VII." not in _text(docx)
