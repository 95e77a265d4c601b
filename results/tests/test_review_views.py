"""The five-year review page and its Word and Excel annexes: who sees them, and the figures they carry."""

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from cycles.organisers import letterhead_of
from results.history import import_history
from results.models import ProvincialValue
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

HEADER = "ma_don_vi,khoi,chi_so,linh_vuc_1,linh_vuc_1_toi_da\n"


@pytest.fixture
def published_years(secretariat):
    """2023 with the departments before the 1/3/2025 mergers, 2025 after: S01 formed from S21 and S22."""
    for code, name in (("S21", "Sở Nội vụ (cũ)"), ("S22", "Sở Lao động - Thương binh và Xã hội")):
        Unit.objects.create(code=code, name=name, kind=UnitKind.DEPARTMENT)
    Unit.objects.create(code="S02", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT)
    new = Unit.objects.create(code="S01", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT)
    new.predecessors.set(Unit.objects.filter(code__in=["S21", "S22"]))
    rows = "S21,Khối sở,80,8,10\nS22,Khối sở,90,9,10\nS02,Khối sở,70,7,10\n"
    import_history(secretariat, 2023, (HEADER + rows).encode(), "2023.csv")
    rows = "S01,Khối sở,92.5,9,10\nS02,Khối sở,81,8,10\n"
    import_history(secretariat, 2025, (HEADER + rows).encode(), "2025.csv")
    ProvincialValue.objects.create(
        series="par_index", year=2023, value=Decimal("88.12"), source="Báo cáo PAR Index 2023"
    )


def test_review_page_shows_trends_through_lineage_in_vietnamese_formats(
    client, leader, published_years
):
    client.force_login(leader)
    page = client.get("/results/review/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="/results/2023/"' in text and 'href="/results/2025/"' in text
    assert "chưa có kết quả công bố" in text  # 2021, 2022, 2024
    # Sở Nội vụ in 2023: the mean of its two predecessors, marked and named.
    assert (
        '<em title="Trung bình của: Sở Nội vụ (cũ), Sở Lao động - Thương binh và Xã hội">85,00'
        in text
    )
    assert "+7,50" in text  # 85,00 → 92,50
    assert "88,12" in text  # the PAR Index beside
    assert text.count('src="data:image/svg+xml;base64,') == 3


def test_council_and_units_do_not_open_the_review(client, council, officer_a):
    for user in (council, officer_a):
        client.force_login(user)
        for url in (
            "/results/review/",
            "/results/review/phu-luc.docx",
            "/results/review/phu-luc.xlsx",
        ):
            assert client.get(url).status_code == 403


def test_word_annex_carries_the_letterhead_and_the_figures(client, secretariat, published_years):
    client.force_login(secretariat)
    response = client.get("/results/review/phu-luc.docx")
    assert response.status_code == 200
    assert "phu-luc-danh-gia-cchc-2021-2025.docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    head = "\n".join(cell.text for cell in document.tables[0]._cells)
    assert letterhead_of(None).issuer.upper() in head.upper()
    assert any(p.text == "PHỤ LỤC" for p in document.paragraphs)
    units = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    rows = {r.cells[1].text: [c.text for c in r.cells[2:]] for r in units.rows[1:]}
    assert units.rows[1].cells[1].text == "Khối sở"  # the group's row above its units
    assert rows["Sở Nội vụ (*)"] == ["–", "–", "85,00", "–", "92,50", "+7,50"]
    assert rows["Sở Tư pháp"] == ["–", "–", "70,00", "–", "81,00", "+11,00"]
    groups = next(t for t in document.tables if t.rows[0].cells[0].text == "Khối")
    assert [c.text for c in groups.rows[2].cells] == [
        "Khối sở",
        "–",
        "–",
        "77,50",
        "–",
        "86,75",
        "+9,25",
    ]


def test_excel_annex_has_the_figures_as_numbers(client, secretariat, published_years):
    client.force_login(secretariat)
    response = client.get("/results/review/phu-luc.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Theo khối", "Theo lĩnh vực", "Chỉ số cấp tỉnh", "Theo đơn vị"]
    units = list(book["Theo đơn vị"].iter_rows(min_row=2, values_only=True))
    header, rows = units[0], {r[1]: r for r in units[1:]}
    assert header[:8] == ("STT", "Mã", "Đơn vị", "2021", "2022", "2023", "2024", "2025")
    assert rows["S01"][3:9] == (None, None, 85.0, None, 92.5, 7.5)
    assert rows["S01"][-1] == "2023: S21, S22"
    domains = list(book["Theo lĩnh vực"].iter_rows(min_row=3, values_only=True))
    assert domains[0][:7] == ("1", "Lĩnh vực 1", None, None, 80.0, None, 85.0)
    provincial = {r[0]: r for r in book["Chỉ số cấp tỉnh"].iter_rows(min_row=3, values_only=True)}
    assert provincial["Chỉ số CCHC cấp tỉnh (PAR Index)"][3] == 88.12
