"""The unit's screens: the self-assessment form, evidence, submission, the explanation round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cycles.models import CycleState

from .. import services
from ..contributors import contributor_counters
from ..forms import EvidenceReferenceForm, ReasonForm, inputs_from_post
from ..models import AssessmentState
from ..permissions import (
    can_assign_leaves,
    can_fill,
    can_fill_assessment,
    can_manage,
    can_submit,
    contributes_to,
    is_member_of,
    may_see_appraisal_of,
)
from ..presenters import (
    counters_after_save,
    domain_of,
    domain_summaries,
    group_by_domain,
    leaf_counts,
    load_domain,
    load_items,
    progress,
)
from ..uploads import UploadRefused
from .access import visible_assessment, visible_evidence, visible_item


def _form_url(assessment, *, domain: str = "") -> str:
    """The form; with `domain`, the page that renders that domain's leaves open (no JavaScript)."""
    url = reverse("assessments:form", args=[assessment.cycle.key, assessment.unit.code])
    return f"{url}?{urlencode({'domain': domain})}" if domain else url


def _domain_url(assessment, code: str) -> str:
    return reverse(
        "assessments:form_domain", args=[assessment.cycle.key, assessment.unit.code, code]
    )


def _open_for_self(assessment) -> bool:
    return (
        assessment.state == AssessmentState.DRAFT
        and assessment.cycle.state == CycleState.SELF_ASSESSMENT
    )


def _editable(user, assessment) -> bool:
    return can_fill_assessment(user, assessment) and _open_for_self(assessment)


def _item_editable(user, item) -> bool:
    return can_fill(user, item) and _open_for_self(item.assessment)


def _contributes_only(user, item) -> bool:
    """A unit that was given the leaf, and fills nothing else of the assessment: its own page."""
    return contributes_to(user, item) and not can_fill_assessment(user, item.assessment)


def _counters(user, item) -> dict:
    """The whole form's counters, for those who see the whole assessment: a unit that was given a
    leaf learns nothing of the others (docs/assessments.md)."""
    if _contributes_only(user, item):
        return contributor_counters(user.unit_id, item)
    return counters_after_save(item)


def _item_response(request, item, *, error: str = "", saved: bool = False):
    """The leaf's block for htmx; a redirect back to the form for a plain browser post."""
    if request.htmx:
        item = (
            type(item)
            .objects.select_related("node", "assessment__cycle", "assessment__unit", "updated_by")
            .prefetch_related("evidence")
            .get(pk=item.pk)
        )
        return render(
            request,
            "assessments/_item_swapped.html",
            {
                "item": item,
                "editable": _item_editable(request.user, item),
                "error": error,
                "saved": saved,
                **_counters(request.user, item),
            },
        )
    if error:
        messages.error(request, error)
    elif saved:
        messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": item.node.code})
    if _contributes_only(request.user, item):
        url = reverse("assessments:contributions", args=[item.assessment.cycle.key])
        return redirect(f"{url}#item-{item.pk}")
    domain = domain_of(item.node.code)
    return redirect(f"{_form_url(item.assessment, domain=domain)}#item-{item.pk}")


