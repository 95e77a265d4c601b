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


def is_decided(item: Item) -> bool:
    """The reviewer has given the leaf appraised points, or ruled on its "not applicable" claim."""
    return item.appraised_points is not None or bool(item.na_decision)


def agreeable(item: Item) -> bool:
    """A leaf agreement can set: scored by the unit (or declared not applicable), not from data."""
    return item.node.rule not in READ_ONLY_RULES and item.is_answered


def _agree(actor, item: Item, reason: str, comment: str | None = None) -> Item:
    """Appraised points := the unit's own (or its "not applicable" claim accepted), audited as such."""
    before = snapshot(item)
    if item.not_applicable:
        item.na_decision, item.appraised_points = NaDecision.ACCEPTED, None
    else:
        item.appraised_points = item.self_points
    item.needs_explanation = False
    if comment is not None:
        item.appraisal_comment = comment.strip()
    return _save(actor, item, "item.appraise", before, reason=reason)


@transaction.atomic
def agree_with_item(actor, item: Item, *, comment: str = "", version: int | None = None) -> Item:
    """The reviewer explicitly agrees with the unit on one leaf: appraised points = self points."""
    item = _lock(item)
    require(actor, can_appraise, _("Bạn không được phân công thẩm định tiêu chí này."), item)
    _require_appraised_here(item)
    _require_version(item, version)
    require_window(item.assessment.cycle, CycleState.APPRAISAL, PhaseKind.APPRAISAL)
    if not item.is_answered:
        raise AssessmentError(
            _("Đơn vị chưa tự chấm tiêu chí %(code)s: không có điểm để nhất trí.")
            % {"code": item.node.code}
        )
    return _agree(
        actor,
        item,
        f"Nhất trí với tự đánh giá tiêu chí {item.node.code}",
        comment=comment,
    )


def domain_agreement_items(items) -> list[Item]:
    """The leaves of a domain an agreement would set: agreeable and not yet decided.

    Leaves the reviewer has already decided keep that decision: agreeing with a domain never
    overwrites a judgement made leaf by leaf. (Whether the reviewer may appraise the domain is
    checked once, by the caller: an assignment covers a whole domain.)"""
    return [i for i in items if agreeable(i) and not is_decided(i)]


@transaction.atomic
def agree_with_domain(
    actor, assessment: Assessment, domain_code: str, *, expected: int | None = None
) -> int:
    """Appraised points = self points for every leaf of a domain the reviewer may appraise and has
    not decided yet. `expected`: the count the reviewer confirmed; refused when it no longer holds."""
    assessment = Assessment.objects.select_related("cycle").get(pk=assessment.pk)
    items = list(
        assessment.items.select_for_update(of=("self",))
        .select_related("node", "assessment")
        .filter(node__code__startswith=f"{domain_code}.")
    )
    # One domain, one assignment: its first leaf answers for all of them.
    if not items or not can_appraise(actor, items[0]):
        raise PermissionDenied(_("Bạn không được phân công thẩm định lĩnh vực này."))
    require_window(assessment.cycle, CycleState.APPRAISAL, PhaseKind.APPRAISAL)
    chosen = domain_agreement_items(items)
    if expected is not None and expected != len(chosen):
        raise AssessmentError(
            _(
                "Số tiêu chí sẽ được đặt theo tự đánh giá của lĩnh vực %(domain)s đã thay đổi "
                "(nay là %(count)s, bạn đã xác nhận %(expected)s). Hãy xem lại rồi xác nhận lần nữa."
            )
            % {"domain": domain_code, "count": len(chosen), "expected": expected}
        )
    for item in chosen:
        _agree(actor, item, f"Nhất trí với tự đánh giá lĩnh vực {domain_code}")
    return len(chosen)


@transaction.atomic
def assign_reviewer(actor, cycle: Cycle, reviewer, units, domain_code: str = "") -> int:
    from accounts.models import Role

    require(actor, can_manage, _("Chỉ Thư ký của kỳ đánh giá được phân công thẩm định."), cycle)
    # A reviewer belongs to one organiser's working group: the city's, or a department's or commune's.
    if (
        reviewer.role != Role.REVIEWER
        or not reviewer.is_active
        or reviewer.unit_id != cycle.organiser_id
    ):
        raise AssessmentError(
            _("%(reviewer)s không phải thành viên Tổ công tác thẩm định của kỳ đánh giá này.")
            % {"reviewer": reviewer}
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
    cycle = assignment.cycle
    require(actor, can_manage, _("Chỉ Thư ký của kỳ đánh giá được phân công thẩm định."), cycle)
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
