"""Two-factor login: who needs it, enrolment, checking a code, recovery codes, and a reset.

Plain functions on users (no request objects); the views in accounts/views.py call them. Every state
change writes an audit event (accounts/audit.py).
"""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import secretbox, totp
from .audit import record_security
from .models import RecoveryCode, Role, TOTPDevice

REQUIRED_ROLES = frozenset({Role.SECRETARIAT, Role.REVIEWER, Role.COUNCIL})
RECOVERY_CODE_COUNT = 10
# Recovery codes: 10 characters from an alphabet without look-alikes (no 0/o, 1/l/i), shown as xxxxx-xxxxx.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# A secret shown for enrolment but never confirmed is replaced after a day.
PENDING_MAX_AGE_SECONDS = 24 * 3600


def is_required(user) -> bool:
    """The secretariat, reviewers, council members and superusers must log in with a code."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in REQUIRED_ROLES))


def is_enrolled(user) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exclude(secret="").exists()
    )


def _context(user) -> str:
    """Binds a recovery code's hash, and a secret sealed before AES-GCM, to its user."""
    return f"user:{user.pk}"


def _sealing_context(user, field: str) -> str:
    """Binds a sealed secret to its user and field (accounts/secretbox.py)."""
    return f"user:{user.pk}|{field}"


def _open(user, device: TOTPDevice, field: str) -> bytes:
    """The secret held in `field` of the user's device; one sealed the old way is sealed again now.

    The conditional update leaves alone a value replaced in the meantime (a new enrolment)."""
    sealed = getattr(device, field)
    context = _sealing_context(user, field)
    secret = secretbox.open_sealed(sealed, context, legacy_context=_context(user))
    if not secretbox.is_current(sealed):
        resealed = secretbox.seal(secret, context)
        TOTPDevice.objects.filter(pk=device.pk, **{field: sealed}).update(**{field: resealed})
        setattr(device, field, resealed)
    return secret


def _device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user).first()


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash_recovery(user, code: str) -> str:
    return secretbox.keyed_hash(normalise_recovery_code(code), _context(user))


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _replace_recovery_codes(user, codes: list[str]) -> None:
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=_hash_recovery(user, c)) for c in codes]
    )


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# --- enrolment -------------------------------------------------------------------------------------


def pending_secret(user) -> bytes:
    """The secret being set up for `user`: kept while the enrolment page is reloaded, new after a day."""
    device, _created = TOTPDevice.objects.get_or_create(user=user)
    fresh = device.pending_since and (timezone.now() - device.pending_since).total_seconds() < (
        PENDING_MAX_AGE_SECONDS
    )
    if device.pending_secret and fresh:
        try:
            return _open(user, device, "pending_secret")
        except secretbox.SecretBoxError:
            pass  # sealed under an older key: start again
    return new_pending_secret(user)


def new_pending_secret(user) -> bytes:
    secret = totp.new_secret()
    TOTPDevice.objects.update_or_create(
        user=user,
        defaults={
            "pending_secret": secretbox.seal(secret, _sealing_context(user, "pending_secret")),
            "pending_since": timezone.now(),
        },
    )
    return secret


def provisioning(user, secret: bytes) -> dict:
    """What the enrolment page shows: the QR code (inline SVG), the address, the secret in groups."""
    uri = totp.provisioning_uri(secret, user.username, settings.TWO_FACTOR_ISSUER)
    return {"uri": uri, "qr_svg": totp.qr_svg(uri), "secret": totp.grouped(secret)}


