"""The assessments part of the JSON API: read a unit's assessment, write a leaf's self-assessment
inputs and add references to official documents as evidence.

The bearer token acts as its user: what the user may see comes from `permissions` (invisible
assessments answer 404, as on the screens), every change goes through `services` (which checks
the role, phase and values, and writes the audit event). See docs/api.md.
"""

from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from cycles.converters import CycleKey
from frameworks.scoring import to_points

from . import services
from .models import Assessment, Evidence, Item
from .permissions import assessments_visible_to, may_see_appraisal_of

router = Router(tags=["assessments"])


# ------------------------------------------------------------------ schemas


class ErrorOut(Schema):
    detail: str


class UnitOut(Schema):
    code: str
    name: str


class CycleOut(Schema):
    year: int
    key: str
    state: str


class EvidenceOut(Schema):
    id: int
    kind: Literal["file", "reference"]
    stage: str = Field(description="self (tự đánh giá) hoặc explanation (giải trình)")
    name: str = Field(description="Tên tệp, hoặc số, ký hiệu của văn bản được dẫn")
    doc_number: str
    doc_date: date | None
    issuer: str
    link: str


class ItemOut(Schema):
    code: str
    title: str
    rule: str
    rule_params: dict[str, Any]
    max_points: str = Field(examples=["1.00"])
    evidence_rule: str = Field(
        description="always: luôn cần tài liệu kiểm chứng; when_claimed: khi tự chấm có điểm "
        "(điểm trừ: khi có trừ); never: không cần"
    )
    evidence_required: bool = Field(
        description="Với số điểm đang tự chấm, tiêu chí có cần tài liệu kiểm chứng không"
    )
    inputs: dict[str, Any]
    self_points: str | None = Field(examples=["0.90"])
    not_applicable: bool
    na_reason: str
    note: str
    appraised_points: str | None = Field(
        description="null với cán bộ đơn vị cho tới khi vòng giải trình mở"
    )
    final_points: str | None
    version: int = Field(description="Gửi lại khi ghi (khoá lạc quan)")
    evidence: list[EvidenceOut]


class AssessmentOut(Schema):
    unit: UnitOut
    cycle: CycleOut
    state: str
    items: list[ItemOut]


class ConflictOut(Schema):
    detail: str
    item: ItemOut


class SelfAssessmentIn(Schema):
    inputs: dict[str, Any] = Field(
        default_factory=dict,
        description="Số liệu theo quy tắc chấm của tiêu chí, ví dụ "
        '{"numerator": 9, "denominator": 10} cho quy tắc ratio',
    )
    note: str = ""
    not_applicable: bool = False
    na_reason: str = ""
    version: int = Field(ge=1, description="version của tiêu chí khi đọc")


class ReferenceIn(Schema):
    doc_number: str = Field(max_length=100, description="Số, ký hiệu văn bản")
    doc_date: date | None = Field(None, description="Ngày ban hành, YYYY-MM-DD")
    issuer: str = Field("", max_length=200)
    link: str = Field("", max_length=500, description="Địa chỉ http(s) của văn bản")


# ------------------------------------------------------------------ presenting


def _points(value) -> str | None:
    return None if value is None else str(to_points(value))


def _evidence(evidence: Evidence) -> dict:
    return {
        "id": evidence.pk,
        "kind": "file" if evidence.is_file else "reference",
        "stage": evidence.stage,
        "name": str(evidence),
        "doc_number": evidence.doc_number,
        "doc_date": evidence.doc_date,
        "issuer": evidence.issuer,
        "link": evidence.link,
    }


def _shows_appraisal(user, assessment: Assessment) -> bool:
    # Units see the working group's points once the explanation round opens (one rule, in
    # permissions.may_see_appraisal_of, shared with the screens and the history export).
    return may_see_appraisal_of(user, assessment)


