"""A unit officer sees their own unit and framework, read-only, and nothing of another unit."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from frameworks.models import Framework
from units.models import UnitKind

pytestmark = pytest.mark.e2e


def expect_not_found(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 404, url
    expect(page).to_have_title(re.compile(r"^Không tìm thấy"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang bạn yêu cầu.")


def test_unit_officer_sees_only_their_own_unit(page, live_server, draft_cycle, officer_a, unit_b):
    login(page, live_server, officer_a.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, canbo.a")
    expect(page.locator("main")).to_contain_text("Phường Hoàn Kiếm")
    expect(page.get_by_role("link", name=re.compile(r"^2025: "))).to_have_count(1)
    frameworks = page.locator("main ul:not(.list-group) a")
    expect(frameworks).to_have_count(1)
    expect(frameworks).to_have_text("2025 — UBND xã, phường")

    frameworks.click()
    expect(page.get_by_test_id("framework-total")).to_have_text("10,00")
    expect(page.get_by_text("Đã khoá", exact=True)).to_be_visible()
    expect(page.get_by_text("Sửa", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Nhập từ Excel")).to_have_count(0)

    department = Framework.objects.get(cycle=draft_cycle, kind=UnitKind.DEPARTMENT)
    expect_not_found(page, f"{live_server.url}/units/{unit_b.pk}/")
    expect_not_found(page, f"{live_server.url}/frameworks/{department.pk}/")
    expect_not_found(page, f"{live_server.url}/frameworks/{department.pk}/export.xlsx")


def test_anonymous_visitor_is_sent_to_the_login_page(page, live_server, draft_cycle):
    page.goto(f"{live_server.url}/cycles/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/cycles/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.get_by_text("Chỉ số CCHC năm 2025")).to_have_count(0)
