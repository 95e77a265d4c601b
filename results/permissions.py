"""Who may see and do what with a cycle's results before they are public.

The cycle's secretariat (the city's for the city's indices, a department's or commune's for its own)
computes, generates reports and publishes; the council, leaders and reviewers of that organiser, and
the city's, read everything; a unit reads its own result once the cycle is finalised. After
publication the public site (public/) shows the published snapshot to everyone.
"""

from accounts.models import Role
from accounts.permissions import (
    acts_for,
    is_city_staff,
    is_organiser_staff,
    is_secretariat,
    is_unit_member,
    oversees,
)
from cycles.models import CycleState

READERS = (Role.COUNCIL, Role.LEADER, Role.REVIEWER)
FINAL_STATES = (CycleState.FINALISED, CycleState.PUBLISHED)


def can_manage_results(user, cycle) -> bool:
    return acts_for(user, cycle.organiser_id, Role.SECRETARIAT)


def can_read_results(user, cycle) -> bool:
    """Every unit's result of the cycle: its organiser's staff and the city's."""
    return oversees(user, cycle.organiser_id, Role.SECRETARIAT, *READERS)


def may_open_results(user) -> bool:
    """The results pages at all: staff of the city or of an organiser."""
    return is_city_staff(user) or is_organiser_staff(user)


def result_cycles_visible_to(user, cycles):
    if is_city_staff(user):
        return cycles
    if is_organiser_staff(user):
        return cycles.filter(organiser_id=user.unit_id)
    return cycles.none()


def can_read_unit_result(user, cycle, unit) -> bool:
    if can_read_results(user, cycle):
        return True
    return is_unit_member(user) and user.unit_id == unit.pk and cycle.state in FINAL_STATES


OVERVIEW_ROLES = (Role.SECRETARIAT, Role.COUNCIL, Role.LEADER)


def may_open_overview(user) -> bool:
    """The overview: the secretariat, council and leaders, of the city (every level) or of an
    organiser (its own indices)."""
    return user.is_authenticated and (user.is_superuser or user.role in OVERVIEW_ROLES)


def sees_city_overview(user) -> bool:
    """The city-wide parts (SIPAS, the plan, the periodic reports): the city's own."""
    return may_open_overview(user) and is_city_staff(user)


def can_enter_provincial(user) -> bool:
    """The city's standing in the national indices (PAR Index, SIPAS, PAPI): kept by the city's
    secretariat (Sở Nội vụ); read by everyone who may open the results pages."""
    return is_secretariat(user)


def may_ask_assistant(user) -> bool:
    """The assistant: anyone signed in; each of its tools applies the asker's own permissions."""
    return user.is_authenticated


def can_read_assistant_log(user) -> bool:
    """The questions asked and the answers given: the city's secretariat."""
    return is_secretariat(user)


def can_make_briefing(user) -> bool:
    """The Chairman's briefing (results/briefing.py), made and read: the city's leaders and
    secretariat. It speaks for the whole city, so an organiser's staff and the council do not."""
    return is_secretariat(user) or acts_for(user, None, Role.LEADER)


def may_open_review(user) -> bool:
    """The five-year review (2021–2025) of the city's indices and its annexes: the city's secretariat,
    which writes the review report, and the city's leaders."""
    return is_secretariat(user) or acts_for(user, None, Role.LEADER)
