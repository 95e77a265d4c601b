"""API tokens: created once (the secret is returned, only its hash is kept) with an expiry date, checked on
each request, listed and revoked by their owner or the secretariat (accounts/views_tokens.py)."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.permissions import require

from .audit import record
from .models import ApiToken
from .permissions import can_revoke_token

DEFAULT_DAYS = 365
MAX_DAYS = 3 * 365


class TokenRefused(Exception):
    """A key that is known but may no longer be used; the message says why (the API's 401 shows it)."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(_("Thời hạn của khoá phải từ 1 đến %(max)s ngày.") % {"max": MAX_DAYS})
    key = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=days)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=_hash(key), prefix=key[:8], expires_at=expires_at
    )
    record(
        user,
        "api_token.create",
        token,
        after={"name": name, "prefix": token.prefix, "expires_at": expires_at.isoformat()},
    )
    return token, key


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "d/m/Y")


def user_for_key(key: str):
    """The active user a bearer key belongs to; None for an unknown key (or an inactive user).

    Raises TokenRefused for a key that was revoked or has expired: its holder has the secret, so saying
    which is no leak, and it tells an integrator to ask for a new key rather than look for a typo."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.revoked_at is not None:
        raise TokenRefused(
            _("Khoá API này đã bị thu hồi ngày %(date)s; hãy xin khoá mới.")
            % {"date": _date(token.revoked_at)}
        )
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRefused(
            _("Khoá API này đã hết hạn ngày %(date)s; hãy xin khoá mới.")
            % {"date": _date(token.expires_at)}
        )
    # At most one write a minute per token: an integration calling many times a second costs no write
    # per call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke(token: ApiToken, actor) -> bool:
    """Revoke `token` for good; False if it already was (nothing changes, nothing is recorded)."""
    require(actor, can_revoke_token, _("Bạn không thể thu hồi khoá API này."), token)
    now = timezone.now()
    with transaction.atomic():
        # A filtered update: two clicks (or two people) revoke once, and the audit says so once.
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor
        )
        if not changed:
            return False
        token.revoked_at, token.revoked_by = now, actor
        record(
            actor,
            "api_token.revoke",
            token,
            before={"prefix": token.prefix, "owner": token.user.username},
        )
    return True
