"""The password policy: at least 12 characters, not common, not all digits, not like the user's
details; the messages in Vietnamese and the rules shown on the change and reset forms."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import PASSWORD


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ngan-qua-1", "Mật khẩu quá ngắn: cần ít nhất 12 ký tự."),
        ("123456789012", "Mật khẩu này hoàn toàn là số."),
        ("password1234", "Mật khẩu này quá phổ biến."),
        ("canbo.a.example", "Mật khẩu quá giống địa chỉ email của bạn."),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(officer_a, password, message):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password(password, officer_a)
    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_a_good_password_passes(officer_a):
    validate_password("Mua-thu-Ha-Noi-2025", officer_a)


def test_the_change_form_shows_the_rules_and_refuses_a_short_password(client, officer_a):
    client.force_login(officer_a)
    page = client.get("/accounts/password/").content.decode()
    assert "Mật khẩu phải có ít nhất 12 ký tự." in page
    assert "Mật khẩu không được quá giống tên đăng nhập, họ tên hoặc e-mail của bạn." in page
    assert "Mật khẩu của bạn không được hoàn toàn bằng số." in page
    assert "Mật khẩu của bạn không được là mật khẩu được dùng phổ biến." in page
    page = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Ngan-qua-1", "new_password2": "Ngan-qua-1"},
    ).content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 12 ký tự." in page
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def test_the_reset_form_shows_the_rules_and_applies_them(client, officer_a):
    client.post("/accounts/password/reset/", {"email": officer_a.email})
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)
    form_page = client.get(link, follow=True)
    assert "Mật khẩu phải có ít nhất 12 ký tự." in form_page.content.decode()
    url = form_page.redirect_chain[-1][0]
    page = client.post(url, {"new_password1": "123456789012", "new_password2": "123456789012"})
    assert "Mật khẩu này hoàn toàn là số." in page.content.decode()
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)