def _item(item: Item, shows_appraisal: bool) -> dict:
    node = item.node
    return {
        "code": node.code,
        "title": node.title,
        "rule": node.rule,
        "rule_params": node.rule_params or {},
        "max_points": _points(node.max_points),
        "evidence_rule": node.evidence_rule,
        "evidence_required": item.needs_evidence,
        "inputs": item.inputs or {},
        "self_points": _points(item.self_points),
        "not_applicable": item.not_applicable,
        "na_reason": item.na_reason,
        "note": item.note,
        "appraised_points": _points(item.appraised_points) if shows_appraisal else None,
        "final_points": _points(item.final_points) if shows_appraisal else None,
        "version": item.version,
        "evidence": [_evidence(e) for e in item.evidence.all()],
    }


def _items():
    return Item.objects.select_related("node").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.current())
    )


def _fresh_item(user, assessment: Assessment, pk: int) -> dict:
    return _item(_items().get(pk=pk), _shows_appraisal(user, assessment))


# ------------------------------------------------------------------ lookups


def _visible_assessment(user, key: str, unit_code: str) -> Assessment:
    return get_object_or_404(
        assessments_visible_to(user).select_related("cycle", "unit"),
        cycle__key=key,
        unit__code=unit_code,
    )


def _visible_item(user, key: str, unit_code: str, code: str) -> Item:
    assessment = _visible_assessment(user, key, unit_code)
    return get_object_or_404(
        Item.objects.select_related("assessment__cycle", "assessment__unit", "node", "updated_by"),
        assessment=assessment,
        node__code=code,
    )


def _check_link(link: str) -> None:
    if not link:
        return
    try:
        URLValidator(schemes=["http", "https"])(link)
    except DjangoValidationError:
        raise services.AssessmentError(
            _("Đường dẫn phải là một địa chỉ http:// hoặc https:// hợp lệ.")
        ) from None


# ------------------------------------------------------------------ endpoints

_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "/{key}/{unit_code}",
    response={200: AssessmentOut, 401: ErrorOut, 404: ErrorOut},
    summary="Đọc bản tự đánh giá của một đơn vị",
)
def read_assessment(request, key: CycleKey, unit_code: str):
    user = request.auth
    assessment = _visible_assessment(user, key, unit_code)
    shows = _shows_appraisal(user, assessment)
    items = _items().filter(assessment=assessment).order_by("node__order", "node__id")
    return {
        "unit": {"code": assessment.unit.code, "name": assessment.unit.name},
        "cycle": {
            "year": assessment.cycle.year,
            "key": assessment.cycle.key,
            "state": assessment.cycle.state,
        },
        "state": assessment.state,
        "items": [_item(i, shows) for i in items],
    }


@router.put(
    "/{key}/{unit_code}/items/{code}",
    response={200: ItemOut, 400: ErrorOut, 409: ConflictOut, **_ERRORS},
    summary="Ghi số liệu tự đánh giá của một tiêu chí",
)
def save_item(request, key: CycleKey, unit_code: str, code: str, payload: SelfAssessmentIn):
    user = request.auth
    item = _visible_item(user, key, unit_code, code)
    assessment = item.assessment
    try:
        item = services.save_self(
            user,
            item,
            inputs=payload.inputs,
            note=payload.note,
            not_applicable=payload.not_applicable,
            na_reason=payload.na_reason,
            version=payload.version,
        )
    except services.Conflict as exc:
        return Status(409, {"detail": str(exc), "item": _fresh_item(user, assessment, exc.item.pk)})
    except services.AssessmentError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _fresh_item(user, assessment, item.pk))


@router.post(
    "/{key}/{unit_code}/items/{code}/evidence",
    response={201: EvidenceOut, 400: ErrorOut, **_ERRORS},
    summary="Thêm văn bản làm tài liệu kiểm chứng (dẫn chiếu, không kèm tệp)",
)
def add_reference(request, key: CycleKey, unit_code: str, code: str, payload: ReferenceIn):
    user = request.auth
    item = _visible_item(user, key, unit_code, code)
    try:
        _check_link(payload.link.strip())
        evidence = services.add_evidence_reference(
            user,
            item,
            doc_number=payload.doc_number,
            doc_date=payload.doc_date,
            issuer=payload.issuer,
            link=payload.link,
        )
    except services.AssessmentError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, _evidence(evidence))
