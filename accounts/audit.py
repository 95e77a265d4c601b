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
