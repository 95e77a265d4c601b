"""The reporting part of the JSON API: read a unit's periodic report, and let the systems that
produce the figures fill it in and submit it.

Who may read comes from `permissions.can_view_report` (the unit's members, the secretariat, the
council and leaders); every change goes through `services.save_report` and `services.submit_report`,
which check the unit, the due date and the figures, and write the audit events. A request that is
refused changes nothing: saving and submitting run in one transaction. See docs/api.md.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, StrictFloat, StrictInt, StrictStr

from units.models import Unit

from . import services
from .models import FeedChannel, IndicatorValue, Period, UnitReport
from .permissions import can_feed_indicators, can_fill_report, can_view_report

router = Router(tags=["reports"])

Number = StrictInt | StrictFloat | StrictStr | None


# ------------------------------------------------------------------ schemas


class ErrorOut(Schema):
    detail: str


class UnitOut(Schema):
    code: str
    name: str


class PeriodOut(Schema):
    year: int
    kind: str = Field(description="q1, h1, m9 hoặc year")
    label: str = Field(examples=["Quý I"])
    data_from: date = Field(description="Số liệu tính từ ngày")
    data_to: date = Field(description="Số liệu tính đến ngày")
    due_at: datetime = Field(description="Hạn nộp")
    open: bool = Field(description="Còn trong hạn nộp")


class FigureOut(Schema):
    code: str
    label: str
    is_rate: bool = Field(description="Tỷ lệ: gửi numerator và denominator; số: gửi value")
    unit_of_measure: str
    value: str | None = Field(examples=["3.00"])
    numerator: str | None = Field(examples=["95.00"])
    denominator: str | None = Field(examples=["100.00"])


class NarrativeOut(Schema):
    code: str
    title: str
    text: str


class ReportOut(Schema):
    unit: UnitOut
    period: PeriodOut
    state: Literal["not_started", "draft", "submitted"] = Field(
        description="not_started: đơn vị chưa lập báo cáo"
    )
    submitted_at: datetime | None
    figures: list[FigureOut]
    narratives: list[NarrativeOut]


class FigureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    value: Number = Field(None, description="Chỉ tiêu là số")
    numerator: Number = Field(None, description="Tử số của chỉ tiêu tỷ lệ")
    denominator: Number = Field(None, description="Mẫu số của chỉ tiêu tỷ lệ")


class ReportIn(Schema):
    # Unknown fields are refused, and so is a body that is not an object (which ninja would
    # otherwise read as an empty report, clearing every figure).
    model_config = ConfigDict(extra="forbid")

    figures: dict[str, FigureIn] = Field(
        default_factory=dict,
        description="Mã chỉ tiêu → số liệu. Chỉ tiêu không gửi sẽ để trống.",
        examples=[
            {
                "dossiers_on_time": {"numerator": 95, "denominator": 100},
                "meetings": {"value": 3},
            }
        ],
    )
    narratives: dict[str, str] = Field(
        default_factory=dict, description="Mã nội dung → văn bản. Nội dung không gửi sẽ để trống."
    )
    submit: bool = Field(False, description="true: lưu rồi gửi báo cáo (không sửa được nữa)")


class FeedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    figures: dict[str, FigureIn] = Field(
        description=(
            "Mã chỉ tiêu → số liệu của đơn vị trong kỳ. Số liệu đã nhận của cùng chỉ tiêu được thay "
            "thế; chỉ tiêu không gửi giữ nguyên."
        ),
        examples=[{"dossiers_on_time": {"numerator": 95, "denominator": 100}}],
    )


class FeedOut(Schema):
    received: int = Field(description="Số chỉ tiêu đã nhận")


# ------------------------------------------------------------------ presenting


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _report(period: Period, unit: Unit, report: UnitReport | None) -> dict:
    values = {v.indicator_id: v for v in report.values.all()} if report else {}
    texts = {t.section_id: t.text for t in report.narratives.all()} if report else {}
    data_from, data_to = period.window
    figures = []
    for indicator in period.template.indicators.all():
        stored = values.get(indicator.pk)
        figures.append(
            {
                "code": indicator.code,
                "label": indicator.label,
                "is_rate": indicator.is_rate,
                "unit_of_measure": indicator.unit_of_measure,
                "value": _amount(stored.value) if stored else None,
                "numerator": _amount(stored.numerator) if stored else None,
                "denominator": _amount(stored.denominator) if stored else None,
            }
        )
    return {
        "unit": {"code": unit.code, "name": unit.name},
        "period": {
            "year": period.year,
            "kind": period.kind,
            "label": str(period.get_kind_display()),
            "data_from": data_from,
            "data_to": data_to,
            "due_at": period.due_at,
            "open": period.is_open(),
        },
        "state": report.state if report else "not_started",
        "submitted_at": report.submitted_at if report else None,
        "figures": figures,
        "narratives": [
            {"code": s.code, "title": s.title, "text": texts.get(s.pk, "")}
            for s in period.template.sections.all()
        ],
    }


# ------------------------------------------------------------------ lookups and checks


def _period_and_unit(year: int, kind: str, unit_code: str) -> tuple[Period, Unit]:
    period = get_object_or_404(
        Period.objects.periodic().select_related("template"), year=year, kind=kind
    )
    return period, get_object_or_404(Unit, code=unit_code)


def _current(period: Period, unit: Unit) -> UnitReport | None:
    return period.reports.filter(unit=unit).first()


def _too_large(given) -> bool:
    """A figure the database column cannot hold (the service leaves other parsing to itself)."""
    field = IndicatorValue._meta.get_field("value")
    try:
        number = Decimal(str(given).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return False
    return number.is_finite() and abs(number) >= 10 ** (field.max_digits - field.decimal_places)


def _check_figures(period: Period, payload: ReportIn) -> None:
    """What the form cannot get wrong and a system can: codes the template does not have, a figure
    sent in the wrong shape (which the service would silently leave empty), a number too large."""
    indicators = {i.code: i for i in period.template.indicators.all()}
    sections = set(period.template.sections.values_list("code", flat=True))
    problems = []
    for code, figure in payload.figures.items():
        indicator = indicators.get(code)
        if indicator is None:
            problems.append(
                _("Mẫu báo cáo của kỳ này không có chỉ tiêu “%(code)s”.") % {"code": code}
            )
            continue
        sent = {k: v for k, v in figure.model_dump().items() if v not in (None, "")}
        if indicator.is_rate and "value" in sent:
            problems.append(
                _(
                    "%(label)s: là chỉ tiêu tỷ lệ, hãy gửi tử số (numerator) "
                    "và mẫu số (denominator)."
                )
                % {"label": indicator.label}
            )
        elif not indicator.is_rate and sent.keys() & {"numerator", "denominator"}:
            problems.append(
                _("%(label)s: không phải chỉ tiêu tỷ lệ, hãy gửi value.")
                % {"label": indicator.label}
            )
        elif any(_too_large(v) for v in sent.values()):
            problems.append(_("%(label)s: số liệu quá lớn.") % {"label": indicator.label})
    for code in payload.narratives:
        if code not in sections:
            problems.append(
                _("Mẫu báo cáo của kỳ này không có nội dung “%(code)s”.") % {"code": code}
            )
    if problems:
        raise services.ReportingError(" ".join(problems))


# ------------------------------------------------------------------ endpoints

_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "/{int:year}/{kind}/{unit_code}",
    response={200: ReportOut, **_ERRORS},
    summary="Đọc báo cáo định kỳ của một đơn vị",
)
def read_report(request, year: int, kind: str, unit_code: str):
    period, unit = _period_and_unit(year, kind, unit_code)
    if not can_view_report(request.auth, unit):
        raise PermissionDenied(
            _(
                "Chỉ cán bộ của đơn vị, Sở Nội vụ, Hội đồng và lãnh đạo Thành phố "
                "xem được báo cáo này."
            )
        )
    return _report(period, unit, _current(period, unit))


@router.put(
    "/{int:year}/{kind}/{unit_code}",
    response={200: ReportOut, 400: ErrorOut, **_ERRORS},
    summary="Lập (và gửi) báo cáo định kỳ của đơn vị",
)
def save_report(request, year: int, kind: str, unit_code: str, payload: ReportIn):
    user = request.auth
    period, unit = _period_and_unit(year, kind, unit_code)
    figures = {code: figure.model_dump() for code, figure in payload.figures.items()}
    try:
        with transaction.atomic():
            report = services.report_for(period, unit)
            if can_fill_report(user, unit):  # otherwise the service refuses it with its 403
                _check_figures(period, payload)
            services.save_report(user, report, figures, payload.narratives)
            if payload.submit:
                services.submit_report(user, report)
    except services.ReportingError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _report(period, unit, _current(period, unit)))


@router.put(
    "/feeds/{int:year}/{kind}/{unit_code}",
    response={200: FeedOut, 400: ErrorOut, **_ERRORS},
    summary="Gửi số liệu chỉ tiêu của một đơn vị trong một kỳ (nguồn dữ liệu)",
    description=(
        "Cho hệ thống khác (hệ thống giải quyết TTHC, hệ thống báo cáo của Thành phố) gửi số liệu "
        "chỉ tiêu; báo cáo của đơn vị mở ra đã điền sẵn các số liệu này. Khoá API của tài khoản "
        "Sở Nội vụ. Có lỗi ở bất kỳ chỉ tiêu nào thì không lưu gì. Xem docs/reporting.md."
    ),
)
def push_feed(request, year: int, kind: str, unit_code: str, payload: FeedIn):
    if not can_feed_indicators(request.auth):
        raise PermissionDenied(_("Chỉ Sở Nội vụ nhập số liệu từ nguồn dữ liệu."))
    period, unit = _period_and_unit(year, kind, unit_code)
    figures = {code: figure.model_dump() for code, figure in payload.figures.items()}
    try:
        rows = services.feed_rows(period, unit, figures)
        received = services.receive_feed(request.auth, rows, FeedChannel.API)
    except services.ReportingError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, {"received": received})
