"""A user's logged-in browsers (UserSession rows), independent of where Django keeps the sessions.

A row is written at login, refreshed by the middleware at most once a minute, and marked ended at
logout, on "end this session", on expiry, or when the secretariat resets the user's two-factor login.
The middleware logs out a session whose row is ended, so ending works with any session backend.
"""

import hashlib
import ipaddress
import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import record_security
from .models import UserSession

# Activity is written at most this often (seconds): once a minute, not on every request.
TOUCH_INTERVAL = 60


def key_hash(session_key: str) -> str:
    return hashlib.sha256(f"parindex-session|{session_key}".encode()).hexdigest()


def client_agent(request) -> str:
    return (request.META.get("HTTP_USER_AGENT") or "")[:300]


def client_address(request) -> str | None:
    from .throttle import client_ip

    return client_ip(request)


def start(request, user) -> UserSession | None:
    """The row of the session just opened by a login (called from the user_logged_in signal)."""
    session_key = request.session.session_key
    if not session_key:
        request.session.save()
        session_key = request.session.session_key
    now = timezone.now()
    # Rows of this user's sessions that cannot be alive any more are dropped here, a few at a time.
    UserSession.objects.filter(
        user=user, last_seen_at__lt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ).delete()
    row, _created = UserSession.objects.update_or_create(
        key_hash=key_hash(session_key),
        defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "user_agent": client_agent(request),
            "ip_address": client_address(request),
            "ended_at": None,
            "end_reason": "",
        },
    )
    return row


def rekey(old_key: str | None, new_key: str | None) -> None:
    """The session key changed (password change cycles it): the row follows the session."""
    if not (old_key and new_key and old_key != new_key):
        return
    old_rows = UserSession.objects.filter(key_hash=key_hash(old_key))
    if UserSession.objects.filter(key_hash=key_hash(new_key)).exists():
        old_rows.delete()  # the login signal already opened the new key's row
    else:
        old_rows.update(key_hash=key_hash(new_key))


def end(row: UserSession, reason: str) -> bool:
    return bool(
        UserSession.objects.filter(pk=row.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )
    )


def end_key(session_key: str | None, reason: str) -> None:
    if session_key:
        UserSession.objects.filter(key_hash=key_hash(session_key), ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )


def end_all(user, reason: str, *, except_key: str | None = None) -> int:
    rows = UserSession.objects.filter(user=user, ended_at__isnull=True)
    if except_key:
        rows = rows.exclude(key_hash=key_hash(except_key))
    return rows.update(ended_at=timezone.now(), end_reason=reason)


def end_one(actor, row: UserSession) -> bool:
    """The user ends one of their sessions from the sessions page."""
    ended = end(row, "ended_by_user")
    if ended:
        record_security(
            actor,
            "session.end",
            user=row.user,
            after={"session": row.pk, "device": describe_agent(row.user_agent)},
        )
    return ended


def end_others(actor, current_key: str | None) -> int:
    count = end_all(actor, "ended_by_user", except_key=current_key)
    record_security(actor, "session.end_others", user=actor, after={"sessions_ended": count})
    return count


def active(user):
    """The user's sessions that may still be used: not ended, not idle too long, not too old."""
    now = timezone.now()
    return UserSession.objects.filter(
        user=user,
        ended_at__isnull=True,
        last_seen_at__gte=now - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + TOUCH_INTERVAL),
        created_at__gte=now - timedelta(seconds=settings.SESSION_COOKIE_AGE),
    )


def mask_ip(ip: str | None) -> str:
    """Enough of an address to recognise one's own office, not enough to identify a person."""
    if not ip:
        return "—"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "—"
    if address.version == 4:
        return ".".join(ip.split(".")[:3]) + ".*"
    groups = address.exploded.split(":")[:3]
    return ":".join(g.lstrip("0") or "0" for g in groups) + ":*"


_BROWSERS = (
    ("Edge", r"Edg(?:e|A|iOS)?/(\d+)"),
    ("Cốc Cốc", r"coc_coc_browser/(\d+)"),
    ("Opera", r"OPR/(\d+)"),
    ("Firefox", r"(?:Firefox|FxiOS)/(\d+)"),
    ("Chrome", r"(?:Chrome|CriOS)/(\d+)"),
    ("Safari", r"Version/(\d+).*Safari/"),
)
_SYSTEMS = (
    ("Android", r"Android"),
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("ChromeOS", r"CrOS"),
    ("Linux", r"Linux"),
)


def describe_agent(user_agent: str) -> str:
    """ "Chrome 126 · Windows" from a User-Agent header; the raw header when nothing is recognised."""
    if not user_agent:
        return _("Không rõ thiết bị")
    browser = next(
        (f"{name} {m.group(1)}" for name, rx in _BROWSERS if (m := re.search(rx, user_agent))),
        "",
    )
    system = next((name for name, rx in _SYSTEMS if re.search(rx, user_agent)), "")
    if browser or system:
        return " · ".join(part for part in (browser, system) if part)
    return user_agent[:80]
