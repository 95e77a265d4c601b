"""The yearly assessment cycle: its state, its phases with deadlines, and its participating units."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
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


class IndexFamily(models.TextChoices):
    """Which index a cycle runs (task 48 of Decision 6830, "Chỉ số CCHC các cấp")."""

    CITY = "city", _("Sở, ban, ngành và UBND xã, phường")
    DEPARTMENTS = "departments", _("Sở, ban, ngành")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp công lập thuộc UBND Thành phố")
    CENTRAL_AGENCIES = "central_agencies", _("Cơ quan ngành dọc Trung ương đóng trên địa bàn")
    COMMUNES = "communes", _("UBND xã, phường (Chỉ số CCHC cơ sở)")
    INTERNAL = "internal", _("Phòng, ban và đơn vị trực thuộc")
    PROVINCIAL = "provincial", _("Tự đánh giá Chỉ số CCHC cấp tỉnh")


# The part a family adds to a cycle's key ("2025", "2025-su-nghiep", "2025-00070-noi-bo"): the city's
# combined index keeps the bare year, so its addresses are those of earlier years.
FAMILY_SLUGS = {
    IndexFamily.CITY: "",
    IndexFamily.DEPARTMENTS: "so-nganh",
    IndexFamily.PUBLIC_SERVICE: "su-nghiep",
    IndexFamily.CENTRAL_AGENCIES: "nganh-doc",
    IndexFamily.COMMUNES: "xa-phuong",
    IndexFamily.INTERNAL: "noi-bo",
    IndexFamily.PROVINCIAL: "tu-danh-gia-tinh",
}


def cycle_key(year: int, family: str, organiser_code: str | None) -> str:
    parts = [str(year)]
    if organiser_code:
        parts.append(slugify(organiser_code))
    if FAMILY_SLUGS[IndexFamily(family)]:
        parts.append(FAMILY_SLUGS[IndexFamily(family)])
    return "-".join(parts)


class Cycle(models.Model):
    """One run of an index: an organiser's index of one family for one year. The organiser is a unit
    (a department or a commune running the index of its own offices); none means the city, whose
    Department of Home Affairs runs the city's indices and its self-assessment for the Ministry."""

    year = models.PositiveSmallIntegerField(_("năm"))
    organiser = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organised_cycles",
    )
    family = models.CharField(
        _("loại chỉ số"), max_length=20, choices=IndexFamily.choices, default=IndexFamily.CITY
    )
    # What addresses the cycle in every URL (cycle_key); set once, when it is created.
    key = models.SlugField(_("mã kỳ"), max_length=80, unique=True, editable=False)
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
        ordering = ["-year", "organiser_id", "family"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "year"],
                condition=models.Q(organiser__isnull=True),
                name="one_city_cycle_per_family_and_year",
            ),
            models.UniqueConstraint(
                fields=["organiser", "family", "year"],
                condition=models.Q(organiser__isnull=False),
                name="one_cycle_per_organiser_family_and_year",
            ),
        ]
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = cycle_key(
                self.year, self.family, self.organiser.code if self.organiser_id else None
            )
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """How headings name the cycle: the year for the city's combined index; the year with its
        organiser ("2026 · Phường Hoàn Kiếm") or its family ("2025 · Đơn vị sự nghiệp…") otherwise."""
        if self.organiser_id:
            return f"{self.year} · {self.organiser.display_name}"
        if self.family != IndexFamily.CITY:
            return f"{self.year} · {self.get_family_display()}"
        return str(self.year)

    @property
    def is_city(self) -> bool:
        """Run by the city (the Department of Home Affairs), not by a department or a commune."""
        return self.organiser_id is None

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
    # The framework variant this unit is scored by (frameworks.Framework.variant); empty: the default.
    framework_variant = models.CharField(
        _("phương án bộ tiêu chí"), max_length=60, blank=True, default=""
    )
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


# What an organiser's secretariat sets: the fields of core.letterhead.Letterhead, as typed.
LETTERHEAD_FIELDS = (
    "superior",
    "issuer",
    "abbreviation",
    "place",
    "signer_title",
    "signer_name",
    "recipients",
    "filing",
)


class OrganiserLetterhead(models.Model):
    """How a department's or commune's own documents are headed and signed (Decree 30/2020/NĐ-CP):
    the reports of its internal index. The city's come from settings (core/letterhead.py)."""

    organiser = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="letterhead", verbose_name=_("đơn vị tổ chức")
    )
    superior = models.CharField(_("cơ quan chủ quản"), max_length=200)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    abbreviation = models.CharField(_("chữ viết tắt trong số văn bản"), max_length=30, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, default="Hà Nội")
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=200, help_text=_("Mỗi dòng cách nhau bởi dấu ;")
    )
    signer_name = models.CharField(_("họ và tên người ký"), max_length=200, blank=True)
    recipients = models.CharField(
        _("nơi nhận"), max_length=1000, blank=True, help_text=_("Mỗi nơi nhận cách nhau bởi dấu ;")
    )
    filing = models.CharField(_("lưu"), max_length=200, default="Lưu: VT")

    class Meta:
        verbose_name = _("thể thức văn bản của đơn vị tổ chức")
        verbose_name_plural = _("thể thức văn bản của đơn vị tổ chức")

    def __str__(self) -> str:
        return self.issuer
