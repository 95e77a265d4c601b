"""The unit's self-assessment: per-leaf inputs and points, and the evidence behind them."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from core.permissions import require
from cycles.models import CycleState, PhaseKind
from frameworks.scoring import score, validate_inputs

from ..models import AssessmentState, Evidence, EvidenceStage, Item
from ..permissions import can_fill, is_member_of
from ..uploads import check_upload
from .common import AssessmentError, _lock, _require_version, _save, require_window, snapshot


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
    require(actor, can_fill, _("Chỉ cán bộ của đơn vị được tự đánh giá."), item)
    _require_version(item, version)
    if assessment.state != AssessmentState.DRAFT:
        raise AssessmentError(
            _("Bản tự đánh giá đã nộp: không sửa được nữa (Sở Nội vụ có thể mở lại).")
        )
    require_window(assessment.cycle, CycleState.SELF_ASSESSMENT, PhaseKind.SELF_ASSESSMENT)
    node = item.node
    before = snapshot(item)
    if not_applicable:
        if not node.allows_not_applicable:
            raise AssessmentError(
                _("Tiêu chí %(code)s không được khai “không áp dụng”.") % {"code": node.code}
            )
        if not na_reason.strip():
            raise AssessmentError(_("Hãy nêu lý do tiêu chí không áp dụng với đơn vị."))
        item.inputs, item.self_points = {}, None
    else:
        problems = validate_inputs(node.rule, node.rule_params, node.max_points, inputs)
        if problems:
            raise AssessmentError(
                _("Tiêu chí %(code)s: %(problems)s")
                % {"code": node.code, "problems": " ".join(problems)}
            )
        item.inputs = inputs
        item.self_points = score(node.rule, node.rule_params, node.max_points, inputs)
    item.not_applicable = not_applicable
    item.na_reason = na_reason.strip() if not_applicable else ""
    item.note = note.strip()
    return _save(actor, item, "item.self_assess", before)


def _is_member_of_item(user, item: Item) -> bool:
    return is_member_of(user, item.assessment)


def _evidence_window(actor, item: Item, stage: str) -> None:
    assessment = item.assessment
    # Self-assessment evidence goes with the leaf's inputs (a contributing unit's too); the
    # explanation round is the unit's own.
    may_change = can_fill if stage == EvidenceStage.SELF else _is_member_of_item
    require(
        actor,
        may_change,
        _("Chỉ cán bộ của đơn vị được thêm hoặc bỏ tài liệu kiểm chứng."),
        item,
    )
    if stage == EvidenceStage.SELF:
        if assessment.state != AssessmentState.DRAFT:
            raise AssessmentError(
                _("Bản tự đánh giá đã nộp: không thêm hoặc bỏ tài liệu được nữa.")
            )
        require_window(assessment.cycle, CycleState.SELF_ASSESSMENT, PhaseKind.SELF_ASSESSMENT)
    else:
        require_window(assessment.cycle, CycleState.EXPLANATION, PhaseKind.EXPLANATION)
        if not item.disputed:
            raise AssessmentError(
                _("Tiêu chí %(code)s không cần giải trình.") % {"code": item.node.code}
            )


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
        raise AssessmentError(_("Hãy nhập số, ký hiệu văn bản."))
    if link.strip() and not link.strip().lower().startswith(("http://", "https://")):
        raise AssessmentError(_("Đường dẫn phải bắt đầu bằng http:// hoặc https://."))
    if doc_date and doc_date > timezone.localdate():
        raise AssessmentError(_("Ngày ban hành văn bản không được ở tương lai."))
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
