"""Template context shared by every page."""

from django.conf import settings
from django.templatetags.static import static

from .navigation import menu


def emblem_url() -> str:
    """ORGANISATION_EMBLEM as an address: a static file path, or an address kept as given."""
    emblem = settings.ORGANISATION_EMBLEM
    return emblem if emblem.startswith(("/", "http://", "https://")) else static(emblem)


def site(request):
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "ORGANISATION_SUPERIOR": settings.ORGANISATION_SUPERIOR,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "ORGANISATION_EMBLEM_URL": emblem_url(),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = user.notifications.filter(read_at__isnull=True).count()
        context["menu"] = menu(user, request.path)
    return context
