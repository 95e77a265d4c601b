"""The plans part of the JSON API: the year's tasks with their status, and a lead unit's progress
update.

Every signed-in role reads the plan (it is public within the platform, `permissions.can_view_plans`);
every change goes through `services.update_task`, which checks that the token's user belongs to a
lead unit (or is the secretariat), validates the values and writes the audit event. See docs/api.md.
"""

from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from . import services
from .models import Plan, Task
from .permissions import can_view_plans

router = Router(tags=["plans"])


# ------------------------------------------------------------------ schemas


class ErrorOut(Schema):
    detail: str


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
    status: str = Field(description="not_started, in_progress hoặc done")
    overdue: bool = Field(description="Đã quá hạn mà chưa hoàn thành")
    progress_note: str
    product_link: str


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


# ------------------------------------------------------------------ presenting


def _tasks():
    return Task.objects.select_related("parent").prefetch_related(
        "lead_units", "coordinating_units"
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
        "overdue": task.is_overdue(today),
        "progress_note": task.progress_note,
        "product_link": task.product_link,
    }


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
    try:
        services.update_task(
            user,
            task,
            status=task.status if payload.status is None else payload.status,
            progress_note=task.progress_note
            if payload.progress_note is None
            else payload.progress_note,
            product_link=task.product_link
            if payload.product_link is None
            else payload.product_link,
        )
    except services.PlanError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _task(_tasks().get(pk=task.pk), timezone.localdate()))
