"""A model.Report as a Word document in the layout of Decree 30/2020/NĐ-CP (Appendix I).

A4; margins top and bottom 2 cm, left 3 cm, right 1.5 cm; Times New Roman; body 14 pt, justified,
first-line indent 1.27 cm, 6 pt between paragraphs; the header as a borderless table (issuing body
top left, national motto top right, number under the body, place and date under the motto) with the
short rules under the issuing body and the motto; the type of document and its subject bold and
centred; page numbers at the top centre from the second page; recipients and signature at the end.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .model import MOTTO, SLOGAN, Chart, Heading, PageBreak, Paragraph, Report, Table

FONT = "Times New Roman"
TEXT_WIDTH_CM = 16.5  # 21 − 3 − 1.5
MAX_PICTURE_HEIGHT_CM = 22.0
# Elements that follow w:pBdr in w:pPr and w:tblBorders in w:tblPr (the schema fixes the order).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TBLBORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def render(report: Report, on_progress: Callable[[int, str], None] | None = None) -> bytes:
    """The .docx bytes; `on_progress(done, total)` is called per block (charts take the time)."""
    document = Document()
    _page(document, report)
    _styles(document, report)
    _header(document, report)
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
    _ending(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Page, styles, page numbers -------------------------------------------------------------------


def _page(document, report: Report) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance = Cm(1)
    # The page number at the top centre, not on the first page.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page one
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(report.body_pt)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    document.core_properties.title = f"{report.kind_title} {report.subject}"
    document.core_properties.author = report.issuer
    document.core_properties.language = "vi-VN"


def _font(style_or_run, size: float, bold: bool | None = None, italic: bool | None = None):
    font = style_or_run.font
    font.name = FONT
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _styles(document, report: Report) -> None:
    normal = document.styles["Normal"]
    _font(normal, report.body_pt)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    layout = normal.paragraph_format
    layout.space_before, layout.space_after = Pt(0), Pt(6)
    layout.line_spacing = 1.15
    # Vietnamese hyphenation and spelling: mark the text as Vietnamese.
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)


def _run(paragraph, text: str, size: float, *, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold, run.italic = bold or None, italic or None
    if underline:
        run.underline = True
    return run


def _centred(container, text: str, size: float, *, bold=False, italic=False, after=0.0):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    layout = paragraph.paragraph_format
    layout.first_line_indent = Cm(0)
    layout.space_before, layout.space_after = Pt(0), Pt(after)
    layout.line_spacing = 1.0
    if text:
        _run(paragraph, text, size, bold=bold, italic=italic)
    return paragraph


def _rule(container, length_cm: float, width_cm: float) -> None:
    """A short centred horizontal line (a paragraph's top border between indents)."""
    paragraph = container.add_paragraph()
    layout = paragraph.paragraph_format
    side = max(0.0, (width_cm - length_cm) / 2)
    layout.left_indent, layout.right_indent = Cm(side), Cm(side)
    layout.first_line_indent = Cm(0)
    layout.space_before, layout.space_after = Pt(0), Pt(0)
    layout.line_spacing = 1.0
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    _run(paragraph, "", 2)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(borders, *_AFTER_TBLBORDERS)


def _widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


# Header: issuing body, motto, number, place and date, title ------------------------------------


def _header(document, report: Report) -> None:
    left_cm, right_cm = 6.5, TEXT_WIDTH_CM - 6.5
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, [left_cm, right_cm])
    (body, motto), (number, place) = table.rows[0].cells, table.rows[1].cells
    for cell in (body, motto, number, place):
        cell._tc.remove(cell.paragraphs[0]._p)
    _centred(body, report.issuer_parent, 13)
    _centred(body, report.issuer, 13, bold=True)
    _rule(body, 2.2, left_cm)
    _centred(motto, MOTTO, 12.5, bold=True)
    _centred(motto, SLOGAN, 13.5, bold=True)
    _rule(motto, 6.2, right_cm)
    _centred(number, report.number_line, 13, after=6)
    _centred(place, report.date_line, 14, italic=True, after=6)

    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    _centred(document, report.kind_title, 14, bold=True)
    _centred(document, report.subject, 14, bold=True)
    _rule(document, 4.0, TEXT_WIDTH_CM)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


