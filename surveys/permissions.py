"""Who may see survey figures: the secretariat runs surveys; council and leaders read the figures.
Respondents need no account: their pages are public and protected by codes, limits and flags.

Fieldwork (docs/surveys.md, "Phiếu giấy và điều tra viên"): clerks who key paper forms, supervisors who
resolve the differences between two keyings, and enumerators who fill forms on a tablet are accounts in
one of three groups (Django groups, made by migration 0005 and given in the admin), whatever their role;
the secretariat may do all three. They are known people: none of the anonymous limits applies to them."""

from django.utils.translation import gettext_lazy

from accounts.permissions import is_city_reader, is_secretariat

CLERK_GROUP = "survey_clerk"
"""Keys paper forms (the data-entry screen)."""
SUPERVISOR_GROUP = "survey_supervisor"
"""Resolves the differences between two clerks' keyings of a form."""
ENUMERATOR_GROUP = "survey_enumerator"
"""Fills forms in the field on a tablet (the enumerator mode)."""
FIELD_GROUPS = (CLERK_GROUP, SUPERVISOR_GROUP, ENUMERATOR_GROUP)


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_survey_groups", None)
    if cached is None:
        cached = user._survey_groups = frozenset(
            user.groups.filter(name__in=FIELD_GROUPS).values_list("name", flat=True)
        )
    return name in cached


def can_manage_surveys(user) -> bool:
    return is_secretariat(user)


def can_view_results(user) -> bool:
    return is_city_reader(user)


def can_key_paper(user) -> bool:
    return is_secretariat(user) or _in_group(user, CLERK_GROUP)


def can_resolve_paper(user) -> bool:
    return is_secretariat(user) or _in_group(user, SUPERVISOR_GROUP)


def can_collect_in_field(user) -> bool:
    return is_secretariat(user) or _in_group(user, ENUMERATOR_GROUP)


def can_do_fieldwork(user) -> bool:
    """Any of the three: the paper and fieldwork page lists what each may do."""
    return can_key_paper(user) or can_resolve_paper(user) or can_collect_in_field(user)


ONLY_MANAGERS = gettext_lazy("Chỉ Sở Nội vụ quản lý khảo sát.")
