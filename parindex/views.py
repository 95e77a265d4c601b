"""The home page: what the signed-in user has to do, by role."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from accounts.permissions import is_city_staff, is_secretariat
from assessments.permissions import assessments_visible_to
from cycles.permissions import cycles_visible_to
from frameworks.permissions import frameworks_visible_to


@login_required
def home(request):
    user = request.user
    cycles = cycles_visible_to(user).prefetch_related("phases")
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
            "is_staff_view": is_city_staff(user) and user.role != "reviewer",
            "is_secretariat": is_secretariat(user),
        },
    )


@csrf_exempt  # changes nothing; a PUT to a wrong address must get the JSON 404, not a CSRF page
def api_not_found(request):
    """Any /api/ address that matches no operation: the API's JSON error, not the site's HTML page."""
    return JsonResponse({"detail": "Không có địa chỉ API này (xem /api/v1/docs)."}, status=404)
