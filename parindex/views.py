"""The home page (what the signed-in user has to do, by role), the organisation's colours, and the page
that shows every component of the interface."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt

from accounts.permissions import is_city_staff, is_organiser_staff, is_unit_member
from assessments.contributors import cycles_with_leaves_of
from assessments.permissions import assessments_visible_to
from core import charts
from core.permissions import require
from cycles.permissions import can_manage_cycle, cycles_visible_to
from frameworks.permissions import frameworks_visible_to
from results.permissions import may_open_overview

from .theme import theme_css as theme_stylesheet


@login_required
def home(request):
    user = request.user
    cycles = list(cycles_visible_to(user).select_related("organiser").prefetch_related("phases"))
    own_assessments = (
        assessments_visible_to(user).filter(unit_id=user.unit_id).select_related("cycle", "unit")
        if user.unit_id
        else []
    )
    return render(
        request,
        "home.html",
        {
            "cycles": cycles,
            "frameworks": frameworks_visible_to(user).select_related("cycle"),
            "unit": user.unit,
            "own_assessments": own_assessments,
            "contributions": cycles_with_leaves_of(user.unit_id) if is_unit_member(user) else [],
            "is_staff_view": (is_city_staff(user) or is_organiser_staff(user))
            and user.role != "reviewer",
            "managed": {c.pk for c in cycles if can_manage_cycle(user, c)},
            "overview": may_open_overview(user),
        },
    )


@csrf_exempt  # changes nothing; a PUT to a wrong address must get the JSON 404, not a CSRF page
def api_not_found(request):
    """Any /api/ address that matches no operation: the API's JSON error, not the site's HTML page."""
    return JsonResponse({"detail": "Không có địa chỉ API này (xem /api/v1/docs)."}, status=404)


@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, the error and print
    pages): the site's icon, not a 404."""
    return HttpResponsePermanentRedirect(static("parindex/favicon.svg"))


@cache_control(public=True, max_age=3600)
def theme_css(request):
    """The organisation's colours (ORGANISATION_COLOUR) as CSS custom properties: a file, since the
    content security policy refuses inline styles."""
    return HttpResponse(
        theme_stylesheet(settings.ORGANISATION_COLOUR), content_type="text/css; charset=utf-8"
    )


@login_required
def ui_components(request):
    """Every component of the interface with made-up content (docs/ui.md), for the city's staff."""
    require(request.user, is_city_staff)
    # Shown through the messages component without being queued: this page changes nothing.
    notices = [
        Message(constants.SUCCESS, _("Đã lưu thay đổi (ví dụ một xác nhận đã lưu).")),
        Message(constants.WARNING, _("Còn 3 tiêu chí chưa có tài liệu kiểm chứng (ví dụ).")),
        Message(constants.ERROR, _("Chưa lưu được: số điểm vượt điểm tối đa (ví dụ một lỗi).")),
        Message(constants.INFO, _("Kỳ đánh giá 2026 đang ở giai đoạn tự đánh giá (ví dụ).")),
    ]
    sample = [
        {"label": _("Khối Sở, ban, ngành"), "counts": [9, 4], "total": 15},
        {"label": _("Khối UBND xã, phường"), "counts": [48, 60], "total": 126},
    ]
    chart = charts.progress(
        sample, [_("Đã nộp"), _("Đang làm")], _("Biểu đồ tiến độ (ví dụ)"), unit=_("đơn vị")
    )
    return render(
        request, "ui.html", {"charts": [charts.for_page(chart)], "sample_messages": notices}
    )


def csrf_failure(request, reason=""):
    """A form sent from a page whose security token is no longer valid (the user logged in again in
    another tab, or the page is old): said in Vietnamese on the site's own page, not Django's (whose
    inline style the content security policy blocks)."""
    return render(request, "403_csrf.html", status=403)
