"""The main pages of each role pass axe-core with no serious or critical finding, at a laptop's and a
phone's width, and leave their screenshots in var/screenshots/ (e2e/accessibility.py).

A small world: 2024 published (five units, results/tests/published.py), 2025 open for self-assessment
with the reviewer assigned to Unit A, and the SIPAS wave of 2025 open now (e2e/conftest.py).
"""

import pytest
from playwright.sync_api import expect

from e2e.accessibility import SCREENSHOTS, check
from e2e.conftest import login
from results.tests.published import extra_units, published_cycle_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(secretariat, open_cycle, sipas_wave, unit_a, unit_b, officer_a, reviewer):
    published_cycle_of(secretariat, [unit_a, unit_b, *extra_units()], year=2024)
    return sipas_wave


def visit(page, url: str, name: str, problems: list) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{name}: {url} answered {response.status}"
    problems += check(page, name)


def test_main_pages_of_every_role_pass_axe(
    live_server, new_page, world, secretariat, officer_a, reviewer, unit_a
):
    base, problems = live_server.url, []

    visitor = new_page(locale="vi-VN")
    visit(visitor, f"{base}/accounts/login/", "dang-nhap", problems)
    visit(visitor, f"{base}/cong-khai/", "cong-khai", problems)
    visitor.get_by_role("link", name="Chỉ số CCHC năm 2024").click()
    visitor.get_by_role("link", name="Khối xã, phường").first.click()
    expect(visitor.get_by_test_id("ranking")).to_be_visible()
    problems += check(visitor, "cong-khai-xep-hang")
    visit(visitor, f"{base}/cong-khai/2024/don-vi/{unit_a.code}/", "cong-khai-don-vi", problems)
    # The citizen finds the open survey from the public home and opens the form of a unit.
    visitor.goto(f"{base}/cong-khai/")
    visitor.get_by_test_id("open-survey").locator("summary").click()
    visitor.get_by_role("link", name=unit_a.display_name).click()
    expect(visitor).to_have_url(f"{base}/khao-sat/{world.pk}/{unit_a.code}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Ý kiến của người dân về dịch vụ hành chính công"
    )
    problems += check(visitor, "khao-sat")
    visit(visitor, f"{base}/khao-sat/cam-on/?don-vi={unit_a.code}", "khao-sat-cam-on", problems)

    staff = new_page(locale="vi-VN")
    login(staff, live_server, secretariat.username)
    visit(staff, f"{base}/assessments/2025/board/", "thu-ky-bang-tong-hop", problems)
    visit(staff, f"{base}/cycles/2025/", "thu-ky-ky-danh-gia", problems)
    visit(staff, f"{base}/results/2024/", "thu-ky-ket-qua", problems)

    officer = new_page(locale="vi-VN")
    login(officer, live_server, officer_a.username)
    visit(officer, f"{base}/assessments/2025/{unit_a.code}/", "don-vi-tu-danh-gia", problems)

    appraiser = new_page(locale="vi-VN")
    login(appraiser, live_server, reviewer.username)
    visit(appraiser, f"{base}/assessments/review/", "tham-dinh-danh-sach", problems)

    assert not problems, "axe found:\n" + "\n".join(problems)
    assert (SCREENSHOTS / "khao-sat-390.png").stat().st_size > 0
