"""The city's self-assessment for the Ministry: the secretariat gives leaves to the departments that lead
them, and a department fills the leaves it was given (and sees no other)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import is_unit_member
from core.tabular import ImportFailed
from cycles.models import Cycle, CycleState

from .. import services
from ..contributors import assignment_table, by_domain, contributed_items
from ..forms import LeafAssignmentForm, LeafAssignmentUploadForm
from ..models import AssessmentState
from ..permissions import can_assign_leaves
from ..presenters import progress
from ..services.contributors import CONTRIBUTOR_KINDS
from .access import visible_assessment


@login_required
def assign_leaves(request, key, unit_code):
    """The table of leaves and who fills each; a form for one code, or a file of many."""
    assessment = visible_assessment(request, key, unit_code)
    if not can_assign_leaves(request.user, assessment):
        raise PermissionDenied
    form = LeafAssignmentForm(kinds=CONTRIBUTOR_KINDS)
    upload = LeafAssignmentUploadForm()
    problems = []
    if request.method == "POST":
        if "file" in request.FILES:
            upload = LeafAssignmentUploadForm(request.POST, request.FILES)
            valid = upload.is_valid()
        else:
            form = LeafAssignmentForm(request.POST, kinds=CONTRIBUTOR_KINDS)
            valid = form.is_valid()
        try:
            if valid and "file" in request.FILES:
                changed = services.import_leaf_assignments(
                    request.user,
                    assessment,
                    request.FILES["file"].read(),
                    request.FILES["file"].name,
                )
            elif valid:
                unit = form.cleaned_data["unit"]
                row = (None, form.cleaned_data["code"].strip(), unit.code if unit else "")
                changed = services.assign_leaves(request.user, assessment, [row])
        except ImportFailed as exc:
            problems = [str(p) for p in exc.problems]
        except services.AssessmentError as exc:
            problems = [str(exc)]
        else:
            if valid:
                messages.success(
                    request, _("Đã giao lại %(count)s tiêu chí thành phần.") % {"count": changed}
                )
                return redirect(request.path)
    domains, per_unit = assignment_table(assessment)
    return render(
        request,
        "assessments/assign_leaves.html",
        {
            "assessment": assessment,
            "domains": domains,
            "per_unit": per_unit,
            "form": form,
            "upload": upload,
            "problems": problems,
        },
    )


@login_required
def contributions(request, key):
    """A unit's leaves of the cycle's self-assessment, with its progress: where it fills them."""
    cycle = get_object_or_404(Cycle, key=key)
    items = contributed_items(request.user.unit_id, cycle) if is_unit_member(request.user) else []
    if not items:
        raise Http404
    assessment = items[0].assessment
    return render(
        request,
        "assessments/contributions.html",
        {
            "cycle": cycle,
            "assessment": assessment,
            "domains": by_domain(items),
            "progress": progress(items),
            "editable": assessment.state == AssessmentState.DRAFT
            and cycle.state == CycleState.SELF_ASSESSMENT,
        },
    )
