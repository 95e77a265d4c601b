"""HTTP helpers shared by the apps and the operations layer."""

import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# Seconds a client should wait before retrying after a lost database connection.
RETRY_AFTER_SECONDS = "5"


def database_unavailable(request, exception) -> HttpResponse:
    """The 503 for a lost database connection (ops.middleware.DatabaseUnavailableMiddleware,
    and surveys.api.SubmitResponseMiddleware, which runs ahead of it)."""
    log.warning("database unavailable: %s on %s", type(exception).__name__, request.path)
    message = _("Hệ thống tạm thời không kết nối được cơ sở dữ liệu; vui lòng thử lại sau ít giây.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response
