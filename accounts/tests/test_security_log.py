"""The secretariat's security log: logins, failures, two-factor changes, ended sessions, admin actions;
filtered by user, date and kind."""

from datetime import timedelta

from django.utils import timezone

from accounts import twofactor
from accounts.audit import record
from accounts.models import AuditEvent, Role
from conftest import PASSWORD


def test_logins_failures_and_resets_are_listed(client, secretariat, officer_a, reviewer):
    client.post("/accounts/login/", {"username": "canbo.a", "password": "sai"})
    client.post("/accounts/login/", {"username": "khong-co-ai", "password": "sai"})
    client.post("/accounts/login/", {"username": "canbo.a", "password": PASSWORD})
    client.post("/accounts/logout/")
    twofactor.reset(secretariat, reviewer, "Mất điện thoại")
    record(secretariat, "cycle.transition", officer_a.unit)  # not a security event
    client.force_login(secretariat)
    page = client.get("/accounts/security-log/").content.decode()
    for words in ("Đăng nhập không thành công", "Đăng xuất", "Đặt lại xác thực hai bước"):
        assert f">{words}</td>" in page
    for action in ("auth.login_failed", "auth.login", "auth.logout", "twofactor.reset"):
        assert f'data-action="{action}">' in page
    assert "khong-co-ai" in page  # a failure for a name that does not exist is logged too
    assert "Mất điện thoại" in page
    assert "cycle.transition" not in page


def test_filter_by_user_date_and_kind(client, secretariat, officer_a, officer_b):
    client.post("/accounts/login/", {"username": "canbo.a", "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "canbo.b", "password": "sai"})
    old = record(secretariat, "auth.login", officer_b, after={"method": "password"})
    AuditEvent.objects.filter(pk=old.pk)  # append-only: move it back in time through the raw table
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET at = %s WHERE id = %s",
            [timezone.now() - timedelta(days=40), old.pk],
        )
    client.force_login(secretariat)

    page = client.get("/accounts/security-log/", {"user": "canbo.a"}).content.decode()
    assert "canbo.a" in page and "Sở Tư pháp" not in page and "canbo.b" not in page

    page = client.get("/accounts/security-log/", {"user": "canbo.b"}).content.decode()
    assert page.count('data-action="auth.') == 2  # the failure, and the old login

    since = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    page = client.get(
        "/accounts/security-log/", {"user": "canbo.b", "date_from": since}
    ).content.decode()
    assert page.count('data-action="auth.') == 1 and "auth.login_failed" in page

    until = (timezone.localdate() - timedelta(days=30)).strftime("%d/%m/%Y")
    page = client.get("/accounts/security-log/", {"date_to": until}).content.decode()
    assert page.count('data-action="auth.') == 1 and 'data-action="auth.login">' in page

    page = client.get(
        "/accounts/security-log/", {"group": "auth.", "user": "canbo.a"}
    ).content.decode()
    assert 'data-action="auth.logout">' in page


def test_role_changes_in_the_admin_are_logged(client, secretariat, officer_a):
    from django.contrib.auth.models import Permission

    secretariat.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client.force_login(secretariat)
    form = client.get(f"/admin/accounts/user/{officer_a.pk}/change/").context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("groups", "user_permissions", "password")
    }
    data.update(
        {
            "role": Role.REVIEWER,
            "unit": "",
            "date_joined_0": officer_a.date_joined.strftime("%d/%m/%Y"),
            "date_joined_1": officer_a.date_joined.strftime("%H:%M:%S"),
            "last_login_0": "",
            "last_login_1": "",
        }
    )
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(f"/admin/accounts/user/{officer_a.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer_a.refresh_from_db()
    assert officer_a.role == Role.REVIEWER
    change = AuditEvent.objects.get(action="user.security_change")
    assert change.actor == secretariat
    assert change.before == {
        "role": "unit_officer",
        "unit_id": officer_a.unit_id or change.before["unit_id"],
    }
    assert change.after == {"role": "reviewer", "unit_id": None}
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(officer_a.pk)).exists()
    page = client.get("/accounts/security-log/", {"group": "user."}).content.decode()
    assert 'data-action="user.security_change">' in page
    assert "Đổi quyền hoặc trạng thái tài khoản" in page  # in words, the code only in the markup


def test_only_the_secretariat_reads_the_log(client, council):
    client.force_login(council)
    assert client.get("/accounts/security-log/").status_code == 403


def test_details_read_as_text():
    from accounts.views_security import describe_change

    assert describe_change(
        {"role": "unit_officer", "unit_id": 3}, {"role": "reviewer", "unit_id": None}
    ) == ("Vai trò: unit_officer → reviewer · Đơn vị: 3 → —")
    assert (
        describe_change(None, {"method": "totp", "was_enrolled": True})
        == "Cách xác thực: totp · was_enrolled: có"
    )
    assert describe_change(None, None) == ""
