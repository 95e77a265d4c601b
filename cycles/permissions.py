"""Who may see and change cycles: the secretariat changes; city staff and participating units see."""

from accounts.models import Role
from accounts.permissions import is_city_staff, is_secretariat, is_unit_member

from .models import Cycle, CycleState


def can_manage_cycles(user, to_state: str | None = None) -> bool:
    """The secretariat changes cycles; the council may also finalise one."""
    if is_secretariat(user):
        return True
    return to_state == CycleState.FINALISED and user.is_authenticated and user.role == Role.COUNCIL


def cycles_visible_to(user):
    if is_city_staff(user):
        return Cycle.objects.all()
    if is_unit_member(user):
        return Cycle.objects.filter(participations__unit_id=user.unit_id).distinct()
    return Cycle.objects.none()


def participations_visible_to(user, cycle: Cycle):
    """City staff see every participating unit; a unit member sees only their own."""
    if is_city_staff(user):
        return cycle.participations.all()
    if is_unit_member(user):
        return cycle.participations.filter(unit_id=user.unit_id)
    return cycle.participations.none()
