"""The analysis report looks official (Decree 30/2020/NĐ-CP): the issuing body beside the national
motto, each on its own lines, in Times New Roman or its metric twin, the issuer from settings.

The PDF's first page is also drawn as a picture (pdftoppm) and looked at as a picture: the two
blocks of the header are inked side by side with white between them. The picture is kept in
var/screenshots/ for people to look at.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from docx import Document
from pypdf import PdfReader

from core.letterhead import MOTTO, SLOGAN, Letterhead
from core.tests.official import assert_times_new_roman, ending_texts, header_texts
from results.reports import content, pdf, word
from results.reports.model import Heading, Paragraph, Report

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
SUPERIOR = "UBND THÀNH PHỐ HÀ NỘI"


def report(**letterhead) -> Report:
    head = Letterhead.from_settings()
    if letterhead:
        head = Letterhead(**{**head.__dict__, **letterhead})
    made = Report(
        kind_title="BÁO CÁO",
        subject="Phân tích kết quả Chỉ số cải cách hành chính năm 2025",
        issued=date(2026, 2, 20),
        letterhead=head,
    )
    made.add(
        Paragraph.of(
            "Căn cứ kết quả thẩm định và kết quả điều tra xã hội học, Sở Nội vụ báo cáo phân tích "
            "kết quả Chỉ số CCHC năm 2025 của các cơ quan, đơn vị trên địa bàn Thành phố như sau:"
        ),
        Heading(1, "I. TỔNG QUAN KẾT QUẢ"),
    )
    return made


def pdf_lines(data: bytes, page: int = 0) -> dict[str, tuple[float, float]]:
    """Each line of text on the page → (x, y) of its start in points from the top left."""
    sheet = PdfReader(io.BytesIO(data)).pages[page]
    height = float(sheet.mediabox.height)
    lines: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, _font, _size):
        text = unicodedata.normalize("NFC", text).strip()
        if text:
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            lines.setdefault(text, (x, height - y))

    sheet.extract_text(visitor_text=visit)
    return lines


def pdf_fonts(data: bytes) -> set[str]:
    return {
        str(reference.get_object().get("/BaseFont"))
        for page in PdfReader(io.BytesIO(data)).pages
        for reference in (page["/Resources"].get("/Font") or {}).values()
    }


def test_pdf_header_sets_the_issuing_body_beside_the_motto_each_on_its_lines():
    lines = pdf_lines(pdf.render(report()))
    # Each line whole: "UBND THÀNH PHỐ HÀ NỘI" did not wrap into the motto's column.
    for line in (SUPERIOR, "SỞ NỘI VỤ", MOTTO, SLOGAN):
        assert line in lines, (line, sorted(lines))
    superior, issuer = lines[SUPERIOR], lines["SỞ NỘI VỤ"]
    motto, slogan = lines[MOTTO], lines[SLOGAN]
    number = next(v for k, v in lines.items() if k.startswith("Số:") and k.endswith("/BC-SNV"))
    place = next(v for k, v in lines.items() if k.startswith("Hà Nội, ngày"))
    # Side by side: the first lines of both blocks on one band, the motto to the right.
    assert abs(superior[1] - motto[1]) < 3
    assert abs(issuer[1] - slogan[1]) < 3
    assert motto[0] > superior[0] + 150  # 150 pt: the width of "UBND THÀNH PHỐ HÀ NỘI" at 13 pt
    # Then the number under the issuing body, the place and date under the motto, on one band.
    assert issuer[1] < number[1] and slogan[1] < place[1] and abs(number[1] - place[1]) < 3
    assert number[0] < motto[0] <= place[0] + 40
    # The left margin is 3 cm, the right 1.5 cm: the motto ends inside the text area.
    assert superior[0] >= 3 / 2.54 * 72 - 1


def test_pdf_is_set_in_times_or_liberation_serif_not_dejavu():
    data = pdf.render(report())
    fonts = pdf_fonts(data)
    families = {name.split("+")[-1] for name in fonts}
    assert families and all("Liberation-Serif" in f or "Times" in f for f in families), fonts
    assert not any("DejaVu" in f for f in fonts)


DPI = 100
CM = DPI / 2.54  # pixels in a centimetre of the picture


def first_page_picture(data: bytes):
    """The first page drawn by poppler's pdftoppm, as a greyscale Pillow image."""
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm (Debian's poppler-utils) is missing: .ci/run installs it")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    drawn = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        ["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", "-"],  # noqa: S607
        input=data, capture_output=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "report-first-page.png").write_bytes(drawn)
    return Image.open(io.BytesIO(drawn)).convert("L")


def ink_bands(pixels, x0: int, x1: int, height: int) -> list[tuple[int, int, int, int, bool]]:
    """The bands of ink between columns x0 and x1, top down: (first row, rows, left, right, solid),
    where a solid band is a drawn rule: at most 2 pixels high and inked without a break. The dots
    under "Ộ", "Ụ" make a thin band of their own under their line."""
    rows = [y for y in range(height) if any(pixels[x, y] < 128 for x in range(x0, x1))]
    groups: list[list[int]] = []
    for y in rows:
        if groups and y == groups[-1][-1] + 1:
            groups[-1].append(y)
        else:
            groups.append([y])
    bands = []
    for group in groups:
        xs = [x for x in range(x0, x1) if any(pixels[x, y] < 128 for y in group)]
        solid = len(group) <= 2 and len(xs) == xs[-1] - xs[0] + 1 and len(xs) > 0.5 * CM
        bands.append((group[0], len(group), xs[0], xs[-1], solid))
    return bands


