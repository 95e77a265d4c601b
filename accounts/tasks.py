"""Background tasks of the accounts room: the notification e-mails, sent by the worker, not the request."""

from django.core.mail import send_mass_mail
from django_tasks import task

from .secretbox import open_sealed

CODE_SLOT = "{{ma}}"
CODE_CONTEXT = "mail.personal-code"


@task()
def send_notification_emails(messages: list[list]) -> int:
    """[[subject, body, from, [to]], …] (JSON-safe lists, as the task queue stores them)."""
    return send_mass_mail([tuple(m) for m in messages], fail_silently=True)


@task()
def send_coded_emails(messages: list[list]) -> int:
    """[[subject, body, from, [to], sealed code], …]: each body carries a personal code in place of
    CODE_SLOT, sealed (accounts/secretbox.py) until it is sent, so that the task table (and a backup
    of it) never holds a working code in plain text."""
    return send_mass_mail(
        [
            (
                subject,
                body.replace(CODE_SLOT, open_sealed(sealed, CODE_CONTEXT).decode()),
                sender,
                to,
            )
            for subject, body, sender, to, sealed in messages
        ],
        fail_silently=True,
    )
