"""The five-year review in the browser: the leader opens it from the results list, follows a year's
link, and the secretariat downloads both annexes; the page passes axe and the content security policy."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.accessibility import check
from e2e.conftest import login
from results.history import import_history
from units.models import Unit, UnitKind

pytestmark = pytest.mark.e2e

HEADER = "ma_don_vi,khoi,chi_so,linh_vuc_1,linh_vuc_1_toi_da\n"


@pytest.fixture
def years(secretariat):
    for code in ("S21", "S22", "S02"):
        Unit.objects.create(code=code, name=f"Sở cũ {code}", kind=UnitKind.DEPARTMENT)
    new = Unit.objects.create(code="S01", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT)
    new.predecessors.set(Unit.objects.filter(code__in=["S21", "S22"]))
    rows = "S21,Khối sở,80,8,10\nS22,Khối sở,90,9,10\nS02,Khối sở,70,7,10\n"
    import_history(secretariat, 2024, (HEADER + rows).encode(), "2024.csv")
    rows = "S01,Khối sở,92.5,9,10\nS02,Khối sở,81,8,10\n"
    import_history(secretariat, 2025, (HEADER + rows).encode(), "2025.csv")


def test_leader_reads_the_review_and_the_secretariat_downloads_its_annexes(
    new_page, live_server, years, leader, secretariat, tmp_path
):
    page = new_page(locale="vi-VN")
    login(page, live_server, leader.username)
    page.goto(f"{live_server.url}/results/")
    page.get_by_role("link", name="Đánh giá 5 năm 2021–2025").click()
    expect(page).to_have_url(f"{live_server.url}/results/review/")
    row = page.get_by_test_id("review-unit-S01")
    expect(row.locator("em")).to_have_text("85,00\u00a0%")
    expect(row.locator("td").last).to_have_text("+7,50")
    expect(page.get_by_test_id("charts").locator("img")).to_have_count(3)
    assert not check(page, "danh-gia-5-nam")
    page.get_by_test_id("review-years").get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}/results/2024/")

    thuky = new_page()
    login(thuky, live_server, secretariat.username)
    thuky.goto(f"{live_server.url}/results/review/")
    for testid in ("review-docx", "review-xlsx"):
        with thuky.expect_download() as caught:
            thuky.get_by_test_id(testid).click()
        path = tmp_path / caught.value.suggested_filename
        caught.value.save_as(path)
        assert path.stat().st_size > 0
    book = load_workbook(tmp_path / "phu-luc-danh-gia-cchc-2021-2025.xlsx")
    units = {r[1]: r for r in book["Theo đơn vị"].iter_rows(min_row=3, values_only=True)}
    assert units["S01"][6:9] == (85.0, 92.5, 7.5)
