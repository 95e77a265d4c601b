"""The yearly assessment cycle: its state, its phases with deadlines, and its participating units."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit, UnitKind


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SELF_ASSESSMENT = "self_assessment", _("Tự đánh giá")
    APPRAISAL = "appraisal", _("Thẩm định")
    EXPLANATION = "explanation", _("Giải trình")
    FINALISED = "finalised", _("Đã phê duyệt")
    PUBLISHED = "published", _("Đã công bố")


# The only moves a cycle may make, each by the secretariat.
ALLOWED_TRANSITIONS = {
    CycleState.DRAFT: (CycleState.SELF_ASSESSMENT,),
    CycleState.SELF_ASSESSMENT: (CycleState.APPRAISAL,),
    CycleState.APPRAISAL: (CycleState.EXPLANATION,),
    CycleState.EXPLANATION: (CycleState.FINALISED,),
    CycleState.FINALISED: (CycleState.PUBLISHED,),
    CycleState.PUBLISHED: (),
}


class PhaseKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Tự đánh giá")
    APPRAISAL = "appraisal", _("Thẩm định")
    EXPLANATION = "explanation", _("Giải trình")
    FINALISATION = "finalisation", _("Phê duyệt")


class Cycle(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    title = models.CharField(_("tên kỳ đánh giá"), max_length=300)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=CycleState.choices, default=CycleState.DRAFT
    )
    # Whether bonus points may carry a unit's total past 100 (default: the index stays within 0–100 %).
    total_may_exceed_max = models.BooleanField(_("cho phép tổng điểm vượt 100"), default=False)
    # A year before the platform: its results are imported from the published decision, so it has no
    # framework or assessments of its own and is never recomputed.
    imported = models.BooleanField(_("kết quả nhập từ quyết định đã công bố"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.state == CycleState.DRAFT

    @property
    def is_approved(self) -> bool:
        """The council has finalised the cycle: its appraisal record is closed."""
        return self.state in (CycleState.FINALISED, CycleState.PUBLISHED)

    def next_states(self) -> tuple[str, ...]:
        return ALLOWED_TRANSITIONS[CycleState(self.state)]

    def phase(self, kind: str):
        return next((p for p in self.phases.all() if p.kind == kind), None)


class Phase(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("giai đoạn"), max_length=20, choices=PhaseKind.choices)
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))

    class Meta:
        ordering = ["opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="one_phase_of_each_kind"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="phase_closes_after_open",
            ),
        ]
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cycle.year}"

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


class Participation(models.Model):
    """A unit taking part in a cycle, scored by the framework of its kind and ranked in its group."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="participations")
    framework_kind = models.CharField(_("bộ tiêu chí"), max_length=30, choices=UnitKind.choices)
    ranking_group = models.CharField(_("khối xếp hạng"), max_length=100)

    class Meta:
        ordering = ["ranking_group", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="unit_once_per_cycle"),
        ]
        verbose_name = _("đơn vị tham gia")
        verbose_name_plural = _("đơn vị tham gia")

    def __str__(self) -> str:
        return f"{self.unit} ({self.cycle.year})"


class TransitionJobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class TransitionJob(models.Model):
    """A confirmed move of a cycle to its next state, run by a background task with its progress.
    `preview` keeps what the secretariat was shown and confirmed."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="transition_jobs")
    to_state = models.CharField(max_length=20, choices=CycleState.choices)
    reason = models.CharField(max_length=1000, blank=True)
    preview = models.JSONField(default=list)
    state = models.CharField(
        max_length=10, choices=TransitionJobState.choices, default=TransitionJobState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=1000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle.year} → {self.get_to_state_display()} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in (TransitionJobState.QUEUED, TransitionJobState.RUNNING)
