"""Request ids, structured (JSON) logs and per-request metrics (docs/observability.md).

`RequestMiddleware` comes first in MIDDLEWARE (after the client address is read behind the proxy): it takes the request id from `X-Request-ID` when the
value is sane (or makes one), echoes it in the response, makes it visible to every log line written
while the request runs, writes one access-log line per request and counts the request in the
Prometheus metrics. `JsonFormatter` writes one JSON object per line (LOG_FORMAT=json).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_META = "HTTP_X_REQUEST_ID"
# Letters, digits and . _ : - only, at most 100 characters: enough for UUIDs and the ids proxies and
# load balancers make, nothing that could forge a log line or smuggle markup into a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

access_log = logging.getLogger("parindex.request")

# Attributes every LogRecord has; anything else on a record was passed with `extra=` and is written out.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}
# Probes and scrapes come every few seconds: logged at DEBUG so that they do not drown the log.
QUIET_VIEWS = {"health", "metrics"}


def current_request_id() -> str | None:
    """The id of the request being served by this thread (None outside a request)."""
    return _request_id.get()


def request_id_from(header_value: str | None) -> str:
    if header_value and SANE_REQUEST_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


def _user_id(request) -> int | None:
    """The signed-in user's id, only if the request already loaded the user (no extra query)."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


def view_name(request, response) -> str:
    """A bounded label for metrics: the URL pattern's name, never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return match.view_name
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return "unmatched"


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import metrics

        request_id = request_id_from(
            request.META.get(REQUEST_ID_META)
        )  # not request.headers: it copies every header
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            name = view_name(request, response)
            response[REQUEST_ID_HEADER] = request_id
            metrics.observe_request(name, request.method, response.status_code, elapsed)
            access_log.log(
                logging.DEBUG if name in QUIET_VIEWS else logging.INFO,
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                elapsed * 1000,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "view": name,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            _request_id.reset(token)


def _record_request_id(record: logging.LogRecord) -> str | None:
    return (
        getattr(record, "request_id", None)
        or getattr(getattr(record, "request", None), "request_id", None)
        or current_request_id()
    )


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request id when there is one, and any
    field passed with `extra=` (the access log's method, path, status, duration_ms, user_id)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = _record_request_id(record)
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            # Django's own request logging passes the request object: its id is taken, not its repr.
            if key not in _RECORD_ATTRIBUTES and key not in entry and key != "request":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The readable format for development (LOG_FORMAT=text), with the request id when there is one."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = _record_request_id(record)
        return f"{line} [{request_id}]" if request_id else line
