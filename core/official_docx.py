"""The page of an official document in python-docx (Decree 30/2020/NĐ-CP, Appendix I), shared by
every Word report: A4 and its margins, Times New Roman throughout, the header (issuing body beside the
national motto, number and place-and-date under them), the title, and the recipients and signature.

Times New Roman is named in every run's four font slots (ascii, hAnsi, eastAsia, cs) and in the
document defaults, whose theme fonts would otherwise let Word set Vietnamese letters in Calibri or
Cambria. Column widths and rules are measured on the font (core.fonts), so each header line stays on
one line: "UBND THÀNH PHỐ HÀ NỘI" does not wrap into the motto.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .fonts import text_width_cm
from .letterhead import (
    DATE_PT,
    ISSUER_PT,
    MARGINS_CM,
    MOTTO,
    MOTTO_PT,
    NUMBER_PT,
    PAGE_CM,
    SLOGAN,
    SLOGAN_PT,
    SUPERIOR_PT,
    TEXT_WIDTH_CM,
    Letterhead,
    header_columns_cm,
)  # fmt: skip

FONT = "Times New Roman"
FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
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


def name_font(element) -> None:
    """Times New Roman in the four font slots of a style's, a run's or the defaults' w:rPr."""
    rpr = element if element.tag == qn("w:rPr") else element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font wins over a named one
    for slot in FONT_SLOTS:
        fonts.set(qn(slot), FONT)


def page(document, *, body_pt: float, number_pages: bool = True) -> None:
    """A4 portrait, the margins, Times New Roman at `body_pt`, Vietnamese; page numbers at the top
    centre from page two."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    section.header_distance = Cm(1)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None and defaults.find(qn("w:rPrDefault")) is not None:
        name_font(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    normal = document.styles["Normal"]
    name_font(normal.element)
    normal.font.size = Pt(body_pt)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    layout = normal.paragraph_format
    layout.space_before, layout.space_after = Pt(0), Pt(6)
    layout.line_spacing = 1.15
    lang = OxmlElement("w:lang")  # Vietnamese hyphenation and spelling
    lang.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    document.core_properties.language = "vi-VN"
    if number_pages:
        _page_numbers(section, body_pt)


def _page_numbers(section, size: float) -> None:
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page one
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = run(paragraph, "", size)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        field._r.append(element)


def run(paragraph, text: str, size: float | None = None, *, bold=False, italic=False):
    """A run in Times New Roman (named on the run too: a copied paragraph keeps its typeface)."""
    piece = paragraph.add_run(text)
    name_font(piece._r)
    if size is not None:
        piece.font.size = Pt(size)
    piece.bold, piece.italic = bold or None, italic or None
    return piece


def centred(container, text: str, size: float, *, bold=False, italic=False, after=0.0):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    layout = paragraph.paragraph_format
    layout.first_line_indent = Cm(0)
    layout.space_before, layout.space_after = Pt(0), Pt(after)
    layout.line_spacing = 1.0
    if text:
        run(paragraph, text, size, bold=bold, italic=italic)
    return paragraph


def rule(container, length_cm: float, width_cm: float) -> None:
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
    run(paragraph, "", 2)


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(borders, *_AFTER_TBLBORDERS)


def widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def cell_layout(paragraph, align) -> None:
    layout = paragraph.paragraph_format
    layout.first_line_indent = Cm(0)
    layout.space_before, layout.space_after = Pt(1), Pt(1)
    layout.line_spacing = 1.0
    paragraph.alignment = align


def header(
    document, head: Letterhead, *, number_line: str, date_line: str, kind_title: str, subject: str
) -> None:
    """The two-column header and the title: "BÁO CÁO", the subject, a short rule."""
    left_cm, right_cm = header_columns_cm(head)
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(table)
    widths(table, [left_cm, right_cm])
    (body, motto), (number, place) = table.rows[0].cells, table.rows[1].cells
    for cell in (body, motto, number, place):
        cell._tc.remove(cell.paragraphs[0]._p)
    if head.superior:
        centred(body, head.superior, SUPERIOR_PT)
    centred(body, head.issuer, ISSUER_PT, bold=True)
    # Under the issuer a rule of a third to a half of its line; under the motto, as long as it.
    rule(body, max(1.0, text_width_cm(head.issuer, ISSUER_PT, bold=True) / 2), left_cm)
    centred(motto, MOTTO, MOTTO_PT, bold=True)
    centred(motto, SLOGAN, SLOGAN_PT, bold=True)
    rule(motto, text_width_cm(SLOGAN, SLOGAN_PT, bold=True), right_cm)
    centred(number, number_line, NUMBER_PT, after=6)
    centred(place, date_line, DATE_PT, italic=True, after=6)

    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    centred(document, kind_title, 14, bold=True)
    centred(document, subject, 14, bold=True)
    rule(document, 4.0, TEXT_WIDTH_CM)


def ending(document, head: Letterhead, receivers: list[str]) -> None:
    """ "Nơi nhận:" and its lines at the left, the signer's title, room to sign and name at the right."""
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    widths(table, [8.5, TEXT_WIDTH_CM - 8.5])
    left, signer = table.rows[0].cells
    first = left.paragraphs[0]
    cell_layout(first, WD_ALIGN_PARAGRAPH.LEFT)
    run(first, "Nơi nhận:", 12, bold=True, italic=True)
    for line in receivers:
        paragraph = left.add_paragraph()
        cell_layout(paragraph, WD_ALIGN_PARAGRAPH.LEFT)
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.space_after = Pt(0)
        run(paragraph, f"- {line}", 11)
    cell_layout(signer.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)
    for number, line in enumerate(head.signer_title):
        paragraph = signer.paragraphs[0] if number == 0 else signer.add_paragraph()
        cell_layout(paragraph, WD_ALIGN_PARAGRAPH.CENTER)
        run(paragraph, line, 14, bold=True)
    for _ in range(4):
        cell_layout(signer.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
    if head.signer_name:
        paragraph = signer.add_paragraph()
        cell_layout(paragraph, WD_ALIGN_PARAGRAPH.CENTER)
        run(paragraph, head.signer_name, 14, bold=True)
