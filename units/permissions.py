"""Who may see which units: city staff see all; a department's or commune's staff see it and its own
offices; a unit member sees their own unit."""

from django.db.models import Q

from accounts.permissions import is_city_staff, is_organiser_staff, is_secretariat, is_unit_member

from .models import Unit


def units_visible_to(user):
    if is_city_staff(user):
        return Unit.objects.all()
    if is_organiser_staff(user):
        return Unit.objects.filter(Q(pk=user.unit_id) | Q(parent_id=user.unit_id))
    if is_unit_member(user):
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def can_manage_units(user) -> bool:
    return is_secretariat(user)
