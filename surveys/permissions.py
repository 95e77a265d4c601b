"""Who may see survey figures: the secretariat runs surveys; council and leaders read the figures.
Respondents need no account: their pages are public and protected by codes, limits and flags."""

from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.permissions import is_secretariat


def can_manage_surveys(user) -> bool:
    return is_secretariat(user)


def can_view_results(user) -> bool:
    return is_secretariat(user) or (
        # the city's council and leaders; an organiser's (a commune's own index) are not the city's
        user.is_authenticated and user.role in (Role.COUNCIL, Role.LEADER) and user.unit_id is None
    )


ONLY_MANAGERS = gettext_lazy("Chỉ Sở Nội vụ quản lý khảo sát.")
"""What the survey services answer anyone but those who manage surveys."""
