"""Password-reset e-mails are throttled per address typed and per requesting address (issue 15: they were
not), and the answer never tells whether an account has the address."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent, PasswordResetRequest

URL = "/accounts/password/reset/"
SENT = "/accounts/password/reset/sent/"


def ask(client, email, ip="198.51.100.7"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip)


def test_the_fourth_request_in_an_hour_sends_no_mail(client, officer_a):
    answers = [ask(client, officer_a.email) for _ in range(5)]
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, SENT)] * 5
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {officer_a.email}


def test_the_limit_holds_whatever_the_case_or_width_of_the_address(client, officer_a):
    name, domain = officer_a.email.split("@")
    for typed in (
        officer_a.email,
        officer_a.email.upper(),
        f" {name}@{domain} ",
        "ｃａｎｂｏ.a@x.vn",
    ):
        ask(client, typed)
    ask(client, officer_a.email)
    assert len(mail.outbox) == 3


def test_past_the_limit_a_known_address_is_answered_like_an_unknown_one(client, officer_a):
    for _ in range(3):
        ask(client, officer_a.email)
    for _ in range(3):
        ask(client, "nobody@example.vn", ip="203.0.113.9")
    known = ask(client, officer_a.email)
    unknown = ask(client, "nobody@example.vn", ip="203.0.113.9")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert "Nếu địa chỉ e-mail có trong hệ thống" in client.get(SENT).content.decode()
    assert len(mail.outbox) == 3


def test_one_address_may_ask_ten_times_an_hour_then_is_told_to_wait(client, officer_a, db):
    for n in range(10):
        assert ask(client, f"khong-co-{n}@example.vn").status_code == 302
    refused = ask(client, officer_a.email)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Đã có quá nhiều yêu cầu đặt lại mật khẩu từ máy này" in page
    assert "60 phút" in page
    assert mail.outbox == []
    # Another address is not held back, and the account's own limit was not used up.
    assert ask(client, officer_a.email, ip="203.0.113.9").status_code == 302
    assert len(mail.outbox) == 1


def test_a_flood_from_one_address_stores_one_refusal_and_audits_it_once(client, db):
    for n in range(30):
        ask(client, f"x{n}@example.vn")
    assert PasswordResetRequest.objects.count() == 11
    events = AuditEvent.objects.filter(action="password.reset_throttled")
    assert [e.after for e in events] == [{"limit": "address", "ip": "198.51.100.7"}]


def test_the_address_typed_is_kept_only_as_a_hash(client, officer_a):
    ask(client, officer_a.email)
    row = PasswordResetRequest.objects.get()
    assert officer_a.email not in row.email_hash and len(row.email_hash) == 64


def test_after_the_hour_mails_go_out_again(client, officer_a):
    for _ in range(4):
        ask(client, officer_a.email)
    assert len(mail.outbox) == 3
    PasswordResetRequest.objects.update(at=timezone.now() - timedelta(minutes=61))
    ask(client, officer_a.email)
    assert len(mail.outbox) == 4


def test_the_limits_follow_the_settings(client, officer_a, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 1
    ask(client, officer_a.email)
    ask(client, officer_a.email)
    assert len(mail.outbox) == 1
