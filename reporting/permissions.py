"""Who may see and do what with periodic reports: a unit fills its own; the secretariat runs the
regime; the secretariat, council and leaders read the consolidated report."""

from accounts.permissions import is_city_reader, is_secretariat, is_unit_member


def can_manage_reporting(user) -> bool:
    return is_secretariat(user)


def can_view_consolidated(user) -> bool:
    return is_city_reader(user)


def can_view_report(user, unit) -> bool:
    return can_view_consolidated(user) or (is_unit_member(user) and user.unit_id == unit.pk)


def can_fill_report(user, unit) -> bool:
    return is_unit_member(user) and user.unit_id == unit.pk


def can_feed_indicators(user) -> bool:
    """Import indicator values, or push them from another system (its API token belongs to a
    secretariat account): the secretariat, which runs the reporting regime."""
    return is_secretariat(user)
