"""Who may see and change cycles: an organiser's secretariat changes its own cycles (the council may
also finalise one); the city's staff see every level; participating units see their own cycles."""

from django.db.models import Q

from accounts.models import Role
from accounts.permissions import (
    STAFF_ROLES,
    acts_for,
    is_city_staff,
    is_organiser_staff,
    is_unit_member,
    oversees,
)

from .models import Cycle, CycleState


def can_organise(user, organiser_id: int | None = None) -> bool:
    """Create and run cycles for this organiser (None: the city): its secretariat."""
    return acts_for(user, organiser_id, Role.SECRETARIAT)


def can_manage_cycle(user, cycle: Cycle, to_state: str | None = None) -> bool:
    """The cycle's secretariat changes it; its council may also finalise it."""
    if can_organise(user, cycle.organiser_id):
        return True
    return to_state == CycleState.FINALISED and acts_for(user, cycle.organiser_id, Role.COUNCIL)


def oversees_cycle(user, cycle: Cycle) -> bool:
    """Staff who read every unit of this cycle: its organiser's staff, and the city's."""
    return oversees(user, cycle.organiser_id, *STAFF_ROLES)


def cycles_visible_to(user):
    if is_city_staff(user):
        return Cycle.objects.all()
    if is_organiser_staff(user):
        return Cycle.objects.filter(organiser_id=user.unit_id)
    if is_unit_member(user):
        return Cycle.objects.filter(Q(participations__unit_id=user.unit_id)).distinct()
    return Cycle.objects.none()


def participations_visible_to(user, cycle: Cycle):
    """The cycle's overseers see every participating unit; a unit member sees only their own."""
    if oversees_cycle(user, cycle):
        return cycle.participations.all()
    if is_unit_member(user):
        return cycle.participations.filter(unit_id=user.unit_id)
    return cycle.participations.none()
