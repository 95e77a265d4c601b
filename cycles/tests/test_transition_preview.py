"""An irreversible cycle move: previewed with its figures, confirmed, run as a job, notified, audited."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from assessments import services as assessment_services
from conftest import item_of
from cycles.models import CycleState, PhaseKind, TransitionJob, TransitionJobState
from cycles.phases import local
from cycles.services import set_phase
from cycles.tasks import run_transition

PREVIEW = "/cycles/2025/transition/preview/?to_state=appraisal"


@pytest.fixture
def known_year(open_cycle, secretariat, officer_a, head_a, officer_b, unit_a):
    """Unit A has begun its self-assessment (one leaf saved), Unit B has not started; appraisal is
    planned to open in ten days."""
    assessment = open_cycle.assessments.get(unit=unit_a)
    assessment_services.save_self(officer_a, item_of(assessment, "1.5"), inputs={"points": "0.5"})
    opens = timezone.now() + timedelta(days=10)
    set_phase(secretariat, open_cycle, PhaseKind.APPRAISAL, opens, opens + timedelta(days=20))
    open_cycle.refresh_from_db()
    return open_cycle


def test_the_preview_says_what_the_move_to_appraisal_will_do(client, secretariat, known_year):
    client.force_login(secretariat)
    page = client.get(PREVIEW).content.decode()
    planned = local(known_year.phase(PhaseKind.APPRAISAL).opens_at)
    assert "1 bản tự đánh giá đang soạn sẽ được nộp nguyên trạng; 1 đơn vị chưa bắt đầu" in page
    assert "0 bản đã được đơn vị nộp trước đó." in page
    assert "2 đơn vị được thông báo trên hệ thống và qua thư điện tử." in page
    assert f"Giai đoạn “Thẩm định” mở ngay khi chuyển (thay vì {planned})" in page
    assert "Giai đoạn “Tự đánh giá” đóng ngay khi chuyển" in page
    assert "Xác nhận chuyển sang “Thẩm định”" in page
    known_year.refresh_from_db()
    assert known_year.state == CycleState.SELF_ASSESSMENT  # looking never moves anything
    assert not TransitionJob.objects.exists()


def test_the_old_one_click_post_is_refused_without_the_confirmation(
    client, secretariat, known_year, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cycles/2025/transition/", {"to_state": "appraisal"})
    assert response.status_code == 302 and response["Location"].endswith(PREVIEW)
    page = client.get(response["Location"]).content.decode()
    assert "hãy xem trước những gì sẽ xảy ra và bấm “Xác nhận chuyển”" in page
    known_year.refresh_from_db()
    assert known_year.state == CycleState.SELF_ASSESSMENT
    assert not TransitionJob.objects.exists()
    assert known_year.assessments.filter(state="submitted").count() == 0


def test_a_preview_that_cannot_be_confirmed_shows_why(client, secretariat, known_year):
    phase = known_year.phases.get(kind=PhaseKind.APPRAISAL)
    phase.opens_at = timezone.now() - timedelta(days=9)
    phase.closes_at = timezone.now() - timedelta(days=1)
    phase.save()
    client.force_login(secretariat)
    page = client.get(PREVIEW).content.decode()
    assert "Chưa thể chuyển" in page and "đã đóng lúc" in page
    assert "Xác nhận chuyển sang" not in page


def test_the_confirmed_move_runs_as_a_job_notifies_every_unit_and_is_audited(
    client,
    secretariat,
    known_year,
    officer_a,
    head_a,
    officer_b,
    django_capture_on_commit_callbacks,
):
    client.force_login(secretariat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cycles/2025/transition/",
            {"to_state": "appraisal", "confirm": "1", "reason": "Hết hạn tự đánh giá"},
        )
    job = TransitionJob.objects.get()
    assert response["Location"] == f"/cycles/2025/transition/{job.pk}/"
    assert (job.state, job.progress) == (TransitionJobState.DONE, 100)
    page = client.get(response["Location"]).content.decode()
    assert "Kỳ đánh giá 2025 đã chuyển sang “Thẩm định”." in page
    assert "1 bản tự đánh giá đang soạn sẽ được nộp nguyên trạng" in page  # what was confirmed
    known_year.refresh_from_db()
    assert known_year.state == CycleState.APPRAISAL
    assert known_year.assessments.filter(state="submitted").count() == 2

    texts = {n.user.username: n.text for n in Notification.objects.select_related("user")}
    assert "được nộp nguyên trạng" in texts["canbo.a"]
    assert "được nộp nguyên trạng" in texts["thutruong.a"]
    assert "được nộp nguyên trạng" in texts["canbo.b"]  # an empty draft is submitted too
    to = {address for message in mail.outbox for address in message.to}
    assert {"canbo.a@example.vn", "thutruong.a@example.vn", "canbo.b@example.vn"} <= to
    assert any("chuyển sang thẩm định" in m.body for m in mail.outbox)

    confirmed = AuditEvent.objects.get(action="cycle.transition_confirmed")
    assert confirmed.actor == secretariat
    assert confirmed.after["state"] == "appraisal" and confirmed.after["job"] == job.pk
    assert confirmed.after["preview"] == job.preview
    moved = AuditEvent.objects.get(action="cycle.transition", after__state="appraisal")
    assert moved.reason == "Hết hạn tự đánh giá"
    assert {"kind": "appraisal", "opens_at": moved.after["phases"][0]["opens_at"]} in moved.after[
        "phases"
    ]


def test_the_job_page_polls_while_the_move_runs_and_a_second_run_does_nothing(
    client, secretariat, known_year
):
    job = TransitionJob.objects.create(
        cycle=known_year, to_state=CycleState.APPRAISAL, requested_by=secretariat
    )
    client.force_login(secretariat)
    fragment = client.get(f"/cycles/2025/transition/{job.pk}/", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and 'hx-trigger="every 2s"' in body and "Đang chờ" in body
    assert run_transition.call(job.pk) == TransitionJobState.DONE
    assert run_transition.call(job.pk) == TransitionJobState.DONE  # taken already: not run again
    assert (
        AuditEvent.objects.filter(action="cycle.transition", after__state="appraisal").count() == 1
    )
    body = client.get(f"/cycles/2025/transition/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in body


def test_a_refused_move_ends_the_job_with_the_reason(secretariat, known_year):
    job = TransitionJob.objects.create(
        cycle=known_year, to_state=CycleState.FINALISED, requested_by=secretariat
    )
    assert run_transition.call(job.pk) == TransitionJobState.FAILED
    job.refresh_from_db()
    assert "Không thể chuyển kỳ đánh giá 2025" in job.message
    known_year.refresh_from_db()
    assert known_year.state == CycleState.SELF_ASSESSMENT


def test_opening_self_assessment_notifies_every_unit_with_its_deadline(
    client, secretariat, draft_cycle, officer_a, officer_b, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    page = client.get("/cycles/2025/transition/preview/?to_state=self_assessment").content.decode()
    assert "2 đơn vị tham gia sẽ nhận bản tự đánh giá" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cycles/2025/transition/", {"to_state": "self_assessment", "confirm": "1"})
    assert set(Notification.objects.values_list("user__username", flat=True)) >= {
        "canbo.a",
        "canbo.b",
    }
    assert all("đã mở tự đánh giá" in n.text for n in Notification.objects.all())


def test_only_the_secretariat_sees_the_preview(client, officer_a, council, known_year):
    for user in (officer_a, council):
        client.force_login(user)
        assert client.get(PREVIEW).status_code == 403
        assert (
            client.post(
                "/cycles/2025/transition/", {"to_state": "appraisal", "confirm": "1"}
            ).status_code
            == 403
        )


def test_the_council_approves_from_the_board_through_the_preview(
    client, secretariat, council, open_cycle, django_capture_on_commit_callbacks
):
    """The council's approval is irreversible too: the board links to the preview, which it confirms."""
    for state in (CycleState.APPRAISAL, CycleState.EXPLANATION):
        with django_capture_on_commit_callbacks(execute=True):
            client.force_login(secretariat)
            client.post("/cycles/2025/transition/", {"to_state": state, "confirm": "1"})
    client.force_login(council)
    board = client.get("/assessments/2025/board/").content.decode()
    preview = "/cycles/2025/transition/preview/?to_state=finalised"
    assert preview in board and 'action="/assessments/2025/finalise/"' not in board
    page = client.get(preview).content.decode()
    assert "Xác nhận chuyển sang “Đã phê duyệt”" in page or "Xác nhận chuyển sang" in page
    open_cycle.refresh_from_db()
    assert open_cycle.state == CycleState.EXPLANATION  # looking never moves anything
    # The council may preview and confirm the approval only, nothing else.
    assert client.get("/cycles/2025/transition/preview/?to_state=draft").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cycles/2025/transition/",
            {"to_state": "finalised", "confirm": "1", "reason": "Biên bản họp Hội đồng"},
        )
    job = TransitionJob.objects.get(to_state=CycleState.FINALISED)
    assert response["Location"] == f"/cycles/2025/transition/{job.pk}/"
    assert client.get(response["Location"]).status_code == 200
    open_cycle.refresh_from_db()
    assert open_cycle.state == CycleState.FINALISED
    assert AuditEvent.objects.filter(action="cycle.transition", actor=council).exists()
