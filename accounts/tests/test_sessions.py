"""Session expiry (absolute and idle), the list of a user's sessions, and ending them."""

import time

import pytest
from django.test import Client

from accounts import sessions
from accounts.middleware import AUTH_AT, SEEN_AT
from accounts.models import AuditEvent, UserSession
from accounts.tests.helpers import session_of
from conftest import PASSWORD


def shift(client, key: str, seconds: float) -> None:
    """Pretend the session's clock mark `key` was set `seconds` earlier."""
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def row_of(client) -> UserSession:
    return UserSession.objects.get(key_hash=sessions.key_hash(client.session.session_key))


def test_idle_session_is_logged_out_with_a_message(client, officer_a, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client.force_login(officer_a)
    assert client.get("/").status_code == 200
    shift(client, SEEN_AT, 29 * 60)
    assert client.get("/").status_code == 200  # 29 minutes idle: still in
    row = row_of(client)
    shift(client, SEEN_AT, 31 * 60)
    response = client.get("/cycles/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/cycles/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Bạn đã không thao tác trong 30 phút nên đã được đăng xuất" in page
    row.refresh_from_db()
    assert row.ended_at is not None and row.end_reason == "idle"


def test_activity_keeps_a_session_alive(client, officer_a, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client.force_login(officer_a)
    for _ in range(3):
        shift(client, SEEN_AT, 20 * 60)  # a request every 20 minutes, for an hour
        assert client.get("/").status_code == 200


def test_a_session_ends_after_its_absolute_age_even_when_active(client, officer_a, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client.force_login(officer_a)
    shift(client, AUTH_AT, 8 * 3600 - 60)
    assert client.get("/").status_code == 200
    shift(client, AUTH_AT, 120)
    response = client.get("/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert "Phiên đăng nhập đã hết thời hạn" in client.get(response["Location"]).content.decode()


def test_activity_is_written_at_most_once_a_minute(client, officer_a):
    client.force_login(officer_a)
    client.get("/")
    row = row_of(client)
    first = row.last_seen_at
    client.get("/")
    row.refresh_from_db()
    assert row.last_seen_at == first  # same minute: not written again
    shift(client, SEEN_AT, 61)
    client.get("/", HTTP_USER_AGENT="Mozilla/5.0 (Android 14) Chrome/126.0 Mobile")
    row.refresh_from_db()
    assert row.last_seen_at > first and "Android" in row.user_agent


def test_the_sessions_page_lists_own_sessions_with_the_current_one_marked(
    client, officer_a, officer_b
):
    client.force_login(officer_a)
    other = session_of(
        officer_a,
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Mobile Safari/604.1",
        ip_address="198.51.100.23",
    )
    session_of(officer_b, ip_address="192.0.2.99")
    old = session_of(officer_a, ip_address="192.0.2.50")
    UserSession.objects.filter(pk=old.pk).update(ended_at=other.created_at)
    page = client.get("/accounts/sessions/").content.decode()
    assert page.count('data-testid="current"') == 1
    assert "Safari 17 · iPhone" in page and "198.51.100.*" in page
    assert "198.51.100.23" not in page  # the address is masked
    assert "192.0.2.99" not in page and "192.0.2.*" not in page  # another user's and an ended one
    assert f"/accounts/sessions/{other.pk}/end/" in page


def test_ending_another_session_logs_that_browser_out(client, officer_a):
    phone = Client()
    phone.force_login(officer_a)
    assert phone.get("/").status_code == 200
    client.force_login(officer_a)
    phone_row = row_of(phone)
    response = client.post(f"/accounts/sessions/{phone_row.pk}/end/")
    assert response.status_code == 302
    phone_row.refresh_from_db()
    assert phone_row.end_reason == "ended_by_user"
    response = phone.get("/")
    assert response.status_code == 302 and "_auth_user_id" not in phone.session
    assert client.get("/").status_code == 200  # this browser is not affected
    event = AuditEvent.objects.get(action="session.end")
    assert event.actor == officer_a


def test_ending_all_other_sessions(client, officer_a):
    browsers = [Client() for _ in range(2)]
    for b in browsers:
        b.force_login(officer_a)
    client.force_login(officer_a)
    client.post("/accounts/sessions/end-others/")
    assert all(b.get("/").status_code == 302 for b in browsers)
    assert client.get("/").status_code == 200
    assert [r.key_hash for r in sessions.active(officer_a)] == [
        sessions.key_hash(client.session.session_key)
    ]
    assert AuditEvent.objects.get(action="session.end_others").after == {"sessions_ended": 2}


def test_a_user_cannot_end_someone_elses_session(client, officer_a, officer_b):
    row = session_of(officer_b)
    client.force_login(officer_a)
    assert client.post(f"/accounts/sessions/{row.pk}/end/").status_code == 404
    row.refresh_from_db()
    assert row.ended_at is None


def test_logout_ends_the_row(client, officer_a):
    client.force_login(officer_a)
    client.get("/")
    row = row_of(client)
    client.post("/accounts/logout/")
    row.refresh_from_db()
    assert row.end_reason == "logout"
    assert AuditEvent.objects.filter(action="auth.logout", actor=officer_a).exists()


def test_a_password_change_keeps_this_session_and_ends_the_others(client, officer_a):
    phone = Client()
    phone.force_login(officer_a)
    client.force_login(officer_a)
    client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2026-xyz",
            "new_password2": "Mat-khau-moi-2026-xyz",
        },
    )
    assert client.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    active = list(sessions.active(officer_a))
    assert len(active) == 1 and active[0].key_hash == sessions.key_hash(client.session.session_key)
    assert AuditEvent.objects.get(action="password.change").after == {"sessions_ended": 1}


def test_rows_do_not_depend_on_the_session_backend(client, officer_a, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    client.force_login(officer_a)
    assert client.get("/").status_code == 200
    row = row_of(client)
    client.post(f"/accounts/sessions/{row.pk}/end/")  # the current one: refused with a hint
    other = Client()
    other.force_login(officer_a)
    client.post(f"/accounts/sessions/{row_of(other).pk}/end/")
    assert other.get("/").status_code == 302


@pytest.mark.parametrize(
    ("ip", "masked"),
    [
        ("203.0.113.45", "203.0.113.*"),
        ("2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3:*"),
        (None, "—"),
        ("not an address", "—"),
    ],
)
def test_mask_ip(ip, masked):
    assert sessions.mask_ip(ip) == masked


@pytest.mark.parametrize(
    ("agent", "described"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
            "Chrome 126 · Windows",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge 126 · Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox 128 · Linux",
        ),
        ("", "Không rõ thiết bị"),
    ],
)
def test_describe_agent(agent, described):
    assert sessions.describe_agent(agent) == described


def test_the_clock_marks_are_set_at_login(client, officer_a):
    before = time.time()
    client.post("/accounts/login/", {"username": "canbo.a", "password": PASSWORD})
    assert client.session[AUTH_AT] >= before and client.session[SEEN_AT] >= before
    row = row_of(client)
    assert row.user == officer_a and row.ended_at is None
