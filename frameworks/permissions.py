"""Who may see and change frameworks: the secretariat edits while the cycle is a draft;
city staff see all; a unit member sees the framework its unit is scored by."""

from django.db.models import Exists, OuterRef

from accounts.permissions import is_city_staff, is_secretariat, is_unit_member
from cycles.models import Participation

from .models import Framework


def frameworks_visible_to(user):
    if is_city_staff(user):
        return Framework.objects.all()
    if is_unit_member(user):
        scored_by = Participation.objects.filter(
            cycle_id=OuterRef("cycle_id"), unit_id=user.unit_id, framework_kind=OuterRef("kind")
        )
        return Framework.objects.filter(Exists(scored_by))
    return Framework.objects.none()


def can_manage_frameworks(user) -> bool:
    return is_secretariat(user)


def can_edit_framework(user, framework: Framework) -> bool:
    return is_secretariat(user) and framework.is_editable
