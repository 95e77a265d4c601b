"""Hooks on Django's own events: logins open a UserSession row, logouts end it, and every entry of the
Django admin's history is copied into the audit log (the secretariat's security log shows it)."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import sessions
from .models import AuditEvent

ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


@receiver(user_logged_in, dispatch_uid="accounts.session_opened")
def session_opened(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    from .middleware import mark_login

    mark_login(request)
    sessions.start(request, user)


@receiver(user_logged_out, dispatch_uid="accounts.session_closed")
def session_closed(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.end_key(request.session.session_key, "logout")


@receiver(post_save, sender=LogEntry, dispatch_uid="accounts.admin_history")
def admin_history(sender, instance, created, **kwargs):
    """One audit event per admin history entry (additions, changes, deletions of one object).

    The admin's "delete selected" action would write its history in one bulk insert, which sends no
    signal: it is disabled site-wide (parindex/urls.py), so every admin deletion passes here.
    """
    if not created:
        return
    content_type = instance.content_type
    AuditEvent.objects.create(
        actor_id=instance.user_id,
        action=ADMIN_ACTIONS.get(instance.action_flag, "admin.change"),
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=str(instance.object_id or "")[:64],
        object_repr=instance.object_repr[:200],
        after={"message": instance.get_change_message()},
    )
