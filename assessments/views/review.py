"""The appraisal working group's screens: the queue, appraising leaves, final points; and assignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cycles.models import Cycle, CycleState

from .. import services
from ..forms import AssignForm
from ..models import ReviewerAssignment
from ..permissions import assigned_domains, can_manage, can_see_appraisal
from ..presenters import group_by_domain, load_items, progress
from .access import visible_assessment, visible_item


@login_required
def queue(request):
    assignments = (
        ReviewerAssignment.objects.filter(reviewer=request.user)
        .select_related("cycle", "unit")
        .order_by("-cycle__year", "unit__kind", "unit__name")
    )
    rows = []
    for assignment in assignments:
        assessment = assignment.unit.assessments.filter(cycle=assignment.cycle).first()
        if assessment is None:
            continue
        items = list(assessment.items.select_related("node"))
        in_scope = [
            i
            for i in items
            if not assignment.domain_code or i.node.code.split(".")[0] == assignment.domain_code
        ]
        rows.append(
            {
                "assignment": assignment,
                "assessment": assessment,
                "done": sum(1 for i in in_scope if i.appraised_points is not None or i.na_decision),
                "total": len(in_scope),
            }
        )
    return render(request, "assessments/queue.html", {"rows": rows})


def _appraise_url(assessment) -> str:
    return reverse("assessments:appraise", args=[assessment.cycle.year, assessment.unit.code])


@login_required
def appraise_page(request, year, unit_code):
    assessment = visible_assessment(request, year, unit_code)
    if not can_see_appraisal(request.user):
        raise PermissionDenied
    items = load_items(assessment)
    domains = assigned_domains(request.user, assessment)
    return render(
        request,
        "assessments/appraise.html",
        {
            "assessment": assessment,
            "domains": group_by_domain(assessment, items),
            "progress": progress(items),
            "allowed_domains": domains,
            "can_appraise": assessment.cycle.state == CycleState.APPRAISAL and domains != set(),
            "can_finalise_items": assessment.cycle.state == CycleState.EXPLANATION
            and domains != set(),
        },
    )


def _back(request, item, error: str = "", done: str = ""):
    if error:
        messages.error(request, error)
    if done:
        messages.success(request, done)
    return redirect(f"{_appraise_url(item.assessment)}#item-{item.pk}")


@login_required
@require_POST
def appraise_item(request, pk):
    item = visible_item(request, pk)
    try:
        services.appraise(
            request.user,
            item,
            points=request.POST.get("points"),
            comment=request.POST.get("comment", ""),
            na_decision=request.POST.get("na_decision", ""),
            needs_explanation=request.POST.get("needs_explanation") == "on",
            version=request.POST.get("version") or None,
        )
    except services.AssessmentError as exc:
        return _back(request, item, error=str(exc))
    return _back(
        request,
        item,
        done=_("Đã lưu điểm thẩm định tiêu chí %(code)s.") % {"code": item.node.code},
    )


@login_required
@require_POST
def final_item(request, pk):
    item = visible_item(request, pk)
    try:
        services.set_final(
            request.user,
            item,
            points=request.POST.get("points"),
            comment=request.POST.get("comment", ""),
            version=request.POST.get("version") or None,
        )
    except services.AssessmentError as exc:
        return _back(request, item, error=str(exc))
    return _back(
        request,
        item,
        done=_("Đã chấm điểm cuối cùng tiêu chí %(code)s.") % {"code": item.node.code},
    )


@login_required
@require_POST
def agree_domain(request, year, unit_code, domain_code):
    assessment = visible_assessment(request, year, unit_code)
    try:
        count = services.agree_with_domain(request.user, assessment, domain_code)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Đã nhất trí với tự đánh giá %(count)s tiêu chí của lĩnh vực %(domain)s.")
            % {"count": count, "domain": domain_code},
        )
    return redirect(f"{_appraise_url(assessment)}#domain-{domain_code}")


@login_required
def assign(request, year):
    if not can_manage(request.user):
        raise PermissionDenied
    cycle = get_object_or_404(Cycle, year=year)
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
            return redirect("assessments:assign", year)
    assignments = cycle.reviewer_assignments.select_related("reviewer", "unit").order_by(
        "reviewer__username", "unit__name"
    )
    return render(
        request,
        "assessments/assign.html",
        {"cycle": cycle, "form": form, "assignments": assignments},
    )


@login_required
@require_POST
def unassign(request, year, pk):
    if not can_manage(request.user):
        raise PermissionDenied
    assignment = get_object_or_404(
        ReviewerAssignment.objects.select_related("cycle", "reviewer", "unit"),
        pk=pk,
        cycle__year=year,
    )
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
    return redirect("assessments:assign", year)
