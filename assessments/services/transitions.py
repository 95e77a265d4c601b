"""Every change of an assessment's state goes through here, checked against the table beside
`AssessmentState` (`models.ALLOWED_TRANSITIONS`): one assessment at a time (`move`) or all the
assessments of a cycle at once (`move_all`). Both write the audit event of each assessment moved."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record

from ..models import ALLOWED_TRANSITIONS, Assessment, AssessmentState
from .common import AssessmentError


def sources_of(to_state: str) -> list[str]:
    """The states from which the table lets an assessment move to `to_state`."""
    return [state for state, targets in ALLOWED_TRANSITIONS.items() if to_state in targets]


def require_transition(assessment: Assessment, to_state: str, refusal: str = "") -> None:
    """Raises AssessmentError (`refusal`, else a message naming both states) unless the table
    lets the assessment's current state move to `to_state`."""
    if assessment.state in sources_of(to_state):
        return
    if refusal:
        raise AssessmentError(refusal)
    target = AssessmentState(to_state).label if to_state in AssessmentState.values else to_state
    raise AssessmentError(
        _(
            "Bản tự đánh giá của %(unit)s đang ở trạng thái “%(current)s”: "
            "không thể chuyển sang “%(target)s”."
        )
        % {
            "unit": assessment.unit,
            "current": AssessmentState(assessment.state).label,
            "target": target,
        }
    )


def move(
    actor, assessment: Assessment, to_state: str, *, action: str, reason: str = "", **fields
) -> Assessment:
    """One assessment (locked by the caller) to `to_state`, with `fields` set beside the state."""
    require_transition(assessment, to_state)
    before = assessment.state
    assessment.state = to_state
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save(update_fields=["state", *fields])
    record(
        actor,
        action,
        assessment,
        before={"state": before},
        after={"state": to_state},
        reason=reason,
    )
    return assessment


@transaction.atomic
def move_all(actor, assessments, to_state: str, *, action: str, reason: str = "", **fields) -> int:
    """Moves those of `assessments` (a queryset) whose state may go to `to_state`; the others stay
    as they are. Returns how many moved, each with its audit event.

    The rows are locked first and the UPDATE moves them only WHERE their state is still one the
    table lets go there (compare and set): a row that changed since it was read is not carried over
    its new state."""
    sources = sources_of(to_state)
    movable = list(
        assessments.filter(state__in=sources)
        .select_for_update(of=("self",))
        .select_related("cycle", "unit")
    )
    moved = Assessment.objects.filter(pk__in=[a.pk for a in movable], state__in=sources).update(
        state=to_state, **fields
    )
    for assessment in movable:
        record(
            actor,
            action,
            assessment,
            before={"state": assessment.state},
            after={"state": to_state},
            reason=reason,
        )
    return moved
