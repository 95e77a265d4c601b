"""The one way to write an audit event; every service function calls it inside its transaction."""

from .models import AuditEvent


def record(actor, action: str, obj, *, before=None, after=None, reason: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        reason=reason,
    )


# Actions shown in the security log (accounts:security_log): logins, two-factor login, sessions,
# passwords, API tokens, and what was done in the Django admin.
SECURITY_PREFIXES = (
    "auth.",
    "twofactor.",
    "session.",
    "password.",
    "user.",
    "admin.",
    "api_token.",
)


def record_security(
    actor, action: str, *, user=None, username: str = "", after=None, reason: str = ""
) -> AuditEvent:
    """An event about an account, also when no account matches (a failed login with a wrong name)."""
    if user is not None:
        return record(actor, action, user, after=after, reason=reason)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type="accounts.user",
        object_id="",
        object_repr=username[:200],
        after=after,
        reason=reason,
    )
