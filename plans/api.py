"""The plans part of the JSON API: the year's tasks with their status, and a lead unit's progress
update.

Every signed-in role reads the plan (it is public within the platform, `permissions.can_view_plans`);
every change goes through `services.update_task`, which checks that the token's user belongs to a
lead unit (or is the secretariat), validates the values and writes the audit event. See docs/api.md.
"""

from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from . import services
from .models import LeadStatus, Plan, Task
from .permissions import can_manage_plans, can_view_plans

router = Router(tags=["plans"])


# ------------------------------------------------------------------ schemas


class ErrorOut(Schema):
    detail: str


class LeadStatusOut(Schema):
    unit: str = Field(description="Mã đơn vị chủ trì", examples=["S02"])
    unit_name: str
    status: str = Field(description="not_started, in_progress hoặc done: của riêng đơn vị này")
    done_on: date | None = Field(description="Ngày đơn vị hoàn thành")
    overdue: bool = Field(description="Đã quá hạn mà đơn vị chưa hoàn thành")
    progress_note: str
    product_link: str


class TaskOut(Schema):
    id: int = Field(description="Dùng trong PATCH /plans/tasks/{id}")
    number: str = Field(examples=["1.2"])
    parent_number: str | None = Field(description="Số của nhiệm vụ cha, nếu là một mốc")
    area: str
    title: str
    product: str
    leader: str = Field(description="Lãnh đạo UBND Thành phố chủ trì")
    lead_units: list[str] = Field(description="Mã các đơn vị chủ trì", examples=[["S02"]])
    coordinating_units: list[str] = Field(description="Mã các đơn vị phối hợp")
    deadline_text: str = Field(description="Thời gian hoàn thành như ghi trong kế hoạch")
    due: date | None = Field(description="Hạn hoàn thành (nếu xác định được)")
    status: str = Field(
        description="not_started, in_progress hoặc done; nhiệm vụ do nhiều đơn vị chủ trì: done khi mọi "
        "đơn vị chủ trì đã hoàn thành, not_started khi chưa đơn vị nào bắt đầu, còn lại in_progress"
    )
    done_on: date | None = Field(
        description="Ngày hoàn thành (đơn vị chủ trì cuối cùng hoàn thành)"
    )
    overdue: bool = Field(
        description="Đã quá hạn mà chưa hoàn thành (còn đơn vị chủ trì chưa xong)"
    )
    progress_note: str
    product_link: str
    lead_statuses: list[LeadStatusOut] = Field(
        description="Nhiệm vụ do nhiều đơn vị chủ trì: tiến độ riêng của từng đơn vị; rỗng nếu một "
        "đơn vị chủ trì"
    )


class TaskFilter(Schema):
    unit: str | None = Field(None, description="Mã đơn vị: nhiệm vụ đơn vị chủ trì hoặc phối hợp")
    status: Literal["not_started", "in_progress", "done", "overdue"] | None = Field(
        None, description="Trạng thái, hoặc overdue (quá hạn mà chưa hoàn thành)"
    )


class TaskUpdateIn(Schema):
    # Unknown fields are refused (a misspelt one would be an empty update), and so is a body that
    # is not an object: ninja would otherwise read its missing attributes as "keep as it is".
    model_config = ConfigDict(extra="forbid")

    status: str | None = Field(
        None, description="not_started, in_progress hoặc done; bỏ trống để giữ nguyên"
    )
    progress_note: str | None = Field(None, description="Tiến độ, kết quả; bỏ trống để giữ nguyên")
    product_link: str | None = Field(
        None, max_length=500, description="Địa chỉ http(s) của sản phẩm; bỏ trống để giữ nguyên"
    )
    unit: str | None = Field(
        None,
        description="Nhiệm vụ do nhiều đơn vị chủ trì: mã đơn vị chủ trì báo cáo; bỏ trống là đơn "
        "vị của tài khoản (Sở Nội vụ phải ghi)",
    )


# ------------------------------------------------------------------ presenting


def _tasks():
    return Task.objects.select_related("parent").prefetch_related(
        "lead_units",
        "coordinating_units",
        Prefetch("lead_statuses", LeadStatus.objects.select_related("unit").order_by("unit__code")),
    )


def _task(task: Task, today: date) -> dict:
    return {
        "id": task.pk,
        "number": task.number,
        "parent_number": task.parent.number if task.parent_id else None,
        "area": task.area,
        "title": task.title,
        "product": task.product,
        "leader": task.leader,
        "lead_units": sorted(u.code for u in task.lead_units.all()),
        "coordinating_units": sorted(u.code for u in task.coordinating_units.all()),
        "deadline_text": task.deadline_text,
        "due": task.due,
        "status": task.status,
        "done_on": task.done_on,
        "overdue": task.is_overdue(today),
        "progress_note": task.progress_note,
        "product_link": task.product_link,
        "lead_statuses": [
            {
                "unit": row.unit.code,
                "unit_name": row.unit.display_name,
                "status": row.status,
                "done_on": row.done_on,
                "overdue": row.is_overdue(today),
                "progress_note": row.progress_note,
                "product_link": row.product_link,
            }
            for row in task.lead_statuses.all()
        ],
    }


NOT_A_LEAD_UNIT = gettext_noop(
    "Nhiệm vụ do nhiều đơn vị chủ trì: cần ghi mã một đơn vị chủ trì của nhiệm vụ (trường unit)."
)


def _require_view(user) -> None:
    if not can_view_plans(user):
        raise PermissionDenied(_("Tài khoản chưa được phân vai trò nên chưa xem được kế hoạch."))


# ------------------------------------------------------------------ endpoints


@router.get(
    "/{int:year}/tasks",
    response={200: list[TaskOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Danh sách nhiệm vụ của kế hoạch CCHC năm",
)
def list_tasks(request, year: int, filters: Query[TaskFilter]):
    _require_view(request.auth)
    plan = get_object_or_404(Plan, year=year)
    today = timezone.localdate()
    tasks = _tasks().filter(plan=plan)
    if filters.unit:
        code = filters.unit.strip()
        tasks = tasks.filter(Q(lead_units__code=code) | Q(coordinating_units__code=code)).distinct()
    if filters.status == "overdue":
        tasks = tasks.overdue(today)
    elif filters.status:
        tasks = tasks.filter(status=filters.status)
    return [_task(t, today) for t in tasks.order_by("order", "id")]


@router.patch(
    "/tasks/{int:task_id}",
    response={200: TaskOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Cập nhật tiến độ một nhiệm vụ (đơn vị chủ trì)",
)
def update_task(request, task_id: int, payload: TaskUpdateIn):
    user = request.auth
    _require_view(user)
    task = get_object_or_404(Task, pk=task_id)
    unit = None
    current = task
    if task.lead_statuses.exists():
        code = payload.unit.strip() if payload.unit else None
        row = (
            task.lead_statuses.select_related("unit").filter(unit__code=code).first()
            if code
            else task.lead_statuses.select_related("unit").filter(unit_id=user.unit_id).first()
        )
        if row is None and (code or can_manage_plans(user)):
            return Status(400, {"detail": _(NOT_A_LEAD_UNIT)})
        if row is not None:  # otherwise the service refuses a user of no lead unit (403)
            unit, current = row.unit, row
    try:
        services.update_task(
            user,
            task,
            status=current.status if payload.status is None else payload.status,
            progress_note=current.progress_note
            if payload.progress_note is None
            else payload.progress_note,
            product_link=current.product_link
            if payload.product_link is None
            else payload.product_link,
            unit=unit,
        )
    except services.PlanError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _task(_tasks().get(pk=task.pk), timezone.localdate()))
