"""The rules of a task's progress: a group-led task's overall status from its lead units' own, and a
unit's share of its tasks done on time (the framework's plan-implementation leaf). No request, no write."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import TaskStatus

DONE = TaskStatus.DONE


def overall_status(statuses: list[str]) -> str:
    """A task led by several units is done when every lead unit is done, not started while none has
    started, and in progress otherwise (docs/plans.md, "Nhiệm vụ do nhiều đơn vị chủ trì")."""
    if not statuses:
        return TaskStatus.NOT_STARTED
    if all(s == DONE for s in statuses):
        return DONE
    if all(s == TaskStatus.NOT_STARTED for s in statuses):
        return TaskStatus.NOT_STARTED
    return TaskStatus.IN_PROGRESS


def overall_done_on(done_dates: list[date | None]) -> date | None:
    """The day a group-led task was done: the day its last lead unit was (None until all are)."""
    if not done_dates or any(d is None for d in done_dates):
        return None
    return max(done_dates)


@dataclass(frozen=True)
class Counted:
    """One task a unit leads, as the plan-implementation leaf counts it: its due date, the unit's own
    status and the day the unit finished it."""

    due: date | None
    status: str
    done_on: date | None


def counts(task: Counted, as_of: date) -> bool:
    """Only a task with a due date counts; one not yet due counts only once done (early work counts,
    a task still within its time does not count against the unit)."""
    return task.due is not None and (task.due < as_of or task.status == DONE)


def on_time(task: Counted) -> bool:
    return task.status == DONE and task.done_on is not None and task.done_on <= task.due


def share_done_on_time(tasks: list[Counted], as_of: date) -> Decimal | None:
    """Share in [0, 1] of the counted tasks the unit finished by their due date; None when it has none."""
    counted = [t for t in tasks if counts(t, as_of)]
    if not counted:
        return None
    done = sum(1 for t in counted if on_time(t))
    return (Decimal(done) / Decimal(len(counted))).quantize(Decimal("0.0001"))
