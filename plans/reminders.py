"""Due-soon and overdue alerts for plan tasks, to the members of the lead units (once per task and kind);
on a task led by several units, only to the lead units that have not finished their part."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.notify import notify
from core.formats import day

from .models import Task, TaskStatus


def send_task_reminders(today=None) -> int:
    today = today or timezone.localdate()
    sent = 0
    batches = (
        ("overdue", Task.objects.overdue(today), "Quá hạn"),
        ("due_soon", Task.objects.due_soon(settings.DEADLINE_REMINDER_DAYS, today), "Sắp đến hạn"),
    )
    for kind, tasks, label in batches:
        for task in tasks.select_related("plan").prefetch_related("lead_units", "lead_statuses"):
            units = (
                [r.unit_id for r in task.lead_statuses.all() if r.status != TaskStatus.DONE]
                if task.is_group_led
                else [u.pk for u in task.lead_units.all()]
            )
            members = User.objects.filter(
                unit__in=units,
                role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD],
                is_active=True,
            )
            sent += notify(
                members,
                f"{label}: nhiệm vụ {task.number} “{task.title[:120]}” (hạn {day(task.due)}).",
                reverse("plans:task", args=[task.pk]),
                key=f"task:{task.pk}:{kind}:{task.due.isoformat()}",
            )
    return sent
