"""The secretariat's import of indicator values (a CSV/XLSX feed): upload, preview, confirm. The file waits
in the session between preview and confirmation (no local disk: any web process may answer)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.tabular import ImportFailed, read_table
from core.uploads import UploadForm

from . import services
from .feeds import COLUMNS, parse_feed
from .models import FeedChannel
from .permissions import can_feed_indicators

PENDING = "reporting_feed_pending"
PREVIEW_ROWS = 50


def _parse(data: bytes, filename: str):
    return parse_feed(read_table(data, filename))


@login_required
def feed_import(request):
    if not can_feed_indicators(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": list(COLUMNS), "problems": []}
    pending = request.session.get(PENDING)
    if request.method == "POST" and "confirm" in request.POST:
        if not pending:
            messages.error(request, _("Phiên nhập đã hết; hãy tải tệp lên lại."))
            return redirect("reporting:feed_import")
        try:
            rows = _parse(base64.b64decode(pending["data"]), pending["filename"])
            count = services.receive_feed(request.user, rows, FeedChannel.IMPORT)
        except ImportFailed as exc:
            request.session.pop(PENDING, None)
            context["problems"] = [str(p) for p in exc.problems]
            return render(request, "reporting/feed_import.html", context)
        request.session.pop(PENDING, None)
        messages.success(request, _("Đã nhập %(count)s số liệu chỉ tiêu.") % {"count": count})
        return redirect("reporting:list")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = _parse(data, upload.name)
        except ImportFailed as exc:
            context["problems"] = [str(p) for p in exc.problems]
            return render(request, "reporting/feed_import.html", context)
        request.session[PENDING] = {
            "data": base64.b64encode(data).decode(),
            "filename": upload.name,
        }
        context |= {
            "preview": rows[:PREVIEW_ROWS],
            "total": len(rows),
            "units": len({row.unit.pk for row in rows}),
            "periods": sorted({str(row.period) for row in rows}),
            "filename": upload.name,
        }
    return render(request, "reporting/feed_import.html", context)
