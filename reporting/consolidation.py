"""The city's report from the units' reports: figures summed in SQL; rates recomputed from the summed
numerators and denominators (never an average of rates); narratives gathered per section and unit."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Sum, Value, When
from django.utils.translation import gettext as _

from core.collation import by_name
from units.models import Unit, UnitKind

from .models import (
    KIND_ORDER,
    Indicator,
    IndicatorValue,
    NarrativeText,
    Period,
    ReportState,
)

REPORTING_KINDS = [
    UnitKind.DEPARTMENT,
    UnitKind.CENTRAL_AGENCY,
    UnitKind.PUBLIC_SERVICE_UNIT,
    UnitKind.DISTRICT,  # until 30 June 2025
    UnitKind.COMMUNE,  # from 1 July 2025
]
# The city report lists departments first, communes and wards last, as the city's reports do.
KIND_RANK = Case(
    *[When(report__unit__kind=kind, then=Value(rank)) for rank, kind in enumerate(REPORTING_KINDS)],
    default=Value(len(REPORTING_KINDS)),
)


def rate(numerator, denominator) -> Decimal | None:
    """A percentage with 2 decimals, or None when nothing was counted."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@dataclass
class IndicatorTotal:
    indicator: object
    reports: int = 0
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    previous: "IndicatorTotal | None" = None

    @property
    def rate(self) -> Decimal | None:
        return rate(self.numerator, self.denominator) if self.indicator.is_rate else None

    @property
    def figure(self) -> Decimal | None:
        if self.indicator.is_rate:
            return self.rate
        return None if self.value is None else Decimal(self.value).quantize(Decimal("0.01"))

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.figure is None or self.previous.figure is None:
            return None
        return self.figure - self.previous.figure


@dataclass
class Consolidation:
    period: Period
    totals: list[IndicatorTotal]
    narratives: dict = field(default_factory=dict)  # section → [(unit, text)]
    submitted: int = 0
    expected: int = 0


def expected_units(period: Period):
    if period.is_request:
        return period.recipients.all()
    end = period.window[1]
    return Unit.objects.filter(kind__in=REPORTING_KINDS).active_on(end)


def consolidate(period: Period, *, with_previous: bool = True) -> Consolidation:
    rows = (
        IndicatorValue.objects.filter(report__period=period, report__state=ReportState.SUBMITTED)
        .values("indicator_id")
        .annotate(
            reports=Count("id"),
            value=Sum("value"),
            numerator=Sum("numerator"),
            denominator=Sum("denominator"),
        )
    )
    by_indicator = {r["indicator_id"]: r for r in rows}
    totals = []
    for indicator in period.template.indicators.all():
        row = by_indicator.get(indicator.pk, {})
        totals.append(
            IndicatorTotal(
                indicator=indicator,
                reports=row.get("reports", 0),
                value=row.get("value"),
                numerator=row.get("numerator"),
                denominator=row.get("denominator"),
            )
        )
    if with_previous and (previous := period.previous()) is not None:
        earlier = {t.indicator.code: t for t in consolidate(previous, with_previous=False).totals}
        for total in totals:
            total.previous = earlier.get(total.indicator.code)
    narratives: dict = {section: [] for section in period.template.sections.all()}
    texts = (
        NarrativeText.objects.filter(report__period=period, report__state=ReportState.SUBMITTED)
        .exclude(text="")
        .select_related("report__unit", "section")
        .annotate(kind_rank=KIND_RANK)
        .order_by("section__order", "kind_rank", by_name("report__unit__name"))
    )
    for text in texts:
        narratives.setdefault(text.section, []).append((text.report.unit, text.text))
    return Consolidation(
        period=period,
        totals=totals,
        narratives=narratives,
        submitted=period.reports.filter(state=ReportState.SUBMITTED).count(),
        expected=expected_units(period).count(),
    )


def latest_figure(year: int, code: str) -> Decimal | None:
    """The city-wide figure of an indicator in the latest period of the year with submitted reports."""
    for kind in reversed(KIND_ORDER):
        period = Period.objects.filter(year=year, kind=kind).first()
        if period is None or not period.reports.filter(state=ReportState.SUBMITTED).exists():
            continue
        for total in consolidate(period, with_previous=False).totals:
            if total.indicator.code == code:
                return total.figure
    return None


def _latest_unit_value(unit, year: int, code: str) -> IndicatorValue | None:
    """The unit's value of an indicator in the latest period of the year it sent a report for."""
    for kind in reversed(KIND_ORDER):
        value = (
            IndicatorValue.objects.filter(
                report__period__year=year,
                report__period__kind=kind,
                report__unit=unit,
                report__state=ReportState.SUBMITTED,
                indicator__code=code,
            )
            .select_related("indicator", "report__period")
            .first()
        )
        if value is not None:
            return value
    return None


def unit_figure(unit, year: int, code: str) -> Decimal | None:
    """A unit's own figure of an indicator (a rate as a percentage) in the latest period it reported."""
    value = _latest_unit_value(unit, year, code)
    if value is None:
        return None
    return rate(value.numerator, value.denominator) if value.indicator.is_rate else value.value


def unit_share_report(unit, year: int, code: str) -> str | None:
    """Which report `unit_share` reads, in words for the unit ("báo cáo quý I năm 2025")."""
    value = _latest_unit_value(unit, year, code)
    if value is None or not value.indicator.is_rate:
        return None
    period = value.report.period
    return _("báo cáo %(period)s") % {"period": period.title_in_sentence}


def unit_share(unit, year: int, code: str) -> Decimal | None:
    """A unit's rate indicator as a share in [0, 1] (for `automatic` framework leaves)."""
    if not Indicator.objects.filter(code=code, is_rate=True).exists():
        return None
    figure = unit_figure(unit, year, code)
    if figure is None:
        return None
    return (figure / 100).quantize(Decimal("0.0001"))
