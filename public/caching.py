"""Rendered public pages and files, kept in Django's cache under a key made of the publications.

The key holds `publications_token()` (the newest publication's id and the number of publications), the
language and the path: a new publication or correction changes the token, so every web process stops
using the old entries at once without any invalidation message; they expire by themselves. Only
successful answers are kept. A browser that already has the page gets 304 (ETag).
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import translation

from .reading import publications_token

RENDER_VERSION = 4
"""Part of every key: raise it when the pages' layout changes, so a deployment never serves old
renders."""
KEPT_HEADERS = ("Content-Disposition",)


def timeout() -> int:
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 24 * 3600)


def _etag(token: str, language: str) -> str:
    return f'"p{RENDER_VERSION}-{token}-{language}"'


def _matches(request, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return any(tag.strip() in (etag, f"W/{etag}") for tag in wanted.split(","))


def _finish(response, etag: str):
    response["ETag"] = etag
    # Anyone may keep a copy, but must ask again (a 304 is cheap) so that a correction shows at once.
    response["Cache-Control"] = "public, no-cache"
    return response


def cached_public(view=None, *, vary=None):
    """Serve the view's 200 answer from the cache while no publication has changed (nor, with `vary`,
    what that function returns: a page that also shows something besides publications)."""
    if view is None:
        return lambda view: cached_public(view, vary=vary)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = publications_token()
        if vary is not None:
            token += "-" + hashlib.sha256(vary().encode()).hexdigest()[:16]
        language = translation.get_language() or settings.LANGUAGE_CODE
        etag = _etag(token, language)
        key = (
            "public:"
            + hashlib.sha256(
                f"{RENDER_VERSION}|{token}|{language}|{request.path}".encode()
            ).hexdigest()
        )
        hit = cache.get(key)
        if hit is not None:
            if _matches(request, etag):
                return _finish(HttpResponseNotModified(), etag)
            content_type, headers, content = hit
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers:
                response[name] = value
            return _finish(response, etag)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            headers = [(h, response[h]) for h in KEPT_HEADERS if h in response]
            cache.set(key, (response["Content-Type"], headers, response.content), timeout())
            return _finish(response, etag)
        return response

    return wrapper
