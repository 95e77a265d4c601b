"""Every change to a plan: create it, set its targets, import its tasks, confirm unit names, update a
task. Each audited."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record
from core.permissions import require
from core.tabular import read_table

from . import progress
from .importer import TaskRow, parse_tasks
from .models import LeadStatus, Plan, Target, TargetAssignment, Task, TaskStatus, UnitAlias
from .permissions import can_manage_plans, can_report_for, can_update_task


class PlanError(Exception):
    """A refused change, with a message for the user."""


# What anyone but the secretariat is told when changing a plan.
NOT_SECRETARIAT = gettext_lazy("Chỉ Sở Nội vụ quản lý kế hoạch CCHC.")


@transaction.atomic
def save_plan(actor, *, year: int, decision_number: str, decision_date: date, title: str) -> Plan:
    require(actor, can_manage_plans, NOT_SECRETARIAT)
    if not decision_number.strip() or not title.strip():
        raise PlanError(_("Cần số quyết định và tên kế hoạch."))
    plan, created = Plan.objects.update_or_create(
        year=year,
        defaults={
            "decision_number": decision_number.strip(),
            "decision_date": decision_date,
            "title": title.strip(),
        },
    )
    record(
        actor,
        "plan.create" if created else "plan.update",
        plan,
        after={"decision": plan.decision_number, "date": decision_date.isoformat()},
    )
    return plan


TARGET_FIELDS = (
    "area",
    "text",
    "metric",
    "target_value",
    "unit_of_measure",
    "indicator_code",
    "order",
)


def _target_state(target: Target) -> dict:
    return {
        name: str(value) if name == "target_value" and value is not None else value
        for name in TARGET_FIELDS
        for value in [getattr(target, name)]
    }


@transaction.atomic
def save_target(actor, target: Target) -> Target:
    """Add or change one target of a plan. No file carries them: the secretariat types them on the
    plan's admin page, which saves each one here."""
    require(actor, can_manage_plans, NOT_SECRETARIAT)
    before = _target_state(Target.objects.get(pk=target.pk)) if target.pk else None
    target.full_clean()
    target.save()
    record(
        actor,
        "target.create" if before is None else "target.update",
        target,
        before=before,
        after=_target_state(target),
    )
    return target


@transaction.atomic
def delete_target(actor, target: Target) -> None:
    require(actor, can_manage_plans, NOT_SECRETARIAT)
    record(actor, "target.delete", target, before=_target_state(target))
    target.delete()


@transaction.atomic
def import_tasks(actor, plan: Plan, data: bytes, filename: str = "") -> list[Task]:
    """Replace the plan's tasks by the file's. Refused once any task has progress recorded."""
    require(actor, can_manage_plans, NOT_SECRETARIAT)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    rows = parse_tasks(read_table(data, filename, allow_csv=False), plan.decision_date, plan.year)
    if (
        plan.tasks.exclude(status=TaskStatus.NOT_STARTED).exists()
        or plan.tasks.exclude(progress_note="").exists()
        or LeadStatus.objects.filter(task__plan=plan).exclude(progress_note="").exists()
    ):
        raise PlanError(
            _(
                "Kế hoạch đã có nhiệm vụ được cập nhật tiến độ: "
                "không nhập lại danh sách nhiệm vụ được."
            )
        )
    plan.tasks.all().delete()
    tasks = _create(plan, rows)
    record(actor, "plan.import_tasks", plan, after={"tasks": len(tasks), "source": filename})
    return tasks


def _create(plan: Plan, rows: list[TaskRow]) -> list[Task]:
    by_number: dict[str, Task] = {}
    tasks = []
    for position, row in enumerate(rows):
        task = Task.objects.create(
            plan=plan,
            parent=by_number.get(row.parent_number),
            number=row.number,
            area=row.area,
            title=row.title,
            product=row.product,
            leader=row.leader,
            lead_text=row.lead_text,
            coordinating_text=row.coordinating_text,
            outside_names=row.lead.outside + row.coordinating.outside,
            deadline_text=row.deadline.note[:500],
            deadline_kind=row.deadline.kind,
            due=row.deadline.due,
            order=position,
        )
        task.lead_units.set(row.lead.units)
        task.coordinating_units.set(row.coordinating.units)
        if len(row.lead.units) > 1:
            LeadStatus.objects.bulk_create(LeadStatus(task=task, unit=u) for u in row.lead.units)
        by_number[row.number] = task
        tasks.append(task)
    return tasks


@transaction.atomic
def confirm_names(actor, mapping: dict[str, object]) -> int:
    """Record what each unknown name is: a unit, or None for a body outside the catalogue."""
    require(actor, can_manage_plans, NOT_SECRETARIAT)
    for name, unit in mapping.items():
        alias, _created = UnitAlias.objects.update_or_create(
            name=name.strip(), defaults={"unit": unit}
        )
        record(
            actor,
            "plan.confirm_name",
            alias,
            after={"name": alias.name, "unit": unit.code if unit else None},
        )
    return len(mapping)


