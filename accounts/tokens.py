"""API tokens: created once (the secret is returned, only its hash is kept), checked on each request."""

import hashlib
import secrets

from django.utils import timezone

from .audit import record
from .models import ApiToken


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user, name: str) -> tuple[ApiToken, str]:
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=_hash(key), prefix=key[:8])
    record(user, "api_token.create", token, after={"name": name, "prefix": token.prefix})
    return token, key


def user_for_key(key: str):
    """The active user a bearer key belongs to, or None."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def revoke(token: ApiToken, actor) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, "api_token.revoke", token, before={"prefix": token.prefix})
