"""Who may see which units: city staff see all; a unit member sees their own unit."""

from accounts.permissions import is_city_staff, is_secretariat, is_unit_member

from .models import Unit


def units_visible_to(user):
    if is_city_staff(user):
        return Unit.objects.all()
    if is_unit_member(user):
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def can_manage_units(user) -> bool:
    return is_secretariat(user)
