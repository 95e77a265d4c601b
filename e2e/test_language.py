"""The interface is Vietnamese by default; the navbar switches it to English and back."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def switch_language(page, code):
    """Pick a language in the navbar and press that form's own button ("Đổi" in Vietnamese)."""
    page.locator("#language").select_option(code)
    page.locator("form:has(#language) button[type=submit]").click()


def test_switch_to_english_and_back(page, live_server):
    login_url = f"{live_server.url}/accounts/login/"
    page.goto(login_url)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#language")).to_have_value("vi")

    expect(page.locator("form:has(#language) button[type=submit]")).to_have_text("Đổi")
    switch_language(page, "en")
    expect(page).to_have_url(login_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#language")).to_have_value("en")

    # The choice sticks across pages (it lives in a cookie).
    page.goto(f"{live_server.url}/accounts/password/reset/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(login_url)

    switch_language(page, "vi")
    expect(page).to_have_url(login_url)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#language")).to_have_value("vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
