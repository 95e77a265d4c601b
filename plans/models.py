"""The yearly reform plan: its targets and its key tasks, with the units that lead and coordinate them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class Plan(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    decision_number = models.CharField(_("số quyết định"), max_length=50)
    decision_date = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("tên kế hoạch"), max_length=300)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("kế hoạch CCHC")
        verbose_name_plural = _("kế hoạch CCHC")

    def __str__(self) -> str:
        return f"{self.title} ({self.decision_number})"


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    area = models.CharField(_("lĩnh vực"), max_length=200)
    text = models.TextField(_("chỉ tiêu"))
    metric = models.CharField(_("thước đo"), max_length=200, blank=True)
    target_value = models.DecimalField(
        _("giá trị mục tiêu"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    # A report indicator that measures it (reporting fills the actual value from consolidated reports).
    indicator_code = models.CharField(_("mã chỉ tiêu báo cáo"), max_length=40, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Ngày cụ thể")
    RELATIVE = "relative", _("Tính từ ngày ban hành kế hoạch")
    PERIOD = "period", _("Trong một khoảng thời gian")
    OPEN = "open", _("Không có thời hạn cố định")
    UNPARSED = "unparsed", _("Chưa xác định được")


class TaskQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(due__lt=today).exclude(status=TaskStatus.DONE)

    def due_soon(self, days: int, today=None):
        from datetime import timedelta

        today = today or timezone.localdate()
        return self.filter(due__gte=today, due__lte=today + timedelta(days=days)).exclude(
            status=TaskStatus.DONE
        )


class Task(models.Model):
    """A key task of the plan, or (with a parent) one of its milestones with its own product and deadline."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="milestones"
    )
    number = models.CharField(_("số thứ tự"), max_length=20)
    area = models.CharField(_("lĩnh vực"), max_length=200, blank=True)
    title = models.TextField(_("nhiệm vụ"))
    product = models.CharField(_("sản phẩm"), max_length=500, blank=True)
    leader = models.CharField(_("lãnh đạo UBND Thành phố chủ trì"), max_length=300, blank=True)
    lead_text = models.TextField(_("cơ quan chủ trì (nguyên văn)"), blank=True)
    coordinating_text = models.TextField(_("cơ quan phối hợp (nguyên văn)"), blank=True)
    lead_units = models.ManyToManyField(Unit, related_name="led_tasks", blank=True)
    coordinating_units = models.ManyToManyField(Unit, related_name="coordinated_tasks", blank=True)
    # Names in the lead/coordinating cells that are outside the catalogue (kept as written).
    outside_names = models.JSONField(default=list, blank=True)
    deadline_text = models.CharField(
        _("thời gian hoàn thành (nguyên văn)"), max_length=500, blank=True
    )
    deadline_kind = models.CharField(
        max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.OPEN
    )
    due = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress_note = models.TextField(_("tiến độ, kết quả"), blank=True)
    product_link = models.URLField(_("đường dẫn sản phẩm"), blank=True, max_length=500)
    order = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:80]}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.due is not None and self.due < today and self.status != TaskStatus.DONE


class UnitAlias(models.Model):
    """How a name written in a plan maps to the catalogue: a unit, or "outside the catalogue"."""

    name = models.CharField(_("tên trong văn bản"), max_length=300, unique=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases"
    )

    class Meta:
        verbose_name = _("tên đơn vị trong văn bản")
        verbose_name_plural = _("tên đơn vị trong văn bản")

    def __str__(self) -> str:
        return f"{self.name} → {self.unit or 'ngoài danh mục'}"
