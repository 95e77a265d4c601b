"""Appraising one unit's assessment: the page, a leaf saved in place (htmx, or a plain post), explicit
agreement with the unit per leaf and per domain, and the final points after the explanation round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import formats
from cycles.models import CycleState
from frameworks.scoring import READ_ONLY_RULES

from .. import services
from ..permissions import assigned_domains, can_see_appraisal
from ..presenters import group_by_domain, load_items
from .access import visible_assessment, visible_item


def _appraise_url(assessment) -> str:
    return reverse("assessments:appraise", args=[assessment.cycle.key, assessment.unit.code])


def _draft(post) -> dict:
    """What the reviewer typed, to put back into the form when a save is refused."""
    return {
        "points": post.get("points", ""),
        "comment": post.get("comment", ""),
        "needs_explanation": post.get("needs_explanation") == "on",
        "na_decision": post.get("na_decision", ""),
    }


def _context(user, assessment, *, leaf=None) -> dict:
    """The page's context; `leaf` (with its draft and error) replaces the stored one."""
    items = load_items(assessment)
    if leaf is not None:
        items = [leaf if i.pk == leaf.pk else i for i in items]
    allowed = assigned_domains(user, assessment)
    state = assessment.cycle.state
    for item in items:
        mine = allowed is None or item.node.code.split(".")[0] in allowed
        # A refused save keeps its form even when the phase has moved on: what was typed stays.
        item.appraisable = (
            (state == CycleState.APPRAISAL or getattr(item, "draft", None) is not None)
            and mine
            and item.node.rule not in READ_ONLY_RULES
        )
        item.finalisable = state == CycleState.EXPLANATION and mine and item.disputed
        item.decided = services.is_decided(item)
        # The box stays empty until the reviewer decides: never prefilled with the unit's points.
        item.form_values = getattr(item, "draft", None) or {
            "points": ""
            if item.appraised_points is None
            else formats.points(item.appraised_points),
            "comment": item.appraisal_comment,
            "needs_explanation": item.needs_explanation,
            "na_decision": item.na_decision,
        }
    domains = group_by_domain(assessment, items)
    fillable = [i for i in items if i.node.rule not in READ_ONLY_RULES]
    return {
        "assessment": assessment,
        "domains": domains,
        "allowed_domains": allowed,
        "can_appraise": state == CycleState.APPRAISAL and allowed != set(),
        "agree_counts": {
            d.node.code: len(services.domain_agreement_items(d.items)) for d in domains
        },
        "appraised": sum(1 for i in fillable if services.is_decided(i)),
        "appraisable_total": len(fillable),
    }


@login_required
def appraise_page(request, key, unit_code):
    assessment = visible_assessment(request, key, unit_code)
    if not can_see_appraisal(request.user, assessment.cycle):
        raise PermissionDenied
    return render(request, "assessments/appraise.html", _context(request.user, assessment))


def _leaf_answer(request, item, *, draft=None, error: str = "", done: str = ""):
    """htmx: the leaf, with the domain's sums and the progress out of band. A plain post: back to
    the page on success; on a refusal the page itself, the typed values kept in the leaf's form."""
    item.draft, item.error, item.done = (draft if error else None), error, done
    context = _context(request.user, item.assessment, leaf=item)
    if request.htmx:
        domain = next(d for d in context["domains"] if item in d.items)
        return render(
            request, "assessments/_appraisal_answer.html", context | {"item": item, "d": domain}
        )
    if not error:
        messages.success(request, done)
        return redirect(f"{_appraise_url(item.assessment)}#item-{item.pk}")
    return render(request, "assessments/appraise.html", context)


@login_required
@require_POST
def appraise_item(request, pk):
    item = visible_item(request, pk)
    draft = _draft(request.POST)
    try:
        saved = services.appraise(
            request.user,
            item,
            points=draft["points"],
            comment=draft["comment"],
            na_decision=draft["na_decision"],
            needs_explanation=draft["needs_explanation"],
            version=request.POST.get("version") or None,
        )
    except services.Conflict as exc:
        return _leaf_answer(request, exc.item, draft=draft, error=str(exc))
    except services.AssessmentError as exc:
        return _leaf_answer(request, item, draft=draft, error=str(exc))
    return _leaf_answer(
        request,
        saved,
        done=_("Đã lưu điểm thẩm định tiêu chí %(code)s.") % {"code": item.node.code},
    )


@login_required
@require_POST
def agree_item(request, pk):
    item = visible_item(request, pk)
    draft = _draft(request.POST)
    try:
        saved = services.agree_with_item(
            request.user,
            item,
            comment=draft["comment"],
            version=request.POST.get("version") or None,
        )
    except services.Conflict as exc:
        return _leaf_answer(request, exc.item, draft=draft, error=str(exc))
    except services.AssessmentError as exc:
        return _leaf_answer(request, item, draft=draft, error=str(exc))
    return _leaf_answer(
        request,
        saved,
        done=_("Đã nhất trí với tự đánh giá tiêu chí %(code)s.") % {"code": item.node.code},
    )


def _back(request, item, error: str = "", done: str = ""):
    if error:
        messages.error(request, error)
    if done:
        messages.success(request, done)
    return redirect(f"{_appraise_url(item.assessment)}#item-{item.pk}")


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
def agree_domain(request, key, unit_code, domain_code):
    """Agreement with a whole domain, confirmed with the number of leaves it sets (`expected`)."""
    assessment = visible_assessment(request, key, unit_code)
    expected = request.POST.get("expected", "")
    try:
        count = services.agree_with_domain(
            request.user,
            assessment,
            domain_code,
            expected=int(expected) if expected.isdigit() else None,
        )
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Đã nhất trí với tự đánh giá %(count)s tiêu chí của lĩnh vực %(domain)s.")
            % {"count": count, "domain": domain_code},
        )
    return redirect(f"{_appraise_url(assessment)}#domain-{domain_code}")
