"""What assessments do when their cycle moves: created when it opens, late drafts submitted at
appraisal, every leaf's final points set and every assessment frozen at finalisation."""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cycles.models import Cycle, CycleState
from frameworks import tree
from frameworks.scoring import READ_ONLY_RULES

from .. import notifications
from ..automatic import fill_from_sources
from ..models import Assessment, AssessmentState, Item, NaDecision
from .transitions import move_all


def ensure_assessments(cycle: Cycle) -> int:
    """An assessment with one item per leaf for every participating unit (idempotent)."""
    frameworks = {(f.kind, f.variant): f for f in cycle.frameworks.all()}
    leaves = {
        f.pk: [t.node for root in tree.build(f.nodes.all()) for t in root.leaves()]
        for f in frameworks.values()
    }
    existing = set(cycle.assessments.values_list("unit_id", flat=True))
    created = []
    for participation in cycle.participations.all():
        framework = frameworks.get((participation.framework_kind, participation.framework_variant))
        if participation.unit_id in existing or framework is None:
            continue
        created.append(Assessment(cycle=cycle, unit_id=participation.unit_id, framework=framework))
    Assessment.objects.bulk_create(created)
    items = [
        Item(assessment=a, node=leaf)
        for a in cycle.assessments.filter(unit_id__in=[c.unit_id for c in created]).select_related(
            "framework"
        )
        for leaf in leaves[a.framework_id]
    ]
    Item.objects.bulk_create(items, batch_size=2000)
    return len(created)


def on_cycle_transition(actor, cycle: Cycle, before: str, after: str) -> None:
    """Registered in cycles.services.TRANSITION_HOOKS by AppConfig.ready()."""
    if cycle.imported:
        return  # a year before the platform: no assessments to open, submit or announce
    if after == CycleState.SELF_ASSESSMENT:
        ensure_assessments(cycle)
        notifications.self_assessment_opened(cycle)
    elif after == CycleState.APPRAISAL:
        fill_from_sources(actor, cycle)  # the year's reports and surveys are in by then
        drafts = set(
            cycle.assessments.filter(state=AssessmentState.DRAFT).values_list("unit_id", flat=True)
        )
        move_all(
            actor,
            cycle.assessments.all(),
            AssessmentState.SUBMITTED,
            action="assessment.submit",
            reason="Hết hạn tự đánh giá: nộp tự động",
            submitted_at=timezone.now(),
        )
        notifications.appraisal_opened(cycle, drafts)
    elif after == CycleState.EXPLANATION:
        notifications.explanation_requested(cycle)
    elif after == CycleState.FINALISED:
        freeze(actor, cycle)


def freeze(actor, cycle: Cycle) -> None:
    """Final points for every leaf (final, else appraised, else self); the submitted assessments
    become read-only (by then every draft has been submitted, by its head or when appraisal opened)."""
    na_accepted = Q(not_applicable=True) & ~Q(na_decision=NaDecision.REJECTED)
    (
        Item.objects.filter(assessment__cycle=cycle, final_points__isnull=True)
        .exclude(node__rule__in=READ_ONLY_RULES)
        .exclude(na_accepted)
        .update(final_points=Coalesce("appraised_points", "self_points"))
    )
    move_all(
        actor,
        cycle.assessments.all(),
        AssessmentState.FINALISED,
        action="assessment.finalise",
        finalised_at=timezone.now(),
    )
    notifications.cycle_finalised(cycle)


def preview_transition(cycle: Cycle, to_state: str) -> list[str]:
    """What a cycle's move will do to its assessments, in figures, for the confirmation page.
    Registered in cycles.transitions.TRANSITION_PREVIEWS by AppConfig.ready()."""
    if cycle.imported:
        return []
    assessments = cycle.assessments.all()
    if to_state == CycleState.SELF_ASSESSMENT:
        count = cycle.participations.count()
        return [
            _(
                "%(count)s đơn vị tham gia sẽ nhận bản tự đánh giá để điền và được thông báo trên "
                "hệ thống và qua thư điện tử."
            )
            % {"count": count}
        ]
    if to_state == CycleState.APPRAISAL:
        drafts = assessments.filter(state=AssessmentState.DRAFT)
        touched = Item.objects.filter(assessment=OuterRef("pk"), updated_by__isnull=False)
        not_started = drafts.exclude(Exists(touched)).count()
        in_progress = drafts.count() - not_started
        submitted = assessments.filter(state=AssessmentState.SUBMITTED).count()
        return [
            _(
                "%(drafts)s bản tự đánh giá đang soạn sẽ được nộp nguyên trạng; "
                "%(not_started)s đơn vị chưa bắt đầu (bản trống cũng được nộp)."
            )
            % {"drafts": in_progress, "not_started": not_started},
            _("%(submitted)s bản đã được đơn vị nộp trước đó.") % {"submitted": submitted},
            _("Các tiêu chí lấy từ dữ liệu (khảo sát, báo cáo) được điền điểm."),
            _("%(units)s đơn vị được thông báo trên hệ thống và qua thư điện tử.")
            % {"units": assessments.count()},
        ]
    if to_state == CycleState.EXPLANATION:
        differs = Q(appraised_points__isnull=False) & ~Q(
            appraised_points=Coalesce("self_points", Value(Decimal("0")))
        )
        disputed = Item.objects.filter(assessment__cycle=cycle).filter(
            Q(needs_explanation=True) | Q(na_decision=NaDecision.REJECTED) | differs
        )
        units = disputed.values("assessment_id").distinct().count()
        return [
            _(
                "%(units)s đơn vị có %(items)s tiêu chí cần giải trình sẽ được thông báo; "
                "điểm thẩm định được công khai cho đơn vị."
            )
            % {"units": units, "items": disputed.count()}
        ]
    if to_state == CycleState.FINALISED:
        return [
            _(
                "%(count)s bản đánh giá sẽ bị khoá; điểm cuối cùng của mọi tiêu chí được chốt và "
                "kết quả được tính lại; các đơn vị được thông báo."
            )
            % {"count": assessments.exclude(state=AssessmentState.FINALISED).count()}
        ]
    return []
