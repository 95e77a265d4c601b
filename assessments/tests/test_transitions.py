"""The assessment's transition table: every state change follows it, one assessment or many."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import AuditEvent
from assessments import services
from assessments.models import ALLOWED_TRANSITIONS, Assessment, AssessmentState
from cycles.models import CycleState
from cycles.services import transition


def test_the_table_names_every_state_and_leads_only_to_states():
    assert set(ALLOWED_TRANSITIONS) == set(AssessmentState)
    assert all(set(targets) <= set(AssessmentState) for targets in ALLOWED_TRANSITIONS.values())
    assert ALLOWED_TRANSITIONS[AssessmentState.FINALISED] == ()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(requests=st.lists(st.sampled_from([*AssessmentState.values, "published"]), max_size=8))
def test_requested_moves_follow_the_table_and_illegal_ones_change_nothing(
    requests, secretariat, assessment_a
):
    Assessment.objects.filter(pk=assessment_a.pk).update(state=AssessmentState.DRAFT)
    assessment = Assessment.objects.select_related("unit").get(pk=assessment_a.pk)
    for target in requests:
        current = assessment.state
        events = AuditEvent.objects.count()
        if target in ALLOWED_TRANSITIONS[AssessmentState(current)]:
            services.move(secretariat, assessment, target, action="assessment.test")
            assert AuditEvent.objects.count() == events + 1
        else:
            with pytest.raises(services.AssessmentError, match="không thể chuyển sang"):
                services.move(secretariat, assessment, target, action="assessment.test")
            assert AuditEvent.objects.count() == events
        stored = Assessment.objects.get(pk=assessment.pk).state
        assert stored in ALLOWED_TRANSITIONS
        assert stored == (target if target in ALLOWED_TRANSITIONS[current] else current)
        assert assessment.state == stored


def test_a_finalised_assessment_cannot_be_reopened(secretariat, assessment_a):
    Assessment.objects.filter(pk=assessment_a.pk).update(state=AssessmentState.FINALISED)
    with pytest.raises(services.AssessmentError, match="bản đã nộp"):
        services.reopen(secretariat, assessment_a, "Sửa lại")
    assessment_a.refresh_from_db()
    assert assessment_a.state == AssessmentState.FINALISED


def test_a_bulk_move_skips_rows_in_a_state_it_may_not_leave(secretariat, open_cycle, unit_b):
    assessment_b = open_cycle.assessments.get(unit=unit_b)
    open_cycle.assessments.exclude(pk=assessment_b.pk).update(state=AssessmentState.SUBMITTED)
    Assessment.objects.filter(pk=assessment_b.pk).update(state=AssessmentState.FINALISED)
    moved = services.move_all(
        secretariat, open_cycle.assessments.all(), AssessmentState.DRAFT, action="assessment.test"
    )
    assert moved == 1
    assert dict(open_cycle.assessments.values_list("unit", "state")) == {
        assessment_b.unit_id: AssessmentState.FINALISED,
        **{
            a.unit_id: AssessmentState.DRAFT
            for a in open_cycle.assessments.exclude(pk=assessment_b.pk)
        },
    }
    events = AuditEvent.objects.filter(action="assessment.test")
    assert [(e.object_id, e.before, e.after) for e in events] == [
        (str(a.pk), {"state": "submitted"}, {"state": "draft"})
        for a in open_cycle.assessments.exclude(pk=assessment_b.pk)
    ]


def test_opening_appraisal_submits_drafts_only(secretariat, open_cycle, assessment_a):
    Assessment.objects.filter(pk=assessment_a.pk).update(state=AssessmentState.FINALISED)
    transition(secretariat, open_cycle, CycleState.APPRAISAL)
    assessment_a.refresh_from_db()
    assert assessment_a.state == AssessmentState.FINALISED and assessment_a.submitted_at is None
    assert not AuditEvent.objects.filter(
        action="assessment.submit", object_id=str(assessment_a.pk)
    ).exists()
    others = open_cycle.assessments.exclude(pk=assessment_a.pk)
    assert set(others.values_list("state", flat=True)) == {AssessmentState.SUBMITTED}


def test_finalisation_freezes_submitted_assessments_and_leaves_a_stray_draft(
    secretariat, council, open_cycle, assessment_a
):
    transition(secretariat, open_cycle, CycleState.APPRAISAL)
    transition(secretariat, open_cycle, CycleState.EXPLANATION)
    # A draft cannot exist here through the services; one put there by hand must not be frozen.
    Assessment.objects.filter(pk=assessment_a.pk).update(state=AssessmentState.DRAFT)
    transition(council, open_cycle, CycleState.FINALISED)
    assessment_a.refresh_from_db()
    assert assessment_a.state == AssessmentState.DRAFT and assessment_a.finalised_at is None
    finalised = AuditEvent.objects.filter(action="assessment.finalise")
    others = open_cycle.assessments.exclude(pk=assessment_a.pk)
    assert set(others.values_list("state", flat=True)) == {AssessmentState.FINALISED}
    assert sorted(finalised.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in others.values_list("pk", flat=True)
    )
    assert all(e.before == {"state": "submitted"} for e in finalised)
