"""Tasks led by several units: each lead unit reports its own status, the task's follows from theirs; a
unit's tasks done on time feed the plan-implementation leaf; targets handed to units read their reports."""

import io
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent
from assessments.automatic import DESCRIBERS, SOURCES, value_for
from plans import implementation, progress, services
from plans.models import LeadStatus, Plan, Target, TargetAssignment, Task, TaskStatus
from plans.progress import Counted, share_done_on_time

DONE, STARTED, NEW = TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED


@pytest.fixture
def plan(db):
    return Plan.objects.create(
        year=2025, decision_number="6830/QĐ-UBND", decision_date=date(2024, 12, 31), title="KH"
    )


@pytest.fixture
def group_task(plan, unit_a, unit_b):
    """Task 4, led by Unit A and Unit B, due ten days ago: as the import leaves it, a row per lead unit."""
    task = Task.objects.create(
        plan=plan,
        number="4",
        title="Rà soát thủ tục hành chính",
        lead_text="Sở Tư pháp; UBND phường Hoàn Kiếm",
        due=timezone.localdate() - timedelta(days=10),
        deadline_kind="date",
    )
    task.lead_units.set([unit_a, unit_b])
    LeadStatus.objects.bulk_create([LeadStatus(task=task, unit=u) for u in (unit_a, unit_b)])
    return task


def own(task, unit):
    return LeadStatus.objects.get(task=task, unit=unit)


# ------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("statuses", "overall"),
    [
        ([DONE, DONE, DONE], DONE),
        ([DONE, DONE, STARTED], STARTED),
        ([DONE, NEW], STARTED),
        ([NEW, NEW], NEW),
        ([NEW, STARTED], STARTED),
    ],
)
def test_a_group_led_task_is_done_only_when_every_lead_unit_is(statuses, overall):
    assert progress.overall_status(statuses) == overall


def test_a_group_led_task_was_done_on_the_day_its_last_unit_was():
    assert progress.overall_done_on([date(2025, 3, 1), date(2025, 3, 9)]) == date(2025, 3, 9)
    assert progress.overall_done_on([date(2025, 3, 1), None]) is None


def test_the_share_counts_tasks_due_and_tasks_done_early():
    as_of = date(2025, 7, 1)
    tasks = [
        Counted(date(2025, 3, 31), DONE, date(2025, 3, 30)),  # on time
        Counted(date(2025, 3, 31), DONE, date(2025, 4, 15)),  # late
        Counted(date(2025, 5, 31), STARTED, None),  # due, not done
        Counted(date(2025, 9, 30), DONE, date(2025, 6, 1)),  # early: counts, on time
        Counted(date(2025, 9, 30), STARTED, None),  # not yet due: not counted
        Counted(None, DONE, date(2025, 2, 1)),  # no due date: not counted
    ]
    assert share_done_on_time(tasks, as_of) == Decimal("0.5000")
    assert share_done_on_time(tasks[4:], as_of) is None


# ------------------------------------------------------------------ each unit's own status


def test_each_lead_unit_reports_its_own_status_and_the_task_follows(
    group_task, officer_a, officer_b
):
    services.update_task(officer_a, group_task, status=DONE, progress_note="Đã rà soát 12 thủ tục")
    group_task.refresh_from_db()
    assert own(group_task, officer_a.unit).status == DONE
    assert own(group_task, officer_b.unit).status == NEW
    assert group_task.status == STARTED and group_task.is_overdue()
    later = timezone.localdate() + timedelta(days=1)
    services.update_task(officer_b, group_task, status=DONE, progress_note="Xong", today=later)
    group_task.refresh_from_db()
    assert (group_task.status, group_task.done_on) == (DONE, later)
    assert not group_task.is_overdue()
    event = AuditEvent.objects.filter(action="task.unit_update").latest("id")
    assert event.after["unit"] == "S02" and event.after["task_status"] == DONE
    assert event.before["status"] == NEW


def test_a_lead_unit_may_not_report_for_another(group_task, officer_a, unit_b):
    with pytest.raises(PermissionDenied):
        services.update_task(officer_a, group_task, status=STARTED, unit=unit_b)
    assert own(group_task, unit_b).status == NEW


def test_the_secretariat_reports_for_a_named_lead_unit(group_task, secretariat, unit_b, unit_a):
    with pytest.raises(PermissionDenied):
        services.update_task(secretariat, group_task, status=STARTED)  # which unit?
    services.update_task(secretariat, group_task, status=STARTED, unit=unit_b)
    assert own(group_task, unit_b).status == STARTED
    assert own(group_task, unit_a).status == NEW


def test_reopening_a_units_status_clears_its_day(group_task, officer_a):
    services.update_task(officer_a, group_task, status=DONE, progress_note="Xong")
    services.update_task(officer_a, group_task, status=STARTED, progress_note="Làm lại")
    assert own(group_task, officer_a.unit).done_on is None


