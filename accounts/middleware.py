"""Session expiry, ended sessions and two-factor login, checked on every request of a logged-in user.

Both run after AuthenticationMiddleware and MessageMiddleware (parindex/settings.py).
"""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import sessions, twofactor
from .backends import TWO_STEP_BACKEND
from .models import UserSession

AUTH_AT = "accounts.auth_at"  # when the login completed (Unix time)
SEEN_AT = "accounts.seen_at"  # last activity written (Unix time, at most once a minute)


def _redirect(request, url: str):
    if request.headers.get("HX-Request"):
        # An htmx request would swap the login page into a fragment: ask for a full navigation.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def to_login(request, message: str | None = None):
    if message:
        messages.warning(request, message)
    url = reverse(settings.LOGIN_URL)
    if request.method == "GET" and not request.headers.get("HX-Request"):
        url += "?next=" + quote(request.get_full_path())
    return _redirect(request, url)


def mark_login(request) -> None:
    """Called at every login (signal): the clock of the absolute and idle limits starts now."""
    now = time.time()
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now


class SessionSecurityMiddleware:
    """Ends a session after SESSION_COOKIE_AGE (absolute), after SESSION_IDLE_TIMEOUT without a request,
    or when its UserSession row was ended elsewhere; keeps the row's "last seen" fresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            refused = self.check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def check(self, request):
        session = request.session
        now = time.time()
        auth_at = session.get(AUTH_AT)
        seen_at = session.get(SEEN_AT)
        session_key = session.session_key
        row = (
            UserSession.objects.filter(key_hash=sessions.key_hash(session_key)).first()
            if session_key
            else None
        )
        reason = message = None
        if auth_at is not None and now - auth_at > settings.SESSION_COOKIE_AGE:
            reason = "expired"
            message = _("Phiên đăng nhập đã hết thời hạn. Vui lòng đăng nhập lại.")
        elif seen_at is not None and now - seen_at > settings.SESSION_IDLE_TIMEOUT:
            reason = "idle"
            message = _(
                "Bạn đã không thao tác trong %(minutes)s phút nên đã được đăng xuất. Vui lòng đăng nhập lại."
            ) % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
        elif row is not None and row.ended_at is not None:
            reason = "ended"
            message = _("Phiên đăng nhập này đã được kết thúc. Vui lòng đăng nhập lại.")
        if reason is not None:
            if row is not None and row.ended_at is None:
                sessions.end(row, reason)
            logout(request)
            return to_login(request, message)

        if auth_at is None:
            session[AUTH_AT] = now  # a session from before these checks: its clock starts now
        due = seen_at is None or now - seen_at >= sessions.TOUCH_INTERVAL
        if row is None and session_key:
            sessions.start(request, request.user)
        elif due and row is not None:
            UserSession.objects.filter(pk=row.pk).update(
                last_seen_at=timezone.now(),
                ip_address=sessions.client_address(request),
                user_agent=sessions.client_agent(request),
            )
        if due:
            session[SEEN_AT] = now
        return None


# Pages a user who must enrol may still open: the enrolment itself, logging out, the language switch.
ENROLMENT_OPEN = ("accounts:twofactor_enrol", "accounts:logout", "set_language")


class TwoFactorMiddleware:
    """An enrolled user's session must come from the two-step login; a user whose role requires
    two-factor login and who has not enrolled can only enrol (or log out)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in ENROLMENT_OPEN}
        return self._open_paths

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            enrolled = twofactor.is_enrolled(user)
            if enrolled and request.session.get(BACKEND_SESSION_KEY) != TWO_STEP_BACKEND:
                sessions.end_key(request.session.session_key, "no_second_step")
                logout(request)
                return to_login(
                    request,
                    _("Tài khoản dùng xác thực hai bước: vui lòng đăng nhập lại và nhập mã."),
                )
            if (
                not enrolled
                and twofactor.is_required(user)
                and request.path not in self.open_paths()
            ):
                return _redirect(request, reverse("accounts:twofactor_enrol"))
        return self.get_response(request)
