"""Plan screens: the task board (by area, unit, leader; overdue and due-soon), a task and its update,
the Excel export, and the import with its name review (secretariat)."""

import base64
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent
from core.collation import by_name
from core.spreadsheets import download
from core.tabular import ImportFailed
from units.models import Unit

from . import board, exports, leaders, services
from .forms import NameMappingForm, PlanImportForm, TaskUpdateForm
from .importer import UnknownUnits
from .links import actual_value
from .models import LeadStatus, Plan, Task, TaskStatus
from .permissions import can_manage_plans, can_update_task, can_view_plans

PENDING = "plan_import_pending"


def _require_view(request):
    if not can_view_plans(request.user):
        raise PermissionDenied


def _filtered(plan: Plan, params):
    tasks = plan.tasks.select_related("parent").prefetch_related("lead_units", "lead_statuses")
    unit_pk, leader, state = (
        params.get("unit", ""),
        params.get("leader", ""),
        params.get("state", ""),
    )
    if unit_pk.isdigit():
        tasks = tasks.filter(Q(lead_units=unit_pk) | Q(coordinating_units=unit_pk)).distinct()
    if leader:
        # Every spelling of that leader in the plan (plans/leaders.py).
        spellings = plan.tasks.values_list("leader", flat=True).distinct()
        tasks = tasks.filter(leader__in=leaders.spellings_of(leaders.key(leader), spellings))
    if state == "overdue":
        tasks = tasks.overdue()
    elif state == "due_soon":
        from django.conf import settings

        tasks = tasks.due_soon(settings.DEADLINE_REMINDER_DAYS * 10)
    elif state in TaskStatus.values:
        tasks = tasks.filter(status=state)
    return tasks


@login_required
def plan_list(request):
    _require_view(request)
    return render(
        request,
        "plans/list.html",
        {"plans": Plan.objects.all(), "can_manage": can_manage_plans(request.user)},
    )


@login_required
def plan_board(request, year):
    _require_view(request)
    plan = get_object_or_404(Plan, year=year)
    tasks = list(_filtered(plan, request.GET))
    today = timezone.localdate()
    by_area: OrderedDict[str, list] = OrderedDict()
    unit_pk = request.GET.get("unit", "")
    for task in tasks:
        task.overdue = task.is_overdue(today)
        if task.is_group_led:
            task.units_done, task.units_total = board.units_done(task)
            # Filtered by one of its lead units: that unit's own status beside the task's.
            task.own = board.own_status(task, int(unit_pk)) if unit_pk.isdigit() else None
        by_area.setdefault(task.area or "—", []).append(task)
    all_tasks = plan.tasks.all()
    counts = {
        "total": all_tasks.filter(parent__isnull=True).count(),
        "done": all_tasks.filter(parent__isnull=True, status=TaskStatus.DONE).count(),
        "overdue": all_tasks.overdue(today).count(),
    }
    return render(
        request,
        "plans/board.html",
        {
            "plan": plan,
            "by_area": by_area,
            "counts": counts,
            "targets": [
                (t, actual_value(t), board.assigned_rows(t))
                for t in plan.targets.prefetch_related("assignments__unit")
            ],
            "units": Unit.objects.filter(Q(led_tasks__plan=plan) | Q(coordinated_tasks__plan=plan))
            .distinct()
            .order_by("kind", by_name()),
            "leaders": leaders.options(all_tasks.values_list("leader", flat=True).distinct()),
            "params": request.GET,
            "statuses": TaskStatus.choices,
            "my_unit": request.user.unit_id,
        },
    )


def _update_form(request, task: Task, editable: bool) -> TaskUpdateForm:
    """The progress form: the task's own, or on a task led by several units the user's unit's row (the
    secretariat chooses the lead unit it reports for)."""
    if not (editable and task.is_group_led):
        current = task
        units = None
    elif can_manage_plans(request.user):
        current = None
        units = task.lead_units.order_by("kind", by_name())
    else:
        current = next(
            (r for r in task.lead_statuses.all() if r.unit_id == request.user.unit_id), None
        )
        units = None
    initial = (
        {name: getattr(current, name) for name in ("status", "progress_note", "product_link")}
        if current is not None
        else {}
    )
    return TaskUpdateForm(request.POST or None, initial=initial, units=units)


@login_required
def task_detail(request, pk):
    _require_view(request)
    task = get_object_or_404(
        Task.objects.select_related("plan", "parent").prefetch_related(
            "lead_units", Prefetch("lead_statuses", LeadStatus.objects.select_related("unit"))
        ),
        pk=pk,
    )
    editable = can_update_task(request.user, task)
    form = _update_form(request, task, editable)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.update_task(request.user, task, **data)
            except services.PlanError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Đã cập nhật nhiệm vụ %(number)s.") % {"number": task.number}
                )
                return redirect("plans:task", task.pk)
    today = timezone.localdate()
    return render(
        request,
        "plans/task.html",
        {
            "task": task,
            "form": form if editable else None,
            "overdue": task.is_overdue(today),
            "lead_rows": board.lead_rows(task, today),
            "units_done": board.units_done(task),
            "history": AuditEvent.objects.for_object(task).select_related("actor")[:50],
        },
    )


@login_required
def plan_export(request, year):
    _require_view(request)
    plan = get_object_or_404(Plan, year=year)
    return download(exports.plan_workbook(plan), exports.filename(plan))


@login_required
def plan_import(request):
    if not can_manage_plans(request.user):
        raise PermissionDenied
    form = PlanImportForm(request.POST or None, request.FILES or None)
    problems, names_form = [], None
    pending = request.session.get(PENDING)
    if request.method == "POST" and "confirm_names" in request.POST and pending:
        names_form = NameMappingForm(request.POST, names=pending["names"])
        if names_form.is_valid():
            services.confirm_names(request.user, names_form.mapping())
            return _run_import(request, pending)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        pending = {
            "year": form.cleaned_data["year"],
            "decision_number": form.cleaned_data["decision_number"],
            "decision_date": form.cleaned_data["decision_date"].isoformat(),
            "title": form.cleaned_data["title"],
            "filename": upload.name,
            "data": base64.b64encode(upload.read()).decode(),
        }
        return _run_import(request, pending)
    if pending and names_form is None and request.GET.get("review"):
        names_form = NameMappingForm(names=pending["names"])
        problems = pending.get("problems", [])
    return render(
        request, "plans/import.html", {"form": form, "problems": problems, "names_form": names_form}
    )


def _run_import(request, pending):
    from datetime import date

    try:
        plan = services.save_plan(
            request.user,
            year=pending["year"],
            decision_number=pending["decision_number"],
            decision_date=date.fromisoformat(pending["decision_date"]),
            title=pending["title"],
        )
        tasks = services.import_tasks(
            request.user, plan, base64.b64decode(pending["data"]), pending["filename"]
        )
    except UnknownUnits as exc:
        pending |= {"names": exc.names, "problems": [str(p) for p in exc.problems]}
        request.session[PENDING] = pending
        return redirect("/plans/import/?review=1")
    except (ImportFailed, services.PlanError) as exc:
        problems = [str(p) for p in exc.problems] if isinstance(exc, ImportFailed) else [str(exc)]
        request.session.pop(PENDING, None)
        return render(
            request,
            "plans/import.html",
            {"form": PlanImportForm(), "problems": problems, "names_form": None},
        )
    request.session.pop(PENDING, None)
    messages.success(
        request,
        _("Đã nhập %(count)s nhiệm vụ vào kế hoạch năm %(year)s.")
        % {"count": len(tasks), "year": plan.year},
    )
    return redirect("plans:board", plan.year)
