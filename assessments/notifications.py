"""In-app notifications, each also sent by e-mail after the transaction commits."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.notify import notify
from core.formats import moment

from .models import Assessment, AssessmentState, ReviewerAssignment


def _members(unit_id):
    return User.objects.filter(unit_id=unit_id, role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD])


def _secretariat(cycle):
    """The secretariat of the cycle's organiser (the city's for the city's indices)."""
    return User.objects.filter(role=Role.SECRETARIAT, unit_id=cycle.organiser_id)


def _assessment_link(assessment: Assessment) -> str:
    return reverse("assessments:form", args=[assessment.cycle.key, assessment.unit.code])


def assessment_submitted(assessment: Assessment) -> None:
    reviewers = User.objects.filter(
        review_assignments__cycle=assessment.cycle, review_assignments__unit=assessment.unit
    ).distinct()
    notify(
        [*_secretariat(assessment.cycle), *reviewers, *_members(assessment.unit_id)],
        f"{assessment.unit} đã nộp bản tự đánh giá năm {assessment.cycle.year}.",
        _assessment_link(assessment),
    )


def assessment_reopened(assessment: Assessment, reason: str) -> None:
    notify(
        _members(assessment.unit_id),
        f"Sở Nội vụ đã mở lại bản tự đánh giá năm {assessment.cycle.year}: {reason}",
        _assessment_link(assessment),
    )


def reviewer_assigned(reviewer, cycle, count: int) -> None:
    notify(
        [reviewer],
        f"Bạn được phân công thẩm định {count} đơn vị (kỳ đánh giá {cycle.year}).",
        reverse("assessments:queue"),
    )


def self_assessment_opened(cycle) -> None:
    """Every participating unit: its self-assessment is open, with its deadline if one is set."""
    from cycles.models import PhaseKind
    from cycles.phases import local

    phase = cycle.phase(PhaseKind.SELF_ASSESSMENT)
    deadline = f" Hạn nộp: {local(phase.closes_at)}." if phase else ""
    for assessment in cycle.assessments.select_related("unit", "cycle"):
        notify(
            _members(assessment.unit_id),
            f"Kỳ đánh giá {cycle.year} đã mở tự đánh giá.{deadline}",
            _assessment_link(assessment),
        )


def appraisal_opened(cycle, auto_submitted_unit_ids) -> None:
    """Every participating unit, told whether its draft was submitted as it stood."""
    for assessment in cycle.assessments.select_related("unit", "cycle"):
        if assessment.unit_id in auto_submitted_unit_ids:
            text = (
                f"Kỳ đánh giá {cycle.year} đã chuyển sang thẩm định: bản tự đánh giá đang soạn "
                "của đơn vị đã được nộp nguyên trạng."
            )
        else:
            text = f"Kỳ đánh giá {cycle.year} đã chuyển sang thẩm định."
        notify(_members(assessment.unit_id), text, _assessment_link(assessment))


def explanation_requested(cycle) -> None:
    for assessment in cycle.assessments.select_related("unit", "cycle"):
        if any(item.disputed for item in assessment.items.all()):
            notify(
                _members(assessment.unit_id),
                f"Vòng giải trình năm {cycle.year} đã mở: có tiêu chí đơn vị cần giải trình.",
                reverse("assessments:explain", args=[cycle.key, assessment.unit.code]),
            )


def cycle_finalised(cycle) -> None:
    members = User.objects.filter(unit__assessments__cycle=cycle).distinct()
    notify(
        [*members, *_secretariat(cycle)],
        f"Hội đồng thẩm định đã phê duyệt kết quả Chỉ số CCHC năm {cycle.year}.",
        reverse("cycles:detail", args=[cycle.key]),
    )


def send_deadline_reminders(now=None) -> int:
    """Remind those who still have work when a phase closes within DEADLINE_REMINDER_DAYS."""
    from cycles.models import Phase, PhaseKind
    from cycles.phases import window

    now = now or timezone.now()
    horizon = now + timedelta(days=settings.DEADLINE_REMINDER_DAYS)
    sent = 0
    for phase in Phase.objects.filter(
        opens_at__lte=now, closes_at__gt=now, closes_at__lte=horizon
    ).select_related("cycle"):
        cycle, closes = phase.cycle, timezone.localtime(phase.closes_at)
        if not window(cycle, phase.kind, now).is_open:
            continue  # the dates say open, but the cycle is not (or no longer) in that phase
        days = max(0, (phase.closes_at - now).days)
        key = f"deadline:{cycle.year}:{phase.kind}"
        when = moment(closes)
        if phase.kind == PhaseKind.SELF_ASSESSMENT:
            for assessment in cycle.assessments.filter(state=AssessmentState.DRAFT).select_related(
                "unit", "cycle"
            ):
                sent += notify(
                    _members(assessment.unit_id),
                    f"Còn {days} ngày: hạn nộp bản tự đánh giá năm {cycle.year} là {when}.",
                    _assessment_link(assessment),
                    key=key,
                )
        elif phase.kind == PhaseKind.APPRAISAL:
            reviewers = User.objects.filter(
                id__in=ReviewerAssignment.objects.filter(cycle=cycle).values("reviewer_id")
            )
            sent += notify(
                reviewers,
                f"Còn {days} ngày: hạn thẩm định năm {cycle.year} là {when}.",
                reverse("assessments:queue"),
                key=key,
            )
        elif phase.kind == PhaseKind.EXPLANATION:
            for assessment in cycle.assessments.select_related("unit", "cycle"):
                if any(i.disputed and not i.explanation for i in assessment.items.all()):
                    sent += notify(
                        _members(assessment.unit_id),
                        f"Còn {days} ngày: hạn giải trình năm {cycle.year} là {when}.",
                        reverse("assessments:explain", args=[cycle.key, assessment.unit.code]),
                        key=key,
                    )
    return sent