def test_the_task_page_shows_each_unit_and_takes_the_users_units_report(
    client, group_task, officer_b
):
    client.force_login(officer_b)
    page = client.get(f"/plans/tasks/{group_task.pk}/").content.decode()
    assert 'data-testid="lead-statuses"' in page and "Hoàn Kiếm" in page
    assert "0/2 đơn vị chủ trì hoàn thành" in page
    response = client.post(
        f"/plans/tasks/{group_task.pk}/", {"status": "done", "progress_note": "Đã xong"}
    )
    assert response.status_code == 302
    assert own(group_task, officer_b.unit).status == DONE
    page = client.get(f"/plans/tasks/{group_task.pk}/").content.decode()
    assert "1/2 đơn vị chủ trì hoàn thành" in page and "(Sở Tư pháp)" in page


def test_the_secretariat_chooses_the_unit_on_the_task_page(client, group_task, secretariat, unit_a):
    client.force_login(secretariat)
    assert 'name="unit"' in client.get(f"/plans/tasks/{group_task.pk}/").content.decode()
    client.post(f"/plans/tasks/{group_task.pk}/", {"unit": unit_a.pk, "status": "in_progress"})
    assert own(group_task, unit_a).status == STARTED


def test_the_board_shows_units_done_and_the_filtered_units_own_status(
    client, group_task, officer_a, council
):
    services.update_task(officer_a, group_task, status=DONE, progress_note="Xong")
    client.force_login(council)
    page = client.get(f"/plans/2025/?unit={officer_a.unit_id}").content.decode()
    assert "1/2 đơn vị chủ trì hoàn thành" in page
    assert 'data-testid="own-status-4">Đơn vị đang lọc: Hoàn thành' in page


