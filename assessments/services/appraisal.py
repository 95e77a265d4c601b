"""Appraisal by the working group: reviewers assigned per unit (and domain), appraised points and
comments per leaf, or agreement with a whole domain."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from core.permissions import require
from cycles.models import Cycle, CycleState, PhaseKind
from frameworks.scoring import READ_ONLY_RULES

from .. import notifications
from ..models import Assessment, Item, NaDecision, ReviewerAssignment
from ..permissions import can_appraise, can_manage
from .common import (
    AssessmentError,
    _lock,
    _points,
    _require_version,
    _save,
    require_window,
    snapshot,
)


def _require_appraised_here(item: Item) -> None:
    """Survey and automatic leaves take their points from data, never from a reviewer."""
    if item.node.rule in READ_ONLY_RULES:
        raise AssessmentError(
            _("Điểm tiêu chí %(code)s lấy từ dữ liệu, không thẩm định tại đây.")
            % {"code": item.node.code}
        )


@transaction.atomic
def appraise(
    actor,
    item: Item,
    *,
    points=None,
    comment: str = "",
    na_decision: str = "",
    needs_explanation: bool = False,
    version: int | None = None,
) -> Item:
    item = _lock(item)
    require(actor, can_appraise, _("Bạn không được phân công thẩm định tiêu chí này."), item)
    _require_appraised_here(item)
    _require_version(item, version)
    require_window(item.assessment.cycle, CycleState.APPRAISAL, PhaseKind.APPRAISAL)
    before = snapshot(item)
    if item.not_applicable:
        if na_decision not in NaDecision.values:
            raise AssessmentError(
                _("Hãy chấp nhận hoặc không chấp nhận việc khai “không áp dụng”.")
            )
        item.na_decision = na_decision
    elif na_decision:
        raise AssessmentError(_("Đơn vị không khai “không áp dụng” cho tiêu chí này."))
    if item.not_applicable and na_decision == NaDecision.ACCEPTED:
        item.appraised_points = None
    elif points in (None, ""):
        raise AssessmentError(_("Hãy nhập điểm thẩm định."))
    else:
        item.appraised_points = _points(points, item)
    if needs_explanation and not comment.strip():
        raise AssessmentError(_("Hãy ghi rõ nội dung đơn vị cần giải trình."))
    item.appraisal_comment = comment.strip()
    item.needs_explanation = needs_explanation
    return _save(actor, item, "item.appraise", before)


@transaction.atomic
def agree_with_domain(actor, assessment: Assessment, domain_code: str) -> int:
    """Appraised points = self points for every leaf of a domain the reviewer may appraise."""
    assessment = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
    items = list(
        assessment.items.select_for_update(of=("self",))
        .select_related("node", "assessment")
        .filter(node__code__startswith=f"{domain_code}.")
    )
    allowed = [i for i in items if can_appraise(actor, i)]
    if not allowed:
        raise PermissionDenied(_("Bạn không được phân công thẩm định lĩnh vực này."))
    require_window(assessment.cycle, CycleState.APPRAISAL, PhaseKind.APPRAISAL)
    count = 0
    for item in allowed:
        if item.node.rule in READ_ONLY_RULES or not item.is_answered:
            continue
        before = snapshot(item)
        if item.not_applicable:
            item.na_decision, item.appraised_points = NaDecision.ACCEPTED, None
        else:
            item.appraised_points = item.self_points
        item.needs_explanation = False
        _save(
            actor,
            item,
            "item.appraise",
            before,
            reason=f"Nhất trí với tự đánh giá lĩnh vực {domain_code}",
        )
        count += 1
    return count


@transaction.atomic
def assign_reviewer(actor, cycle: Cycle, reviewer, units, domain_code: str = "") -> int:
    from accounts.models import Role

    require(actor, can_manage, _("Chỉ Sở Nội vụ được phân công thẩm định."))
    if reviewer.role != Role.REVIEWER or not reviewer.is_active:
        raise AssessmentError(
            _("%(reviewer)s không phải thành viên Tổ công tác thẩm định.") % {"reviewer": reviewer}
        )
    created = 0
    for unit in units:
        _assignment, new = ReviewerAssignment.objects.get_or_create(
            cycle=cycle, reviewer=reviewer, unit=unit, domain_code=domain_code
        )
        created += new
    if created:
        record(
            actor,
            "review.assign",
            cycle,
            after={
                "reviewer": reviewer.username,
                "domain": domain_code,
                "units": [u.code for u in units],
            },
        )
        notifications.reviewer_assigned(reviewer, cycle, created)
    return created


@transaction.atomic
def unassign_reviewer(actor, assignment: ReviewerAssignment) -> None:
    """Withdraws one assignment (the reviewer's points and comments already given stay, with their name).

    Refused once the council has finalised the cycle: the appraisal it approved must keep its record."""
    require(actor, can_manage, _("Chỉ Sở Nội vụ được phân công thẩm định."))
    cycle = assignment.cycle
    if cycle.is_approved:
        raise AssessmentError(
            _("Kỳ đánh giá %(year)s đã được Hội đồng thông qua: không bỏ phân công được nữa.")
            % {"year": cycle.year}
        )
    before = {
        "reviewer": assignment.reviewer.username,
        "domain": assignment.domain_code,
        "units": [assignment.unit.code],
    }
    assignment.delete()
    record(actor, "review.unassign", cycle, before=before)
