"""What the plan screens show of a task's lead units and a target's units (no request, no write)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.collation import sort_key

from .links import unit_actual_value
from .models import LeadStatus, Target, Task, TaskStatus


@dataclass
class LeadRow:
    unit: object
    status: str
    label: str
    done_on: date | None
    overdue: bool
    progress_note: str
    product_link: str


def lead_rows(task: Task, today: date) -> list[LeadRow]:
    """Each lead unit's own progress on a task led by several units, in the catalogue's order."""
    rows = sorted(
        task.lead_statuses.all(), key=lambda r: (r.unit.kind, sort_key(r.unit.display_name))
    )
    return [
        LeadRow(
            unit=r.unit,
            status=r.status,
            label=r.get_status_display(),
            done_on=r.done_on,
            overdue=r.is_overdue(today),
            progress_note=r.progress_note,
            product_link=r.product_link,
        )
        for r in rows
    ]


def units_done(task: Task) -> tuple[int, int]:
    """(lead units done, lead units) of a task led by several units (prefetched)."""
    rows = task.lead_statuses.all()
    return sum(1 for r in rows if r.status == TaskStatus.DONE), len(rows)


def own_status(task: Task, unit_id: int) -> LeadStatus | None:
    return next((r for r in task.lead_statuses.all() if r.unit_id == unit_id), None)


@dataclass
class AssignedRow:
    unit: object
    value_to_reach: Decimal | None
    actual: Decimal | None
    reached: bool | None


def assigned_rows(target: Target) -> list[AssignedRow]:
    """The units a target is handed to, each with the value to reach and its actual value from its
    own reports (None while it has sent none)."""
    rows = []
    for assignment in target.assignments.all():
        actual = unit_actual_value(assignment)
        goal = assignment.value_to_reach
        rows.append(
            AssignedRow(
                unit=assignment.unit,
                value_to_reach=goal,
                actual=actual,
                reached=None if actual is None or goal is None else actual >= goal,
            )
        )
    return sorted(rows, key=lambda r: (r.unit.kind, sort_key(r.unit.display_name)))
