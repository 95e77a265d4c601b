"""The council's and secretariat's board and finalisation; a leaf's history."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Sum
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Role
from accounts.permissions import oversees
from core import charts
from core.collation import by_name
from core.spreadsheets import download
from cycles.models import Cycle, CycleState

from .. import progress
from ..exports import history_filename, history_workbook
from ..permissions import (
    assessments_visible_to,
    can_finalise,
    history_visible_to,
    may_see_appraisal_of,
)
from .access import visible_assessment, visible_item


def _can_see_board(user, cycle) -> bool:
    return oversees(user, cycle.organiser_id, Role.SECRETARIAT, Role.COUNCIL, Role.LEADER)


@login_required
def board(request, key):
    cycle = get_object_or_404(Cycle, key=key)
    if not _can_see_board(request.user, cycle):
        raise PermissionDenied
    rows = (
        assessments_visible_to(request.user)
        .filter(cycle=cycle)
        .select_related("unit")
        .annotate(
            total=Count("items"),
            answered=Count(
                "items", filter=Q(items__self_points__isnull=False) | Q(items__not_applicable=True)
            ),
            appraised=Count(
                "items",
                filter=Q(items__appraised_points__isnull=False) | ~Q(items__na_decision=""),
            ),
            self_sum=Sum("items__self_points"),
            appraised_sum=Sum("items__appraised_points"),
            final_sum=Sum("items__final_points"),
            explanation_asked=Count("items", filter=Q(items__needs_explanation=True)),
            differing=Count(
                "items",
                filter=Q(items__appraised_points__isnull=False)
                & ~Q(items__appraised_points=F("items__self_points")),
            ),
        )
        .order_by("unit__kind", by_name("unit__name"))
    )
    by_state = defaultdict(int)
    for row in rows:
        by_state[row.get_state_display()] += 1
    group_of = dict(cycle.participations.values_list("unit_id", "ranking_group"))
    own, review = progress.by_group(rows, group_of)
    return render(
        request,
        "assessments/board.html",
        {
            "cycle": cycle,
            "rows": rows,
            "by_state": dict(by_state),
            "charts": [
                charts.for_page(
                    charts.progress(
                        own,
                        progress.self_assessment_series(),
                        _("Tự đánh giá theo khối"),
                        unit=_("đơn vị"),
                    )
                ),
                charts.for_page(
                    charts.progress(
                        review,
                        progress.appraisal_series(),
                        _("Thẩm định theo khối"),
                        unit=_("đơn vị"),
                    )
                ),
            ],
            "can_finalise": can_finalise(request.user, cycle)
            and cycle.state == CycleState.EXPLANATION,
        },
    )


@login_required
def item_history(request, pk):
    item = visible_item(request, pk)
    events = history_visible_to(
        request.user, item.assessment, AuditEvent.objects.for_object(item).select_related("actor")
    )
    return render(
        request,
        "assessments/history.html",
        {
            "item": item,
            "events": events,
            "appraisal_hidden": not may_see_appraisal_of(request.user, item.assessment),
        },
    )


@login_required
def history_export(request, key, unit_code):
    assessment = visible_assessment(request, key, unit_code)
    return download(history_workbook(assessment, request.user), history_filename(assessment))
