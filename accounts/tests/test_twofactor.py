"""Two-factor login: the second step, enrolment (required and optional), recovery codes, throttling,
and the reset by the secretariat or an administrator."""

import re

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts import secretbox, totp, twofactor
from accounts.models import AuditEvent, LoginFailure, RecoveryCode, Role, TOTPDevice, User
from accounts.tests.helpers import fresh_code, session_of
from conftest import PASSWORD, TOTP_SECRET, enrolled

CODE_URL = "/accounts/login/code/"
ENROL_URL = "/accounts/two-factor/setup/"


def password_step(client, username, password=PASSWORD, next_url=None):
    data = {"username": username, "password": password}
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def secret_on_page(html: str) -> bytes:
    grouped = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', html).group(1)
    return totp.from_base32(grouped)


# --- the second step -------------------------------------------------------------------------------


def test_password_alone_does_not_log_in_an_enrolled_user(client, secretariat):
    response = password_step(client, "thuky")
    assert response.status_code == 302 and response["Location"] == CODE_URL
    assert not logged_in(client)
    # Nothing is reachable between the two steps.
    assert client.get("/").status_code == 302
    assert client.get("/").headers["Location"].startswith("/accounts/login/")


def test_the_right_code_logs_in_and_goes_where_the_user_was_going(client, secretariat):
    password_step(client, "thuky", next_url="/cycles/")
    page = client.get(CODE_URL).content.decode()
    assert "Mã xác thực" in page
    response = client.post(CODE_URL, {"code": totp.totp(TOTP_SECRET)})
    assert response.status_code == 302 and response["Location"] == "/cycles/"
    assert logged_in(client)
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(action="auth.login").get()
    assert event.actor == secretariat and event.after["method"] == "totp"


def test_a_wrong_code_does_not_log_in(client, secretariat):
    password_step(client, "thuky")
    good = totp.totp(TOTP_SECRET)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    page = client.post(CODE_URL, {"code": wrong}).content.decode()
    assert "Mã không đúng, đã hết hạn hoặc đã được dùng" in page
    assert not logged_in(client)
    assert LoginFailure.objects.filter(username="thuky", stage="code").count() == 1
    assert AuditEvent.objects.filter(
        action="auth.login_failed", object_id=str(secretariat.pk)
    ).exists()


