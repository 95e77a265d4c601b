"""The demo's staff accounts stay usable with two-factor login: a printed secret and recovery codes."""

from accounts import totp, twofactor
from accounts.models import Role, User
from demo.load import DEMO_PASSWORD, DEMO_RECOVERY_CODES, DEMO_TOTP_SECRET, ensure_accounts


def test_demo_staff_log_in_with_the_printed_secret_or_a_recovery_code(client, db):
    ensure_accounts()
    staff = User.objects.filter(role__in=[Role.SECRETARIAT, Role.REVIEWER, Role.COUNCIL])
    assert staff.count() == 3 and all(twofactor.is_enrolled(u) for u in staff)
    assert not twofactor.is_enrolled(User.objects.get(username="canbo.hoankiem"))

    client.post("/accounts/login/", {"username": "thuky", "password": DEMO_PASSWORD})
    code = totp.totp(totp.from_base32(DEMO_TOTP_SECRET))
    assert client.post("/accounts/login/code/", {"code": code})["Location"] == "/"
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"username": "hoidong", "password": DEMO_PASSWORD})
    assert client.post("/accounts/login/code/", {"code": DEMO_RECOVERY_CODES[0]})["Location"] == "/"
    # Loading the demo again renews the codes.
    ensure_accounts()
    assert twofactor.recovery_codes_left(User.objects.get(username="hoidong")) == 10
