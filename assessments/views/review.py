"""The appraisal working group's queue, and the secretariat's assignment of reviewers (appraising a
unit's leaves: views/appraisal.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.collation import by_name
from cycles.models import Cycle

from .. import review_queue, services
from ..forms import AssignForm, QueueFilterForm
from ..models import ReviewerAssignment
from ..permissions import can_manage


@login_required
def queue(request):
    """The reviewer's units in one cycle (the current one unless chosen), with counts and filters."""
    cycles = review_queue.reviewer_cycles(request.user)
    by_key = {c.key: c for c in cycles}
    data = request.GET.copy()
    cycle = by_key.get(data.get("cycle", ""))
    if cycle is None:
        cycle = review_queue.current_cycle(cycles)
        if data.get("cycle") and cycle:
            messages.error(
                request,
                _("Bạn không có việc thẩm định trong kỳ “%(asked)s”; đang hiển thị kỳ %(year)s.")
                % {"asked": data["cycle"][:20], "year": cycle.year},
            )
        if cycle:
            data["cycle"] = cycle.key
    form = QueueFilterForm(
        data,
        cycles=cycles,
        domains=review_queue.domain_choices(cycle) if cycle else [],
        units=review_queue.unit_choices(request.user, cycle) if cycle else [],
    )
    form.is_valid()  # a refused filter is shown with its error; the others still apply
    filters = form.cleaned_data
    rows = (
        review_queue.queue_rows(
            request.user,
            cycle,
            state=filters.get("state", ""),
            domain=filters.get("domain", ""),
            unit_code=filters.get("unit", ""),
        )
        if cycle
        else []
    )
    return render(
        request,
        "assessments/queue.html",
        {"form": form, "cycle": cycle, "rows": rows, "domain": filters.get("domain", "")},
    )


@login_required
def assign(request, key):
    cycle = get_object_or_404(Cycle, key=key)
    if not can_manage(request.user, cycle):
        raise PermissionDenied
    form = AssignForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.assign_reviewer(
                request.user,
                cycle,
                form.cleaned_data["reviewer"],
                list(form.cleaned_data["units"]),
                form.cleaned_data["domain_code"],
            )
        except services.AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã phân công %(count)s đơn vị.") % {"count": created})
            return redirect("assessments:assign", key)
    assignments = cycle.reviewer_assignments.select_related("reviewer", "unit").order_by(
        "reviewer__username", by_name("unit__name")
    )
    return render(
        request,
        "assessments/assign.html",
        {"cycle": cycle, "form": form, "assignments": assignments},
    )


@login_required
@require_POST
def unassign(request, key, pk):
    assignment = get_object_or_404(
        ReviewerAssignment.objects.select_related("cycle", "reviewer", "unit"),
        pk=pk,
        cycle__key=key,
    )
    if not can_manage(request.user, assignment.cycle):
        raise PermissionDenied
    try:
        services.unassign_reviewer(request.user, assignment)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Đã bỏ phân công %(reviewer)s thẩm định %(unit)s.")
            % {
                "reviewer": assignment.reviewer.get_full_name() or assignment.reviewer.username,
                "unit": assignment.unit.display_name,
            },
        )
    return redirect("assessments:assign", key)
