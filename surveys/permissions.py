"""Who may see survey figures: the secretariat runs surveys; council and leaders read the figures.
Respondents need no account: their pages are public and protected by codes, limits and flags."""

from django.utils.translation import gettext_lazy

from accounts.permissions import is_city_reader, is_secretariat


def can_manage_surveys(user) -> bool:
    return is_secretariat(user)


def can_view_results(user) -> bool:
    return is_city_reader(user)


ONLY_MANAGERS = gettext_lazy("Chỉ Sở Nội vụ quản lý khảo sát.")
"""What the survey services answer anyone but those who manage surveys."""
