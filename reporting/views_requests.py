"""One-off report requests' screens: sending one (secretariat), who has sent and who is late, a unit's
report, the consolidated report and its Word and Excel files (the periodic screens' own code)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.spreadsheets import download

from . import requests
from .consolidation import consolidate
from .documents import excel_report
from .forms import RequestForm
from .models import Period
from .permissions import can_manage_reporting, can_view_consolidated
from .services import ReportingError
from .views import consolidated_page, links, report_page, word_file


def _request(pk) -> Period:
    return get_object_or_404(Period.objects.requests().select_related("template"), pk=pk)


def _readable(request, pk) -> Period:
    if not can_view_consolidated(request.user):
        raise PermissionDenied
    return _request(pk)


@login_required
def request_create(request):
    if not can_manage_reporting(request.user):
        raise PermissionDenied
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = requests.request_report(request.user, **form.cleaned_data)
        except ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã gửi yêu cầu “%(title)s”.") % {"title": period})
            return redirect("reporting:request_board", period.pk)
    return render(request, "reporting/request_form.html", {"form": form})


@login_required
def request_board(request, pk):
    period = _readable(request, pk)
    rows = requests.board(period)
    submitted = sum(1 for row in rows if row.sent)
    return render(
        request,
        "reporting/request_board.html",
        {
            "period": period,
            "rows": rows,
            "submitted": submitted,
            "missing": len(rows) - submitted,
            "late": sum(1 for row in rows if row.late),
            "links": links(period),
            "filter": request.GET.get("show", ""),
        },
    )


@login_required
def request_report(request, pk, unit_code):
    return report_page(request, _request(pk), unit_code)


@login_required
def request_consolidated(request, pk):
    return consolidated_page(request, _readable(request, pk))


@login_required
def request_word(request, pk):
    return word_file(_readable(request, pk), f"bao-cao-yeu-cau-{pk}.docx")


@login_required
def request_excel(request, pk):
    return download(excel_report(consolidate(_readable(request, pk))), f"bao-cao-yeu-cau-{pk}.xlsx")
