"""In-app notifications, each also e-mailed by the background worker once the transaction commits (a slow
mail server never holds up a request). Every app uses this."""

from django.conf import settings
from django.db import transaction

from .models import Notification
from .tasks import send_notification_emails


def notify(users, text: str, link: str = "", key: str = "") -> int:
    """One notification per user (once per key, when a key is given), e-mailed on commit."""
    users = [u for u in users if u.is_active]
    if key:
        already = set(Notification.objects.filter(key=key).values_list("user_id", flat=True))
        users = [u for u in users if u.pk not in already]
    Notification.objects.bulk_create(
        [Notification(user=u, text=text[:300], link=link, key=key) for u in users]
    )
    messages = [
        [
            f"[{settings.SITE_NAME}] {text[:120]}",
            f"{text}\n\n{link}",
            settings.DEFAULT_FROM_EMAIL,
            [u.email],
        ]
        for u in users
        if u.email
    ]
    if messages:
        transaction.on_commit(lambda: send_notification_emails.enqueue(messages))
    return len(users)
