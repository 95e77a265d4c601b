"""API tokens expire and can be revoked from a page, by their owner or the secretariat (issue 15: they
never expired and had no screen). The secret itself is never shown again."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ApiToken, AuditEvent
from accounts.tokens import create_token, revoke

API = "/api/v1/assessments/2025/00070"
LIST = "/accounts/api-tokens/"


def api_get(client, key):
    return client.get(API, HTTP_AUTHORIZATION=f"Bearer {key}")


def revoke_url(token):
    return f"/accounts/api-tokens/{token.pk}/revoke/"


# ------------------------------------------------------------------ expiry


def test_a_token_lasts_a_year_unless_told(officer_a):
    token, _ = create_token(officer_a, "Hệ thống văn bản")
    assert abs(token.expires_at - (timezone.now() + timedelta(days=365))) < timedelta(minutes=1)
    short, _ = create_token(officer_a, "Thử", days=30)
    assert abs(short.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    event = AuditEvent.objects.filter(action="api_token.create", object_id=str(short.pk)).get()
    assert event.after["expires_at"] == short.expires_at.isoformat()


@pytest.mark.parametrize("days", [0, -5, 3 * 365 + 1])
def test_a_token_cannot_be_made_for_no_time_or_forever(officer_a, days):
    with pytest.raises(ValueError, match="Thời hạn của khoá"):
        create_token(officer_a, "t", days=days)
    assert not ApiToken.objects.exists()


def test_an_expired_token_gets_a_401_that_says_so(client, officer_a, assessment_a):
    token, key = create_token(officer_a, "Hệ thống văn bản")
    assert api_get(client, key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api_get(client, key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"].startswith("application/json")
    token.refresh_from_db()
    date = timezone.localtime(token.expires_at).strftime("%d/%m/%Y")
    assert response.json() == {"detail": f"Khoá API này đã hết hạn ngày {date}; hãy xin khoá mới."}


def test_a_revoked_token_gets_a_401_that_says_so(client, officer_a, assessment_a):
    token, key = create_token(officer_a, "Hệ thống văn bản")
    revoke(token, officer_a)
    response = api_get(client, key)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Khoá API này đã bị thu hồi ngày ")


def test_an_unknown_key_gets_the_plain_401(client, assessment_a):
    response = api_get(client, "khong-phai-khoa")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Thiếu khoá API, hoặc khoá không đúng, đã hết hạn hay đã bị thu hồi."
    }


def test_last_use_is_recorded_at_most_once_a_minute(client, officer_a, assessment_a):
    token, key = create_token(officer_a, "t")
    assert token.last_used_at is None
    api_get(client, key)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=30)
    api_get(client, key)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    api_get(client, key)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_the_command_takes_a_number_of_days(officer_a, capsys):
    call_command("create_api_token", officer_a.username, name="Văn bản", days=30)
    out, err = capsys.readouterr()
    token = ApiToken.objects.get()
    assert token.key_hash != out.strip() and out.strip().startswith(token.prefix)
    expected = timezone.localtime(token.expires_at).strftime("%d/%m/%Y")
    assert f"Khoá hết hạn ngày {expected}." in err
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    with pytest.raises(CommandError, match="Thời hạn của khoá"):
        call_command("create_api_token", officer_a.username, name="Văn bản", days=0)


# ------------------------------------------------------------------ the page


def test_the_account_page_links_to_ones_tokens(client, officer_a):
    client.force_login(officer_a)
    assert LIST in client.get("/accounts/").content.decode()


def test_an_owner_sees_their_tokens_but_never_a_secret(client, officer_a, officer_b):
    mine, key = create_token(officer_a, "Hệ thống văn bản")
    create_token(officer_b, "Cổng dịch vụ công")
    client.force_login(officer_a)
    page = client.get(LIST).content.decode()
    assert "Hệ thống văn bản" in page and f"{mine.prefix}…" in page
    assert "Cổng dịch vụ công" not in page
    assert key not in page and mine.key_hash not in page
    assert timezone.localtime(mine.expires_at).strftime("%d/%m/%Y") in page
    assert "chưa dùng" in page


def test_the_secretariat_sees_everyones_active_tokens(client, secretariat, officer_a, officer_b):
    create_token(officer_a, "Hệ thống văn bản")
    old, _ = create_token(officer_b, "Cổng cũ")
    revoke(old, secretariat)
    client.force_login(secretariat)
    page = client.get(LIST).content.decode()
    assert "Hệ thống văn bản" in page and officer_a.username in page
    assert "Cổng cũ" not in page
    everything = client.get(LIST, {"all": "1"}).content.decode()
    assert "Cổng cũ" in everything and "Đã thu hồi" in everything


def test_an_owner_revokes_their_token_after_confirming(client, officer_a, assessment_a):
    token, key = create_token(officer_a, "Hệ thống văn bản")
    client.force_login(officer_a)
    confirm = client.get(revoke_url(token))
    assert confirm.status_code == 200
    assert "Thu hồi là vĩnh viễn" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # looking revokes nothing

    response = client.post(revoke_url(token), follow=True)
    assert "Đã thu hồi khoá API “Hệ thống văn bản”" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == officer_a
    client.logout()
    assert api_get(client, key).status_code == 401
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor == officer_a and event.before["owner"] == officer_a.username


def test_revoking_twice_revokes_and_audits_once(client, officer_a):
    token, _ = create_token(officer_a, "t")
    client.force_login(officer_a)
    client.post(revoke_url(token))
    again = client.post(revoke_url(token), follow=True)
    assert "Khoá API này đã được thu hồi trước đó." in again.content.decode()
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_a_unit_officer_cannot_revoke_someone_elses_token(client, officer_a, officer_b):
    token, key = create_token(officer_b, "Cổng dịch vụ công")
    client.force_login(officer_a)
    assert client.post(revoke_url(token)).status_code == 404
    assert client.get(revoke_url(token)).status_code == 404
    with pytest.raises(PermissionDenied):
        revoke(token, officer_a)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_the_secretariat_revokes_anyones_token(client, secretariat, officer_b):
    token, _ = create_token(officer_b, "Cổng dịch vụ công")
    client.force_login(secretariat)
    assert client.post(revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == secretariat
    assert AuditEvent.objects.get(action="api_token.revoke").actor == secretariat
