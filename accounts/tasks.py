"""Background tasks of the accounts room: the notification e-mails, sent by the worker, not the request."""

from django.core.mail import send_mass_mail
from django_tasks import task


@task()
def send_notification_emails(messages: list[list]) -> int:
    """[[subject, body, from, [to]], …] (JSON-safe lists, as the task queue stores them)."""
    return send_mass_mail([tuple(m) for m in messages], fail_silently=True)
