"""The surveys part of the JSON API: the city's citizen app reads the waves and their questionnaires and
submits responses; city staff read a unit's figures.

Respondents have no accounts, so submitting and the two readings the app needs to draw the form are public
(`auth=None`); the app names itself in the `X-Client` header instead. A response goes through
`services.submit_response`, the same validation, limits, flags and idempotency (by `submission_id`) as the
web form. The figures follow `permissions.can_view_results` (the secretariat, the council and leaders);
publishing them to the public comes with the results. See docs/api.md.
"""

import json
import re
from datetime import datetime, timedelta
from functools import wraps
from typing import Annotated
from uuid import UUID

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import ResolverMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import (
    AllowInfNan,
    BaseModel,
    ConfigDict,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from core.http import database_unavailable
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


class ResponseIn(BaseModel):
    # A plain pydantic model (not ninja's Schema, made to read Django objects): the middleware reads
    # the request body with it straight from JSON.
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
    dossier: str | None = Field(
        None,
        max_length=60,
        description=(
            "Mã hồ sơ người dân đánh giá (không bắt buộc); có mã thì mỗi hồ sơ chỉ được một phiếu, "
            "chỉ lưu dạng băm có khoá"
        ),
    )


class WaveOut(Schema):
    id: int
    title: str
    questionnaire: str = Field(description="Mã bảng hỏi", examples=["sipas"])
    questionnaire_version: int
    opens_at: datetime
    closes_at: datetime
    is_open: bool = Field(description="Đang nhận phiếu")
    by_roster: bool = Field(
        False,
        description="Chỉ nhận mã cá nhân theo danh sách (điều tra xã hội học): ứng dụng không gửi được phiếu",
    )


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
    mean: float | None = Field(
        description=(
            "Điểm trung bình trên thang 1–5, làm tròn 2 chữ số thập phân (của một câu: trung bình "
            "các câu trả lời hợp lệ; của yếu tố, nhóm, chỉ số chung: trung bình điểm của các thành "
            "phần); null khi không có câu trả lời"
        ),
        examples=[4.12],
    )
    reliable: bool = Field(
        description="Đủ tin cậy: n ≥ 30 và khoảng tin cậy không rộng hơn 20 điểm"
    )


class DimensionShareOut(ShareOut):
    dimension: str = Field(examples=["service/access"])


class QuestionShareOut(ShareOut):
    question: str = Field(examples=["svc_access_signage"])


class FiguresOut(Schema):
    wave: WaveOut
    unit: UnitOut
    n: int = Field(description="Số phiếu được tính (không kể phiếu bị loại)")
    overall: ShareOut | None = Field(description="Chỉ số hài lòng chung; null khi thiếu một phần")
    parts: list[DimensionShareOut]
    elements: list[DimensionShareOut]
    questions: list[QuestionShareOut] = Field(description="Từng câu hỏi thang 5 mức")


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
        "by_roster": wave.by_roster,
    }


def _share(share: Share) -> dict:
    return {
        "n": share.n,
        "share": share.share,
        "low": share.low,
        "high": share.high,
        "mean": None if share.mean is None else round(share.mean, 2),
        "reliable": share.reliable,
    }


def _waves():
    return Wave.objects.select_related("version__questionnaire")


# ------------------------------------------------------------------ the public submission


