"""Throttling of failed logins, kept in the database so every web process sees the same count."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def is_locked_out(username: str, ip_address: str | None) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    by_name = LoginFailure.objects.filter(username__iexact=username, at__gte=since).count()
    if by_name >= limit:
        return True
    # An address gets more room than one account: a one-stop office shares one public address.
    if ip_address:
        by_ip = LoginFailure.objects.filter(ip_address=ip_address, at__gte=since).count()
        return by_ip >= limit * 4
    return False


def record_failure(username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip_address=ip_address or None)


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: a forwarded header is trusted only when the proxy sets REMOTE_ADDR itself
    # (docs/deploy.md), so a client cannot pick its own address to dodge the limit.
    return request.META.get("REMOTE_ADDR") or None
