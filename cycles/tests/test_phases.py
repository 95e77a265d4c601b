"""One truth for phases: after every transition the cycle's state and its phase dates agree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from assessments import services as assessment_services
from assessments.notifications import send_deadline_reminders
from conftest import item_of
from cycles.models import CycleState, PhaseKind
from cycles.phases import CLOSED, NOT_YET, OPEN, OTHER_STATE, STATE_PHASE, window
from cycles.services import CycleError, set_phase, transition

# Each move into a phase, with the states that lead to it.
PATH = [
    CycleState.SELF_ASSESSMENT,
    CycleState.APPRAISAL,
    CycleState.EXPLANATION,
    CycleState.FINALISED,
]


def _future_phases(cycle, secretariat):
    """Every phase in the future: the issue's 2026 cycle, where appraisal opens months later."""
    now = timezone.now()
    for offset, kind in enumerate(PhaseKind.values):
        start = now + timedelta(days=30 * (offset + 1))
        set_phase(secretariat, cycle, kind, start, start + timedelta(days=20))


def _walk_to(cycle, actor, state, capture):
    done = PATH.index(cycle.state) + 1 if cycle.state in PATH else 0
    for step in PATH[done : PATH.index(state) + 1]:
        with capture(execute=True):
            transition(actor, cycle, step)
    cycle.refresh_from_db()


@pytest.mark.parametrize("state", PATH)
def test_moving_into_a_phase_that_opens_later_opens_it_now_and_audits_the_date(
    secretariat, draft_cycle, state, django_capture_on_commit_callbacks
):
    _future_phases(draft_cycle, secretariat)
    kind = STATE_PHASE[state]
    planned = draft_cycle.phase(kind)
    before = timezone.now()
    _walk_to(draft_cycle, secretariat, state, django_capture_on_commit_callbacks)

    assert draft_cycle.state == state
    assert window(draft_cycle, kind).status == OPEN
    phase = draft_cycle.phases.get(kind=kind)
    assert before <= phase.opens_at <= timezone.now()
    assert phase.closes_at == planned.closes_at  # only the opening moves
    event = AuditEvent.objects.filter(action="cycle.transition", after__state=state).get()
    assert {"kind": kind, "opens_at": planned.opens_at.isoformat()} in event.before["phases"]
    assert {"kind": kind, "opens_at": phase.opens_at.isoformat()} in event.after["phases"]


@pytest.mark.parametrize("state", PATH[1:])
def test_leaving_a_phase_closes_it_now_so_no_two_phases_are_open(
    secretariat, draft_cycle, state, django_capture_on_commit_callbacks
):
    _future_phases(draft_cycle, secretariat)
    _walk_to(draft_cycle, secretariat, state, django_capture_on_commit_callbacks)
    left = STATE_PHASE[PATH[PATH.index(state) - 1]]
    phase = draft_cycle.phases.get(kind=left)
    assert phase.opens_at < phase.closes_at <= timezone.now()
    open_kinds = [k for k in PhaseKind.values if window(draft_cycle, k).is_open]
    assert open_kinds == [STATE_PHASE[state]]
    shown_open = [p.kind for p in draft_cycle.phases.all() if p.is_open()]
    assert shown_open == [STATE_PHASE[state]]  # the dates on the cycle page say the same


@pytest.mark.parametrize("state", PATH)
def test_moving_into_a_phase_whose_window_has_closed_is_refused_with_its_date(
    secretariat, draft_cycle, state, django_capture_on_commit_callbacks
):
    _future_phases(draft_cycle, secretariat)
    if state != PATH[0]:
        _walk_to(
            draft_cycle,
            secretariat,
            PATH[PATH.index(state) - 1],
            django_capture_on_commit_callbacks,
        )
    kind = STATE_PHASE[state]
    phase = draft_cycle.phases.get(kind=kind)
    phase.opens_at = timezone.now() - timedelta(days=10)
    phase.closes_at = timezone.now() - timedelta(days=2)
    phase.save()
    with pytest.raises(CycleError, match="đã đóng lúc .*gia hạn"):
        transition(secretariat, draft_cycle, state)
    draft_cycle.refresh_from_db()
    assert draft_cycle.state != state


