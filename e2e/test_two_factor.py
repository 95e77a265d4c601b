"""Two-factor login in a browser: a new reviewer is made to set up an authenticator right after the
password, sees the QR code and the recovery codes once, and later logs in with a code; the sessions page
ends another browser's session."""

import re

import pytest
from playwright.sync_api import expect

from accounts import totp
from accounts.models import Role, User
from conftest import PASSWORD
from e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_new_reviewer_sets_up_two_factor_login_then_uses_it(new_page, live_server, db):
    User.objects.create_user("thamdinh.moi", password=PASSWORD, role=Role.REVIEWER)
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/results/")
    page.fill("#id_username", "thamdinh.moi")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/setup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thiết lập xác thực hai bước")
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    # Not logged in yet: any other page goes back to the login page.
    other = new_page()
    other.goto(f"{live_server.url}/results/")
    expect(other).to_have_url(re.compile(r"/accounts/login/"))

    secret = totp.from_base32(page.get_by_test_id("secret").inner_text())
    page.fill("#id_code", totp.totp(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    page.wait_for_url(f"{live_server.url}/results/")

    # Another browser logs in with password and code; this one ends that session.
    laptop = new_page()
    laptop.goto(f"{live_server.url}/accounts/login/")
    laptop.fill("#id_username", "thamdinh.moi")
    laptop.fill("#id_password", PASSWORD)
    laptop.locator("main button[type=submit]").click()
    laptop.wait_for_url(f"{live_server.url}/accounts/login/code/")
    laptop.fill("#id_code", totp.hotp(secret, totp.step_at() + 1))  # the next code: once each
    laptop.locator("main button[type=submit]").click()
    laptop.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/accounts/sessions/")
    expect(page.get_by_test_id("current")).to_have_count(1)
    page.get_by_role("button", name="Kết thúc mọi phiên khác").click()
    expect(page.get_by_role("status")).to_contain_text("Đã kết thúc 1 phiên đăng nhập khác.")
    laptop.goto(f"{live_server.url}/cycles/")
    expect(laptop).to_have_url(re.compile(r"/accounts/login/\?next=/cycles/"))
    expect(laptop.get_by_role("status")).to_contain_text("Phiên đăng nhập này đã được kết thúc.")


def test_the_secretariat_logs_in_with_a_code(page, live_server, secretariat):
    login(page, live_server, secretariat.username)
    page.goto(f"{live_server.url}/accounts/")
    expect(page.get_by_test_id("twofactor-state")).to_contain_text("Đang bật")
    page.get_by_role("link", name="Nhật ký đăng nhập và thao tác quản trị").click()
    # The login in words (accounts/audit_words.py); the code stays in the markup only.
    log = page.get_by_test_id("security-log")
    expect(log.locator('[data-action="auth.login"]').first).to_have_text("Đăng nhập")
    expect(log).not_to_contain_text("auth.login")
