"""The plan's key tasks as an Excel sheet (every signed-in user may download it)."""

from django.utils import timezone

from core.spreadsheets import DATE_FORMAT, Column, Sheet, xlsx

from .models import Plan


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
        Column("Quá hạn", lambda task: "Có" if task.is_overdue(today) else "", width=9),
        # Typed by the lead unit: written as text, never as a formula (core.spreadsheets).
        Column("Tiến độ, kết quả", "progress_note", width=60),
        Column("Đường dẫn sản phẩm", "product_link", width=30),
    ]


def plan_workbook(plan: Plan) -> bytes:
    columns = task_columns(timezone.localdate())
    return xlsx(Sheet("nhiem-vu", columns, plan.tasks.all()))


def filename(plan: Plan) -> str:
    return f"nhiem-vu-cchc-{plan.year}.xlsx"
