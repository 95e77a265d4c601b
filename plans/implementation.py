"""A unit's implementation of the city's plan as the framework reads it: the share of the tasks it leads
that it finished on time in the year (the `automatic` leaf whose rule names the source
"plan_tasks_done", wired in parindex/apps.py)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LeadStatus, Task
from .progress import Counted, counts, on_time, share_done_on_time

SOURCE = "plan_tasks_done"


def _as_of(year: int, today: date | None) -> date:
    """Tasks due before this day count: today during the year, the whole year once it is over."""
    today = today or timezone.localdate()
    return min(today, date(year + 1, 1, 1))


def unit_tasks(unit, year: int) -> list[Counted]:
    """Every task and milestone of the year's plan the unit leads, with the unit's own status on a
    task led by several units."""
    led = Task.objects.filter(plan__year=year, lead_units=unit)
    own = {
        row.task_id: row
        for row in LeadStatus.objects.filter(task__plan__year=year, unit=unit).only(
            "task_id", "status", "done_on"
        )
    }
    result = []
    for task in led.only("id", "due", "status", "done_on"):
        row = own.get(task.pk, task)
        result.append(Counted(due=task.due, status=row.status, done_on=row.done_on))
    return result


def share(unit, year: int, today: date | None = None) -> Decimal | None:
    """The unit's share of its counted tasks done on time (plans/progress.py), or None."""
    return share_done_on_time(unit_tasks(unit, year), _as_of(year, today))


def describe(unit, year: int, today: date | None = None) -> str | None:
    """Where the share comes from, in words for the unit."""
    as_of = _as_of(year, today)
    counted = [t for t in unit_tasks(unit, year) if counts(t, as_of)]
    if not counted:
        return None
    return _("Kế hoạch CCHC năm %(year)s: %(done)s/%(total)s nhiệm vụ hoàn thành đúng hạn") % {
        "year": year,
        "done": sum(1 for t in counted if on_time(t)),
        "total": len(counted),
    }


def source(unit, cycle, node) -> Decimal | None:
    """An `assessments.automatic.SOURCES` lookup: only for leaves naming this source."""
    if node.rule_params.get("source") != SOURCE:
        return None
    return share(unit, cycle.year)


def describer(unit, cycle, node) -> str | None:
    if node.rule_params.get("source") != SOURCE:
        return None
    return describe(unit, cycle.year)
