"""The surveys part of the JSON API: the city's citizen app reads the waves and their questionnaires and
submits responses; city staff read a unit's figures.

Respondents have no accounts, so submitting and the two readings the app needs to draw the form are public
(`auth=None`); the app names itself in the `X-Client` header instead. A response goes through
`services.submit_response`, the same validation, limits, flags and idempotency (by `submission_id`) as the
web form. The figures follow `permissions.can_view_results` (the secretariat, the council and leaders);
publishing them to the public comes with the results. See docs/api.md.
"""

from datetime import datetime, timedelta
from functools import wraps
from typing import Annotated
from uuid import UUID

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Header, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import AllowInfNan, ConfigDict, StrictFloat, StrictInt, StrictStr

from cycles.models import CycleState
from units.models import Unit

from . import services
from .aggregates import unit_figures
from .models import Channel, Wave
from .permissions import can_view_results
from .stats import Share

router = Router(tags=["surveys"])

MAX_BODY = 64 * 1024
"""Bytes: a response is a few hundred; checked before the body is read as JSON."""

Scalar = StrictStr | StrictInt | Annotated[StrictFloat, AllowInfNan(False)]
Answer = Scalar | list[Scalar] | None


# ------------------------------------------------------------------ schemas


class ErrorOut(Schema):
    detail: str


class ProblemsOut(Schema):
    detail: list[str] = Field(
        description="Mọi lý do từ chối, bằng tiếng Việt",
        examples=[["Câu “Giới tính”: cần trả lời."]],
    )


class StoredOut(Schema):
    submission_id: UUID
    stored: bool = Field(
        True, description="Luôn là true: phiếu đã được lưu (lần này hoặc trước đó)"
    )


class ResponseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    submission_id: UUID = Field(
        description="Do ứng dụng tạo (UUID) cho mỗi phiếu; gửi lại cùng mã thì không tạo phiếu thứ hai"
    )
    answers: dict[str, Answer] = Field(
        description="Tên câu hỏi → câu trả lời (chuỗi hoặc số; danh sách cho câu nhiều lựa chọn)",
        examples=[{"sex": "f", "harassed": "none", "channels": ["web"], "svc_1": 5}],
    )
    channel: str = Field(description="Luôn là “api”", examples=["api"])
    started_at: datetime | None = Field(None, description="Lúc người trả lời mở phiếu")
    dossier: str | None = Field(None, max_length=100, description="Mã hồ sơ (không bắt buộc)")


class WaveOut(Schema):
    id: int
    title: str
    questionnaire: str = Field(description="Mã bảng hỏi", examples=["sipas"])
    questionnaire_version: int
    opens_at: datetime
    closes_at: datetime
    is_open: bool = Field(description="Đang nhận phiếu")


class QuestionOut(Schema):
    type: str = Field(description="section, likert5, scale4, single, multiple, number hoặc text")
    name: str
    label: str
    choices: list[list[str]] = Field(description="[giá trị, nhãn] như trong bảng hỏi")
    options: list[list[str]] = Field(
        description="Các lựa chọn để hiển thị: choices, hoặc 5 mức của câu likert5"
    )
    required: bool
    relevant: str = Field(description="Điều kiện hiển thị, dạng ${ten_cau_hoi} = 'gia_tri'")
    dimension: str = Field(description="Yếu tố, dạng nhom/yeu_to", examples=["service/access"])
    min: float | None = Field(description="Giới hạn dưới của câu number")
    max: float | None = Field(description="Giới hạn trên của câu number")


class QuestionnaireOut(Schema):
    wave: WaveOut
    questions: list[QuestionOut]


class UnitOut(Schema):
    code: str
    name: str


class ShareOut(Schema):
    n: int = Field(description="Số câu trả lời hợp lệ")
    share: float | None = Field(description="Tỷ lệ hài lòng (mức 4–5), từ 0 đến 1")
    low: float = Field(description="Cận dưới khoảng tin cậy 95% (Wilson)")
    high: float = Field(description="Cận trên khoảng tin cậy 95% (Wilson)")
    reliable: bool = Field(
        description="Đủ tin cậy: n ≥ 30 và khoảng tin cậy không rộng hơn 20 điểm"
    )


class DimensionShareOut(ShareOut):
    dimension: str = Field(examples=["service/access"])


class FiguresOut(Schema):
    wave: WaveOut
    unit: UnitOut
    n: int = Field(description="Số phiếu được tính (không kể phiếu bị loại)")
    overall: ShareOut | None = Field(description="Chỉ số hài lòng chung; null khi thiếu một phần")
    parts: list[DimensionShareOut]
    elements: list[DimensionShareOut]


# ------------------------------------------------------------------ presenting


def _wave(wave: Wave) -> dict:
    return {
        "id": wave.pk,
        "title": wave.title,
        "questionnaire": wave.version.questionnaire.code,
        "questionnaire_version": wave.version.number,
        "opens_at": wave.opens_at,
        "closes_at": wave.closes_at,
        "is_open": wave.is_open(),
    }


def _share(share: Share) -> dict:
    return {
        "n": share.n,
        "share": share.share,
        "low": share.low,
        "high": share.high,
        "reliable": share.reliable,
    }


def _waves():
    return Wave.objects.select_related("version__questionnaire")


# ------------------------------------------------------------------ the public submission


