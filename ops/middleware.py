"""Response headers that every page carries, the chosen language, and a clear answer when the database
is out of reach."""

import ipaddress
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core.http import database_unavailable

log = logging.getLogger(__name__)


class ForwardedForMiddleware:
    """Behind the reverse proxy, REMOTE_ADDR is the proxy's own address: every citizen and every login
    attempt would look alike to the survey limits and the login throttle. When the direct peer is a
    trusted proxy (settings.TRUSTED_PROXIES), REMOTE_ADDR becomes the client's address from
    X-Forwarded-For, read from the right: nginx appends the address it saw, so entries further left
    are whatever the client sent and are believed only as far as each hop is itself a trusted proxy.
    The proxy's address is kept in META["PROXY_ADDR"]."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = [
            ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES
        ]

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
        peer = request.META.get("REMOTE_ADDR", "")
        if forwarded and self.trusted and self._is_trusted(peer):
            client = peer
            for hop in reversed([part.strip() for part in forwarded.split(",")]):
                try:
                    ipaddress.ip_address(hop)
                except ValueError:
                    break  # a hop that is no address: believe nothing further left
                client = hop
                if not self._is_trusted(hop):
                    break
            request.META["PROXY_ADDR"] = peer
            request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class PrivateCacheMiddleware:
    """Whatever a signed-in user receives (pages, evidence files, exports, API answers for a token) is
    `Cache-Control: private, no-store`: on a shared office computer the next person must not find it in
    the browser's cache, nor may a proxy keep it. A response that already carries a Cache-Control keeps
    it: a view's own choice is deliberate (never_cache is stricter; the public site's `public, no-cache`
    is the same page for everyone). Anonymous answers are left alone, and static files never get here
    (whitenoise answers them further out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class ChosenLanguageMiddleware:
    """Vietnamese unless the user picked another language (the language cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a government
    PC set up in English must still show the Vietnamese interface.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread goes back to the default language: work done outside a request (commands,
            # tasks, stored titles) must not inherit the last visitor's choice.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class DatabaseUnavailableMiddleware:
    """A lost database connection (a restart, a failover) answers 503 with Retry-After instead of 500.

    Clients that retry (the survey API is idempotent by submission id) know to try again; people see a
    plain "try again in a moment" page. Django drops the broken connection at the end of the request,
    so the next one connects afresh.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return database_unavailable(request, exception)
