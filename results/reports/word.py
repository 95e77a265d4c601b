"""A model.Report as a Word document in the layout of Decree 30/2020/NĐ-CP (Appendix I).

The page, the header, the title and the signature are core/official_docx.py's (shared with the
other rooms' Word reports); this module lays out the body: headings, justified paragraphs with a
first-line indent of 1.27 cm and 6 pt between them, tables with a repeated header row, charts.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from copy import deepcopy

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from core import official_docx as page
from core.official_docx import TEXT_WIDTH_CM

from .model import Chart, Heading, PageBreak, Paragraph, Report, Table

MAX_PICTURE_HEIGHT_CM = 22.0
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def render(report: Report, on_progress: Callable[[int, str], None] | None = None) -> bytes:
    """The .docx bytes; `on_progress(done, total)` is called per block (charts take the time)."""
    document = Document()
    page.page(document, body_pt=report.body_pt)
    document.core_properties.title = f"{report.kind_title} {report.subject}"
    document.core_properties.author = report.letterhead.issuer
    page.header(
        document,
        report.letterhead,
        number_line=report.number_line,
        date_line=report.date_line,
        kind_title=report.kind_title,
        subject=report.subject,
    )
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    total = len(report.blocks)
    for done, block in enumerate(report.blocks, start=1):
        if isinstance(block, Heading):
            _heading(document, block)
        elif isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Chart):
            _chart(document, block)
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if on_progress is not None:
            on_progress(done, total)
    page.ending(document, report.letterhead, report.receivers)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Body -------------------------------------------------------------------------------------------


def _heading(document, block: Heading) -> None:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.first_line_indent = Cm(1.27)
    layout.space_before = Pt(6)
    layout.keep_with_next = True
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    size = 14 if block.level < 3 else 13.5
    page.run(paragraph, block.text, size, bold=True, italic=block.level == 3)


def _paragraph(document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.first_line_indent = Cm(1.27)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    note = block.kind == "note"
    for part in block.runs:
        page.run(
            paragraph, part.text, 12 if note else None, bold=part.bold, italic=part.italic or note
        )


def _table(document, block: Table) -> None:
    if block.caption:
        caption = page.centred(document, block.caption, 13, bold=True, after=3)
        caption.paragraph_format.keep_with_next = True
        caption.paragraph_format.space_before = Pt(6)
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = block.size_pt
    header = table.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, block.columns, strict=True):
        paragraph = cell.paragraphs[0]
        page.cell_layout(paragraph, WD_ALIGN_PARAGRAPH.CENTER)
        page.run(paragraph, column.title, size, bold=True)
        _shade(cell, "E7E6E6")
    # Laying out every cell through python-docx costs about 20 element look-ups and insertions per
    # cell (indent, spacing, alignment, fonts, size, width), so a table of a few hundred rows took
    # most of a document's time. Instead one row of each kind (plain, bold) is laid out that way,
    # with empty text, and each body row is a copy of its XML with the text put in: the same
    # elements, so the document is the same, byte for byte.
    aligns = [ALIGN[c.align] for c in block.columns]
    models = {bold: _model_row(table, aligns, size, bold) for bold in (False, True)}
    page.widths(table, _fit([c.width_cm for c in block.columns]))  # header and models only
    tbl = table._tbl
    for model in models.values():
        tbl.remove(model)
    for number, values in enumerate(block.rows):
        tr = deepcopy(models[number in block.bold_rows])
        for r, value in zip(tr.iter(qn("w:r")), values, strict=True):
            if value:  # as Paragraph.add_run: an empty text adds no w:t
                r.text = value
        tbl.append(tr)
    if block.note:
        note = document.add_paragraph()
        note.paragraph_format.first_line_indent = Cm(0)
        note.paragraph_format.space_before = Pt(3)
        page.run(note, block.note, 11, italic=True)
    else:
        document.add_paragraph().paragraph_format.space_after = Pt(0)


def _model_row(table, aligns, size: float, bold: bool):
    """A body row laid out cell by cell, one run per cell and no text: the w:tr to copy."""
    row = table.add_row()
    _cant_split(row)
    for cell, align in zip(row.cells, aligns, strict=True):
        paragraph = cell.paragraphs[0]
        page.cell_layout(paragraph, align)
        page.run(paragraph, "", size, bold=bold)
    return row._tr


def _fit(widths: list[float]) -> list[float]:
    total = sum(widths)
    if total <= TEXT_WIDTH_CM:
        return widths
    return [w * TEXT_WIDTH_CM / total for w in widths]


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def png_size_cm(png: bytes, dpi: float) -> tuple[float, float]:
    width, height = struct.unpack(">II", png[16:24])
    return width / dpi * 2.54, height / dpi * 2.54


def _chart(document, block: Chart) -> None:
    from results.charts import PNG_DPI

    png = block.draw("png")
    width, height = png_size_cm(png, PNG_DPI)
    scale = min(1.0, block.width_cm / width, MAX_PICTURE_HEIGHT_CM / height)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width * scale))
    caption = page.centred(document, block.caption, 12, italic=True, after=6)
    caption.paragraph_format.space_before = Pt(2)