@login_required
def assessment_form(request, key, unit_code):
    """The domain list with the counters; a domain's leaves load when it is opened (htmx GET of
    `form_domain`), or, without JavaScript, with the page itself (`?domain=CODE`)."""
    assessment = visible_assessment(request, key, unit_code)
    leaves = leaf_counts(assessment)
    domains = domain_summaries(assessment, leaves)
    opened = None
    if request.GET.get("domain") in {d.code for d in domains}:
        opened = load_domain(assessment, request.GET["domain"])
    for d in domains:
        d.url = _domain_url(assessment, d.code)
        d.open_url = _form_url(assessment, domain=d.code)
    return render(
        request,
        "assessments/form.html",
        {
            "assessment": assessment,
            "domains": domains,
            "opened": opened,
            "progress": progress(leaves),
            "editable": _editable(request.user, assessment),
            "can_submit": can_submit(request.user, assessment)
            and assessment.state == AssessmentState.DRAFT,
            "can_reopen": can_manage(request.user, assessment.cycle)
            and assessment.state == AssessmentState.SUBMITTED,
            "can_assign_leaves": can_assign_leaves(request.user, assessment),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_GET
def assessment_domain(request, key, unit_code, domain_code):
    """One domain's leaves, as the form shows them: the fragment htmx puts in the opened domain."""
    assessment = visible_assessment(request, key, unit_code)
    domain = load_domain(assessment, domain_code)
    if domain is None:
        raise Http404
    return render(
        request,
        "assessments/_domain_leaves.html",
        {"assessment": assessment, "d": domain, "editable": _editable(request.user, assessment)},
    )


@login_required
@require_POST
def save_self(request, pk):
    """htmx: only the leaf's status, points and version change, so what the user is typing stays.

    A conflict replaces the whole leaf with the newer values, as the user must see them.
    """
    item = visible_item(request, pk)
    try:
        item = services.save_self(
            request.user,
            item,
            inputs=inputs_from_post(item.node, request.POST),
            note=request.POST.get("note", ""),
            not_applicable=request.POST.get("not_applicable") == "on",
            na_reason=request.POST.get("na_reason", ""),
            version=request.POST.get("version") or None,
        )
    except services.Conflict as exc:
        response = _item_response(request, exc.item, error=str(exc))
        if request.htmx:
            response["HX-Retarget"] = f"#item-{item.pk}"
            response["HX-Reswap"] = "outerHTML"
        return response
    except services.AssessmentError as exc:
        if request.htmx:
            return render(
                request, "assessments/_item_saved.html", {"item": item, "error": str(exc)}
            )
        return _item_response(request, item, error=str(exc))
    if request.htmx:
        return render(
            request,
            "assessments/_item_saved.html",
            {"item": item, "saved": True, **_counters(request.user, item)},
        )
    return _item_response(request, item, saved=True)


@login_required
def add_evidence(request, pk):
    """GET: the upload and reference forms (htmx loads them when a leaf's box is opened); POST: add."""
    item = visible_item(request, pk)
    if not can_fill(request.user, item):
        raise PermissionDenied
    if request.method != "POST":
        template = (
            "assessments/_evidence_forms.html"
            if request.htmx
            else "assessments/evidence_forms.html"
        )
        return render(request, template, {"item": item})
    try:
        if request.FILES.get("file"):
            services.add_evidence_file(request.user, item, request.FILES["file"])
        else:
            form = EvidenceReferenceForm(request.POST)
            if not form.is_valid():
                errors = "; ".join(
                    f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()
                )
                raise services.AssessmentError(
                    errors or _("Hãy chọn tệp hoặc nhập số, ký hiệu văn bản.")
                )
            services.add_evidence_reference(request.user, item, **form.cleaned_data)
    except (services.AssessmentError, UploadRefused) as exc:
        return _item_response(request, item, error=str(exc))
    return _item_response(request, item, saved=True)


@login_required
@require_POST
def remove_evidence(request, pk):
    evidence = visible_evidence(request, pk)
    item = visible_item(request, evidence.item_id)
    try:
        services.remove_evidence(request.user, evidence)
    except services.AssessmentError as exc:
        return _item_response(request, item, error=str(exc))
    return _item_response(request, item, saved=True)


@login_required
def evidence_file(request, pk):
    """Files are served only here, after the permission check; PDFs open in the browser."""
    evidence = visible_evidence(request, pk)
    if not evidence.file:
        raise Http404
    inline = evidence.content_type == "application/pdf"
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=not inline,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def submit(request, key, unit_code):
    assessment = visible_assessment(request, key, unit_code)
    if not is_member_of(request.user, assessment) and not can_manage(
        request.user, assessment.cycle
    ):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.submit(request.user, assessment)
        except services.AssessmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã nộp bản tự đánh giá."))
            return redirect(_form_url(assessment))
    items = load_items(assessment)
    return render(
        request,
        "assessments/submit.html",
        {
            "assessment": assessment,
            "domains": group_by_domain(assessment, items),
            "progress": progress(items),
            "problems": services.submission_problems(assessment),
            "can_submit": can_submit(request.user, assessment)
            and assessment.state == AssessmentState.DRAFT,
        },
    )


@login_required
@require_POST
def reopen(request, key, unit_code):
    assessment = visible_assessment(request, key, unit_code)
    if not can_manage(request.user, assessment.cycle):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise services.AssessmentError(_("Hãy nêu lý do mở lại."))
        services.reopen(request.user, assessment, form.cleaned_data["reason"])
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã mở lại bản tự đánh giá."))
    return redirect(_form_url(assessment))


@login_required
def explain_page(request, key, unit_code):
    assessment = visible_assessment(request, key, unit_code)
    # The working group's appraisal reaches the unit when the explanation round opens, not before.
    shown = may_see_appraisal_of(request.user, assessment)
    items = [i for i in load_items(assessment) if i.disputed] if shown else []
    return render(
        request,
        "assessments/explain.html",
        {
            "assessment": assessment,
            "items": items,
            "can_explain": is_member_of(request.user, assessment)
            and assessment.cycle.state == CycleState.EXPLANATION,
        },
    )


@login_required
@require_POST
def explain_item(request, pk):
    item = visible_item(request, pk)
    url = reverse(
        "assessments:explain", args=[item.assessment.cycle.key, item.assessment.unit.code]
    )
    try:
        with transaction.atomic():  # the explanation and its file are kept together or not at all
            services.explain(
                request.user,
                item,
                text=request.POST.get("explanation", ""),
                version=request.POST.get("version") or None,
            )
            if request.FILES.get("file"):
                services.add_evidence_file(request.user, item, request.FILES["file"])
    except (services.AssessmentError, UploadRefused) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Đã gửi giải trình tiêu chí %(code)s.") % {"code": item.node.code}
        )
    return redirect(f"{url}#item-{item.pk}")
