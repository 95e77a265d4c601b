"""Display helpers for the plan screens."""

from django import template

from ..models import TaskStatus

register = template.Library()


@register.filter
def task_status(value: str) -> str:
    """A status code from the audit trail as its label ("done" → "Hoàn thành")."""
    return TaskStatus(value).label if value in TaskStatus.values else value