@transaction.atomic
def confirm_enrolment(user, code: str, *, at: float | None = None) -> list[str] | None:
    """Confirm the pending secret with a first code: it becomes the user's. Returns the new recovery
    codes (to show once), or None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None or not device.pending_secret:
        return None
    try:
        secret = _open(user, device, "pending_secret")
    except secretbox.SecretBoxError:
        return None
    step = totp.matching_step(secret, code, at=at)
    if step is None:
        return None
    replaced = device.is_confirmed
    device.secret = secretbox.seal(secret, _sealing_context(user, "secret"))
    device.pending_secret = ""
    device.pending_since = None
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.last_used_at = timezone.now()
    device.save()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    _replace_recovery_codes(user, codes)
    record_security(user, "twofactor.replace" if replaced else "twofactor.enrol", user=user)
    _tell(
        user,
        _(
            "Xác thực hai bước đã được bật cho tài khoản của bạn. Nếu không phải bạn, hãy báo ngay Sở Nội vụ."
        ),
    )
    return codes


def enrol_with_secret(user, secret: bytes, recovery_codes: list[str] = ()) -> TOTPDevice:
    """Enrol `user` with a known secret, without a first code: only for the demo accounts and tests."""
    sealed = secretbox.seal(secret, _sealing_context(user, "secret"))
    device, _created = TOTPDevice.objects.update_or_create(
        user=user,
        defaults={
            "secret": sealed,
            "pending_secret": "",
            "pending_since": None,
            "confirmed_at": timezone.now(),
            "last_step": -1,
            "last_used_at": None,
        },
    )
    _replace_recovery_codes(user, list(recovery_codes))
    return device


# --- login -----------------------------------------------------------------------------------------


def verify(user, code: str, *, at: float | None = None) -> str | None:
    """Check the second step: "totp" for a good authenticator code, "recovery" for an unused recovery
    code (spent now), None otherwise. A code whose time step was already used is refused."""
    code = (code or "").strip()
    digits = "".join(code.split())
    if len(digits) == totp.DIGITS and digits.isdigit():
        return "totp" if verify_totp(user, digits, at=at) else None
    if not normalise_recovery_code(code):
        return None
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=_hash_recovery(user, code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if spent:
        record_security(
            user, "twofactor.recovery_used", user=user, after={"left": recovery_codes_left(user)}
        )
        return "recovery"
    return None


def verify_totp(user, code: str, *, at: float | None = None) -> bool:
    device = _device(user)
    if device is None or not device.is_confirmed:
        return False
    try:
        secret = _open(user, device, "secret")
    except secretbox.SecretBoxError:
        return False
    step = totp.matching_step(secret, code, at=at, after_step=device.last_step)
    if step is None:
        return False
    # Conditional update: of two requests with the same code at the same moment, only one wins.
    return bool(
        TOTPDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
            last_step=step, last_used_at=timezone.now()
        )
    )


# --- changes by the user ---------------------------------------------------------------------------


@transaction.atomic
def regenerate_recovery_codes(user, code: str) -> list[str] | None:
    """New recovery codes (the old ones stop working), confirmed by a current authenticator code."""
    if not verify_totp(user, code):
        return None
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    _replace_recovery_codes(user, codes)
    record_security(user, "twofactor.recovery_regenerated", user=user)
    return codes


@transaction.atomic
def disable(user, code: str) -> bool:
    """Turn two-factor login off, for a user whose role does not require it, with a current code."""
    if is_required(user) or not verify_totp(user, code):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    record_security(user, "twofactor.disable", user=user)
    _tell(user, _("Xác thực hai bước đã được tắt cho tài khoản của bạn."))
    return True


# --- reset by the secretariat or an administrator -------------------------------------------------


@transaction.atomic
def reset(actor, user, reason: str) -> None:
    """Remove the user's authenticator and recovery codes and end their sessions: at the next login
    they enrol again (required roles) or log in with the password alone (others)."""
    from . import sessions

    had = is_enrolled(user)
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    ended = sessions.end_all(user, reason="2fa_reset")
    record_security(
        actor,
        "twofactor.reset",
        user=user,
        after={"was_enrolled": had, "sessions_ended": ended},
        reason=reason,
    )
    _tell(
        user,
        _(
            "Xác thực hai bước của tài khoản đã được đặt lại. Ở lần đăng nhập tới, hãy thiết lập lại ứng dụng xác thực."
        ),
    )


def _tell(user, text: str) -> None:
    from .notify import notify

    notify([user], text)
