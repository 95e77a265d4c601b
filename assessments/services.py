"""Every change to an assessment: self-assessment, evidence, submission, appraisal, explanation,
final points, finalisation. Each checks permission and phase, writes an audit event, one transaction."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.audit import record
from cycles.models import Cycle, CycleState, PhaseKind
from frameworks import tree
from frameworks.scoring import READ_ONLY_RULES, points_bounds, score, to_points, validate_inputs

from . import notifications
from .automatic import fill_from_sources
from .models import (
    Assessment,
    AssessmentState,
    Evidence,
    EvidenceStage,
    Item,
    NaDecision,
    ReviewerAssignment,
)
from .permissions import can_appraise, can_fill, can_manage, can_submit, is_member_of
from .uploads import check_upload


class AssessmentError(Exception):
    """A refused change, with a message for the user."""


class Conflict(AssessmentError):
    """Someone else changed the item since the user loaded it; `item` holds the newer values."""

    def __init__(self, item: Item):
        self.item = item
        who = (
            item.updated_by.get_full_name() or item.updated_by.username
            if item.updated_by
            else "người khác"
        )
        super().__init__(
            f"Tiêu chí {item.node.code} vừa được {who} thay đổi lúc "
            f"{timezone.localtime(item.updated_at):%d/%m/%Y %H:%M}. Giá trị mới nhất được hiển thị; "
            "hãy kiểm tra rồi lưu lại nếu cần."
        )


# ------------------------------------------------------------------ helpers


def _deny(message: str):
    raise PermissionDenied(message)


def require_window(cycle: Cycle, state: str, phase_kind: str) -> None:
    """The cycle must be in `state` and, if the phase has dates, now must be inside them."""
    if cycle.state != state:
        raise AssessmentError(
            f"Kỳ đánh giá {cycle.year} đang ở giai đoạn “{cycle.get_state_display()}”: "
            "thao tác này không còn (hoặc chưa) được phép."
        )
    phase = cycle.phases.filter(kind=phase_kind).first()
    if phase is None:
        return
    now = timezone.now()
    if now < phase.opens_at:
        raise AssessmentError(
            f"Giai đoạn “{phase.get_kind_display()}” mở lúc {timezone.localtime(phase.opens_at):%d/%m/%Y %H:%M}."
        )
    if now >= phase.closes_at:
        raise AssessmentError(
            f"Giai đoạn “{phase.get_kind_display()}” đã đóng lúc "
            f"{timezone.localtime(phase.closes_at):%d/%m/%Y %H:%M}; không nhận thay đổi sau thời hạn."
        )


def _lock(item: Item) -> Item:
    return (
        Item.objects.select_for_update(of=("self",))
        .select_related("assessment__cycle", "assessment__unit", "node", "updated_by")
        .get(pk=item.pk)
    )


def _require_version(item: Item, version) -> None:
    """Checked after permission, so that a refused user learns nothing from a conflict."""
    try:
        stale = version not in (None, "") and int(version) != item.version
    except (TypeError, ValueError):
        raise AssessmentError("Phiên bản của biểu mẫu không hợp lệ; hãy tải lại trang.") from None
    if stale:
        raise Conflict(item)


def _points(value, item: Item) -> Decimal:
    try:
        points = to_points(Decimal(str(value).replace(",", ".")))
    except (InvalidOperation, ValueError):
        raise AssessmentError(f"Điểm “{value}” không phải là số.") from None
    low, high = points_bounds(item.node.rule, item.node.max_points)
    if not low <= points <= high:
        raise AssessmentError(f"Điểm của tiêu chí {item.node.code} phải từ {low} đến {high}.")
    return points


def snapshot(item: Item) -> dict:
    return {
        "inputs": item.inputs,
        "self_points": str(item.self_points) if item.self_points is not None else None,
        "not_applicable": item.not_applicable,
        "na_reason": item.na_reason,
        "note": item.note,
        "appraised_points": str(item.appraised_points)
        if item.appraised_points is not None
        else None,
        "appraisal_comment": item.appraisal_comment,
        "na_decision": item.na_decision,
        "needs_explanation": item.needs_explanation,
        "explanation": item.explanation,
        "final_points": str(item.final_points) if item.final_points is not None else None,
        "final_comment": item.final_comment,
    }


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _save(actor, item: Item, action: str, before: dict, reason: str = "") -> Item:
    item.version += 1
    item.updated_by = actor
    item.save()
    old, new = _changed(before, snapshot(item))
    record(actor, action, item, before=old, after=new, reason=reason)
    return item


# ------------------------------------------------------------------ creation


def ensure_assessments(cycle: Cycle) -> int:
    """An assessment with one item per leaf for every participating unit (idempotent)."""
    frameworks = {f.kind: f for f in cycle.frameworks.all()}
    leaves = {
        kind: [t.node for root in tree.build(f.nodes.all()) for t in root.leaves()]
        for kind, f in frameworks.items()
    }
    existing = set(cycle.assessments.values_list("unit_id", flat=True))
    created = []
    for participation in cycle.participations.all():
        if participation.unit_id in existing or participation.framework_kind not in frameworks:
            continue
        created.append(
            Assessment(
                cycle=cycle,
                unit_id=participation.unit_id,
                framework=frameworks[participation.framework_kind],
            )
        )
    Assessment.objects.bulk_create(created)
    items = [
        Item(assessment=a, node=leaf)
        for a in cycle.assessments.filter(unit_id__in=[c.unit_id for c in created]).select_related(
            "framework"
        )
        for leaf in leaves[a.framework.kind]
    ]
    Item.objects.bulk_create(items, batch_size=2000)
    return len(created)


# ------------------------------------------------------------------ self-assessment


@transaction.atomic
def save_self(
    actor,
    item: Item,
    *,
    inputs: dict,
    note: str = "",
    not_applicable: bool = False,
    na_reason: str = "",
    version: int | None = None,
) -> Item:
    item = _lock(item)
    assessment = item.assessment
    if not can_fill(actor, assessment):
        _deny("Chỉ cán bộ của đơn vị được tự đánh giá.")
    _require_version(item, version)
    if assessment.state != AssessmentState.DRAFT:
        raise AssessmentError(
            "Bản tự đánh giá đã nộp: không sửa được nữa (Sở Nội vụ có thể mở lại)."
        )
    require_window(assessment.cycle, CycleState.SELF_ASSESSMENT, PhaseKind.SELF_ASSESSMENT)
    node = item.node
    before = snapshot(item)
    if not_applicable:
        if not node.allows_not_applicable:
            raise AssessmentError(f"Tiêu chí {node.code} không được khai “không áp dụng”.")
        if not na_reason.strip():
            raise AssessmentError("Hãy nêu lý do tiêu chí không áp dụng với đơn vị.")
        item.inputs, item.self_points = {}, None
    else:
        problems = validate_inputs(node.rule, node.rule_params, node.max_points, inputs)
        if problems:
            raise AssessmentError(f"Tiêu chí {node.code}: " + " ".join(problems))
        item.inputs = inputs
        item.self_points = score(node.rule, node.rule_params, node.max_points, inputs)
    item.not_applicable = not_applicable
    item.na_reason = na_reason.strip() if not_applicable else ""
    item.note = note.strip()
    return _save(actor, item, "item.self_assess", before)


def _evidence_window(actor, item: Item, stage: str) -> None:
    assessment = item.assessment
    if not is_member_of(actor, assessment):
        _deny("Chỉ cán bộ của đơn vị được thêm hoặc bỏ tài liệu kiểm chứng.")
    if stage == EvidenceStage.SELF:
        if assessment.state != AssessmentState.DRAFT:
            raise AssessmentError("Bản tự đánh giá đã nộp: không thêm hoặc bỏ tài liệu được nữa.")
        require_window(assessment.cycle, CycleState.SELF_ASSESSMENT, PhaseKind.SELF_ASSESSMENT)
    else:
        require_window(assessment.cycle, CycleState.EXPLANATION, PhaseKind.EXPLANATION)
        if not item.disputed:
            raise AssessmentError(f"Tiêu chí {item.node.code} không cần giải trình.")


def _stage_now(item: Item) -> str:
    return (
        EvidenceStage.EXPLANATION
        if item.assessment.cycle.state == CycleState.EXPLANATION
        else EvidenceStage.SELF
    )


def _evidence_record(evidence: Evidence) -> dict:
    return {
        "evidence": evidence.pk,
        "name": evidence.original_name,
        "sha256": evidence.sha256,
        "doc_number": evidence.doc_number,
        "doc_date": evidence.doc_date.isoformat() if evidence.doc_date else None,
        "issuer": evidence.issuer,
        "link": evidence.link,
        "stage": evidence.stage,
    }


@transaction.atomic
def add_evidence_file(actor, item: Item, upload) -> Evidence:
    item = _lock(item)
    stage = _stage_now(item)
    _evidence_window(actor, item, stage)
    checked = check_upload(upload)
    from django.core.files.base import ContentFile

    evidence = Evidence(
        item=item,
        stage=stage,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(checked.name, ContentFile(checked.data), save=False)
    evidence.save()
    record(actor, "evidence.add", item, after=_evidence_record(evidence))
    return evidence


@transaction.atomic
def add_evidence_reference(
    actor, item: Item, *, doc_number: str, doc_date=None, issuer: str = "", link: str = ""
) -> Evidence:
    item = _lock(item)
    stage = _stage_now(item)
    _evidence_window(actor, item, stage)
    if not doc_number.strip():
        raise AssessmentError("Hãy nhập số, ký hiệu văn bản.")
    if link.strip() and not link.strip().lower().startswith(("http://", "https://")):
        raise AssessmentError("Đường dẫn phải bắt đầu bằng http:// hoặc https://.")
    if doc_date and doc_date > timezone.localdate():
        raise AssessmentError("Ngày ban hành văn bản không được ở tương lai.")
    evidence = Evidence.objects.create(
        item=item,
        stage=stage,
        doc_number=doc_number.strip(),
        doc_date=doc_date,
        issuer=issuer.strip(),
        link=link.strip(),
        uploaded_by=actor,
    )
    record(actor, "evidence.add", item, after=_evidence_record(evidence))
    return evidence


@transaction.atomic
def remove_evidence(actor, evidence: Evidence) -> None:
    item = _lock(evidence.item)
    _evidence_window(actor, item, evidence.stage)
    if evidence.removed_at is not None:
        return
    evidence.removed_at = timezone.now()
    evidence.save(update_fields=["removed_at"])
    record(actor, "evidence.remove", item, before=_evidence_record(evidence))


def submission_problems(assessment: Assessment) -> dict[str, list[Item]]:
    """Leaves left unanswered and leaves that need evidence and have none."""
    items = list(
        assessment.items.select_related("node")
        .prefetch_related("evidence")
        .order_by("node__order", "node__id")
    )
    unanswered = [i for i in items if i.node.rule not in READ_ONLY_RULES and not i.is_answered]
    no_evidence = [
        i
        for i in items
        if i.node.evidence_required
        and not i.not_applicable
        and i.node.rule not in READ_ONLY_RULES
        and not any(e.removed_at is None for e in i.evidence.all())
    ]
    return {"unanswered": unanswered, "no_evidence": no_evidence}


@transaction.atomic
def submit(actor, assessment: Assessment) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update().select_related("cycle", "unit").get(pk=assessment.pk)
    )
    if not can_submit(actor, assessment):
        _deny("Chỉ thủ trưởng đơn vị được nộp bản tự đánh giá.")
    if assessment.state != AssessmentState.DRAFT:
        raise AssessmentError("Bản tự đánh giá đã được nộp.")
    require_window(assessment.cycle, CycleState.SELF_ASSESSMENT, PhaseKind.SELF_ASSESSMENT)
    problems = submission_problems(assessment)
    if problems["unanswered"] or problems["no_evidence"]:
        parts = []
        if problems["unanswered"]:
            parts.append("chưa chấm: " + ", ".join(i.node.code for i in problems["unanswered"]))
        if problems["no_evidence"]:
            parts.append(
                "thiếu tài liệu kiểm chứng: "
                + ", ".join(i.node.code for i in problems["no_evidence"])
            )
        raise AssessmentError("Chưa nộp được; các tiêu chí " + "; ".join(parts) + ".")
    assessment.state = AssessmentState.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    assessment.save(update_fields=["state", "submitted_at", "submitted_by"])
    record(
        actor,
        "assessment.submit",
        assessment,
        before={"state": "draft"},
        after={"state": "submitted"},
    )
    notifications.assessment_submitted(assessment)
    return assessment


@transaction.atomic
def reopen(actor, assessment: Assessment, reason: str) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update().select_related("cycle", "unit").get(pk=assessment.pk)
    )
    if not can_manage(actor):
        _deny("Chỉ Sở Nội vụ được mở lại bản tự đánh giá.")
    if assessment.state != AssessmentState.SUBMITTED:
        raise AssessmentError("Chỉ mở lại được bản đã nộp.")
    if assessment.cycle.state != CycleState.SELF_ASSESSMENT:
        raise AssessmentError("Chỉ mở lại được trong giai đoạn tự đánh giá.")
    if not reason.strip():
        raise AssessmentError("Hãy nêu lý do mở lại.")
    assessment.state = AssessmentState.DRAFT
    assessment.save(update_fields=["state"])
    record(
        actor,
        "assessment.reopen",
        assessment,
        before={"state": "submitted"},
        after={"state": "draft"},
        reason=reason.strip(),
    )
    notifications.assessment_reopened(assessment, reason.strip())
    return assessment


# ------------------------------------------------------------------ appraisal


def _require_reviewer(actor, item: Item) -> None:
    if not can_appraise(actor, item):
        _deny("Bạn không được phân công thẩm định tiêu chí này.")
    if item.node.rule in READ_ONLY_RULES:
        raise AssessmentError(
            f"Điểm tiêu chí {item.node.code} lấy từ dữ liệu, không thẩm định tại đây."
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
    _require_reviewer(actor, item)
    _require_version(item, version)
    require_window(item.assessment.cycle, CycleState.APPRAISAL, PhaseKind.APPRAISAL)
    before = snapshot(item)
    if item.not_applicable:
        if na_decision not in NaDecision.values:
            raise AssessmentError("Hãy chấp nhận hoặc không chấp nhận việc khai “không áp dụng”.")
        item.na_decision = na_decision
    elif na_decision:
        raise AssessmentError("Đơn vị không khai “không áp dụng” cho tiêu chí này.")
    if item.not_applicable and na_decision == NaDecision.ACCEPTED:
        item.appraised_points = None
    elif points in (None, ""):
        raise AssessmentError("Hãy nhập điểm thẩm định.")
    else:
        item.appraised_points = _points(points, item)
    if needs_explanation and not comment.strip():
        raise AssessmentError("Hãy ghi rõ nội dung đơn vị cần giải trình.")
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
        _deny("Bạn không được phân công thẩm định lĩnh vực này.")
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


# ------------------------------------------------------------------ explanation and final points


@transaction.atomic
def explain(actor, item: Item, *, text: str, version: int | None = None) -> Item:
    item = _lock(item)
    if not is_member_of(actor, item.assessment):
        _deny("Chỉ cán bộ của đơn vị được giải trình.")
    _require_version(item, version)
    require_window(item.assessment.cycle, CycleState.EXPLANATION, PhaseKind.EXPLANATION)
    if not item.disputed:
        raise AssessmentError(f"Tiêu chí {item.node.code} không cần giải trình.")
    if not text.strip():
        raise AssessmentError("Hãy nhập nội dung giải trình.")
    before = snapshot(item)
    item.explanation = text.strip()
    item.explained_at = timezone.now()
    return _save(actor, item, "item.explain", before)


@transaction.atomic
def set_final(actor, item: Item, *, points, comment: str = "", version: int | None = None) -> Item:
    item = _lock(item)
    _require_reviewer(actor, item)
    _require_version(item, version)
    if item.assessment.cycle.state != CycleState.EXPLANATION:
        raise AssessmentError("Điểm cuối cùng được chấm trong vòng giải trình.")
    before = snapshot(item)
    if item.not_applicable and item.na_decision == NaDecision.ACCEPTED and points in (None, ""):
        item.final_points = None
    else:
        item.final_points = _points(points, item)
    item.final_comment = comment.strip()
    return _save(actor, item, "item.finalise", before)


# ------------------------------------------------------------------ reviewer assignment


@transaction.atomic
def assign_reviewer(actor, cycle: Cycle, reviewer, units, domain_code: str = "") -> int:
    from accounts.models import Role

    if not can_manage(actor):
        _deny("Chỉ Sở Nội vụ được phân công thẩm định.")
    if reviewer.role != Role.REVIEWER or not reviewer.is_active:
        raise AssessmentError(f"{reviewer} không phải thành viên Tổ công tác thẩm định.")
    created = 0
    for unit in units:
        _, new = ReviewerAssignment.objects.get_or_create(
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


# ------------------------------------------------------------------ cycle transitions


def on_cycle_transition(actor, cycle: Cycle, before: str, after: str) -> None:
    """Registered in cycles.services.TRANSITION_HOOKS by AppConfig.ready()."""
    if after == CycleState.SELF_ASSESSMENT:
        ensure_assessments(cycle)
    elif after == CycleState.APPRAISAL:
        fill_from_sources(actor, cycle)  # the year's reports and surveys are in by then
        late = cycle.assessments.filter(state=AssessmentState.DRAFT)
        for assessment in late:
            record(
                actor,
                "assessment.submit",
                assessment,
                before={"state": "draft"},
                after={"state": "submitted"},
                reason="Hết hạn tự đánh giá: nộp tự động",
            )
        late.update(state=AssessmentState.SUBMITTED, submitted_at=timezone.now())
    elif after == CycleState.EXPLANATION:
        notifications.explanation_requested(cycle)
    elif after == CycleState.FINALISED:
        freeze(actor, cycle)


def freeze(actor, cycle: Cycle) -> None:
    """Final points for every leaf (final, else appraised, else self); assessments read-only."""
    na_accepted = Q(not_applicable=True) & ~Q(na_decision=NaDecision.REJECTED)
    (
        Item.objects.filter(assessment__cycle=cycle, final_points__isnull=True)
        .exclude(node__rule__in=READ_ONLY_RULES)
        .exclude(na_accepted)
        .update(final_points=Coalesce("appraised_points", "self_points"))
    )
    now = timezone.now()
    for assessment in cycle.assessments.exclude(state=AssessmentState.FINALISED):
        record(
            actor,
            "assessment.finalise",
            assessment,
            before={"state": assessment.state},
            after={"state": "finalised"},
        )
    cycle.assessments.update(state=AssessmentState.FINALISED, finalised_at=now)
    notifications.cycle_finalised(cycle)
