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


def _overdue(due, status: str, today=None) -> bool:
    """Past its due date and not done. A task led by several units is done only when each lead unit
    is, so it stays overdue while any of them is not done (plans/progress.py)."""
    today = today or timezone.localdate()
    return due is not None and due < today and status != TaskStatus.DONE


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
    # For a task led by several units, derived from their own statuses (plans/progress.py).
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
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
        return _overdue(self.due, self.status, today)

    @property
    def is_group_led(self) -> bool:
        """Led by several units: each reports its own status (a LeadStatus row per lead unit, made when
        the task is imported)."""
        return len(self.lead_statuses.all()) > 0


class LeadStatus(models.Model):
    """One lead unit's own status and progress on a task led by several units."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="lead_statuses")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="task_statuses")
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    progress_note = models.TextField(_("tiến độ, kết quả"), blank=True)
    product_link = models.URLField(_("đường dẫn sản phẩm"), blank=True, max_length=500)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="plans_leadstatus_task_unit")
        ]
        verbose_name = _("tiến độ của đơn vị chủ trì")
        verbose_name_plural = _("tiến độ của đơn vị chủ trì")

    def __str__(self) -> str:
        return f"{self.task.number} · {self.unit.code}"

    def is_overdue(self, today=None) -> bool:
        """This unit's part is overdue: the task's due date passed and the unit is not done."""
        return _overdue(self.task.due, self.status, today)


class TargetAssignment(models.Model):
    """A target handed to one unit, with the unit's own value to reach (the plan's when empty); its
    actual value is read from the unit's periodic reports (plans.links.UNIT_ACTUAL_SOURCES)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="plan_targets")
    target_value = models.DecimalField(
        _("giá trị mục tiêu của đơn vị"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target", "unit"], name="plans_targetassignment_unit")
        ]
        verbose_name = _("chỉ tiêu giao cho đơn vị")
        verbose_name_plural = _("chỉ tiêu giao cho đơn vị")

    def __str__(self) -> str:
        return f"{self.unit} · {self.target}"

    @property
    def value_to_reach(self):
        return self.target.target_value if self.target_value is None else self.target_value


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
