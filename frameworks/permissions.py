"""Who may see and change frameworks: the cycle's secretariat edits while the cycle is a draft; the
cycle's overseers (its organiser's staff and the city's) see all; a unit member sees the framework its
unit is scored by."""

from django.db.models import Exists, OuterRef

from accounts.models import Role
from accounts.permissions import acts_for, is_city_staff, is_organiser_staff, is_unit_member
from cycles.models import Participation

from .models import Framework


def frameworks_visible_to(user):
    if is_city_staff(user):
        return Framework.objects.all()
    if is_organiser_staff(user):
        return Framework.objects.filter(cycle__organiser_id=user.unit_id)
    if is_unit_member(user):
        scored_by = Participation.objects.filter(
            cycle_id=OuterRef("cycle_id"),
            unit_id=user.unit_id,
            framework_kind=OuterRef("kind"),
            framework_variant=OuterRef("variant"),
        )
        return Framework.objects.filter(Exists(scored_by))
    return Framework.objects.none()


def can_manage_frameworks(user, cycle) -> bool:
    return acts_for(user, cycle.organiser_id, Role.SECRETARIAT)


def can_edit_framework(user, framework: Framework) -> bool:
    return can_manage_frameworks(user, framework.cycle) and framework.is_editable