def test_first_page_drawn_shows_two_header_blocks_side_by_side_with_their_rules():
    picture = first_page_picture(pdf.render(report()))
    width, height = picture.size
    pixels = picture.load()
    top = int(6 * CM)  # the header and the title sit in the first 6 cm of the page
    first_row = ink_bands(pixels, 0, width, top)[0][0]
    line = range(first_row, first_row + int(0.5 * CM))
    columns = [x for x in range(width) if any(pixels[x, y] < 128 for y in line)]
    # Two blocks on the first line, apart: a white gap of at least 0.4 cm between them.
    gap, at = max((b - a, a) for a, b in zip(columns, columns[1:], strict=False))
    assert gap >= 0.4 * CM, gap
    left, right = (columns[0], at), (at + gap, columns[-1])
    # The left block starts after the 3 cm margin; the right one ends before the 1.5 cm margin;
    # the issuing body's block is the narrower (5.9 cm against the motto's 8.9 cm).
    assert left[0] >= 3 * CM - 2 and right[1] <= width - 1.5 * CM + 2
    assert left[1] - left[0] < right[1] - right[0]

    divider = at + gap // 2
    for x0, x1, shortest, longest in ((0, divider, 1 / 3, 1 / 2), (divider, width, 1, 1)):
        bands = ink_bands(pixels, x0, x1, top)
        rule = next(i for i, band in enumerate(bands) if band[4])
        _, _, rule_left, rule_right, _ = bands[rule]
        # The line of text right above the rule (the issuer, the slogan), not its dots below.
        _, _, text_left, text_right, _ = next(b for b in bands[rule - 1 :: -1] if b[1] > 0.2 * CM)
        length, text = rule_right - rule_left + 1, text_right - text_left + 1
        # Decree 30: a third to a half of the issuer's line; the slogan's rule as long as it.
        assert shortest * text - 3 <= length <= longest * text + 3, (x0, length, text)
        centre, text_centre = (rule_left + rule_right) / 2, (text_left + text_right) / 2
        assert abs(centre - text_centre) <= 3


def test_word_header_is_a_two_column_table_in_times_new_roman_everywhere():
    document = Document(io.BytesIO(word.render(report())))
    body, nation, number, place = header_texts(document)
    assert body == [SUPERIOR, "SỞ NỘI VỤ", ""] and nation == [MOTTO, SLOGAN, ""]
    assert number.startswith("Số:") and number.endswith("/BC-SNV")
    assert place == "Hà Nội, ngày      tháng      năm 2026"
    first = document.tables[0].rows[0].cells
    superior, issuer = first[0].paragraphs[0].runs[0], first[0].paragraphs[1].runs[0]
    motto = first[1].paragraphs[0].runs[0]
    assert not superior.bold and issuer.bold and motto.bold
    # The issuing body's column is wide enough for "UBND THÀNH PHỐ HÀ NỘI" at 13 pt (5.9 cm) and
    # the motto's for the motto at 12.5 pt (8.9 cm), with Word's cell margins: neither wraps.
    left, right = (cell.width.cm for cell in first)
    assert left >= 5.9 + 0.4 and right >= 8.9 + 0.4 and abs(left + right - 16.5) < 0.01
    assert superior.font.size.pt == 13 and motto.font.size.pt == 12.5
    # The rules: a paragraph border under the issuer and under the slogan.
    for cell in first:
        assert [p._p.xml.count("<w:pBdr>") for p in cell.paragraphs] == [0, 0, 1]
    assert_times_new_roman(document)


@override_settings(
    ORGANISATION_SUPERIOR="ỦY BAN NHÂN DÂN TỈNH NINH BÌNH",
    ORGANISATION_NAME="SỞ NỘI VỤ TỈNH NINH BÌNH",
    ORGANISATION_ABBREVIATION="SNV-NB",
    ORGANISATION_PLACE="Ninh Bình",
    REPORT_SIGNER_TITLE="KT. GIÁM ĐỐC; PHÓ GIÁM ĐỐC",
    REPORT_SIGNER_NAME="Nguyễn Văn An",
    REPORT_RECIPIENTS="UBND Tỉnh (để báo cáo); Các sở, ngành",
    REPORT_FILING="Lưu: VT, TCBC.",
)
def test_the_issuer_signer_and_recipients_come_from_settings():
    made = report()
    data = word.render(made)
    document = Document(io.BytesIO(data))
    body, _nation, number, place = header_texts(document)
    assert body[:2] == ["ỦY BAN NHÂN DÂN TỈNH NINH BÌNH", "SỞ NỘI VỤ TỈNH NINH BÌNH"]
    assert number.endswith("/BC-SNV-NB") and place.startswith("Ninh Bình, ngày")
    receivers, signer = ending_texts(document)
    assert receivers == [
        "Nơi nhận:",
        "- UBND Tỉnh (để báo cáo);",
        "- Các sở, ngành;",
        "- Lưu: VT, TCBC.",
    ]
    assert signer == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    lines = pdf_lines(pdf.render(made))
    assert {"SỞ NỘI VỤ TỈNH NINH BÌNH", "KT. GIÁM ĐỐC", "Nguyễn Văn An"} <= set(lines)
    assert "SỞ NỘI VỤ" not in lines and "Hà Nội" not in " ".join(lines)


def test_the_short_version_keeps_its_own_recipients_and_the_filing_line(settings):
    settings.REPORT_FILING = "Lưu: VT, CCHC"
    snapshot = {"format": 1, "cycle": {"year": 2025, "title": ""}, "groups": [], "units": []}
    short = content.short_report(snapshot, date(2026, 2, 20))
    assert short.receivers == [
        "UBND Thành phố (để báo cáo);",
        "Đại biểu dự Hội nghị;",
        "Lưu: VT, CCHC.",
    ]
