"""The home page: what the signed-in user has to do, by role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cycles.permissions import cycles_visible_to
from frameworks.permissions import frameworks_visible_to


@login_required
def home(request):
    cycles = cycles_visible_to(request.user).prefetch_related("phases")
    frameworks = frameworks_visible_to(request.user).select_related("cycle")
    return render(
        request,
        "home.html",
        {"cycles": cycles, "frameworks": frameworks, "unit": request.user.unit},
    )
