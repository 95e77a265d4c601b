"""Who may see and do what with a cycle's results before they are public.

The secretariat computes, generates reports and publishes; the council and the city's leaders read
everything; a unit reads its own result once the cycle is finalised. After publication the public
site (public/) shows the published snapshot to everyone.
"""

from accounts.models import Role
from accounts.permissions import is_secretariat, is_unit_member
from cycles.models import CycleState

READERS = (Role.COUNCIL, Role.LEADER, Role.REVIEWER)
FINAL_STATES = (CycleState.FINALISED, CycleState.PUBLISHED)


def can_manage_results(user) -> bool:
    return is_secretariat(user)


def can_read_results(user) -> bool:
    """Every unit's result of any cycle: secretariat, council, leaders and reviewers."""
    return is_secretariat(user) or (user.is_authenticated and user.role in READERS)


def can_read_unit_result(user, cycle, unit) -> bool:
    if can_read_results(user):
        return True
    return is_unit_member(user) and user.unit_id == unit.pk and cycle.state in FINAL_STATES
