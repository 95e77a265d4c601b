"""The home page: what the signed-in user has to do, by role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

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
