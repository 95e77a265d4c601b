"""Template context shared by every page."""

from django.conf import settings

from accounts.permissions import can_use_admin
from results.permissions import may_open_results
from surveys.permissions import can_view_results as can_view_surveys


def site(request):
    context = {"SITE_NAME": settings.SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = user.notifications.filter(read_at__isnull=True).count()
        # The menu offers only what the permissions allow: a commune's staff, scoped to its own
        # index, are not shown the city's surveys or the admin.
        context["nav"] = {
            "surveys": can_view_surveys(user),
            "results": may_open_results(user),
            "admin": can_use_admin(user),
        }
    return context
