"""Throttling of failed logins and of password-reset e-mails, kept in the database so every web process
sees the same count.

Password failures and wrong two-factor codes count together: a stolen password gives no extra guesses
at the code, and failures are cleared only when a login completes (accounts/views.py).
"""

import math
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import LoginFailure, PasswordResetRequest


def _since():
    return timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def _by_name(username: str):
    return LoginFailure.objects.filter(username__iexact=username, at__gte=_since())


def _by_ip(ip_address: str):
    return LoginFailure.objects.filter(ip_address=ip_address, at__gte=_since())


def is_locked_out(username: str, ip_address: str | None) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    if _by_name(username).count() >= limit:
        return True
    # An address gets more room than one account: a one-stop office shares one public address.
    if ip_address:
        return _by_ip(ip_address).count() >= limit * 4
    return False


def minutes_left(username: str, ip_address: str | None) -> int:
    """Whole minutes until the lockout of `username` (or of the address) lifts; at least 1."""
    limit = settings.LOGIN_FAILURE_LIMIT
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    now = timezone.now()
    ends = []
    for rows, room in ((_by_name(username), limit), (_by_ip(ip_address), limit * 4)):
        if ip_address is None and room != limit:
            continue
        times = list(rows.order_by("-at").values_list("at", flat=True)[:room])
        if len(times) >= room:
            # The lockout lifts when the oldest of the last `room` failures leaves the window.
            ends.append(times[-1] + window)
    if not ends:
        return 1
    return max(1, math.ceil((max(ends) - now).total_seconds() / 60))


def record_failure(username: str, ip_address: str | None, stage: str = "password") -> bool:
    """Record a failure; True when this failure locks the account (for the audit log)."""
    LoginFailure.objects.create(username=username[:150], ip_address=ip_address or None, stage=stage)
    return _by_name(username).count() == settings.LOGIN_FAILURE_LIMIT


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: behind the reverse proxy, ops.middleware.ForwardedForMiddleware has put
    # the client's address there, believing X-Forwarded-For only from a trusted proxy, so a client
    # cannot pick its own address to dodge the limit.
    return request.META.get("REMOTE_ADDR") or None


# ------------------------------------------------------------------ password-reset e-mails
# Counted per address typed (at most PASSWORD_RESET_LIMIT_PER_EMAIL e-mails a window, whether or not an
# account has it, so the answer never tells) and per requesting address (PASSWORD_RESET_LIMIT_PER_ADDRESS
# requests a window, whatever addresses they name).


def _reset_since():
    return timezone.now() - timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)


def email_hash(email: str) -> str:
    normalised = unicodedata.normalize("NFKC", email).strip().casefold()
    return salted_hmac("accounts.password_reset", normalised, algorithm="sha256").hexdigest()


def reset_minutes_left(ip_address: str | None) -> int:
    """Whole minutes until `ip_address` may ask again; at least 1."""
    window = timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    times = list(
        PasswordResetRequest.objects.filter(ip_address=ip_address, at__gte=_reset_since())
        .order_by("at")
        .values_list("at", flat=True)
    )
    over = len(times) - settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    if over < 0:
        return 1
    ends = times[over] + window
    return max(1, math.ceil((ends - timezone.now()).total_seconds() / 60))


def check_reset_request(email: str, ip_address: str | None) -> tuple[str | None, bool]:
    """Count a request for a reset e-mail to `email`; (refusal, first) where refusal is None (send),
    "email" (send nothing, answer as usual) or "address" (tell the requester to wait), and `first` says
    the refusal is the first of its kind in the window (worth one audit event, not one per request).

    Only the first refused request of an address is stored, so a flood from one address adds one row."""
    since = _reset_since()
    hashed = email_hash(email)
    PasswordResetRequest.objects.filter(at__lt=since - timedelta(days=1)).delete()
    if ip_address:
        made = PasswordResetRequest.objects.filter(ip_address=ip_address, at__gte=since).count()
        if made >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS:
            first = made == settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
            if first:
                PasswordResetRequest.objects.create(
                    email_hash=hashed, ip_address=ip_address, allowed=False
                )
            return "address", first
    recent = PasswordResetRequest.objects.filter(email_hash=hashed, at__gte=since)
    if recent.filter(allowed=True).count() >= settings.PASSWORD_RESET_LIMIT_PER_EMAIL:
        first = not recent.filter(allowed=False).exists()
        PasswordResetRequest.objects.create(email_hash=hashed, ip_address=ip_address, allowed=False)
        return "email", first
    PasswordResetRequest.objects.create(email_hash=hashed, ip_address=ip_address, allowed=True)
    return None, False
