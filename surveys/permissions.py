"""Who may see survey figures: the secretariat runs surveys; council and leaders read the figures.
Respondents need no account: their pages are public and protected by codes, limits and flags."""

from accounts.models import Role
from accounts.permissions import is_secretariat


def can_manage_surveys(user) -> bool:
    return is_secretariat(user)


def can_view_results(user) -> bool:
    return is_secretariat(user) or (
        user.is_authenticated and user.role in (Role.COUNCIL, Role.LEADER)
    )
