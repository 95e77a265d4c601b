"""The home page: what the signed-in user has to do, by role."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from accounts.permissions import is_city_staff, is_organiser_staff
from assessments.permissions import assessments_visible_to
from cycles.permissions import can_manage_cycle, cycles_visible_to
from frameworks.permissions import frameworks_visible_to
from results.permissions import may_open_overview


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