def _error(status: int, detail) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _checked_before_parsing(run):
    """Size and X-Client, before ninja reads the body (Django itself would allow 5 MB)."""

    @wraps(run)
    def checked(request, *args, **kwargs):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _error(400, ["Content-Length không hợp lệ."])
        too_large = _error(413, f"Phiếu quá lớn (tối đa {MAX_BODY // 1024} KB).")
        if declared > MAX_BODY:
            return too_large
        try:
            if len(request.body) > MAX_BODY:
                return too_large
        except RequestDataTooBig:
            return too_large
        if not request.headers.get("X-Client", "").strip():
            return _error(400, ["Thiếu tiêu đề X-Client (tên ứng dụng gửi phiếu)."])
        return run(request, *args, **kwargs)

    return checked


STARTED_AT_KEPT = timedelta(days=1)
"""As on the web form: an older start says nothing about how long the answers took."""


def _started_at(moment: datetime | None) -> datetime | None:
    """An aware start within the last day, else None (a moment without a zone is the city's time)."""
    if moment is None:
        return None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment if timezone.now() - moment <= STARTED_AT_KEPT else None
    except (OverflowError, ValueError):  # year 1 moved to another zone
        return None


@router.post(
    "/{int:wave_id}/{unit_code}/responses",
    auth=None,
    response={200: StoredOut, 201: StoredOut, 400: ProblemsOut, 404: ErrorOut, 413: ErrorOut},
    summary="Gửi một phiếu khảo sát (ứng dụng của Thành phố)",
    description=(
        "Không cần khoá API; cần tiêu đề X-Client. 201 khi phiếu được lưu; 200 khi phiếu cùng "
        "submission_id đã được lưu trước đó (gửi lại). Thân yêu cầu tối đa 64 KB."
    ),
)
@decorate_view(_checked_before_parsing)
def submit_response(
    request,
    wave_id: int,
    unit_code: str,
    payload: ResponseIn,
    x_client: str = Header(..., alias="X-Client", description="Tên ứng dụng gửi phiếu"),
):
    if payload.channel != Channel.API:
        get_object_or_404(Wave, pk=wave_id)  # an unknown wave or unit is 404 first
        get_object_or_404(Unit, code=unit_code)
        return Status(400, {"detail": ["Kênh trả lời không hợp lệ; ứng dụng gửi “api”."]})
    try:
        response, created = services.submit_response(
            wave=wave_id,  # the service reads the wave and the unit with everything else it checks
            unit=unit_code,
            submission_id=payload.submission_id,
            answers=payload.answers,
            channel=Channel.API,
            started_at=_started_at(payload.started_at),
            ip=request.META.get("REMOTE_ADDR", ""),
            device=x_client.strip(),
            dossier=payload.dossier or "",
        )
    except services.UnknownWaveOrUnit:
        raise Http404 from None
    except services.SurveyError as exc:
        return Status(400, {"detail": exc.problems})
    return Status(201 if created else 200, {"submission_id": response.submission_id})


# ------------------------------------------------------------------ public readings


@router.get(
    "/waves",
    auth=None,
    response=list[WaveOut],
    summary="Các đợt khảo sát",
)
def list_waves(request):
    return [_wave(wave) for wave in _waves()]


@router.get(
    "/waves/{int:wave_id}/questionnaire",
    auth=None,
    response={200: QuestionnaireOut, 404: ErrorOut},
    summary="Bảng hỏi của một đợt khảo sát",
)
def read_questionnaire(request, wave_id: int):
    wave = get_object_or_404(_waves(), pk=wave_id)
    questions = []
    for stored, question in zip(wave.version.questions, wave.version.parsed(), strict=True):
        questions.append(
            {
                "type": stored["type"],
                "name": stored["name"],
                "label": stored["label"],
                "choices": [list(c) for c in stored.get("choices", [])],
                "options": [list(c) for c in question.options],
                "required": stored.get("required", False),
                "relevant": stored.get("relevant", ""),
                "dimension": stored.get("dimension", ""),
                "min": stored.get("min"),
                "max": stored.get("max"),
            }
        )
    return {"wave": _wave(wave), "questions": questions}


# ------------------------------------------------------------------ figures (token users)


@router.get(
    "/{int:wave_id}/{unit_code}/figures",
    response={200: FiguresOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Kết quả khảo sát của một đơn vị",
)
def read_figures(request, wave_id: int, unit_code: str):
    if not can_view_results(request.auth):
        raise PermissionDenied(
            "Chỉ Sở Nội vụ, Hội đồng và lãnh đạo Thành phố xem được kết quả khảo sát."
        )
    wave = get_object_or_404(_waves(), pk=wave_id)
    return _figures(wave, get_object_or_404(Unit, code=unit_code))


@router.get(
    "/{int:wave_id}/{unit_code}/published-figures",
    auth=None,
    response={200: FiguresOut, 404: ErrorOut},
    summary="Kết quả khảo sát đã công bố của một đơn vị (không cần khoá)",
    description="Chỉ khi kết quả Chỉ số CCHC của năm đã được công bố; trước đó là 404.",
)
def read_published_figures(request, wave_id: int, unit_code: str):
    wave = get_object_or_404(_waves().filter(cycle__state=CycleState.PUBLISHED), pk=wave_id)
    return _figures(wave, get_object_or_404(Unit, code=unit_code))


def _figures(wave: Wave, unit: Unit) -> dict:
    figures = unit_figures(wave, unit)
    overall = figures["overall"]
    return {
        "wave": _wave(wave),
        "unit": {"code": unit.code, "name": unit.name},
        "n": figures["n"],
        "overall": _share(overall) if overall is not None else None,
        "parts": [{"dimension": k, **_share(v)} for k, v in figures["parts"].items()],
        "elements": [{"dimension": k, **_share(v)} for k, v in figures["elements"].items()],
    }
