"""Assessment screens: htmx saving of a leaf, conflicts shown, submission summary, board, history export."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessments import services
from assessments.models import Item
from conftest import item_of
from core.tests.charts import description, svgs_in

from .helpers import PDF, upload

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_form_shows_every_domain_and_progress(client, officer_a, assessment_a):
    client.force_login(officer_a)
    page = client.get("/assessments/2025/00070/").content.decode()
    assert "Đã chấm 0/9 tiêu chí" in page
    for title in ("Công tác chỉ đạo, điều hành", "Tác động của CCHC", "Điểm thưởng, điểm trừ"):
        assert title in page
    # Each domain's leaves, read-only survey/automatic leaves included, once it is opened.
    leaves = [
        client.get(f"/assessments/2025/00070/domain/{code}/", **HTMX).content.decode()
        for code in ("1", "2", "3")
    ]
    assert sum(part.count('class="card mb-2 item-card"') for part in leaves) == 11
    assert "Lấy từ điều tra xã hội học hoặc dữ liệu hệ thống" in leaves[1]


def test_htmx_save_returns_the_new_points_and_version(client, officer_a, assessment_a):
    client.force_login(officer_a)
    item = item_of(assessment_a, "1.1.2")
    response = client.post(
        f"/assessments/items/{item.pk}/self/",
        {"numerator": "9", "denominator": "10", "version": "1"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Đã lưu." in html
    assert 'data-testid="self-points-1.1.2">' in html and "0,90" in html
    assert f'id="version-{item.pk}" value="2" hx-swap-oob="true"' in html


def test_plain_post_without_javascript_redirects_back(client, officer_a, assessment_a):
    client.force_login(officer_a)
    item = item_of(assessment_a, "1.5")
    response = client.post(
        f"/assessments/items/{item.pk}/self/", {"points": "0,75", "version": "1"}
    )
    # Back to the form with the leaf's domain open, at the leaf.
    assert response.status_code == 302
    assert response["Location"].endswith(f"/assessments/2025/00070/?domain=1#item-{item.pk}")
    assert str(item_of(assessment_a, "1.5").self_points) == "0.75"


def test_bad_input_is_shown_on_the_leaf_and_nothing_saved(client, officer_a, assessment_a):
    client.force_login(officer_a)
    item = item_of(assessment_a, "1.1.2")
    html = client.post(
        f"/assessments/items/{item.pk}/self/", {"numerator": "12", "denominator": "10"}, **HTMX
    ).content.decode()
    assert "tử số không được lớn hơn mẫu số" in html
    assert item_of(assessment_a, "1.1.2").self_points is None


def test_a_stale_form_is_told_of_the_conflict_and_shown_the_newer_value(
    client, officer_a, head_a, assessment_a
):
    item = item_of(assessment_a, "1.5")
    services.save_self(head_a, item, inputs={"points": "0.5"}, version=1)
    client.force_login(officer_a)
    html = client.post(
        f"/assessments/items/{item.pk}/self/", {"points": "1", "version": "1"}, **HTMX
    ).content.decode()
    assert "vừa được" in html and 'value="0,5"' in html
    assert str(item_of(assessment_a, "1.5").self_points) == "0.50"


def test_upload_through_the_form(client, officer_a, assessment_a):
    client.force_login(officer_a)
    item = item_of(assessment_a, "1.5")
    html = client.post(
        f"/assessments/items/{item.pk}/evidence/", {"file": upload(PDF, "qd.pdf")}, **HTMX
    ).content.decode()
    assert "qd.pdf" in html
    bad = client.post(
        f"/assessments/items/{item.pk}/evidence/", {"file": upload(b"<html>", "qd.pdf")}, **HTMX
    ).content.decode()
    assert "không phải là PDF" in bad


def test_reference_form_reports_a_bad_date(client, officer_a, assessment_a):
    client.force_login(officer_a)
    item = item_of(assessment_a, "1.5")
    html = client.post(
        f"/assessments/items/{item.pk}/evidence/",
        {"doc_number": "12/QĐ", "doc_date": "31/02/2025"},
        **HTMX,
    ).content.decode()
    assert "Ngày ban hành" in html and item.evidence.count() == 0


def test_submit_page_lists_missing_leaves(client, head_a, assessment_a):
    client.force_login(head_a)
    page = client.get("/assessments/2025/00070/submit/").content.decode()
    assert 'data-testid="submission-problems"' in page and "1.1.1" in page
    response = client.post("/assessments/2025/00070/submit/", follow=True)
    assert "Chưa nộp được" in response.content.decode()


def test_board_sums_points_per_unit(client, council, officer_a, assessment_a):
    services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "0.75"})
    # Points such as 0,35 and 0,10 make sums that SQLite adds in binary floating point.
    Item.objects.filter(pk=item_of(assessment_a, "1.1.2").pk).update(self_points=Decimal("0.35"))
    Item.objects.filter(pk=item_of(assessment_a, "1.3").pk).update(self_points=Decimal("0.1"))
    client.force_login(council)
    page = client.get("/assessments/2025/board/").content.decode()
    assert "Phường Hoàn Kiếm" in page and "Sở Tư pháp" in page
    assert "1,20" in page
    # Points with two decimals, never the database's raw sum ("41,3500000000000").
    assert not re.search(r"\d,\d{3,}", page)


def test_history_page_and_excel_export(client, officer_a, secretariat, assessment_a):
    item = item_of(assessment_a, "1.5")
    services.save_self(officer_a, item, inputs={"points": "0.5"})
    services.save_self(officer_a, item, inputs={"points": "0.75"}, note="Bổ sung")
    client.force_login(secretariat)
    page = client.get(f"/assessments/items/{item.pk}/history/").content.decode()
    assert page.count("<td>Tự chấm điểm</td>") == 2 and "item.self_assess" not in page
    response = client.get("/assessments/2025/00070/history.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Thời điểm", "Người thực hiện", "Thao tác", "Tiêu chí")
    assert [r[3] for r in rows[1:] if r[2] == "Tự chấm điểm"] == ["1.5", "1.5"]
    assert any("Điểm tự chấm: 0.75" in (r[5] or "") for r in rows[1:])


def test_reviewer_queue_shows_assigned_units_only(client, reviewer, open_cycle):
    client.force_login(reviewer)
    page = client.get("/assessments/review/").content.decode()
    assert "Phường Hoàn Kiếm" in page and "Sở Tư pháp" not in page


def test_secretariat_assigns_a_reviewer_by_domain(
    client, secretariat, open_cycle, unit_b, reviewer
):
    client.force_login(secretariat)
    response = client.post(
        "/assessments/2025/assign/",
        {"reviewer": reviewer.pk, "units": [unit_b.pk], "domain_code": "2"},
        follow=True,
    )
    assert "Đã phân công 1 đơn vị." in response.content.decode()
    bad = client.post(
        "/assessments/2025/assign/",
        {"reviewer": reviewer.pk, "units": [unit_b.pk], "domain_code": "x"},
    )
    assert "Mã lĩnh vực là một số" in bad.content.decode()


def test_notifications_are_listed_and_marked_read(client, secretariat, open_cycle, reviewer):
    client.force_login(reviewer)
    assert 'data-testid="unread">1<' in client.get("/").content.decode()
    page = client.get("/accounts/notifications/").content.decode()
    assert "Bạn được phân công thẩm định 1 đơn vị" in page
    assert 'data-testid="unread"' not in client.get("/").content.decode()


def test_a_refused_autosave_leaves_the_typed_values_alone(client, officer_a, assessment_a):
    """htmx swaps only the status: the half-filled fields the user is typing in are not re-rendered."""
    client.force_login(officer_a)
    item = item_of(assessment_a, "1.1.2")
    html = client.post(
        f"/assessments/items/{item.pk}/self/", {"numerator": "9", "version": "1"}, **HTMX
    ).content.decode()
    assert "mẫu số phải là số lớn hơn 0" in html
    assert "<form" not in html and 'name="numerator"' not in html
    saved = client.post(
        f"/assessments/items/{item.pk}/self/",
        {"numerator": "9", "denominator": "10", "version": "1"},
        **HTMX,
    ).content.decode()
    assert 'id="self-points-' in saved and 'hx-swap-oob="true"' in saved and 'value="2"' in saved


def test_an_explanation_with_a_refused_file_is_not_kept(
    client, secretariat, reviewer, officer_a, open_cycle, assessment_a
):
    from cycles.services import transition

    services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "1"})
    transition(secretariat, open_cycle, "appraisal")
    services.appraise(
        reviewer,
        item_of(assessment_a, "1.5"),
        points="0.5",
        comment="Thiếu",
        needs_explanation=True,
    )
    transition(secretariat, open_cycle, "explanation")
    client.force_login(officer_a)
    item = item_of(assessment_a, "1.5")
    page = client.post(
        f"/assessments/items/{item.pk}/explain/",
        {
            "explanation": "Bổ sung",
            "version": item.version,
            "file": upload(b"MZ-not-a-pdf", "x.pdf"),
        },
        follow=True,
    ).content.decode()
    assert "không phải là PDF" in page
    assert item_of(assessment_a, "1.5").explanation == ""


def test_evidence_forms_load_on_demand(client, officer_a, officer_b, assessment_a):
    item = item_of(assessment_a, "1.5")
    client.force_login(officer_a)
    form_page = client.get("/assessments/2025/00070/").content.decode()
    assert 'name="doc_number"' not in form_page  # not rendered 120 times in the form
    partial = client.get(f"/assessments/items/{item.pk}/evidence/", **HTMX).content.decode()
    assert 'name="doc_number"' in partial and "<html" not in partial
    page = client.get(f"/assessments/items/{item.pk}/evidence/").content.decode()
    assert 'name="doc_number"' in page and "<html" in page  # works without JavaScript
    client.force_login(officer_b)
    assert client.get(f"/assessments/items/{item.pk}/evidence/").status_code == 404


def test_secretariat_withdraws_an_assignment_with_an_audit_event(
    client, secretariat, open_cycle, unit_b, reviewer
):
    from accounts.models import AuditEvent
    from assessments.models import ReviewerAssignment

    client.force_login(secretariat)
    client.post(
        "/assessments/2025/assign/", {"reviewer": reviewer.pk, "units": [unit_b.pk]}, follow=True
    )
    assignment = ReviewerAssignment.objects.get(reviewer=reviewer, unit=unit_b)
    page = client.get("/assessments/2025/assign/").content.decode()
    assert f"/assessments/2025/assign/{assignment.pk}/remove/" in page
    assert client.get(f"/assessments/2025/assign/{assignment.pk}/remove/").status_code == 405
    response = client.post(f"/assessments/2025/assign/{assignment.pk}/remove/", follow=True)
    assert "Đã bỏ phân công" in response.content.decode()
    assert not ReviewerAssignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.filter(action="review.unassign").get()
    assert event.before["units"] == [unit_b.code] and event.actor == secretariat


def test_only_the_secretariat_withdraws_an_assignment(client, open_cycle, reviewer, officer_a):
    from assessments.models import ReviewerAssignment

    assignment = ReviewerAssignment.objects.filter(reviewer=reviewer).first()
    assert assignment is not None
    for user in (reviewer, officer_a):
        client.force_login(user)
        response = client.post(f"/assessments/2025/assign/{assignment.pk}/remove/")
        assert response.status_code == 403
    assert ReviewerAssignment.objects.filter(pk=assignment.pk).exists()


def test_an_approved_cycle_keeps_its_assignments(secretariat, open_cycle, reviewer):
    from assessments import services
    from assessments.models import ReviewerAssignment
    from cycles.models import CycleState

    assignment = ReviewerAssignment.objects.filter(reviewer=reviewer).first()
    open_cycle.state = CycleState.FINALISED
    open_cycle.save(update_fields=["state"])
    with pytest.raises(services.AssessmentError, match="đã được Hội đồng thông qua"):
        services.unassign_reviewer(secretariat, assignment)
    assert ReviewerAssignment.objects.filter(pk=assignment.pk).exists()


def test_board_charts_self_assessment_and_appraisal_per_ranking_group(
    client, council, officer_a, head_a, reviewer, assessment_a
):
    services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "0.75"})
    client.force_login(council)
    own, review = svgs_in(client.get("/assessments/2025/board/").content.decode())
    assert "Tự đánh giá theo khối" in own and "Thẩm định theo khối" in review
    assert "Khối xã, phường: đã nộp 0, đang tự đánh giá 1 trên tổng 1 đơn vị" in description(own)
    assert "Khối sở: đã nộp 0, đang tự đánh giá 0 trên tổng 1 đơn vị" in description(own)
    assert "Khối xã, phường: đã thẩm định xong 0, đang thẩm định 0" in description(review)