def test_the_api_lists_and_takes_each_units_status(client, group_task, officer_a, secretariat):
    from accounts.tokens import create_token

    key = create_token(officer_a, "test")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/v1/plans/tasks/{group_task.pk}"
    response = client.patch(
        url,
        data={"status": "done", "progress_note": "Xong"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_progress"
    assert {r["unit"]: r["status"] for r in body["lead_statuses"]} == {
        "00070": "done",
        "S02": "not_started",
    }
    other = client.patch(
        url,
        data={"unit": "S02", "status": "done", "progress_note": "x"},
        content_type="application/json",
        **auth,
    )
    assert other.status_code == 403
    admin_key = create_token(secretariat, "test")[1]
    unnamed = client.patch(
        url,
        data={"status": "done"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {admin_key}",
    )
    assert unnamed.status_code == 400 and "unit" in unnamed.json()["detail"]


def test_the_export_has_a_row_per_lead_unit(client, group_task, officer_a, council):
    services.update_task(officer_a, group_task, status=DONE, progress_note="Xong")
    client.force_login(council)
    book = load_workbook(io.BytesIO(client.get("/plans/2025/export.xlsx").content))
    rows = list(book["don-vi-chu-tri"].iter_rows(values_only=True))
    assert rows[0][2] == "Đơn vị chủ trì"
    assert sorted((r[2], r[4]) for r in rows[1:]) == [
        ("Phường Hoàn Kiếm", "Hoàn thành"),
        ("Sở Tư pháp", "Chưa thực hiện"),
    ]


# ------------------------------------------------------------------ the plan-implementation leaf


def leaf(source="plan_tasks_done"):
    return SimpleNamespace(rule="automatic", rule_params={"source": source, "mode": "proportional"})


def test_a_units_tasks_done_on_time_feed_the_plan_implementation_leaf(
    plan, group_task, officer_a, unit_a, unit_b
):
    # Unit A also leads task 5 alone, done late; Unit B leads nothing else.
    late = Task.objects.create(
        plan=plan, number="5", title="Báo cáo", due=date(2025, 3, 31), deadline_kind="date"
    )
    late.lead_units.add(unit_a)
    services.update_task(officer_a, late, status=DONE, progress_note="Xong", today=date(2025, 4, 9))
    Task.objects.filter(pk=group_task.pk).update(due=date(2025, 6, 30))
    services.update_task(
        officer_a, group_task, status=DONE, progress_note="Xong", today=date(2025, 6, 20)
    )
    cycle = SimpleNamespace(year=2025)
    assert value_for("automatic", unit_a, cycle, leaf()) == Decimal("0.5000")
    assert value_for("automatic", unit_b, cycle, leaf()) == Decimal("0.0000")
    assert value_for("automatic", unit_a, SimpleNamespace(year=2026), leaf()) is None
    described = [d(unit_a, cycle, leaf()) for d in DESCRIBERS["automatic"]]
    assert "Kế hoạch CCHC năm 2025: 1/2 nhiệm vụ hoàn thành đúng hạn" in described
    # Another source is not this one's.
    assert implementation.source(unit_a, cycle, leaf("edoc_signed")) is None
    assert implementation.source in SOURCES["automatic"]


@pytest.mark.parametrize("name", ["department", "commune", "public_service"])
def test_the_bundled_plan_implementation_leaf_reads_the_plans_tasks(name):
    from frameworks.bundled import load_specs

    leaves = [s for s in load_specs(name) if s.rule_params.get("source") == "plan_tasks_done"]
    assert len(leaves) == 1
    assert leaves[0].rule == "automatic"
    assert "nhiệm vụ" in leaves[0].title and "đúng hạn" in leaves[0].title


# ------------------------------------------------------------------ targets handed to units


@pytest.fixture
def report_of_b(secretariat, unit_b):
    """Unit B's submitted Q1 2025 report: 45 of 50 dossiers on time (90 %)."""
    from reporting import services as reporting
    from reporting.models import IndicatorValue, ReportState, UnitReport

    template = reporting.save_template(
        secretariat,
        "Mẫu",
        [{"code": "on_time", "label": "Đúng hạn", "is_rate": True, "unit_of_measure": "%"}],
        [],
    )
    period = reporting.open_period(
        secretariat, 2025, "q1", template, timezone.now() + timedelta(days=3)
    )
    report = UnitReport.objects.create(period=period, unit=unit_b, state=ReportState.SUBMITTED)
    IndicatorValue.objects.create(
        report=report,
        indicator=template.indicators.get(),
        numerator=Decimal(45),
        denominator=Decimal(50),
    )


def test_a_target_handed_to_units_shows_each_units_actual_from_its_reports(
    client, plan, secretariat, council, unit_a, unit_b, report_of_b
):
    target = Target.objects.create(
        plan=plan,
        area="TTHC",
        text="Hồ sơ giải quyết đúng hạn",
        target_value=Decimal("95"),
        unit_of_measure="%",
        indicator_code="on_time",
    )
    services.assign_target(secretariat, target, unit_b)
    services.assign_target(secretariat, target, unit_a, Decimal("99"))
    assert AuditEvent.objects.filter(action="target.assign").count() == 2
    client.force_login(council)
    page = client.get("/plans/2025/").content.decode()
    table = page[page.index(f'data-testid="assigned-{target.pk}"') :]
    table = table[: table.index("</table>")]
    assert "Sở Tư pháp" in table and "90" in table and "text-bg-warning" in table
    assert "Hoàn Kiếm" in table and "chưa có báo cáo" in table
    assignment = TargetAssignment.objects.get(unit=unit_a)
    services.unassign_target(secretariat, assignment)
    assert not TargetAssignment.objects.filter(unit=unit_a).exists()


def test_only_the_secretariat_hands_targets_to_units(plan, officer_a, unit_a):
    target = Target.objects.create(plan=plan, area="TTHC", text="Hồ sơ đúng hạn")
    with pytest.raises(PermissionDenied):
        services.assign_target(officer_a, target, unit_a)
    assert not TargetAssignment.objects.exists()


def test_the_targets_admin_page_hands_it_to_units_through_the_service(
    client, plan, secretariat, unit_b
):
    from django.contrib.auth.models import Permission

    secretariat.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_target", "change_target"])
        | Permission.objects.filter(codename__endswith="_targetassignment")
    )
    target = Target.objects.create(plan=plan, area="TTHC", text="Hồ sơ đúng hạn", order=1)
    client.force_login(secretariat)
    url = f"/admin/plans/target/{target.pk}/change/"
    assert client.get(url).status_code == 200
    prefix = "assignments"
    response = client.post(
        url,
        {
            "plan": plan.pk,
            "area": "TTHC",
            "text": "Hồ sơ đúng hạn",
            "order": 1,
            f"{prefix}-TOTAL_FORMS": 1,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-0-unit": unit_b.pk,
            f"{prefix}-0-target_value": "99",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = TargetAssignment.objects.get(target=target)
    assert (assignment.unit, assignment.target_value) == (unit_b, Decimal("99"))
    assert AuditEvent.objects.filter(action="target.assign").count() == 1


def test_reminders_of_a_group_led_task_skip_the_units_that_are_done(
    group_task, officer_a, officer_b
):
    from accounts.models import Notification
    from plans.reminders import send_task_reminders

    services.update_task(officer_a, group_task, status=DONE, progress_note="Xong")
    send_task_reminders()
    assert Notification.objects.filter(user=officer_b).exists()
    assert not Notification.objects.filter(user=officer_a).exists()


def test_a_units_report_is_named_in_words_for_the_leaf_it_feeds(unit_b, report_of_b):
    # The describer of report-fed leaves names the unit's quarterly report (it raised before).
    from reporting.consolidation import unit_share, unit_share_report

    assert unit_share(unit_b, 2025, "on_time") == Decimal("0.9000")
    assert unit_share_report(unit_b, 2025, "on_time") == "báo cáo quý I năm 2025"
