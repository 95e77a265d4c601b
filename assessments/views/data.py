"""The secretariat's page of an assessment's data-fed (`automatic`) leaves: the value each has, where it
came from, and a form to enter a value no feed has or to override a fed one (services.set_data_value)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..automatic import value_for
from ..forms import DataValueForm
from ..permissions import can_enter_data_value, can_manage
from .access import visible_assessment, visible_item


@login_required
def data_values(request, key, unit_code):
    assessment = visible_assessment(request, key, unit_code)
    if not can_manage(request.user, assessment.cycle):
        raise PermissionDenied
    items = (
        assessment.items.filter(node__rule="automatic")
        .select_related("node", "updated_by")
        .prefetch_related("evidence")
    )
    rows = [
        {
            "item": item,
            "fed": value_for("automatic", assessment.unit, assessment.cycle, item.node),
            "form": DataValueForm(prefix=f"item-{item.pk}"),
        }
        for item in items
    ]
    return render(request, "assessments/data_values.html", {"assessment": assessment, "rows": rows})


@login_required
@require_POST
def set_data_value(request, pk):
    item = visible_item(request, pk)
    if not can_enter_data_value(request.user, item):
        raise PermissionDenied
    assessment = item.assessment
    back = reverse("assessments:data_values", args=[assessment.cycle.key, assessment.unit.code])
    form = DataValueForm(request.POST, prefix=f"item-{item.pk}")
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[name].label}: {' '.join(problems)}"
            for name, problems in form.errors.items()
        )
        messages.error(
            request, _("Tiêu chí %(code)s: %(errors)s") % {"code": item.node.code, "errors": errors}
        )
        return redirect(f"{back}#item-{item.pk}")
    try:
        services.set_data_value(request.user, item, **form.cleaned_data)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã lưu số liệu tiêu chí %(code)s.") % {"code": item.node.code})
    return redirect(f"{back}#item-{item.pk}")
