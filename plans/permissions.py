"""Who may see and change the plan: everyone signed in reads it; the secretariat manages it; the
members of a task's lead unit update its progress."""

from accounts.permissions import is_secretariat, is_unit_member


def can_view_plans(user) -> bool:
    return user.is_authenticated and bool(user.role or user.is_superuser)


def can_manage_plans(user) -> bool:
    return is_secretariat(user)


def can_update_task(user, task) -> bool:
    if is_secretariat(user):
        return True
    return is_unit_member(user) and task.lead_units.filter(pk=user.unit_id).exists()


def can_report_for(user, task, unit) -> bool:
    """On a task led by several units, each unit's members report its own status; the secretariat
    may report for any lead unit."""
    if not task.lead_units.filter(pk=unit.pk).exists():
        return False
    return is_secretariat(user) or (is_unit_member(user) and user.unit_id == unit.pk)
