"""Helpers for tests that touch two-factor login and sessions."""

from accounts import totp
from accounts.models import TOTPDevice, UserSession


def session_of(user, **fields) -> UserSession:
    """A UserSession row of `user` as another browser of theirs would have."""
    import secrets

    from accounts.sessions import key_hash

    return UserSession.objects.create(
        user=user,
        key_hash=key_hash(secrets.token_hex(16)),
        user_agent=fields.pop(
            "user_agent", "Mozilla/5.0 (Windows NT 10.0) Chrome/126.0 Safari/537"
        ),
        ip_address=fields.pop("ip_address", "203.0.113.7"),
        **fields,
    )


def fresh_code(user, secret: bytes) -> str:
    """A code the server accepts now for `user`: of the current step, or the next one when the current
    step was already used (the server accepts one step of drift)."""
    device = TOTPDevice.objects.get(user=user)
    step = max(totp.step_at(), device.last_step + 1)
    if step > totp.step_at() + totp.DRIFT_STEPS:
        raise RuntimeError("every acceptable code of this moment has been used; wait 30 s")
    return totp.hotp(secret, step)
