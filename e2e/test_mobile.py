"""On a phone (390×844) pages do not scroll sideways and the login form is labelled."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from frameworks.models import Framework
from units.models import UnitKind

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}

OVERFLOW = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"

UNLABELLED = """() => Array.from(document.querySelectorAll("form input, form select, form textarea"))
    .filter(el => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
    .filter(el => el.labels === null || el.labels.length === 0)
    .map(el => el.name || el.id || el.outerHTML)"""

CONTROLS = """() => Array.from(document.querySelectorAll("form input, form select, form textarea"))
    .filter(el => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
    .map(el => el.id)"""


def assert_no_horizontal_overflow(page):
    scroll_width, client_width = page.evaluate(OVERFLOW)
    assert scroll_width <= client_width + 1, (
        f"{page.url}: content is {scroll_width}px wide in a {client_width}px viewport"
    )


@pytest.fixture
def phone(new_page):
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def test_login_page_fits_a_phone_and_labels_every_input(phone, live_server):
    phone.goto(f"{live_server.url}/accounts/login/")
    expect(phone.locator("#id_username")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    controls = phone.evaluate(CONTROLS)
    assert {"id_username", "id_password", "language"} <= set(controls)
    assert phone.evaluate(UNLABELLED) == []


def test_read_only_framework_page_fits_a_phone(phone, live_server, draft_cycle, officer_a):
    login(phone, live_server, officer_a.username)
    framework = Framework.objects.get(cycle=draft_cycle, kind=UnitKind.COMMUNE)
    phone.goto(f"{live_server.url}/frameworks/{framework.pk}/")
    expect(phone.get_by_test_id("framework-total")).to_have_text("10,00")
    expect(phone.get_by_text("Đã khoá", exact=True)).to_be_visible()
    assert_no_horizontal_overflow(phone)


def test_editable_framework_page_fits_a_phone(phone, live_server, draft_cycle, secretariat):
    login(phone, live_server, secretariat.username)
    framework = Framework.objects.get(cycle=draft_cycle, kind=UnitKind.COMMUNE)
    phone.goto(f"{live_server.url}/frameworks/{framework.pk}/")
    expect(phone.get_by_test_id("framework-total")).to_have_text("10,00")
    # The editable (widest) version of the page, with its action column.
    expect(phone.get_by_role("link", name="Sửa 1.5", exact=True)).to_have_count(1)
    assert_no_horizontal_overflow(phone)


def test_the_phone_header_keeps_one_row_and_the_menu_holds_the_account(
    phone, live_server, officer_a, tmp_path
):
    import os
    from pathlib import Path

    folder = Path(os.environ.get("PARINDEX_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    login(phone, live_server, officer_a.username)
    tops = phone.evaluate(
        "() => Array.from(document.querySelectorAll('.org-tools > *'))"
        ".filter(el => el.offsetParent !== null).map(el => el.getBoundingClientRect().top)"
    )
    assert len(tops) == 2 and len(set(tops)) == 1  # language and notifications, side by side
    logout = phone.get_by_role("button", name="Đăng xuất")
    expect(logout).to_be_hidden()
    phone.get_by_role("button", name="Danh mục").click()
    expect(logout).to_be_visible()
    expect(phone.locator(".nav-account a")).to_have_attribute("href", "/accounts/")
    phone.screenshot(path=str(folder / "menu-open-390.png"), full_page=False)
    logout.click()
    phone.wait_for_url(f"{live_server.url}/**")
    expect(phone.get_by_role("link", name="Đăng nhập", exact=True)).to_be_visible()
