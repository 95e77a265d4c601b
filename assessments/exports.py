"""An assessment's audit trail (nhật ký) as an Excel sheet: every change of its items and of itself."""

from django.db.models import Q

from accounts.models import AuditEvent
from core.spreadsheets import Column, Sheet, xlsx

from .models import Assessment
from .permissions import history_visible_to


def events_for(assessment: Assessment):
    item_ids = [str(pk) for pk in assessment.items.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type="assessments.item", object_id__in=item_ids)
        | Q(object_type="assessments.assessment", object_id=str(assessment.pk))
    ).select_related("actor")


def _flat(pairs: list[tuple[str, str]]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs)


def _actor(event) -> str:
    if event.actor is None:
        return "hệ thống"
    return event.actor.get_full_name() or event.actor.username


def history_columns(codes: dict[int, str]) -> list[Column]:
    def criterion(event) -> str:
        if event.object_type != "assessments.item":
            return ""
        return codes.get(int(event.object_id), "")

    # Notes, explanations and reasons are the unit's own text: text, never a formula.
    return [
        Column("Thời điểm", "at", width=20),
        Column("Người thực hiện", _actor, width=24),
        Column("Thao tác", "label", width=30),
        Column("Tiêu chí", criterion, width=10),
        Column("Trước", lambda event: _flat(event.before_words), width=50),
        Column("Sau", lambda event: _flat(event.after_words), width=50),
        Column("Lý do", "reason", width=40),
    ]


def history_workbook(assessment: Assessment, user) -> bytes:
    """The trail as `user` may read it: before the explanation round a unit gets its own side only."""
    codes = dict(assessment.items.values_list("pk", "node__code"))
    events = history_visible_to(user, assessment, events_for(assessment))
    events = events.order_by("at", "id").iterator()
    return xlsx(Sheet("nhat-ky", history_columns(codes), events))


def history_filename(assessment: Assessment) -> str:
    return f"nhat-ky-{assessment.cycle.year}-{assessment.unit.code}.xlsx"
