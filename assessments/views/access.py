"""Finding the assessment, item or evidence a request names, or a 404 when the user may not see it."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Assessment, Evidence, Item
from ..permissions import assessments_visible_to, can_see_item


def visible_assessment(request, key: str, unit_code: str) -> Assessment:
    return get_object_or_404(
        assessments_visible_to(request.user).select_related("cycle", "unit", "framework"),
        cycle__key=key,
        unit__code=unit_code,
    )


def visible_item(request, pk: int) -> Item:
    item = get_object_or_404(
        Item.objects.select_related("assessment__cycle", "assessment__unit", "node", "updated_by"),
        pk=pk,
    )
    if not can_see_item(request.user, item):
        raise Http404
    return item


def visible_evidence(request, pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("item__assessment"), pk=pk)
    if not can_see_item(request.user, evidence.item):
        raise Http404
    return evidence
