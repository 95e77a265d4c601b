"""Computed results of a cycle, their publications, and the background jobs that make them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from units.models import Unit


class ResultSettingsQuerySet(models.QuerySet):
    def for_cycle(self, cycle: Cycle) -> "ResultSettings":
        """The cycle's stored settings, else the defaults unsaved: reading them never writes."""
        return self.filter(cycle=cycle).first() or ResultSettings(cycle=cycle)


class ResultSettings(models.Model):
    """How a cycle's results are read: bands, the award rule. A row only where a cycle departs from the
    defaults."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="result_settings")
    bands = models.JSONField(_("xếp loại"), default=list, blank=True)
    awards_top_n = models.PositiveSmallIntegerField(_("số đơn vị dẫn đầu mỗi khối"), default=3)
    awards_progress_n = models.PositiveSmallIntegerField(
        _("số đơn vị tiến bộ vượt bậc mỗi khối"), default=2
    )
    draws = models.PositiveIntegerField(_("số lần mô phỏng"), default=1000)
    seed = models.PositiveIntegerField(_("hạt giống ngẫu nhiên"), default=20250101)

    objects = ResultSettingsQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.cycle}"


class UnitResult(models.Model):
    """One unit's nominal result in a cycle, with its survey-derived rank interval."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="unit_results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="results")
    ranking_group = models.CharField(_("khối xếp hạng"), max_length=100)
    total = models.DecimalField(_("tổng điểm"), max_digits=8, decimal_places=2)
    maximum = models.DecimalField(_("điểm tối đa áp dụng"), max_digits=8, decimal_places=2)
    index = models.DecimalField(_("chỉ số"), max_digits=6, decimal_places=2, null=True)
    appraisal_points = models.DecimalField(max_digits=8, decimal_places=2)
    appraisal_maximum = models.DecimalField(max_digits=8, decimal_places=2)
    survey_points = models.DecimalField(max_digits=8, decimal_places=2)
    survey_maximum = models.DecimalField(max_digits=8, decimal_places=2)
    extra_points = models.DecimalField(_("điểm thưởng, điểm trừ"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("xếp hạng"), null=True)
    group_size = models.PositiveIntegerField(default=0)
    band = models.CharField(_("xếp loại"), max_length=10, blank=True)
    rank_low = models.PositiveIntegerField(null=True)
    rank_high = models.PositiveIntegerField(null=True)
    p_ahead_of_next = models.FloatField(null=True)
    index_sd = models.FloatField(null=True)
    previous_index = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    previous_rank = models.PositiveIntegerField(null=True)
    change = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    rank_change = models.IntegerField(null=True)
    p_gain = models.FloatField(null=True)
    comparison = models.CharField(max_length=20, blank=True)  # same | lineage | new
    compared_with = models.JSONField(default=list, blank=True)  # codes of last year's units
    progress = models.CharField(max_length=20, blank=True)  # outstanding | notable
    survey_missing = models.BooleanField(default=False)
    domains = models.JSONField(default=list)  # [{code, title, points, max, index}]
    leaves = models.JSONField(default=dict)  # {code: [points, max, applicable]}

    class Meta:
        ordering = ["ranking_group", "rank", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="one_result_per_unit_and_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.cycle.year}: {self.index}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class JobKind(models.TextChoices):
    RECOMPUTE = "recompute", _("Tính kết quả")
    WORKBOOK = "xlsx", _("Bảng tính kết quả (Excel)")
    REPORT = "docx", _("Báo cáo phân tích (Word)")
    REPORT_PDF = "pdf", _("Báo cáo phân tích (PDF)")
    SHORT = "short", _("Báo cáo rút gọn (Word)")


def job_file_path(instance, filename: str) -> str:
    return f"results/{instance.cycle.year}/{instance.pk or 'new'}-{filename}"


class Job(models.Model):
    """A piece of long work on a cycle's results, run by a background task, with its progress."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="result_jobs")
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to=job_file_path, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cycle.year} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)


class Publication(models.Model):
    """An immutable snapshot of a cycle's results as the public sees them; a correction is a new version."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="publications")
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notice = models.TextField(_("thông báo đính chính"), blank=True)
    snapshot = models.JSONField()
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["cycle", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "version"], name="one_publication_version")
        ]

    def __str__(self) -> str:
        return f"{self.cycle.year} v{self.version}"


class ProvincialSeries(models.TextChoices):
    """The city's own standing in the national indices, for the five-year review."""

    PAR_INDEX = "par_index", _("Chỉ số CCHC cấp tỉnh (PAR Index)")
    SIPAS = "sipas", _("Chỉ số hài lòng (SIPAS)")
    PAPI = "papi", _("Chỉ số PAPI")


class ProvincialValue(models.Model):
    """One year's published value of a national index for the city, with where it was published: entered
    by the city's secretariat (results/provincial.py), never computed here."""

    series = models.CharField(_("chỉ số"), max_length=20, choices=ProvincialSeries.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị"), max_digits=7, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("xếp hạng cả nước"), null=True, blank=True)
    source = models.CharField(_("nguồn công bố"), max_length=300)
    link = models.URLField(_("đường dẫn"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["series", "year"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_provincial_value")
        ]

    def __str__(self) -> str:
        return f"{self.get_series_display()} {self.year}: {self.value}"


class AssistantQuestion(models.Model):
    """A question put to the assistant and its answer, kept for the secretariat (docs/assistant.md)."""

    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField(_("câu hỏi"))
    intent = models.CharField(_("loại câu hỏi"), max_length=30)
    answer = models.TextField(_("câu trả lời"))
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.question[:60]


class BriefingSource(models.TextChoices):
    CLICK = "click", _("Tạo theo yêu cầu")
    WEEKLY = "weekly", _("Tạo tự động hằng tuần")


class Briefing(models.Model):
    """A dated briefing for the Chairman (results/briefing.py): the figures gathered when it was made,
    kept as they were so that the Word file of a past week reads the same whenever it is opened."""

    made_at = models.DateTimeField(_("thời điểm tạo"), db_index=True)
    since = models.DateTimeField(_("từ"))
    source = models.CharField(max_length=10, choices=BriefingSource.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    content = models.JSONField()

    class Meta:
        ordering = ["-made_at", "-pk"]
        verbose_name = _("bản tin tóm tắt")
        verbose_name_plural = _("bản tin tóm tắt")

    def __str__(self) -> str:
        return f"{self.made_at:%Y-%m-%d %H:%M}"