def test_a_reviewer_appraises_right_after_the_move_to_appraisal(
    secretariat, reviewer, draft_cycle, unit_a, django_capture_on_commit_callbacks
):
    """The issue's case: appraisal planned for later; the move opens it, the reviewer's save lands."""
    _future_phases(draft_cycle, secretariat)
    _walk_to(
        draft_cycle, secretariat, CycleState.SELF_ASSESSMENT, django_capture_on_commit_callbacks
    )
    assessment_services.assign_reviewer(secretariat, draft_cycle, reviewer, [unit_a])
    _walk_to(draft_cycle, secretariat, CycleState.APPRAISAL, django_capture_on_commit_callbacks)
    item = item_of(draft_cycle.assessments.get(unit=unit_a), "1.5")
    saved = assessment_services.appraise(reviewer, item, points="0.5", comment="Đủ hồ sơ")
    assert (saved.appraised_points, saved.appraisal_comment) == (
        pytest.approx(0.5),
        "Đủ hồ sơ",
    )


def test_every_phase_check_reads_the_same_window(secretariat, draft_cycle, unit_a, officer_a):
    """The services' refusal and the window agree: not yet, open, closed, other state."""
    now = timezone.now()
    set_phase(
        secretariat,
        draft_cycle,
        PhaseKind.SELF_ASSESSMENT,
        now + timedelta(days=1),
        now + timedelta(days=9),
    )
    assert window(draft_cycle, PhaseKind.SELF_ASSESSMENT).status == OTHER_STATE
    transition(secretariat, draft_cycle, CycleState.SELF_ASSESSMENT)
    draft_cycle.refresh_from_db()
    assessment = draft_cycle.assessments.get(unit=unit_a)
    assert window(draft_cycle, PhaseKind.SELF_ASSESSMENT).status == OPEN
    later = now + timedelta(days=30)
    assert window(draft_cycle, PhaseKind.SELF_ASSESSMENT, later).status == CLOSED
    set_phase(secretariat, draft_cycle, PhaseKind.SELF_ASSESSMENT, now - timedelta(days=9), now)
    draft_cycle.refresh_from_db()
    current = window(draft_cycle, PhaseKind.SELF_ASSESSMENT)
    assert current.status == CLOSED
    with pytest.raises(assessment_services.AssessmentError) as refused:
        assessment_services.save_self(officer_a, item_of(assessment, "1.5"), inputs={"points": "1"})
    assert str(refused.value) == current.refusal
    assert "đã đóng lúc" in current.refusal
    assert window(draft_cycle, PhaseKind.APPRAISAL).status == OTHER_STATE


def test_the_phase_the_cycle_is_in_cannot_be_dated_to_open_later(secretariat, draft_cycle):
    now = timezone.now()
    transition(secretariat, draft_cycle, CycleState.SELF_ASSESSMENT)
    draft_cycle.refresh_from_db()
    with pytest.raises(CycleError, match="phải mở từ trước hoặc ngay bây giờ"):
        set_phase(
            secretariat,
            draft_cycle,
            PhaseKind.SELF_ASSESSMENT,
            now + timedelta(days=3),
            now + timedelta(days=9),
        )
    # a phase still ahead may be dated freely; the window says it is not yet open
    set_phase(
        secretariat,
        draft_cycle,
        PhaseKind.APPRAISAL,
        now + timedelta(days=3),
        now + timedelta(days=9),
    )
    assert draft_cycle.phase(PhaseKind.APPRAISAL).is_open() is False
    assert window(draft_cycle, PhaseKind.APPRAISAL, now + timedelta(days=4)).status == OTHER_STATE
    draft_cycle.state = CycleState.APPRAISAL  # as the window reads it, not saved
    assert window(draft_cycle, PhaseKind.APPRAISAL).status == NOT_YET


def test_a_phase_the_cycle_has_left_cannot_be_reopened_by_its_dates(
    secretariat, draft_cycle, django_capture_on_commit_callbacks
):
    _walk_to(draft_cycle, secretariat, CycleState.APPRAISAL, django_capture_on_commit_callbacks)
    now = timezone.now()
    with pytest.raises(CycleError, match="đã kết thúc"):
        set_phase(
            secretariat,
            draft_cycle,
            PhaseKind.SELF_ASSESSMENT,
            now - timedelta(days=3),
            now + timedelta(days=9),
        )


def test_no_reminder_for_a_phase_whose_dates_are_open_while_the_cycle_is_elsewhere(
    secretariat, draft_cycle, officer_a
):
    now = timezone.now()
    set_phase(
        secretariat,
        draft_cycle,
        PhaseKind.SELF_ASSESSMENT,
        now - timedelta(days=9),
        now + timedelta(days=2),
    )
    assert send_deadline_reminders() == 0  # still a draft: nothing is open
    transition(secretariat, draft_cycle, CycleState.SELF_ASSESSMENT)
    assert send_deadline_reminders() >= 1