def test_a_code_cannot_be_used_twice(client, secretariat):
    code = totp.totp(TOTP_SECRET)
    password_step(client, "thuky")
    assert client.post(CODE_URL, {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    password_step(client, "thuky")
    page = client.post(CODE_URL, {"code": code}).content.decode()
    assert "đã được dùng" in page
    assert not logged_in(client)


def test_an_older_code_than_the_last_used_is_refused(secretariat):
    now = totp.step_at()
    assert twofactor.verify(secretariat, totp.hotp(TOTP_SECRET, now)) == "totp"
    assert twofactor.verify(secretariat, totp.hotp(TOTP_SECRET, now - 1)) is None
    assert twofactor.verify(secretariat, totp.hotp(TOTP_SECRET, now + 1)) == "totp"


def test_a_recovery_code_works_once(client, secretariat):
    twofactor.enrol_with_secret(secretariat, TOTP_SECRET, ["abcde-fghjk", "mnpqr-stuvw"])
    password_step(client, "thuky")
    response = client.post(CODE_URL, {"code": "ABCDE FGHJK"})  # case and separator do not matter
    assert response.status_code == 302 and logged_in(client)
    assert AuditEvent.objects.filter(action="auth.login").get().after["method"] == "recovery"
    assert twofactor.recovery_codes_left(secretariat) == 1
    client.post("/accounts/logout/")
    password_step(client, "thuky")
    client.post(CODE_URL, {"code": "abcde-fghjk"})
    assert not logged_in(client)
    # Only keyed hashes are stored.
    assert not RecoveryCode.objects.filter(code_hash__icontains="abcde").exists()


def test_the_code_step_without_a_fresh_password_goes_back_to_login(client, secretariat, settings):
    assert client.get(CODE_URL)["Location"] == "/accounts/login/"
    password_step(client, "thuky")
    session = client.session
    session["accounts.pending"]["at"] -= settings.TWO_FACTOR_PENDING_SECONDS + 1
    session.save()
    response = client.post(CODE_URL, {"code": totp.totp(TOTP_SECRET)})
    assert response["Location"] == "/accounts/login/" and not logged_in(client)


def test_a_password_change_between_the_steps_voids_the_first_step(client, secretariat):
    password_step(client, "thuky")
    secretariat.set_password("Mot-mat-khau-khac-2026")
    secretariat.save()
    client.post(CODE_URL, {"code": totp.totp(TOTP_SECRET)})
    assert not logged_in(client)


def test_a_password_only_session_of_an_enrolled_user_is_refused(client, secretariat):
    # Any way of logging in that skips the code (here the test client's password login, which goes
    # through ModelBackend like Django's stock login views) yields a session the middleware ends.
    assert client.login(username="thuky", password=PASSWORD)
    response = client.get("/cycles/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not logged_in(client)


def test_the_admin_login_form_is_replaced_by_the_two_step_login(client, secretariat):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    # Posting a password to it does not log in.
    client.post("/admin/login/", {"username": "thuky", "password": PASSWORD})
    assert not logged_in(client)


# --- throttling ------------------------------------------------------------------------------------


def test_wrong_codes_lock_the_account_with_a_clear_message(client, secretariat, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    password_step(client, "thuky")
    for _ in range(2):
        client.post(CODE_URL, {"code": "000000"})
    page = client.post(CODE_URL, {"code": "000001"}).content.decode()
    assert "tài khoản tạm thời bị khoá. Vui lòng thử lại sau 15 phút" in page
    assert AuditEvent.objects.filter(action="auth.locked", object_id=str(secretariat.pk)).exists()
    # The right password and then the right code are refused while locked.
    page = password_step(client, "thuky").content.decode()
    assert "Đăng nhập sai quá nhiều lần: tài khoản tạm thời bị khoá" in page
    assert not logged_in(client)


def test_a_correct_password_does_not_reset_the_count_of_wrong_codes(client, secretariat, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        password_step(client, "thuky")  # the attacker knows the password
        client.post(CODE_URL, {"code": "000000"})
    # Had the right password cleared the count, this attacker would have guessed on forever.
    page = password_step(client, "thuky").content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page
    client.post(CODE_URL, {"code": totp.totp(TOTP_SECRET)})
    assert not logged_in(client)


def test_failures_are_cleared_once_the_whole_login_succeeds(client, secretariat, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    password_step(client, "thuky", password="sai")
    password_step(client, "thuky")
    client.post(CODE_URL, {"code": "000000"})
    assert LoginFailure.objects.filter(username="thuky").count() == 2
    client.post(CODE_URL, {"code": totp.totp(TOTP_SECRET)})
    assert logged_in(client)
    assert not LoginFailure.objects.filter(username="thuky").exists()


def test_the_lockout_message_tells_the_minutes_left(client, officer_a, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 10
    for _ in range(2):
        password_step(client, "canbo.a", password="sai")
    page = password_step(client, "canbo.a").content.decode()
    assert "Vui lòng thử lại sau 10 phút" in page


# --- required roles --------------------------------------------------------------------------------


def test_a_required_role_is_sent_to_enrolment_after_the_password_and_is_not_logged_in(client, db):
    user = User.objects.create_user("thamdinh.moi", password=PASSWORD, role=Role.REVIEWER)
    response = password_step(client, "thamdinh.moi", next_url="/results/")
    assert response["Location"] == ENROL_URL
    assert not logged_in(client)
    assert client.get("/results/").status_code == 302
    page = client.get(ENROL_URL).content.decode()
    assert "<svg" in page and "bắt buộc" in page
    secret = secret_on_page(page)
    # Reloading shows the same secret (the app may already hold it).
    assert secret_on_page(client.get(ENROL_URL).content.decode()) == secret
    page = client.post(ENROL_URL, {"code": "123456" if totp.totp(secret) != "123456" else "654321"})
    assert "Mã không đúng" in page.content.decode() and not logged_in(client)

    first_code = totp.totp(secret)
    page = client.post(ENROL_URL, {"code": first_code}).content.decode()
    assert logged_in(client)
    codes = re.findall(r"<li class=\"col\">([a-z2-9]{5}-[a-z2-9]{5})</li>", page)
    assert len(codes) == 10 and 'href="/results/"' in page
    device = TOTPDevice.objects.get(user=user)
    assert device.is_confirmed and device.pending_secret == ""
    assert totp.to_base32(secret) not in device.secret
    assert secretbox.open_sealed(device.secret, f"user:{user.pk}|secret") == secret
    assert AuditEvent.objects.filter(action="twofactor.enrol", object_id=str(user.pk)).exists()
    # The secret is never shown again: the setup page now offers a new one (to move to a new phone).
    page = client.get(ENROL_URL).content.decode()
    assert totp.grouped(secret) not in page and "Mật khẩu hiện tại" in page
    # And the first code cannot be replayed for a login.
    client.post("/accounts/logout/")
    password_step(client, "thamdinh.moi")
    client.post(CODE_URL, {"code": first_code})
    assert not logged_in(client)


def _simple_urls():
    """Every named URL without arguments, outside the admin and the API."""

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin" or (entry.namespace or "").startswith("api"):
                    continue
                ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                yield from walk(entry, ns)
            elif isinstance(entry, URLPattern) and entry.name:
                try:
                    yield f"{prefix}{entry.name}", reverse(f"{prefix}{entry.name}")
                except NoReverseMatch:
                    continue

    return sorted(set(walk(get_resolver())))


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.REVIEWER, Role.COUNCIL, "superuser"])
def test_a_required_role_cannot_reach_any_page_before_enrolling(client, db, role):
    if role == "superuser":
        user = User.objects.create_superuser("quantri", "qt@example.vn", PASSWORD)
    else:
        user = User.objects.create_user("moi", password=PASSWORD, role=role)
    client.force_login(user)
    open_names = {"accounts:twofactor_enrol", "accounts:logout", "set_language"}
    reached = []
    urls = _simple_urls()
    assert len(urls) > 20
    for name, url in urls + [("admin", "/admin/"), ("cycle", "/cycles/2025/")]:
        if name in open_names:
            continue
        response = client.get(url)
        if not (response.status_code == 302 and response["Location"] == ENROL_URL):
            reached.append((name, response.status_code))
    assert reached == []
    assert client.get(ENROL_URL).status_code == 200


def test_optional_roles_are_not_asked_for_a_code(client, officer_a, leader):
    for user in ("canbo.a", "lanhdao"):
        response = password_step(client, user)
        assert response["Location"] == "/" and logged_in(client)
        client.post("/accounts/logout/")


def test_an_optional_user_enrols_from_the_account_page(client, officer_a):
    client.force_login(officer_a)
    assert "Chưa bật" in client.get("/accounts/").content.decode()
    secret = secret_on_page(client.get(ENROL_URL).content.decode())
    client.post(ENROL_URL, {"code": totp.totp(secret)})
    assert twofactor.is_enrolled(officer_a)
    assert client.get("/").status_code == 200  # the session was re-issued by the two-step login
    assert "Đang bật" in client.get("/accounts/").content.decode()
    client.post("/accounts/logout/")
    assert password_step(client, "canbo.a")["Location"] == CODE_URL
    client.post(CODE_URL, {"code": fresh_code(officer_a, secret)})
    assert logged_in(client)


def test_an_optional_user_turns_it_off_with_a_code(client, officer_a):
    enrolled(officer_a)
    client.force_login(officer_a)
    client.post("/accounts/two-factor/disable/", {"code": "0000"})
    assert twofactor.is_enrolled(officer_a)
    response = client.post(
        "/accounts/two-factor/disable/", {"code": fresh_code(officer_a, TOTP_SECRET)}
    )
    assert response.status_code == 302 and not twofactor.is_enrolled(officer_a)
    assert AuditEvent.objects.filter(action="twofactor.disable").exists()
    assert password_step(client, "canbo.a")["Location"] == "/"


def test_a_required_role_cannot_turn_it_off(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        "/accounts/two-factor/disable/", {"code": fresh_code(reviewer, TOTP_SECRET)}
    )
    assert response.status_code == 403 and twofactor.is_enrolled(reviewer)


def test_moving_to_a_new_phone_needs_the_password_and_a_code_of_the_new_secret(client, council):
    client.force_login(council)
    new_secret = secret_on_page(client.get(ENROL_URL).content.decode())
    page = client.post(ENROL_URL, {"code": totp.totp(new_secret), "password": "sai"})
    assert "Mật khẩu không đúng." in page.content.decode()
    assert twofactor.verify_totp(council, fresh_code(council, TOTP_SECRET))  # old one still works
    client.post(ENROL_URL, {"code": totp.totp(new_secret), "password": PASSWORD})
    assert AuditEvent.objects.filter(action="twofactor.replace").exists()
    assert not twofactor.verify_totp(council, totp.hotp(TOTP_SECRET, totp.step_at() + 1))
    assert client.get("/").status_code == 200


def test_regenerating_recovery_codes_needs_a_code_and_voids_the_old_ones(client, secretariat):
    twofactor.enrol_with_secret(secretariat, TOTP_SECRET, ["aaaaa-bbbbb"])
    client.force_login(secretariat)
    response = client.post("/accounts/two-factor/recovery-codes/", {"code": "000000"})
    assert response.status_code == 302 and twofactor.recovery_codes_left(secretariat) == 1
    page = client.post(
        "/accounts/two-factor/recovery-codes/", {"code": fresh_code(secretariat, TOTP_SECRET)}
    ).content.decode()
    codes = re.findall(r"<li class=\"col\">([a-z2-9]{5}-[a-z2-9]{5})</li>", page)
    assert len(set(codes)) == 10 and twofactor.recovery_codes_left(secretariat) == 10
    assert twofactor.verify(secretariat, "aaaaa-bbbbb") is None
    assert twofactor.verify(secretariat, codes[0]) == "recovery"


# --- reset -----------------------------------------------------------------------------------------


def test_the_secretariat_resets_a_lost_phone_audited_and_sessions_end(
    client, secretariat, reviewer
):
    from django.test import Client

    reviewer_browser = Client()
    reviewer_browser.force_login(reviewer)
    assert reviewer_browser.get("/").status_code == 200
    client.force_login(secretariat)
    page = client.get("/accounts/two-factor/users/").content.decode()
    assert "thamdinh" in page and "Đã thiết lập" in page
    # A reason is required.
    client.post(f"/accounts/two-factor/users/{reviewer.pk}/reset/", {"reason": ""})
    assert twofactor.is_enrolled(reviewer)
    client.post(f"/accounts/two-factor/users/{reviewer.pk}/reset/", {"reason": "Mất điện thoại"})
    assert not twofactor.is_enrolled(reviewer)
    event = AuditEvent.objects.get(action="twofactor.reset")
    assert event.actor == secretariat and event.reason == "Mất điện thoại"
    assert event.object_id == str(reviewer.pk) and event.after["sessions_ended"] == 1
    # The reviewer's open session is over; at the next login they enrol again.
    assert reviewer_browser.get("/").status_code == 302
    assert password_step(reviewer_browser, "thamdinh")["Location"] == ENROL_URL


def test_others_cannot_reset(client, reviewer, council):
    client.force_login(reviewer)
    assert (
        client.post(f"/accounts/two-factor/users/{council.pk}/reset/", {"reason": "x"}).status_code
        == 403
    )
    assert twofactor.is_enrolled(council)


def test_the_management_command_resets(reviewer, capsys):
    session_of(reviewer)
    call_command("reset_two_factor", "thamdinh", "--reason", "Mất điện thoại")
    assert not twofactor.is_enrolled(reviewer)
    assert AuditEvent.objects.get(action="twofactor.reset").reason.startswith("Mất điện thoại")
    assert "Đã đặt lại" in capsys.readouterr().out


def test_the_admin_action_resets(client, secretariat, council):
    from django.contrib.auth.models import Permission

    secretariat.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client.force_login(secretariat)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [council.pk]},
    )
    assert response.status_code == 302
    assert not twofactor.is_enrolled(council)
    assert AuditEvent.objects.filter(action="twofactor.reset", actor=secretariat).exists()


def test_personas_of_required_roles_are_enrolled_for_the_tests(
    secretariat, reviewer, council, leader
):
    assert all(twofactor.is_enrolled(u) for u in (secretariat, reviewer, council))
    assert not twofactor.is_enrolled(leader)
    assert enrolled(leader) == leader and twofactor.is_enrolled(leader)


def test_pages_showing_a_secret_or_codes_are_not_cached(client, officer_a):
    client.force_login(officer_a)
    response = client.get(ENROL_URL)
    assert "no-store" in response["Cache-Control"]