def _error(status: int, detail) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def refusal_before_parsing(request) -> JsonResponse | None:
    """Size and X-Client, before the body is read as JSON (Django itself would allow 5 MB)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _error(400, ["Content-Length không hợp lệ."])
    try:
        too_large = declared > MAX_BODY or len(request.body) > MAX_BODY
    except RequestDataTooBig:
        too_large = True
    if too_large:
        return _error(413, f"Phiếu quá lớn (tối đa {MAX_BODY // 1024} KB).")
    if not request.META.get("HTTP_X_CLIENT", "").strip():
        return _error(400, ["Thiếu tiêu đề X-Client (tên ứng dụng gửi phiếu)."])
    return None


def _checked_before_parsing(run):
    @wraps(run)
    def checked(request, *args, **kwargs):
        return refusal_before_parsing(request) or run(request, *args, **kwargs)

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


NOT_FOUND = {"detail": "Không tìm thấy."}


def submit(request, wave_id: int, unit_code: str, payload: ResponseIn) -> tuple[int, dict]:
    """The answer to a well-formed submission: its status and body. The one implementation behind both
    ways in (the API operation below and `SubmitResponseMiddleware`)."""
    if payload.channel != Channel.API:
        # An unknown wave or unit is 404 first.
        if (
            not Wave.objects.filter(pk=wave_id).exists()
            or not Unit.objects.filter(code=unit_code).exists()
        ):
            return 404, NOT_FOUND
        return 400, {"detail": ["Kênh trả lời không hợp lệ; ứng dụng gửi “api”."]}
    try:
        response, created = services.submit_response(
            wave=wave_id,  # the service reads the wave and the unit with everything else it checks
            unit=unit_code,
            submission_id=payload.submission_id,
            answers=payload.answers,
            channel=Channel.API,
            started_at=_started_at(payload.started_at),
            ip=request.META.get("REMOTE_ADDR", ""),
            device=request.META["HTTP_X_CLIENT"].strip(),
            dossier=payload.dossier or "",
        )
    except services.UnknownWaveOrUnit:
        return 404, NOT_FOUND
    except services.SurveyError as exc:
        return 400, {"detail": exc.problems}
    return (201 if created else 200), {"submission_id": str(response.submission_id), "stored": True}


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
    """Well-formed submissions are answered by SubmitResponseMiddleware before they get here; this
    operation describes the endpoint (OpenAPI) and gives the precise answer to malformed ones (its
    400 and 422)."""
    return Status(*submit(request, wave_id, unit_code, payload))


SUBMIT_PATH = re.compile(r"/api/v1/surveys/(?P<wave_id>[0-9]{1,18})/(?P<unit_code>[^/]+)/responses")


class SubmitResponseMiddleware:
    """Answers the citizen app's well-formed submissions ahead of everything that serves people.

    The busiest endpoint (docs/surveys.md, bench/survey_intake.py) is an anonymous JSON POST: sessions,
    the language, CSRF, authentication, messages, two-factor checks, the URL resolver and the API
    framework's parsing do nothing for it yet cost two thirds of its time. This middleware, placed
    after the request id, the access log, the security headers and static files, reads the body with
    the same schema (`ResponseIn`) and answers through the same `submit`. Anything it cannot read
    goes on to the API operation above, which gives the precise 400 or 422.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        from django.urls import resolve

        # For the access log and the metrics: the view name the resolver would give.
        self.route = resolve("/api/v1/surveys/1/x/responses")

    def __call__(self, request):
        match = SUBMIT_PATH.fullmatch(request.path_info) if request.method == "POST" else None
        if match is None:
            return self.get_response(request)
        request.get_host()  # the host is checked as for any request (DisallowedHost: 400)
        if refusal_before_parsing(request) is not None:
            return self.get_response(request)
        try:
            payload = ResponseIn.model_validate_json(request.body)
        except ValidationError:
            return self.get_response(request)
        kwargs = {"wave_id": int(match["wave_id"]), "unit_code": match["unit_code"]}
        request.resolver_match = ResolverMatch(
            self.route.func,
            (),
            kwargs,
            self.route.url_name,
            self.route.app_names,
            self.route.namespaces,
            self.route.route,
        )
        try:
            status, body = submit(request, payload=payload, **kwargs)
            response = HttpResponse(json.dumps(body), status=status, content_type=JSON)
        except (OperationalError, InterfaceError) as exc:
            response = database_unavailable(request, exc)
        # As CommonMiddleware, which this answer skips, would: without it a keep-alive client gets
        # a chunked body.
        response["Content-Length"] = str(len(response.content))
        return response


JSON = "application/json; charset=utf-8"


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
            _("Chỉ Sở Nội vụ, Hội đồng và lãnh đạo Thành phố xem được kết quả khảo sát.")
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
        "questions": [{"question": k, **_share(v)} for k, v in figures["items"].items()],
    }
