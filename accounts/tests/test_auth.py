"""Login, throttling of failed logins, logout, password change and reset, and the audit log's rules."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts.audit import record
from accounts.models import AuditEvent
from conftest import PASSWORD


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_and_logout(client, officer_a):
    response = login(client, "canbo.a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Hoàn Kiếm" in client.get("/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_gets_a_vietnamese_message(client, officer_a):
    page = login(client, "canbo.a", "sai-mat-khau").content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client, officer_a, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "canbo.a", "sai-mat-khau")
    page = login(client, "canbo.a", PASSWORD).content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page
    assert "_auth_user_id" not in client.session


def test_success_clears_earlier_failures(client, officer_a, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    login(client, "canbo.a", "sai-1")
    login(client, "canbo.a", "sai-2")
    assert login(client, "canbo.a", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    login(client, "canbo.a", "sai-3")
    login(client, "canbo.a", "sai-4")
    assert login(client, "canbo.a", PASSWORD).status_code == 302


def test_lockout_counts_one_address_across_usernames(client, officer_a, settings):
    settings.LOGIN_FAILURE_LIMIT = 2  # one address may fail 4 × the limit over many names
    for n in range(8):
        login(client, f"khong-ton-tai-{n}", "x")
    assert "Đăng nhập sai quá nhiều lần" in login(client, "canbo.a", PASSWORD).content.decode()


def test_password_change(client, officer_a):
    client.force_login(officer_a)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2025",
            "new_password2": "Mat-khau-moi-2025",
        },
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password("Mat-khau-moi-2025")


def test_password_change_refuses_a_weak_password(client, officer_a):
    client.force_login(officer_a)
    page = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    ).content.decode()
    assert "Mật khẩu" in page or "mật khẩu" in page
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def test_password_reset_by_email(client, officer_a):
    response = client.post("/accounts/password/reset/", {"email": officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body
    ).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "Dat-lai-2025-xyz", "new_password2": "Dat-lai-2025-xyz"},
    )
    assert done.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password("Dat-lai-2025-xyz")


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_audit_events_cannot_be_changed_or_deleted(secretariat, unit_a):
    event = record(secretariat, "unit.test", unit_a, before={"a": 1}, after={"a": 2})
    event.reason = "sửa"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
