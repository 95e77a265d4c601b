"""Every change in the reporting regime: templates and their versions, periods, a unit's report and its
submission. Each checks permission and the due date on the server, audits, and commits in one transaction."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record
from accounts.notify import notify
from core.formats import moment, parse_decimal
from core.permissions import require

from .feeds import FeedRow, figure_problems
from .models import (
    FedValue,
    Indicator,
    IndicatorValue,
    NarrativeSection,
    NarrativeText,
    Period,
    PeriodKind,
    ReportState,
    ReportTemplate,
    UnitReport,
    period_in_sentence,
)
from .permissions import can_feed_indicators, can_fill_report, can_manage_reporting

# Figures are stored with 12 digits before the decimal point.
MAX_FIGURE = Decimal("1e12")


class ReportingError(Exception):
    """A refused change, with a message for the user."""


# What anyone but the secretariat is told when changing the reporting regime.
NOT_SECRETARIAT = gettext_lazy("Chỉ Sở Nội vụ quản lý chế độ báo cáo.")


def parse_definition(indicators_text: str, sections_text: str) -> tuple[list[dict], list[dict]]:
    """Lines "code; label; rate|number; unit" and "code; title" → definitions, with every problem named."""
    problems, indicators, sections, seen = [], [], [], set()
    for number, line in enumerate(indicators_text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if (
            len(parts) < 3
            or not parts[0]
            or not parts[1]
            or parts[2] not in ("rate", "number", "tỷ lệ", "số")
        ):
            problems.append(
                _("Chỉ tiêu dòng %(number)s: cần “mã; tên; rate hoặc number; đơn vị tính”.")
                % {"number": number}
            )
            continue
        if parts[0] in seen:
            problems.append(
                _("Chỉ tiêu dòng %(number)s: mã “%(code)s” bị trùng.")
                % {"number": number, "code": parts[0]}
            )
            continue
        seen.add(parts[0])
        indicators.append(
            {
                "code": parts[0],
                "label": parts[1],
                "is_rate": parts[2] in ("rate", "tỷ lệ"),
                "unit_of_measure": parts[3]
                if len(parts) > 3
                else ("%" if parts[2] in ("rate", "tỷ lệ") else ""),
            }
        )
    for number, line in enumerate(sections_text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";", 1)]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            problems.append(_("Nội dung dòng %(number)s: cần “mã; tiêu đề”.") % {"number": number})
            continue
        if parts[0] in seen:
            problems.append(
                _("Nội dung dòng %(number)s: mã “%(code)s” bị trùng.")
                % {"number": number, "code": parts[0]}
            )
            continue
        seen.add(parts[0])
        sections.append({"code": parts[0], "title": parts[1]})
    if not indicators and not sections and not problems:
        problems.append(_("Mẫu báo cáo cần ít nhất một chỉ tiêu hoặc một nội dung."))
    if problems:
        raise ReportingError(" ".join(problems))
    return indicators, sections


@transaction.atomic
def save_template(
    actor, title: str, indicators: list[dict], sections: list[dict]
) -> ReportTemplate:
    """A new template, or a new version of the template with that title (versions are never edited)."""
    require(actor, can_manage_reporting, NOT_SECRETARIAT)
    if not title.strip():
        raise ReportingError(_("Mẫu báo cáo cần có tên."))
    latest = ReportTemplate.objects.filter(title=title.strip()).order_by("-version").first()
    template = ReportTemplate.objects.create(
        title=title.strip(), version=latest.version + 1 if latest else 1
    )
    Indicator.objects.bulk_create(
        [Indicator(template=template, order=i, **d) for i, d in enumerate(indicators)]
    )
    NarrativeSection.objects.bulk_create(
        [NarrativeSection(template=template, order=i, **d) for i, d in enumerate(sections)]
    )
    record(
        actor,
        "report_template.create",
        template,
        after={"version": template.version, "indicators": [d["code"] for d in indicators]},
    )
    return template


@transaction.atomic
def open_period(actor, year: int, kind: str, template: ReportTemplate, due_at: datetime) -> Period:
    require(actor, can_manage_reporting, NOT_SECRETARIAT)
    if kind not in PeriodKind.values or kind == PeriodKind.REQUEST:
        raise ReportingError(_("Kỳ báo cáo “%(kind)s” không hợp lệ.") % {"kind": kind})
    if Period.objects.filter(year=year, kind=kind).exists():
        raise ReportingError(
            _("Đã có kỳ báo cáo %(period)s.") % {"period": period_in_sentence(kind, year)}
        )
    period = Period.objects.create(year=year, kind=kind, template=template, due_at=due_at)
    record(
        actor,
        "period.open",
        period,
        after={"template": str(template), "due_at": due_at.isoformat()},
    )
    return period


@transaction.atomic
def set_due(actor, period: Period, due_at: datetime) -> Period:
    require(actor, can_manage_reporting, NOT_SECRETARIAT)
    before = period.due_at.isoformat()
    period.due_at = due_at
    period.save(update_fields=["due_at"])
    record(
        actor,
        "period.set_due",
        period,
        before={"due_at": before},
        after={"due_at": due_at.isoformat()},
    )
    return period


def report_for(period: Period, unit) -> UnitReport:
    report, _created = UnitReport.objects.get_or_create(period=period, unit=unit)
    return report


def _number(text, label: str, problems: list[str]) -> Decimal | None:
    if text in (None, ""):
        return None
    try:
        # What a person typed is read either way ("1,5", "1.234,5"); a JSON number as it is.
        value = parse_decimal(text) if isinstance(text, str) else Decimal(str(text))
    except (ValueError, InvalidOperation):
        problems.append(
            _("%(label)s: “%(text)s” không phải là số.") % {"label": label, "text": text}
        )
        return None
    if value is None:
        return None
    if not value.is_finite() or value < 0:
        problems.append(_("%(label)s: số liệu không được âm.") % {"label": label})
        return None
    if value >= MAX_FIGURE:
        problems.append(_("%(label)s: số liệu quá lớn.") % {"label": label})
        return None
    if value != value.quantize(Decimal("0.01")):
        problems.append(_("%(label)s: tối đa 2 chữ số thập phân.") % {"label": label})
        return None
    return value


def _require_open(report: UnitReport) -> None:
    if report.period.is_request and not report.period.recipients.filter(pk=report.unit_id).exists():
        raise ReportingError(_("Yêu cầu báo cáo này không gửi đến đơn vị."))
    if not report.period.accepts():
        raise ReportingError(
            _("Đã quá hạn nộp %(period)s (%(due)s): không nhận thay đổi.")
            % {
                "period": report.period,
                "due": moment(report.period.due_at),
            }
        )
    if report.state == ReportState.SUBMITTED:
        raise ReportingError(_("Báo cáo đã gửi: không sửa được nữa."))


@transaction.atomic
def save_report(actor, report: UnitReport, figures: dict, narratives: dict) -> UnitReport:
    """figures: code → {"value"} or {"numerator", "denominator"}; narratives: code → text. All or nothing."""
    report = (
        UnitReport.objects.select_for_update()
        .select_related("period__template", "unit")
        .get(pk=report.pk)
    )
    if not can_fill_report(actor, report.unit):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị được lập báo cáo của đơn vị."))
    _require_open(report)
    problems, values = [], []
    for indicator in report.period.template.indicators.all():
        given = figures.get(indicator.code) or {}
        if indicator.is_rate:
            numerator = _number(
                given.get("numerator"),
                _("%(label)s (tử số)") % {"label": indicator.label},
                problems,
            )
            denominator = _number(
                given.get("denominator"),
                _("%(label)s (mẫu số)") % {"label": indicator.label},
                problems,
            )
            if numerator is not None and denominator is not None and numerator > denominator:
                problems.append(
                    _("%(label)s: tử số (%(numerator)s) lớn hơn mẫu số (%(denominator)s).")
                    % {"label": indicator.label, "numerator": numerator, "denominator": denominator}
                )
            if (numerator is None) != (denominator is None):
                problems.append(
                    _("%(label)s: cần cả tử số và mẫu số.") % {"label": indicator.label}
                )
            values.append(
                IndicatorValue(
                    report=report, indicator=indicator, numerator=numerator, denominator=denominator
                )
            )
        else:
            value = _number(given.get("value"), indicator.label, problems)
            values.append(IndicatorValue(report=report, indicator=indicator, value=value))
    if problems:
        raise ReportingError(" ".join(problems))
    report.values.all().delete()
    IndicatorValue.objects.bulk_create(values)
    report.narratives.all().delete()
    NarrativeText.objects.bulk_create(
        [
            NarrativeText(
                report=report, section=section, text=(narratives.get(section.code) or "").strip()
            )
            for section in report.period.template.sections.all()
        ]
    )
    record(actor, "report.save", report, after={"figures": {k: v for k, v in figures.items() if v}})
    return report


def missing_figures(report: UnitReport) -> list[str]:
    filled = {
        v.indicator_id
        for v in report.values.all()
        if (v.value is not None) or (v.numerator is not None and v.denominator is not None)
    }
    return [i.label for i in report.period.template.indicators.all() if i.pk not in filled]


@transaction.atomic
def submit_report(actor, report: UnitReport) -> UnitReport:
    report = (
        UnitReport.objects.select_for_update().select_related("period", "unit").get(pk=report.pk)
    )
    if not can_fill_report(actor, report.unit):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị được gửi báo cáo của đơn vị."))
    _require_open(report)
    missing = missing_figures(report)
    if missing:
        raise ReportingError(
            _("Chưa gửi được; còn thiếu số liệu: %(missing)s.") % {"missing": "; ".join(missing)}
        )
    report.state = ReportState.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.save(update_fields=["state", "submitted_at", "submitted_by"])
    record(actor, "report.submit", report, before={"state": "draft"}, after={"state": "submitted"})
    from accounts.models import Role, User

    # The city's secretariat runs the reporting regime; a commune's (unit set) runs only its own index.
    city_secretariat = User.objects.filter(role=Role.SECRETARIAT, unit__isnull=True)
    notify(city_secretariat, f"{report.unit} đã gửi {report.period}.")
    return report


@transaction.atomic
def receive_feed(actor, rows: list[FeedRow], channel: str) -> int:
    """Save indicator values from a data source (reporting/feeds.py checked them): a value already
    received for the same unit, period and indicator is replaced. One audit event per period."""
    require(
        actor, can_feed_indicators, gettext_lazy("Chỉ Sở Nội vụ nhập số liệu từ nguồn dữ liệu.")
    )
    by_period: dict = {}
    for row in rows:
        by_period.setdefault(row.period, []).append(row)
    for period, period_rows in by_period.items():
        keys = {(row.unit.pk, row.indicator.pk) for row in period_rows}
        existing = FedValue.objects.filter(
            period=period,
            unit_id__in={unit for unit, _i in keys},
            indicator_id__in={indicator for _u, indicator in keys},
        ).values_list("pk", "unit_id", "indicator_id")
        replaced = [pk for pk, unit, indicator in existing if (unit, indicator) in keys]
        FedValue.objects.filter(pk__in=replaced).delete()
        FedValue.objects.bulk_create(
            [
                FedValue(
                    period=period,
                    unit=row.unit,
                    indicator=row.indicator,
                    value=row.value,
                    numerator=row.numerator,
                    denominator=row.denominator,
                    channel=channel,
                    received_by=actor,
                )
                for row in period_rows
            ]
        )
        record(
            actor,
            "indicator_feed.receive",
            period,
            after={
                "channel": channel,
                "rows": len(period_rows),
                "units": sorted({row.unit.code for row in period_rows}),
            },
        )
    return len(rows)


def feed_rows(period: Period, unit, figures: dict) -> list[FeedRow]:
    """An API push for one unit and period: code → {"value"} or {"numerator", "denominator"}, every
    problem named (ReportingError), nothing kept."""
    indicators = {i.code: i for i in period.template.indicators.all()}
    problems, rows = [], []
    for code, given in figures.items():
        indicator = indicators.get(code)
        if indicator is None:
            problems.append(
                _("Mẫu báo cáo của kỳ này không có chỉ tiêu “%(code)s”.") % {"code": code}
            )
            continue
        before = len(problems)
        numbers = {
            name: _number(given.get(name), f"{indicator.label} ({name})", problems)
            for name in ("value", "numerator", "denominator")
        }
        if len(problems) > before:
            continue
        for _field, problem in figure_problems(indicator, **numbers):
            problems.append(f"{indicator.label}: {problem}")
        rows.append(FeedRow(period=period, unit=unit, indicator=indicator, **numbers))
    if not figures:
        problems.append(_("Không có số liệu nào."))
    if problems:
        raise ReportingError(" ".join(problems))
    return rows
