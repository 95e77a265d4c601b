"""The periodic reporting regime: report templates (versioned), periods with their data windows and due
dates, each unit's report with its figures and narratives."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class PeriodKind(models.TextChoices):
    Q1 = "q1", _("Quý I")
    HALF_YEAR = "h1", _("6 tháng")
    NINE_MONTHS = "m9", _("9 tháng")
    YEAR = "year", _("Năm")
    # A one-off request (docs/reporting.md, "Yêu cầu báo cáo đột xuất"): its own title, recipients and
    # deadline; the same template, reports, consolidation and export as a period.
    REQUEST = "adhoc", _("Yêu cầu báo cáo đột xuất")


# Decision 19/2022/QĐ-UBND: data from 15 December of the previous year to the 14th of the last month.
CUT_OFF_MONTH = {
    PeriodKind.Q1: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.NINE_MONTHS: 9,
    PeriodKind.YEAR: 12,
}
KIND_ORDER = [PeriodKind.Q1, PeriodKind.HALF_YEAR, PeriodKind.NINE_MONTHS, PeriodKind.YEAR]


def period_in_sentence(kind: str, year: int) -> str:
    """ "quý I năm 2025", "6 tháng năm 2025", and for the annual report "năm 2025", not "năm năm 2025":
    lower case inside a sentence, the Roman numeral kept."""
    if kind == PeriodKind.YEAR:
        return f"năm {year}"
    label = str(PeriodKind(kind).label)
    return f"{label[:1].lower()}{label[1:]} năm {year}"


def data_window(year: int, kind: str) -> tuple[date, date]:
    return date(year - 1, 12, 15), date(year, CUT_OFF_MONTH[PeriodKind(kind)], 14)


class ReportTemplate(models.Model):
    """A set of indicators and narrative sections. A template in use is never edited: a new version is made."""

    title = models.CharField(_("tên mẫu báo cáo"), max_length=200)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["title", "version"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Indicator(models.Model):
    template = models.ForeignKey(
        ReportTemplate, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("mã"), max_length=40)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    # A rate is reported as numerator and denominator, and consolidated from their sums.
    is_rate = models.BooleanField(_("là tỷ lệ"), default=False)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return self.label


class NarrativeSection(models.Model):
    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("mã"), max_length=40)
    title = models.CharField(_("nội dung"), max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="section_code_unique")
        ]

    def __str__(self) -> str:
        return self.title


class PeriodQuerySet(models.QuerySet):
    def periodic(self):
        return self.exclude(kind=PeriodKind.REQUEST)

    def requests(self):
        return self.filter(kind=PeriodKind.REQUEST)


class Period(models.Model):
    """A reporting period of the regime, or a one-off request (kind `adhoc`) to chosen units."""

    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("kỳ báo cáo"), max_length=5, choices=PeriodKind.choices)
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="periods")
    due_at = models.DateTimeField(_("hạn nộp"))
    # A one-off request only: what is asked, and of whom (a period asks every reporting unit).
    title = models.CharField(_("tên yêu cầu"), max_length=300, blank=True)
    recipients = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị được yêu cầu"), blank=True, related_name="report_requests"
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind"],
                condition=~models.Q(kind="adhoc"),
                name="one_period_per_kind_year",
            )
        ]

    def __str__(self) -> str:
        if self.is_request:
            return self.title
        return f"Báo cáo CCHC {self.title_in_sentence}"

    @property
    def is_request(self) -> bool:
        return self.kind == PeriodKind.REQUEST

    @property
    def title_in_sentence(self) -> str:
        if self.is_request:
            return self.title
        return period_in_sentence(self.kind, self.year)

    @property
    def kind_in_sentence(self) -> str:
        """ "quý I", "6 tháng", "năm": lower-case inside a sentence, the Roman numeral kept."""
        label = str(self.get_kind_display())
        return label[:1].lower() + label[1:]

    @property
    def window(self) -> tuple[date, date] | None:
        """The data window of a period; a one-off request has none (its template says what it asks)."""
        return None if self.is_request else data_window(self.year, self.kind)

    def is_open(self, at=None) -> bool:
        return (at or timezone.now()) < self.due_at

    def accepts(self, at=None) -> bool:
        """Whether a unit may still write and send: a period closes at its due date; a one-off request
        still takes a late report, which its board marks as late."""
        return self.is_request or self.is_open(at)

    def previous(self):
        """The period before it: the previous kind of the year, or last year's annual report."""
        if self.is_request:
            return None
        index = KIND_ORDER.index(PeriodKind(self.kind))
        if index:
            return Period.objects.filter(year=self.year, kind=KIND_ORDER[index - 1]).first()
        return Period.objects.filter(year=self.year - 1, kind=PeriodKind.YEAR).first()


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")


class UnitReport(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_report_per_unit_period")
        ]

    def __str__(self) -> str:
        return f"{self.period} — {self.unit}"

    @property
    def is_late(self) -> bool:
        """Sent after the due date, or still not sent once it has passed."""
        if self.state == ReportState.SUBMITTED:
            return self.submitted_at is not None and self.submitted_at > self.period.due_at
        return not self.period.is_open()


class IndicatorValue(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self) -> str:
        if self.indicator.is_rate:
            return f"{self.indicator.code}: {self.numerator}/{self.denominator}"
        return f"{self.indicator.code}: {self.value}"


class NarrativeText(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="narratives")
    section = models.ForeignKey(NarrativeSection, on_delete=models.PROTECT, related_name="texts")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "section"], name="one_text_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.section.code}: {self.text[:60]}"


class FeedChannel(models.TextChoices):
    IMPORT = "import", _("Nhập từ tệp")
    API = "api", _("Hệ thống khác gửi qua API")


class FedValue(models.Model):
    """An indicator's value for a unit and period received from a data source (a CSV/XLSX import or
    another system through the API): the unit's report opens prefilled with it (docs/reporting.md)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="fed_values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="fed_values")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    channel = models.CharField(max_length=10, choices=FeedChannel.choices)
    received_at = models.DateTimeField(auto_now=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "indicator"], name="one_fed_value_per_indicator"
            )
        ]

    def __str__(self) -> str:
        if self.indicator.is_rate:
            return f"{self.unit} {self.indicator.code}: {self.numerator}/{self.denominator}"
        return f"{self.unit} {self.indicator.code}: {self.value}"
