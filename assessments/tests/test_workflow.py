"""The assessment from self-assessment to finalisation: rules, phases, permissions, audit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from assessments import services
from assessments.models import AssessmentState, Item
from conftest import item_of
from cycles.models import CycleState
from cycles.services import transition

from .helpers import PDF, upload


def fill_everything(officer, assessment):
    """Answer every fillable leaf with full marks and attach a PDF where evidence is required."""
    for item in assessment.items.select_related("node"):
        node = item.node
        inputs = {
            "manual": {"points": str(node.max_points)},
            "bonus": {"points": "0"},
            "penalty": {"points": "0"},
            "yes_no": {"done": True},
            "ratio": {"numerator": 10, "denominator": 10},
            "checklist": {"ticked": list(range(len(node.rule_params.get("items", []))))},
            "deadline": {"date": "2025-01-10"},
            "deduction": {"count": 0},
        }.get(node.rule)
        if inputs is None:
            continue
        item = services.save_self(officer, item, inputs=inputs)
        if item.needs_evidence:
            services.add_evidence_file(officer, item, upload(PDF, f"{node.code}.pdf"))


def test_assessments_are_created_when_the_cycle_opens(open_cycle):
    assert open_cycle.assessments.count() == 2
    assert Item.objects.filter(assessment__cycle=open_cycle).count() == 2 * 11


def test_officer_saves_inputs_and_the_points_are_computed(officer_a, assessment_a):
    item = item_of(assessment_a, "1.1.2")
    item = services.save_self(
        officer_a, item, inputs={"numerator": 9, "denominator": 10}, note="9/10 việc"
    )
    assert item.self_points == Decimal("0.90")
    assert item.version == 2
    event = AuditEvent.objects.for_object(item).get()
    assert event.action == "item.self_assess" and event.actor == officer_a
    assert event.after["self_points"] == "0.90" and event.before["self_points"] is None


@pytest.mark.parametrize(
    ("code", "inputs", "fragment"),
    [
        ("1.5", {"points": "1.1"}, "điểm phải từ 0 đến 1.00"),
        ("1.5", {"points": "0.3"}, "bội số của 0.25"),
        ("1.1.2", {"numerator": 11, "denominator": 10}, "tử số không được lớn hơn mẫu số"),
        ("1.1.2", {"numerator": 1, "denominator": 0}, "mẫu số phải là số lớn hơn 0"),
        ("1.3", {"count": -1}, "số nguyên không âm"),
        ("1.4", {"ticked": [7]}, "không hợp lệ"),
        ("2.3", {"index": 1}, "đơn vị không nhập"),
        ("2.1", {"done": None}, "Có hoặc Không"),
    ],
)
def test_bad_inputs_are_refused_and_nothing_changes(
    officer_a, assessment_a, code, inputs, fragment
):
    item = item_of(assessment_a, code)
    with pytest.raises(services.AssessmentError, match=fragment):
        services.save_self(officer_a, item, inputs=inputs)
    item.refresh_from_db()
    assert item.self_points is None and item.version == 1


def test_not_applicable_needs_a_leaf_that_allows_it_and_a_reason(officer_a, assessment_a):
    with pytest.raises(services.AssessmentError, match="không được khai"):
        services.save_self(
            officer_a, item_of(assessment_a, "1.5"), inputs={}, not_applicable=True, na_reason="x"
        )
    with pytest.raises(services.AssessmentError, match="lý do"):
        services.save_self(officer_a, item_of(assessment_a, "1.2"), inputs={}, not_applicable=True)
    item = services.save_self(
        officer_a,
        item_of(assessment_a, "1.2"),
        inputs={},
        not_applicable=True,
        na_reason="Không có đơn vị trực thuộc",
    )
    assert item.is_answered and item.self_points is None


def test_second_writer_is_told_of_the_conflict(officer_a, head_a, assessment_a):
    item = item_of(assessment_a, "1.5")
    services.save_self(officer_a, item, inputs={"points": "0.5"}, version=1)
    with pytest.raises(services.Conflict) as caught:
        services.save_self(head_a, item, inputs={"points": "1"}, version=1)
    assert caught.value.item.inputs == {"points": "0.5"}
    assert "vừa được" in str(caught.value)
    assert item_of(assessment_a, "1.5").self_points == Decimal("0.50")


def test_other_units_and_staff_cannot_fill(personas, assessment_a):
    for name in ("officer_b", "reviewer", "council", "leader", "secretariat"):
        with pytest.raises(PermissionDenied):
            services.save_self(personas[name], item_of(assessment_a, "1.5"), inputs={"points": "1"})


def test_closed_phase_refuses_late_changes(officer_a, secretariat, open_cycle, assessment_a):
    phase = open_cycle.phases.get(kind="self_assessment")
    phase.closes_at = timezone.now() - timedelta(minutes=1)
    phase.save()
    with pytest.raises(services.AssessmentError, match="đã đóng lúc"):
        services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "1"})


def test_submission_lists_what_is_missing(head_a, officer_a, assessment_a):
    with pytest.raises(services.AssessmentError, match="chưa chấm: 1.1.1") as caught:
        services.submit(head_a, assessment_a)
    services.save_self(officer_a, item_of(assessment_a, "1.1.1"), inputs={"date": "2025-01-10"})
    with pytest.raises(
        services.AssessmentError, match="thiếu tài liệu kiểm chứng: 1.1.1"
    ) as caught:
        services.submit(head_a, assessment_a)
    assert "1.1.1" in str(caught.value)


def test_only_the_head_submits_then_the_unit_cannot_change_it(
    head_a, officer_a, assessment_a, secretariat
):
    fill_everything(officer_a, assessment_a)
    with pytest.raises(PermissionDenied):
        services.submit(officer_a, assessment_a)
    services.submit(head_a, assessment_a)
    assessment_a.refresh_from_db()
    assert assessment_a.state == AssessmentState.SUBMITTED
    with pytest.raises(services.AssessmentError, match="đã nộp"):
        services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "0"})
    assert Notification.objects.filter(user=secretariat, text__contains="đã nộp").exists()
    with pytest.raises(services.AssessmentError, match="lý do"):
        services.reopen(secretariat, assessment_a, "  ")
    services.reopen(secretariat, assessment_a, "Bổ sung tài liệu tiêu chí 1.4")
    assert AuditEvent.objects.filter(action="assessment.reopen", reason__contains="1.4").exists()
    services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "0.75"})


def go_to_appraisal(secretariat, cycle):
    transition(secretariat, cycle, CycleState.APPRAISAL)


def test_late_drafts_are_submitted_when_appraisal_opens(secretariat, open_cycle):
    go_to_appraisal(secretariat, open_cycle)
    assert set(open_cycle.assessments.values_list("state", flat=True)) == {
        AssessmentState.SUBMITTED
    }
    assert (
        AuditEvent.objects.filter(action="assessment.submit", reason__contains="tự động").count()
        == 2
    )


def test_reviewer_appraises_within_bounds_and_only_what_is_assigned(
    secretariat, reviewer, officer_a, open_cycle, assessment_a, unit_b
):
    fill_everything(officer_a, assessment_a)
    go_to_appraisal(secretariat, open_cycle)
    item = item_of(assessment_a, "1.5")
    with pytest.raises(services.AssessmentError, match="từ 0,00 đến 1,00"):
        services.appraise(reviewer, item, points="1.5")
    with pytest.raises(services.AssessmentError, match="không phải là số"):
        services.appraise(reviewer, item, points="nhiều")
    item = services.appraise(
        reviewer, item, points="0.5", comment="Thiếu quyết định công nhận", needs_explanation=True
    )
    assert item.disputed and item.appraised_points == Decimal("0.50")
    penalty = services.appraise(reviewer, item_of(assessment_a, "3.2"), points="-0.5")
    assert penalty.appraised_points == Decimal("-0.50")
    other = open_cycle.assessments.get(unit=unit_b)
    with pytest.raises(PermissionDenied):
        services.appraise(reviewer, item_of(other, "1.5"), points="1")
    with pytest.raises(services.AssessmentError, match="lấy từ dữ liệu"):
        services.appraise(reviewer, item_of(assessment_a, "2.3"), points="1")


def test_agree_with_a_whole_domain(secretariat, reviewer, officer_a, open_cycle, assessment_a):
    fill_everything(officer_a, assessment_a)
    go_to_appraisal(secretariat, open_cycle)
    count = services.agree_with_domain(reviewer, assessment_a, "1")
    assert count == 6
    items = assessment_a.items.filter(node__code__startswith="1.")
    assert all(i.appraised_points == i.self_points for i in items)


def test_domain_assignment_limits_the_reviewer(secretariat, open_cycle, unit_b, officer_b):
    from accounts.models import Role, User

    domain_reviewer = User.objects.create_user("thamdinh2", role=Role.REVIEWER)
    services.assign_reviewer(secretariat, open_cycle, domain_reviewer, [unit_b], domain_code="2")
    assessment_b = open_cycle.assessments.get(unit=unit_b)
    go_to_appraisal(secretariat, open_cycle)
    services.appraise(domain_reviewer, item_of(assessment_b, "2.1"), points="1")
    with pytest.raises(PermissionDenied):
        services.appraise(domain_reviewer, item_of(assessment_b, "1.5"), points="1")


def test_explanation_round_and_final_points(
    secretariat, reviewer, officer_a, open_cycle, assessment_a, council
):
    fill_everything(officer_a, assessment_a)
    go_to_appraisal(secretariat, open_cycle)
    services.agree_with_domain(reviewer, assessment_a, "1")
    disputed = services.appraise(
        reviewer,
        item_of(assessment_a, "1.5"),
        points="0.25",
        comment="Chưa đủ căn cứ",
        needs_explanation=True,
    )
    quiet = services.appraise(
        reviewer, item_of(assessment_a, "2.1"), points="0"
    )  # differs, unanswered later
    transition(secretariat, open_cycle, CycleState.EXPLANATION)
    assert Notification.objects.filter(user=officer_a, text__contains="giải trình").exists()
    with pytest.raises(services.AssessmentError, match="không cần giải trình"):
        services.explain(officer_a, item_of(assessment_a, "1.1.2"), text="x")
    with pytest.raises(services.AssessmentError, match="nội dung giải trình"):
        services.explain(officer_a, disputed, text=" ")
    services.explain(officer_a, disputed, text="Bổ sung Quyết định số 12/QĐ-UBND")
    services.add_evidence_file(officer_a, item_of(assessment_a, "1.5"), upload(PDF, "qd12.pdf"))
    services.set_final(
        reviewer, item_of(assessment_a, "1.5"), points="1", comment="Chấp nhận giải trình"
    )
    transition(council, open_cycle, CycleState.FINALISED)
    assessment_a.refresh_from_db()
    assert assessment_a.state == AssessmentState.FINALISED
    assert item_of(assessment_a, "1.5").final_points == Decimal("1.00")
    assert item_of(assessment_a, quiet.node.code).final_points == Decimal(
        "0.00"
    )  # appraised points stand
    assert item_of(assessment_a, "1.1.2").final_points == Decimal("1.00")
    assert item_of(assessment_a, "2.3").final_points is None  # survey points come from the survey
    with pytest.raises(services.AssessmentError):
        services.explain(officer_a, item_of(assessment_a, "1.5"), text="muộn")


def test_leaders_and_unit_members_cannot_finalise(personas, open_cycle):
    for name in ("leader", "officer_a", "head_a", "reviewer"):
        with pytest.raises(PermissionDenied):
            transition(personas[name], open_cycle, CycleState.FINALISED)


def test_deadline_reminders_are_sent_once(officer_a, head_a, open_cycle, settings):
    from assessments.notifications import send_deadline_reminders

    settings.DEADLINE_REMINDER_DAYS = 40
    first = send_deadline_reminders()
    assert first >= 2
    assert send_deadline_reminders() == 0
    assert Notification.objects.filter(user=officer_a, key__startswith="deadline:").count() == 1


def test_automatic_leaves_take_the_units_reported_rate(
    secretariat, officer_a, open_cycle, assessment_a, unit_a
):
    from datetime import timedelta

    from reporting import services as reporting

    item = item_of(
        assessment_a, "2.2"
    )  # automatic, {"mode": "proportional", "source": "dossiers_on_time"}
    template = reporting.save_template(
        secretariat,
        "Mẫu",
        [
            {
                "code": "dossiers_on_time",
                "label": "Đúng hạn",
                "is_rate": True,
                "unit_of_measure": "%",
            }
        ],
        [],
    )
    period = reporting.open_period(
        secretariat, 2025, "year", template, timezone.now() + timedelta(days=2)
    )
    report = reporting.report_for(period, unit_a)
    reporting.save_report(
        officer_a, report, {"dossiers_on_time": {"numerator": "97", "denominator": "100"}}, {}
    )
    reporting.submit_report(officer_a, report)
    go_to_appraisal(secretariat, open_cycle)  # fills automatic leaves
    item.refresh_from_db()
    assert item.inputs == {"value": "0.9700", "source": "dossiers_on_time"}
    assert item.self_points == Decimal("0.97")


def test_refusals_tell_the_person_which_rule_stopped_them(
    secretariat, reviewer, officer_a, head_a, open_cycle, assessment_a, unit_b
):
    other = open_cycle.assessments.get(unit=unit_b)
    with pytest.raises(PermissionDenied, match="^Chỉ thủ trưởng đơn vị được nộp"):
        services.submit(officer_a, assessment_a)
    with pytest.raises(PermissionDenied, match="^Chỉ cán bộ của đơn vị được tự đánh giá"):
        services.save_self(head_a, item_of(other, "1.5"), inputs={"points": "1"})
    with pytest.raises(
        PermissionDenied, match="^Chỉ Thư ký của kỳ đánh giá được phân công thẩm định"
    ):
        services.assign_reviewer(officer_a, open_cycle, reviewer, [unit_b])
    go_to_appraisal(secretariat, open_cycle)
    with pytest.raises(PermissionDenied, match="^Bạn không được phân công thẩm định tiêu chí"):
        services.appraise(reviewer, item_of(other, "1.5"), points="1")
    with pytest.raises(PermissionDenied, match="^Bạn không được phân công thẩm định lĩnh vực"):
        services.agree_with_domain(reviewer, other, "1")