# Body -------------------------------------------------------------------------------------------


def _heading(document, block: Heading) -> None:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.first_line_indent = Cm(1.27)
    layout.space_before = Pt(6)
    layout.keep_with_next = True
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _run(paragraph, block.text, 14 if block.level < 3 else 13.5, bold=True, italic=block.level == 3)


def _paragraph(document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.first_line_indent = Cm(1.27)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    size = None
    if block.kind == "note":
        size = 12
    for part in block.runs:
        run = paragraph.add_run(part.text)
        run.bold, run.italic = part.bold or None, (part.italic or block.kind == "note") or None
        if size:
            run.font.size = Pt(size)


def _table(document, block: Table) -> None:
    if block.caption:
        caption = _centred(document, block.caption, 13, bold=True, after=3)
        caption.paragraph_format.keep_with_next = True
        caption.paragraph_format.space_before = Pt(6)
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(block.size_pt)
    header = table.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, block.columns, strict=True):
        paragraph = cell.paragraphs[0]
        _cell_layout(paragraph, WD_ALIGN_PARAGRAPH.CENTER)
        run = paragraph.add_run(column.title)
        run.bold, run.font.size = True, size
        _shade(cell, "E7E6E6")
    aligns = [ALIGN[c.align] for c in block.columns]
    for number, values in enumerate(block.rows):
        row = table.add_row()
        _cant_split(row)
        bold = number in block.bold_rows or None
        for cell, value, align in zip(row.cells, values, aligns, strict=True):
            paragraph = cell.paragraphs[0]
            _cell_layout(paragraph, align)
            run = paragraph.add_run(value)
            run.font.size, run.bold = size, bold
    _widths(table, _fit([c.width_cm for c in block.columns]))
    if block.note:
        note = document.add_paragraph()
        note.paragraph_format.first_line_indent = Cm(0)
        note.paragraph_format.space_before = Pt(3)
        run = note.add_run(block.note)
        run.italic, run.font.size = True, Pt(11)
    else:
        document.add_paragraph().paragraph_format.space_after = Pt(0)


def _fit(widths: list[float]) -> list[float]:
    total = sum(widths)
    if total <= TEXT_WIDTH_CM:
        return widths
    return [w * TEXT_WIDTH_CM / total for w in widths]


def _cell_layout(paragraph, align) -> None:
    layout = paragraph.paragraph_format
    layout.first_line_indent = Cm(0)
    layout.space_before, layout.space_after = Pt(1), Pt(1)
    layout.line_spacing = 1.0
    paragraph.alignment = align


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
    caption = _centred(document, block.caption, 12, italic=True, after=6)
    caption.paragraph_format.space_before = Pt(2)


# Ending: recipients and signature ---------------------------------------------------------------


def _ending(document, report: Report) -> None:
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8.5, TEXT_WIDTH_CM - 8.5])
    receivers, signer = table.rows[0].cells
    first = receivers.paragraphs[0]
    _cell_layout(first, WD_ALIGN_PARAGRAPH.LEFT)
    _run(first, "Nơi nhận:", 12, bold=True, italic=True)
    for line in report.recipients:
        paragraph = receivers.add_paragraph()
        _cell_layout(paragraph, WD_ALIGN_PARAGRAPH.LEFT)
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, f"- {line}", 11)
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _cell_layout(signer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)
    for number, line in enumerate(report.signer_title):
        paragraph = signer.paragraphs[0] if number == 0 else signer.add_paragraph()
        _cell_layout(paragraph, WD_ALIGN_PARAGRAPH.CENTER)
        _run(paragraph, line, 14, bold=True)
    for _ in range(4):
        _cell_layout(signer.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
    if report.signer_name:
        paragraph = signer.add_paragraph()
        _cell_layout(paragraph, WD_ALIGN_PARAGRAPH.CENTER)
        _run(paragraph, report.signer_name, 14, bold=True)
