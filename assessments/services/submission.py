"""Submission of a self-assessment by the unit head, and its reopening by the secretariat."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from cycles.models import CycleState, PhaseKind
from frameworks.scoring import READ_ONLY_RULES

from .. import notifications
from ..models import Assessment, AssessmentState, Item
from ..permissions import can_manage, can_submit
from .common import AssessmentError, require_window
from .transitions import move, require_transition


def submission_problems(assessment: Assessment) -> dict[str, list[Item]]:
    """Leaves left unanswered and leaves whose evidence rule asks for evidence they do not have."""
    items = list(
        assessment.items.select_related("node")
        .prefetch_related("evidence")
        .order_by("node__order", "node__id")
    )
    unanswered = [i for i in items if i.node.rule not in READ_ONLY_RULES and not i.is_answered]
    # The leaf's evidence rule decides (frameworks/evidence.py): a bonus or penalty left at 0, or a leaf
    # scored 0, needs none unless its rule says "always".
    no_evidence = [i for i in items if i.evidence_missing]
    return {"unanswered": unanswered, "no_evidence": no_evidence}


@transaction.atomic
def submit(actor, assessment: Assessment) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update().select_related("cycle", "unit").get(pk=assessment.pk)
    )
    require(actor, can_submit, _("Chỉ thủ trưởng đơn vị được nộp bản tự đánh giá."), assessment)
    require_transition(assessment, AssessmentState.SUBMITTED, _("Bản tự đánh giá đã được nộp."))
    require_window(assessment.cycle, CycleState.SELF_ASSESSMENT, PhaseKind.SELF_ASSESSMENT)
    problems = submission_problems(assessment)
    unanswered = ", ".join(i.node.code for i in problems["unanswered"])
    no_evidence = ", ".join(i.node.code for i in problems["no_evidence"])
    if unanswered and no_evidence:
        raise AssessmentError(
            _(
                "Chưa nộp được; các tiêu chí chưa chấm: %(unanswered)s; "
                "thiếu tài liệu kiểm chứng: %(no_evidence)s."
            )
            % {"unanswered": unanswered, "no_evidence": no_evidence}
        )
    if unanswered:
        raise AssessmentError(
            _("Chưa nộp được; các tiêu chí chưa chấm: %(unanswered)s.") % {"unanswered": unanswered}
        )
    if no_evidence:
        raise AssessmentError(
            _("Chưa nộp được; các tiêu chí thiếu tài liệu kiểm chứng: %(no_evidence)s.")
            % {"no_evidence": no_evidence}
        )
    move(
        actor,
        assessment,
        AssessmentState.SUBMITTED,
        action="assessment.submit",
        submitted_at=timezone.now(),
        submitted_by=actor,
    )
    notifications.assessment_submitted(assessment)
    return assessment


@transaction.atomic
def reopen(actor, assessment: Assessment, reason: str) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update().select_related("cycle", "unit").get(pk=assessment.pk)
    )
    require(
        actor,
        can_manage,
        _("Chỉ Thư ký của kỳ đánh giá được mở lại bản tự đánh giá."),
        assessment.cycle,
    )
    require_transition(assessment, AssessmentState.DRAFT, _("Chỉ mở lại được bản đã nộp."))
    if assessment.cycle.state != CycleState.SELF_ASSESSMENT:
        raise AssessmentError(_("Chỉ mở lại được trong giai đoạn tự đánh giá."))
    if not reason.strip():
        raise AssessmentError(_("Hãy nêu lý do mở lại."))
    move(
        actor, assessment, AssessmentState.DRAFT, action="assessment.reopen", reason=reason.strip()
    )
    notifications.assessment_reopened(assessment, reason.strip())
    return assessment
