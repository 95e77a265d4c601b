"""The consolidated city report as Word (Vietnamese administrative layout, Decree 30/2020/NĐ-CP) and Excel."""

import io

from django.conf import settings
from django.utils import timezone, translation
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from core import official_docx as page
from core.formats import day, quantity, signed
from core.letterhead import Letterhead
from core.spreadsheets import Column, Sheet, xlsx

from .consolidation import Consolidation


def _paragraph(cell_or_doc, text, *, bold=False, italic=False, size=13, align=None):
    paragraph = cell_or_doc.add_paragraph()
    page.run(paragraph, text, size, bold=bold, italic=italic)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def word_report(result: Consolidation) -> bytes:
    """An official document: always in Vietnamese, whatever language the reader's screen uses."""
    with translation.override(settings.LANGUAGE_CODE):
        return _word_report(result)


def _word_report(result: Consolidation) -> bytes:
    period = result.period
    head = Letterhead.from_settings()
    document = Document()
    page.page(document, body_pt=13)
    page.header(
        document,
        head,
        number_line=head.number_line(),
        date_line=head.date_line(timezone.localdate(), dated=True),
        kind_title="BÁO CÁO",
        subject=period.title
        if period.is_request
        else f"Kết quả cải cách hành chính {period.title_in_sentence}",
    )
    # A one-off request has no data window: its template says what it asks.
    window = ""
    if period.window is not None:
        window = f"Số liệu từ ngày {day(period.window[0])} đến ngày {day(period.window[1])}; "
    _paragraph(
        document,
        f"({window}tổng hợp từ {result.submitted}/{result.expected} báo cáo của các cơ quan, đơn vị)",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )

    _paragraph(document, "I. SỐ LIỆU TỔNG HỢP", bold=True)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(
        table.rows[0].cells, ("TT", "Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi"), strict=True
    ):
        cell.paragraphs[0].add_run(title).bold = True
    for number, total in enumerate(result.totals, start=1):
        unit = total.indicator.unit_of_measure
        cells = table.add_row().cells
        cells[0].text = str(number)
        cells[1].text = total.indicator.label
        figure = quantity(total.figure, unit, empty="—")
        if total.indicator.is_rate and total.denominator:
            figure += f" ({quantity(total.numerator)}/{quantity(total.denominator)})"
        cells[2].text = figure
        cells[3].text = quantity(total.previous.figure, unit) if total.previous else "—"
        cells[4].text = signed(total.change, empty="—")

    _paragraph(document, "II. KẾT QUẢ THỰC HIỆN THEO NỘI DUNG", bold=True)
    for index, (section, entries) in enumerate(result.narratives.items(), start=1):
        _paragraph(document, f"{index}. {section.title}", bold=True)
        if not entries:
            _paragraph(document, "Chưa có đơn vị báo cáo nội dung này.", italic=True)
        for unit, text in entries:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{unit}: ").bold = True
            paragraph.add_run(text)

    page.ending(document, head, head.receivers())

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _figure(value) -> float | None:
    return float(value) if value is not None else None


TOTAL_COLUMNS = [
    Column("Mã", lambda t: t.indicator.code, width=10),
    Column("Chỉ tiêu", lambda t: t.indicator.label, width=50),
    Column("Đơn vị tính", lambda t: t.indicator.unit_of_measure, width=12),
    Column("Số báo cáo", "reports", width=10),
    Column("Giá trị", lambda t: _figure(t.value)),
    Column("Tử số", lambda t: _figure(t.numerator)),
    Column("Mẫu số", lambda t: _figure(t.denominator)),
    Column("Tỷ lệ (%)", lambda t: _figure(t.rate)),
    Column("Kỳ trước", lambda t: _figure(t.previous.figure) if t.previous else None),
    Column("Thay đổi", lambda t: _figure(t.change)),
]
# The units' own words: written as text, never as a formula (core.spreadsheets).
NARRATIVE_COLUMNS = [
    Column("Nội dung", 0, width=30),
    Column("Đơn vị", 1, width=30),
    Column("Báo cáo", 2, width=100),
]


def excel_report(result: Consolidation) -> bytes:
    narratives = [
        (section.title, str(unit), text)
        for section, entries in result.narratives.items()
        for unit, text in entries
    ]
    preamble = [[str(result.period)], [f"Báo cáo đã gửi: {result.submitted}/{result.expected}"]]
    return xlsx(
        Sheet("tong-hop", TOTAL_COLUMNS, result.totals, preamble=preamble),
        Sheet("noi-dung", NARRATIVE_COLUMNS, narratives),
    )
