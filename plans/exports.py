"""The plan's key tasks as an Excel workbook (every signed-in user may download it): the tasks, and each
lead unit's own progress on the tasks led by several units."""

from django.utils import timezone

from core.spreadsheets import DATE_FORMAT, Column, Sheet, xlsx

from .models import LeadStatus, Plan


def task_columns(today) -> list[Column]:
    return [
        Column("Số TT", "number", width=8),
        Column("Lĩnh vực", "area", width=24),
        Column("Nhiệm vụ", "title", width=60),
        Column("Sản phẩm", "product", width=30),
        Column("Lãnh đạo chủ trì", "leader", width=20),
        Column("Cơ quan chủ trì", "lead_text", width=30),
        Column("Cơ quan phối hợp", "coordinating_text", width=30),
        Column("Thời gian hoàn thành", "deadline_text", width=20),
        Column("Hạn", "due", number_format=DATE_FORMAT, width=12),
        Column("Trạng thái", lambda task: task.get_status_display(), width=16),
        Column("Ngày hoàn thành", "done_on", number_format=DATE_FORMAT, width=14),
        Column("Quá hạn", lambda task: "Có" if task.is_overdue(today) else "", width=9),
        # Typed by the lead unit: written as text, never as a formula (core.spreadsheets).
        Column("Tiến độ, kết quả", "progress_note", width=60),
        Column("Đường dẫn sản phẩm", "product_link", width=30),
    ]


def lead_columns(today) -> list[Column]:
    return [
        Column("Số TT", lambda row: row.task.number, width=8),
        Column("Nhiệm vụ", lambda row: row.task.title, width=60),
        Column("Đơn vị chủ trì", lambda row: row.unit.display_name, width=30),
        Column("Hạn", lambda row: row.task.due, number_format=DATE_FORMAT, width=12),
        Column("Trạng thái", lambda row: row.get_status_display(), width=16),
        Column("Ngày hoàn thành", "done_on", number_format=DATE_FORMAT, width=14),
        Column("Quá hạn", lambda row: "Có" if row.is_overdue(today) else "", width=9),
        Column("Tiến độ, kết quả", "progress_note", width=60),
        Column("Đường dẫn sản phẩm", "product_link", width=30),
    ]


def plan_workbook(plan: Plan) -> bytes:
    today = timezone.localdate()
    leads = (
        LeadStatus.objects.filter(task__plan=plan)
        .select_related("task", "unit")
        .order_by("task__order", "task__id", "unit__kind", "unit__code")
    )
    return xlsx(
        Sheet("nhiem-vu", task_columns(today), plan.tasks.all()),
        Sheet("don-vi-chu-tri", lead_columns(today), leads),
    )


def filename(plan: Plan) -> str:
    return f"nhiem-vu-cchc-{plan.year}.xlsx"
