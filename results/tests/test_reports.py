"""The documents made from a results snapshot, opened and read back: Excel (openpyxl), Word
(python-docx), PDF (pypdf). A hand-built snapshot checks the renderers exactly; one cycle goes from the
database through a Job and the background task to the files."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import load_workbook
from pypdf import PdfReader

from results.reports import BUILDERS, content, narrative, text, word
from results.reports.workbook import _sheet_name

DEPARTMENTS = "Khối Sở, ban, ngành"
COMMUNES = "Khối UBND xã, phường"


def unit(
    code,
    name,
    group,
    index,
    rank,
    *,
    low=None,
    high=None,
    p_next=0.99,
    band="",
    change=None,
    comparison="same",
    previous_rank=None,
    progress="",
    survey_missing=False,
    domains=(100.0, 100.0),
):
    """A unit in the shape of results/snapshot.py: 2 scored domains (6 + 4 points), a bonus part."""
    d1, d2 = domains
    leaves = {
        "1.1": [3.0 * d1 / 100 if d1 is not None else 0.0, 3.0, d1 is not None],
        "1.2": [3.0 * d1 / 100 if d1 is not None else 0.0, 3.0, d1 is not None],
        "2.1": [4.0 * d2 / 100 if d2 is not None else 0.0, 4.0, d2 is not None],
        "3.1": [0.0, 1.0, True],
    }
    previous = None if change is None else round(index - change, 2)
    return {
        "code": code,
        "name": name,
        "kind": "department" if group == DEPARTMENTS else "commune",
        "group": group,
        "index": index,
        "rank": rank,
        "group_size": 0,
        "band": band,
        # A unit with no index has no applicable leaf: nothing scored out of nothing.
        "total": 0.0 if index is None else round(index / 10, 2),
        "maximum": 0.0 if index is None else 10.0,
        "appraisal_points": 0.0 if index is None else round(index * 0.06, 2),
        "appraisal_maximum": 0.0 if index is None else 6.0,
        "survey_points": 0.0 if index is None else round(index * 0.04, 2),
        "survey_maximum": 0.0 if index is None else 4.0,
        "extra_points": 0.0,
        "rank_low": low if low is not None else rank,
        "rank_high": high if high is not None else rank,
        "p_ahead_of_next": p_next,
        "previous_index": previous,
        "previous_rank": previous_rank,
        "change": change,
        "rank_change": None if previous_rank is None or rank is None else previous_rank - rank,
        "p_gain": None,
        "comparison": comparison,
        "compared_with": ["S99"] if comparison == "lineage" else [],
        "progress": progress,
        "survey_missing": survey_missing,
        "domains": [
            {
                "code": "1",
                "title": "Công tác chỉ đạo, điều hành",
                "points": 6.0,
                "max": 6.0,
                "index": d1,
                "extra": False,
            },
            {
                "code": "2",
                "title": "Tác động của CCHC",
                "points": 4.0,
                "max": 4.0,
                "index": d2,
                "extra": False,
            },
            {
                "code": "3",
                "title": "Điểm thưởng, điểm trừ",
                "points": 0.0,
                "max": 1.0,
                "index": None,
                "extra": True,
            },
        ],
        "leaves": leaves,
    }


@pytest.fixture
def snapshot():
    from results.snapshot import _groups

    units = [
        unit("S02", "Sở Tư pháp", DEPARTMENTS, 91.25, 1, high=2, p_next=0.80, band="A",
             change=2.00, previous_rank=2, domains=(95.0, 86.0)),
        unit("S05", "Sở Xây dựng", DEPARTMENTS, 85.12, 2, low=1, high=3, band="B", change=1.30,
             previous_rank=1, domains=(88.0, 81.0)),
        unit("S07", "Sở Nông nghiệp và Môi trường", DEPARTMENTS, 78.99, 3, band="C", change=0.60,
             previous_rank=3, p_next=None, domains=(80.0, 77.0)),
        unit("00070", "Phường Hoàn Kiếm", COMMUNES, 90.00, 1, high=2, p_next=0.50, band="A",
             change=9.50, previous_rank=3, progress="outstanding", domains=(92.0, 87.0)),
        unit("00073", "Phường Cửa Nam", COMMUNES, 90.00, 1, high=2, band="A", change=-1.00,
             previous_rank=1, domains=(90.0, 90.0)),
        unit("00076", "=HYPERLINK(\"x\") Phường Ba Đình", COMMUNES, 80.50, 3, band="B",
             change=3.50, comparison="lineage", domains=(75.0, 88.0)),
        unit("00079", "Phường Ngọc Hà", COMMUNES, 70.00, 4, band="C", comparison="new",
             p_next=None, survey_missing=True, domains=(70.0, 70.0)),
        unit("00082", "Phường Chưa Chấm", COMMUNES, None, None, comparison="new", p_next=None,
             domains=(None, None)),
    ]  # fmt: skip
    units[6]["leaves"]["1.2"][2] = False  # not applicable to Ngọc Hà
    for u in units:
        u["group_size"] = sum(1 for v in units if v["group"] == u["group"])
    return {
        "format": 1,
        "cycle": {"year": 2025, "title": "Chỉ số CCHC năm 2025"},
        "groups": _groups(units),
        "units": units,
    }


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, percent, message):
        self.calls.append((percent, message))


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def table_with(document, first_header: str):
    return [t for t in document.tables if t.rows[0].cells[0].text == first_header]


def rows_of(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


# Formatting and sentences -----------------------------------------------------------------------


def test_numbers_read_the_vietnamese_way():
    assert text.signed(1.3) == "+1,30" and text.signed(-0.5) == "-0,50" and text.signed(0) == "0,00"
    assert text.movement(1.3) == "tăng 1,30 điểm" and text.movement(-2) == "giảm 2,00 điểm"
    assert text.movement(0.001) == "không thay đổi"
    assert text.percent(85.12) == "85,12\u00a0%"
    assert text.group_phrase("Khối Sở, ban, ngành") == "khối Sở, ban, ngành"
    assert text.group_phrase("Cơ quan ngành dọc") == "khối Cơ quan ngành dọc"
    assert text.join(["a", "b", "c"]) == "a, b và c"
    assert text.rank_change_cell({"rank_change": 3}) == "↑3"
    assert text.rank_change_cell({"rank_change": -2}) == "↓2"


def test_headline_is_written_from_the_numbers(snapshot):
    fig = narrative.group_figures(snapshot, DEPARTMENTS)
    assert narrative.headline(fig, 2025) == (
        "Chỉ số trung bình của khối Sở, ban, ngành đạt 85,12\u00a0%, tăng 1,30 điểm so với năm 2024; "
        "đơn vị dẫn đầu là Sở Tư pháp với 91,25\u00a0%; thấp nhất là Sở Nông nghiệp và Môi trường với "
        "78,99\u00a0%, thấp hơn đơn vị dẫn đầu 12,26 điểm."
    )


def test_headline_names_tied_leaders_and_counts_only_comparable_units(snapshot):
    fig = narrative.group_figures(snapshot, COMMUNES)
    line = narrative.headline(fig, 2025)
    # 90 + 90 + 80,5 + 70 over 4 units with an index; changes 9,5 −1 3,5 over 3 comparable units.
    assert line.startswith(
        "Chỉ số trung bình của khối UBND xã, phường đạt 82,62\u00a0%, tăng 4,00 điểm"
    )
    assert "(tính trên 3/5 đơn vị so sánh được)" in line
    assert "Phường Hoàn Kiếm và Phường Cửa Nam cùng dẫn đầu với 90,00\u00a0%" in line


def test_headline_without_a_previous_year(snapshot):
    for u in snapshot["units"]:
        u["change"] = None
    fig = narrative.group_figures(snapshot, DEPARTMENTS)
    assert "chưa có kết quả năm 2024 để so sánh" in narrative.headline(fig, 2025)


def test_uncertainty_and_progress_sentences(snapshot):
    fig = narrative.group_figures(snapshot, COMMUNES)
    # Pairs with a next unit: Hoàn Kiếm (0,50), Cửa Nam (0,99), Ba Đình (0,99).
    assert "Trong 3 cặp đơn vị xếp liền nhau, 2 cặp có chênh lệch" in (
        narrative.uncertainty_sentence(fig)
    )
    assert narrative.progress_sentence(fig) == (
        "Có 1 đơn vị tiến bộ vượt bậc: Phường Hoàn Kiếm (tăng 9,50 điểm, từ hạng 3 lên hạng 1)."
    )
    assert "1 đơn vị chưa có phiếu khảo sát hợp lệ nào (Phường Ngọc Hà)" in (
        narrative.survey_missing_sentence(fig)
    )


def test_leaf_losses_leave_out_bonus_points_and_not_applicable_leaves(snapshot):
    fig = narrative.group_figures(snapshot, COMMUNES)
    losses = narrative.leaf_losses(fig, limit=10)
    codes = [row["code"] for row in losses]
    assert "3.1" not in codes
    by_code = {row["code"]: row for row in losses}
    # 1.2: Hoàn Kiếm loses 0,24, Cửa Nam 0,30, Ba Đình 0,75; Ngọc Hà's leaf is not applicable;
    # Chưa Chấm scores 0 of 3 on an applicable-less leaf (not applicable: domains None).
    assert by_code["1.2"]["units"] == 3
    assert by_code["1.2"]["mean_lost"] == round((0.24 + 0.30 + 0.75) / 3, 2)


# Excel --------------------------------------------------------------------------------------------


def test_workbook_sheets_hold_the_right_units_points_and_ranks(snapshot):
    progress = Recorder()
    filename, data = BUILDERS["xlsx"](snapshot, progress)
    assert filename == "ket-qua-chi-so-cchc-2025.xlsx"
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Tổng hợp",
        DEPARTMENTS,
        COMMUNES,
        "Theo lĩnh vực",
        "Tiêu chí - Khối Sở, ban, ngành",
        "Tiêu chí - Khối UBND xã, phường",
        "Điều tra XHH",
    ]
    sheet = book[DEPARTMENTS]
    assert sheet.freeze_panes == "D4"
    assert sheet["A3"].value == "Hạng" and sheet["F3"].value == "Khoảng hạng 90 %"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_col=8)]
    assert rows == [
        [1, "S02", "Sở Tư pháp", 91.25, "A", "1 (1–2)", 1, 2],
        [2, "S05", "Sở Xây dựng", 85.12, "B", "2 (1–3)", 1, 3],
        [3, "S07", "Sở Nông nghiệp và Môi trường", 78.99, "C", "3 (3–3)", 3, 3],
    ]
    assert sheet["D4"].number_format == "0.00"
    assert sheet["P4"].value == 2.0 and sheet["Q4"].value == 2 and sheet["R4"].value == 1

    communes = book[COMMUNES]
    by_code = {r[1].value: r for r in communes.iter_rows(min_row=4)}
    assert by_code["00070"][0].value == 1 and by_code["00073"][0].value == 1  # a tie
    assert by_code["00076"][0].value == 3
    assert by_code["00076"][18].value == "so với các đơn vị trước sáp nhập"
    assert by_code["00079"][18].value.startswith("đơn vị mới")
    assert by_code["00079"][21].value == "Có"  # no survey responses
    assert by_code["00082"][0].value is None and by_code["00082"][3].value is None
    # A name a spreadsheet would run as a formula stays text.
    assert by_code["00076"][2].data_type == "s"
    assert by_code["00076"][2].value.startswith("=HYPERLINK")

    summary = book["Tổng hợp"]
    values = {r[0].value: r for r in summary.iter_rows() if r[0].value}
    assert values[DEPARTMENTS][1].value == 3 and values[DEPARTMENTS][2].value == 85.12
    assert values[DEPARTMENTS][4].value == 1.3
    assert values["Số cơ quan, đơn vị"][1].value == 8

    domains = book["Theo lĩnh vực"]
    header = [c.value for c in domains[3]]
    assert header[5:] == [
        "1. Công tác chỉ đạo, điều hành (%)",
        "2. Tác động của CCHC (%)",
        "3. Điểm thưởng, điểm trừ (điểm)",
    ]
    first = [c.value for c in domains[4]]
    assert first[:7] == [DEPARTMENTS, 1, "S02", "Sở Tư pháp", 91.25, 95.0, 86.0]

    leaves = book["Tiêu chí - Khối UBND xã, phường"]
    assert [c.value for c in leaves[3]][:8] == [
        "Hạng", "Mã", "Đơn vị", "Chỉ số (%)", "1.1", "1.2", "2.1", "3.1"
    ]  # fmt: skip
    assert [c.value for c in leaves[4]][4:8] == [3.0, 3.0, 4.0, 1.0]  # maxima
    ngoc_ha = next(r for r in leaves.iter_rows(min_row=5) if r[1].value == "00079")
    assert ngoc_ha[4].value == 2.1 and ngoc_ha[5].value == "KAD"

    survey = book["Điều tra XHH"]
    hoan_kiem = next(r for r in survey.iter_rows(min_row=4) if r[2].value == "00070")
    assert hoan_kiem[7].value == 90.0 and hoan_kiem[10].value == 90.0

    percents = [p for p, _ in progress.calls]
    assert percents == sorted(percents) and percents[-1] <= 100
    assert all(message for _, message in progress.calls)


def test_sheet_names_are_legal_and_unique():
    taken: set[str] = set()
    first = _sheet_name("Khối: đơn vị [sự nghiệp] công lập/ngành dọc Trung ương", taken)
    second = _sheet_name("Khối: đơn vị [sự nghiệp] công lập/ngành dọc Trung ương", taken)
    for name in (first, second):
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert first != second


# Word: the analysis report -----------------------------------------------------------------------


def test_analysis_report_follows_the_administrative_layout(snapshot):
    progress = Recorder()
    filename, data = BUILDERS["docx"](snapshot, progress)
    assert filename == "bao-cao-phan-tich-chi-so-cchc-2025.docx"
    document = Document(io.BytesIO(data))

    section = document.sections[0]

    def cm(*lengths):
        return tuple(round(length.cm, 2) for length in lengths)

    # A4; margins within the decree's ranges (top, bottom 2–2,5 cm; left 3–3,5; right 1,5–2).
    assert cm(section.page_width, section.page_height) == (21.0, 29.7)
    assert cm(section.top_margin, section.bottom_margin) == (2.0, 2.0)
    assert cm(section.left_margin, section.right_margin) == (3.0, 1.5)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(14)
    # Page numbers at the top, not on the first page.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert not section.first_page_header.is_linked_to_previous
    assert "PAGE" not in section.first_page_header._element.xml

    head = document.tables[0]
    (body, motto), (number, place) = [[c.text for c in row.cells] for row in head.rows]
    assert body == "UBND THÀNH PHỐ HÀ NỘI\nSỞ NỘI VỤ\n"
    assert motto == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    assert number.startswith("Số:") and number.endswith("/BC-SNV")
    assert place == f"Hà Nội, ngày      tháng      năm {timezone.localdate().year}"
    assert 'w:val="nil"' in head._tbl.xml  # no borders around the header

    paragraphs = document.paragraphs
    place_of_title = next(i for i, p in enumerate(paragraphs) if p.text == "BÁO CÁO")
    title, subject = paragraphs[place_of_title], paragraphs[place_of_title + 1]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    assert subject.text == "Phân tích kết quả Chỉ số cải cách hành chính năm 2025"
    assert subject.runs[0].bold

    headings = [
        p.text
        for p in document.paragraphs
        if p.text[:3] in ("I. ", "II.", "III", "IV.", "V. ", "VI.")
    ]
    assert headings == [
        "I. TỔNG QUAN KẾT QUẢ",
        "II. PHƯƠNG PHÁP TÍNH",
        "III. KẾT QUẢ THEO KHỐI",
        "IV. PHÂN TÍCH THEO LĨNH VỰC",
        "V. TIẾN BỘ VÀ ĐỀ XUẤT KHEN THƯỞNG",
        "VI. NHẬN XÉT VÀ KIẾN NGHỊ",
    ]
    body_text = docx_text(document)
    assert (
        "Chỉ số trung bình của khối Sở, ban, ngành đạt 85,12\u00a0%, tăng 1,30 điểm so với năm 2024"
        in body_text
    )
    assert "“12 (9–16)”" in body_text  # the method explains the rank interval

    rankings = table_with(document, "Hạng (khoảng 90\u00a0%)")
    assert len(rankings) == 2
    assert rows_of(rankings[0]) == [
        ["1 (1–2)", "Sở Tư pháp", "91,25", "A", "+2,00", "2", "↑1"],
        ["2 (1–3)", "Sở Xây dựng", "85,12", "B", "+1,30", "1", "↓1"],
        ["3", "Sở Nông nghiệp và Môi trường", "78,99", "C", "+0,60", "3", "="],
    ]
    communes = rows_of(rankings[1])
    assert [r[0] for r in communes] == ["1 (1–2)", "1 (1–2)", "3", "4", "–"]
    assert communes[2][4] == "+3,50*" and communes[3][4] == "Đơn vị mới"
    assert communes[4][1] == "Phường Chưa Chấm" and communes[4][2] == "–"

    awards = table_with(document, "TT")
    assert awards, "the awards proposal is a table"
    proposed = [(r[1], r[3]) for r in rows_of(awards[-1])]
    assert ("Sở Tư pháp", "Dẫn đầu khối") in proposed
    assert ("Phường Hoàn Kiếm", "Tiến bộ vượt bậc") in proposed
    assert ("Phường Ngọc Hà", "Dẫn đầu khối") not in proposed  # rank 4 of 3 awarded

    # Charts are pictures in the document, drawn from the same numbers.
    assert len(document.inline_shapes) >= 4
    ending = document.tables[-1].rows[0].cells
    assert ending[0].text.startswith("Nơi nhận:") and "Lưu: VT, CCHC." in ending[0].text
    assert "GIÁM ĐỐC" in ending[1].text

    percents = [p for p, _ in progress.calls]
    assert percents == sorted(percents) and percents[0] < 20 and percents[-1] >= 95


def test_the_short_report_holds_every_ranked_unit_and_no_charts(snapshot):
    filename, data = BUILDERS["short"](snapshot, Recorder())
    assert filename == "bao-cao-rut-gon-chi-so-cchc-2025.docx"
    document = Document(io.BytesIO(data))
    assert "Tóm tắt kết quả Chỉ số cải cách hành chính năm 2025" in docx_text(document)
    tables = table_with(document, "Hạng")
    names = [r[1] for t in tables for r in rows_of(t)]
    assert sorted(names) == sorted(u["name"] for u in snapshot["units"])
    assert rows_of(tables[0])[0] == ["1", "Sở Tư pháp", "91,25", "A", "+2,00"]
    assert len(document.inline_shapes) == 0
    assert "Sở Tư pháp (91,25\u00a0%)" in docx_text(
        document
    )  # leading units named with their index


def test_the_report_model_is_shared_by_word_and_pdf(snapshot):
    report = content.analysis_report(snapshot, date(2026, 2, 20))
    assert report.date_line == "Hà Nội, ngày      tháng      năm 2026"
    from results.reports import pdf

    page = pdf.html(report)
    for block in report.blocks:
        if hasattr(block, "text") and isinstance(block.text, str) and block.text:
            assert block.text.replace('"', "&quot;")[:40] in page.replace("&#x27;", "'")


def test_word_renderer_scales_pictures_to_the_text_width(snapshot):
    report = content.analysis_report(snapshot, date(2026, 2, 20))
    document = Document(io.BytesIO(word.render(report)))
    for shape in document.inline_shapes:
        assert shape.width <= Cm(word.TEXT_WIDTH_CM)
        assert shape.height <= Cm(word.MAX_PICTURE_HEIGHT_CM) + 1


# PDF ----------------------------------------------------------------------------------------------


def test_pdf_report_is_a4_and_holds_the_ranking(snapshot):
    progress = Recorder()
    filename, data = BUILDERS["pdf"](snapshot, progress)
    assert filename == "bao-cao-phan-tich-chi-so-cchc-2025.pdf"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    whole = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages))
    flat = " ".join(whole.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "Sở Tư pháp",
        "Phường Hoàn Kiếm",
        "1 (1–2)",
        "91,25",
        "Chỉ số trung bình của khối Sở, ban, ngành đạt 85,12 %, tăng 1,30 điểm so với năm 2024",  # the PDF text is read back with its spaces collapsed
        "Nơi nhận:",
    ):
        assert expected in flat, expected
    fonts = {
        str(reference.get_object().get("/BaseFont"))
        for page in reader.pages
        for reference in (page["/Resources"].get("/Font") or {}).values()
    }
    # One serif typeface for the whole text: no Vietnamese letter taken from a fallback font.
    families = {
        name.split("+")[-1].replace("-Bold", "").replace("-Italic", "").replace("Oblique", "")
        for name in fonts
    }
    assert len(families) == 1 and ("Serif" in families.pop() or "Times" in str(fonts)), fonts
    assert [p for p, _ in progress.calls] == sorted(p for p, _ in progress.calls)


# From the database through the background job ----------------------------------------------------


@pytest.mark.django_db
def test_report_job_from_the_database_has_the_computed_units_and_ranks(
    cycle_factory, secretariat, django_capture_on_commit_callbacks
):
    from results import services
    from results.compute import recompute
    from results.models import JobKind, JobState, UnitResult

    from .conftest import FULL, make_units, set_points

    units = make_units(4)
    cycle = cycle_factory(units)
    set_points(cycle, units[0], FULL)  # 10/10
    set_points(cycle, units[1], dict(FULL, **{"1.5": "0"}))  # 9/10
    set_points(cycle, units[2], dict(FULL, **{"2.1": "0"}))  # 9/10: a tie
    set_points(cycle, units[3], dict(FULL, **{"1.5": "0", "2.1": "0"}))  # 8/10
    recompute(cycle)
    results = {
        r.unit.code: r for r in UnitResult.objects.filter(cycle=cycle).select_related("unit")
    }
    assert [results[u.code].rank for u in units] == [1, 2, 2, 4]

    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_job(secretariat, cycle, JobKind.REPORT)
        sheet_job = services.request_job(secretariat, cycle, JobKind.WORKBOOK)
    job.refresh_from_db()
    sheet_job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress == 100, job.message
    assert job.file.name.endswith(".docx")
    with job.file.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    (ranking,) = table_with(document, "Hạng (khoảng 90\u00a0%)")
    rows = rows_of(ranking)
    assert [r[1] for r in rows] == [u.display_name for u in units]
    assert [r[0].split(" ")[0] for r in rows] == ["1", "2", "2", "4"]
    assert [r[2] for r in rows] == ["100,00", "90,00", "90,00", "80,00"]
    assert "Khối xã, phường" in docx_text(document)

    assert sheet_job.state == JobState.DONE, sheet_job.message
    with sheet_job.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    group = book["Khối xã, phường"]
    values = [(r[0].value, r[1].value, r[3].value) for r in group.iter_rows(min_row=4)]
    assert values == [(results[u.code].rank, u.code, float(results[u.code].index)) for u in units]


@pytest.mark.parametrize("kind", ["xlsx", "docx", "short"])
def test_thin_snapshots_still_make_documents(kind):
    from results.snapshot import _groups

    lonely = unit("S02", "Sở Tư pháp", DEPARTMENTS, 91.25, 1, comparison="new", p_next=None)
    unscored = unit(
        "00082", "Phường Chưa Chấm", COMMUNES, None, None, comparison="new", p_next=None,
        domains=(None, None),
    )  # fmt: skip
    for units in ([], [unscored], [lonely]):
        snapshot = {"format": 1, "cycle": {"year": 2025, "title": ""}, "groups": _groups(units),
                    "units": units}  # fmt: skip
        _name, data = BUILDERS[kind](snapshot, Recorder())
        if kind == "xlsx":
            book = load_workbook(io.BytesIO(data))
            assert book["Tổng hợp"]["B4"].value == len(units)
            continue
        body = docx_text(Document(io.BytesIO(data)))
        if units == [lonely]:
            assert "chưa có kết quả năm 2024 để so sánh" in body
            assert "Sở Tư pháp" in body
        if units == [unscored]:  # listed in the ranking table, without a rank
            tables = table_with(
                Document(io.BytesIO(data)), "Hạng (khoảng 90\u00a0%)"
            ) or table_with(Document(io.BytesIO(data)), "Hạng")
            assert rows_of(tables[0])[0][:3] == ["–", "Phường Chưa Chấm", "–"]