def _check_update(status: str, progress_note: str, product_link: str) -> None:
    if status not in TaskStatus.values:
        raise PlanError(_("Trạng thái “%(status)s” không hợp lệ.") % {"status": status})
    if product_link and not product_link.lower().startswith(("http://", "https://")):
        raise PlanError(_("Đường dẫn sản phẩm phải bắt đầu bằng http:// hoặc https://."))
    if status == TaskStatus.DONE and not (progress_note.strip() or product_link.strip()):
        raise PlanError(_("Nhiệm vụ hoàn thành cần nêu kết quả hoặc đường dẫn sản phẩm."))


def _done_on(old_status: str, old_done_on, status: str, today):
    """The day a status became done: kept while it stays done, cleared when it is reopened."""
    if status != TaskStatus.DONE:
        return None
    return old_done_on if old_status == TaskStatus.DONE and old_done_on else today


PROGRESS_FIELDS = ("status", "done_on", "progress_note", "product_link")


def _progress(row) -> dict:
    return {
        name: value.isoformat() if name == "done_on" and value else value
        for name in PROGRESS_FIELDS
        for value in [getattr(row, name)]
    }


@transaction.atomic
def update_task(
    actor,
    task: Task,
    *,
    status: str,
    progress_note: str = "",
    product_link: str = "",
    unit=None,
    today=None,
) -> Task:
    """Record a task's progress. On a task led by several units the update is one lead unit's own
    (`unit`, by default the actor's) and the task's status follows from theirs (plans/progress.py)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    today = today or timezone.localdate()
    if task.lead_statuses.exists():
        return _update_lead_status(
            actor, task, unit, status, progress_note.strip(), product_link.strip(), today
        )
    if not can_update_task(actor, task):
        raise PermissionDenied(_("Chỉ đơn vị chủ trì (hoặc Sở Nội vụ) cập nhật tiến độ nhiệm vụ."))
    _check_update(status, progress_note, product_link)
    before = _progress(task)
    task.done_on = _done_on(task.status, task.done_on, status, today)
    task.status, task.progress_note, task.product_link = (
        status,
        progress_note.strip(),
        product_link.strip(),
    )
    task.updated_by = actor
    task.save(update_fields=[*PROGRESS_FIELDS, "updated_by", "updated_at"])
    record(actor, "task.update", task, before=before, after=_progress(task))
    return task


def _update_lead_status(actor, task, unit, status, progress_note, product_link, today) -> Task:
    unit = unit if unit is not None else getattr(actor, "unit", None)
    if unit is None or not can_report_for(actor, task, unit):
        raise PermissionDenied(
            _(
                "Nhiệm vụ do nhiều đơn vị chủ trì: mỗi đơn vị chủ trì (hoặc Sở Nội vụ) "
                "cập nhật tiến độ của chính đơn vị đó."
            )
        )
    _check_update(status, progress_note, product_link)
    row = LeadStatus.objects.select_for_update().get(task=task, unit=unit)
    before = _progress(row)
    row.done_on = _done_on(row.status, row.done_on, status, today)
    row.status, row.progress_note, row.product_link = status, progress_note, product_link
    row.updated_by = actor
    row.save(update_fields=[*PROGRESS_FIELDS, "updated_by", "updated_at"])
    rows = list(task.lead_statuses.all())
    task.status = progress.overall_status([r.status for r in rows])
    task.done_on = progress.overall_done_on([r.done_on for r in rows])
    task.updated_by = actor
    task.save(update_fields=["status", "done_on", "updated_by", "updated_at"])
    # On the task, so that its history shows every unit's report; the unit is named in the event.
    record(
        actor,
        "task.unit_update",
        task,
        before=before | {"unit": unit.code},
        after=_progress(row)
        | {"unit": unit.code, "unit_name": unit.display_name, "task_status": task.status},
    )
    return task


@transaction.atomic
def assign_target(actor, target: Target, unit, target_value=None) -> TargetAssignment:
    """Hand a target to a unit (its own value to reach, or the plan's when None)."""
    require(actor, can_manage_plans, NOT_SECRETARIAT)
    assignment, created = TargetAssignment.objects.get_or_create(target=target, unit=unit)
    before = (
        None if created else {"unit": unit.code, "target_value": _text(assignment.target_value)}
    )
    assignment.target_value = target_value
    assignment.full_clean()
    assignment.save()
    record(
        actor,
        "target.assign",
        target,
        before=before,
        after={"unit": unit.code, "target_value": _text(target_value)},
    )
    return assignment


@transaction.atomic
def unassign_target(actor, assignment: TargetAssignment) -> None:
    require(actor, can_manage_plans, NOT_SECRETARIAT)
    record(
        actor,
        "target.unassign",
        assignment.target,
        before={"unit": assignment.unit.code, "target_value": _text(assignment.target_value)},
    )
    assignment.delete()


def _text(value) -> str | None:
    return None if value is None else str(value)
