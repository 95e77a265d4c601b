"""The whole assessment journey of Unit A in cycle 2025, in the browser, role after role.

The officer fills every leaf and attaches evidence, the head submits, the reviewer appraises and
asks for an explanation, the officer explains, the reviewer sets the final points and the council
approves the cycle; the database then holds the final points and the audit trail of the leaf.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import AuditEvent
from assessments.models import AssessmentState
from conftest import item_of
from cycles.models import CycleState
from e2e.conftest import login, open_domain

pytestmark = pytest.mark.e2e

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
# Every leaf the unit fills (2.2 and 2.3 come from data and surveys) and needs evidence for,
# except 1.2, which the unit claims does not apply.
EVIDENCE_LEAVES = ("1.1.1", "1.1.2", "1.3", "1.4", "1.5", "2.1", "3.1", "3.2")


def pdf(tmp_path, name: str):
    path = tmp_path / name
    path.write_bytes(PDF_BYTES)
    return path


def save(card) -> None:
    """Submit the leaf's form with its "Lưu" button (htmx swaps the leaf's card)."""
    card.get_by_role("button", name="Lưu", exact=True).click()


def upload(card, path) -> None:
    card.get_by_text("Thêm tài liệu kiểm chứng").click()
    card.get_by_label("Tệp (PDF, DOCX, XLSX, JPG, PNG)").set_input_files(path)
    card.get_by_role("button", name="Tải lên").click()
    expect(card.get_by_role("link", name=re.compile(re.escape(path.name)))).to_be_visible()
    expect(card.get_by_text("Cần tài liệu kiểm chứng.")).to_have_count(0)


def move_cycle(page, live_server, label: str, reason: str) -> None:
    """The secretariat moves cycle 2025 to its next state: preview, then confirmation."""
    page.goto(f"{live_server.url}/cycles/2025/")
    page.get_by_role("link", name=f"Chuyển sang “{label}”…").click()
    page.get_by_label("Ghi chú (ghi vào nhật ký)").fill(reason)
    page.get_by_role("button", name=f"Xác nhận chuyển sang “{label}”").click()
    expect(page.get_by_test_id("transition-job")).to_contain_text(f"chuyển sang “{label}”")
    page.get_by_role("link", name="Về trang kỳ đánh giá").click()
    expect(page.get_by_test_id("cycle-state")).to_have_text(label)


def test_assessment_journey_from_self_assessment_to_approval(
    new_page,
    live_server,
    assessment_a,
    officer_a,
    head_a,
    secretariat,
    reviewer,
    council,
    tmp_path,
):
    items = {code: item_of(assessment_a, code) for code in ("1.2", "1.5", "2.2", "2.3")}
    items.update({code: item_of(assessment_a, code) for code in EVIDENCE_LEAVES})
    form_url = f"{live_server.url}/assessments/2025/00070/"
    appraise_url = f"{form_url}appraise/"

    # 1. The officer fills every leaf the unit enters, through the form.
    officer = new_page()
    login(officer, live_server, officer_a.username)
    officer.goto(form_url)
    expect(officer.get_by_test_id("assessment-state")).to_have_text("Đang tự đánh giá")
    expect(officer.get_by_test_id("progress")).to_contain_text("Đã chấm 0/9 tiêu chí")
    # The form lists the domains; a leaf's form is there once its domain is opened.
    expect(officer.locator(".item-card")).to_have_count(0)
    expect(officer.get_by_test_id("domain-progress-1")).to_have_text("đã chấm 0/6 tiêu chí")

    # By keyboard: Enter on the domain opens it and moves the focus into its leaves; Tab goes on
    # to the first leaf's field.
    domain_1 = officer.locator("#domain-1 > details > summary")
    domain_1.focus()
    officer.keyboard.press("Enter")
    expect(officer.locator("#domain-leaves-1")).to_be_focused()
    officer.keyboard.press("Tab")
    expect(officer.get_by_label("Ngày thực hiện (ban hành, gửi)")).to_be_focused()
    open_domain(officer, "2")
    open_domain(officer, "3")

    def card(code):
        return officer.locator(f"#item-{items[code].pk}")

    def points(code):
        return officer.get_by_test_id(f"self-points-{code}")

    # A date saves on change, without the button.
    card("1.1.1").get_by_label("Ngày thực hiện (ban hành, gửi)").fill("2025-01-20")
    expect(points("1.1.1")).to_have_text("1,00 điểm")
    expect(card("1.1.1").get_by_role("status")).to_have_text("Đã lưu.")

    card("1.1.2").get_by_label("Tử số (đã thực hiện)").fill("9")
    card("1.1.2").get_by_label("Mẫu số (tổng số)").fill("10")
    save(card("1.1.2"))
    expect(points("1.1.2")).to_have_text("0,90 điểm")

    # 1.2 does not apply to the ward: the reason first, then the claim.
    card("1.2").get_by_label("Lý do không áp dụng").fill("Phường không có đơn vị trực thuộc")
    card("1.2").get_by_label("Không áp dụng với đơn vị").check()
    save(card("1.2"))
    expect(points("1.2")).to_have_text("Không áp dụng")
    expect(card("1.2").get_by_label("Không áp dụng với đơn vị")).to_be_checked()

    card("1.3").get_by_label("Số lần vi phạm (chậm, thiếu)").fill("1")
    save(card("1.3"))
    expect(points("1.3")).to_have_text("0,75 điểm")

    card("1.4").get_by_label("Trang tin").check()
    card("1.4").get_by_label("Hội nghị").check()
    save(card("1.4"))
    expect(points("1.4")).to_have_text("1,00 điểm")
    expect(card("1.4").get_by_label("Pa-nô")).not_to_be_checked()

    card("1.5").get_by_label(re.compile(r"^Điểm tự chấm")).fill("0.75")
    card("1.5").get_by_label("Ghi chú, cách tính").fill("Hai sáng kiến cấp phường")
    save(card("1.5"))
    expect(points("1.5")).to_have_text("0,75 điểm")

    # A radio saves on change too.
    card("2.1").get_by_label("Có", exact=True).check()
    expect(points("2.1")).to_have_text("1,00 điểm")
    expect(card("2.1").get_by_role("status")).to_have_text("Đã lưu.")

    card("3.1").get_by_label(re.compile(r"^Điểm tự chấm")).fill("0.5")
    save(card("3.1"))
    expect(points("3.1")).to_have_text("0,50 điểm")

    card("3.2").get_by_label(re.compile(r"^Số điểm bị trừ")).fill("0.5")
    save(card("3.2"))
    expect(points("3.2")).to_have_text("-0,50 điểm")

    # Leaves scored from data or surveys have nothing to fill.
    for code in ("2.2", "2.3"):
        expect(card(code).get_by_role("button")).to_have_count(0)
        expect(card(code)).to_contain_text(
            re.compile("Lấy từ điều tra xã hội học hoặc dữ liệu hệ thống|Chưa có số liệu")
        )

    for code in EVIDENCE_LEAVES:
        upload(card(code), pdf(tmp_path, f"kiem-chung-{code}.pdf"))

    # The progress line is computed on load: 9 fillable leaves, 9 scored points without 1.2.
    officer.reload()
    expect(officer.get_by_test_id("progress")).to_have_text(
        "Đã chấm 9/9 tiêu chí · tự chấm 5,40/9,00 điểm"
    )
    expect(officer.get_by_test_id("domain-progress-1")).to_have_text("đã chấm 6/6 tiêu chí")
    for code in ("1", "2", "3"):
        open_domain(officer, code)
    expect(points("1.1.2")).to_have_text("0,90 điểm")
    for code in (*EVIDENCE_LEAVES, "1.2"):
        expect(card(code).get_by_text("Cần tài liệu kiểm chứng.")).to_have_count(0)

    # The officer reviews the summary but cannot submit.
    expect(officer.get_by_role("link", name="Xem tổng hợp và nộp")).to_have_count(0)
    officer.get_by_role("link", name="Xem tổng hợp", exact=True).click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Tổng hợp bản tự đánh giá")
    expect(officer.get_by_test_id("submission-problems")).to_have_count(0)
    expect(officer.get_by_role("button", name="Nộp bản tự đánh giá")).to_have_count(0)
    expect(officer.get_by_text("Thủ trưởng đơn vị nộp bản tự đánh giá.")).to_be_visible()

    # 2. The head submits; the form turns read-only.
    head = new_page()
    login(head, live_server, head_a.username)
    head.goto(form_url)
    head.get_by_role("link", name="Xem tổng hợp và nộp").click()
    expect(head.get_by_text("Đã chấm 9/9 tiêu chí · tự chấm 5,40/9,00 điểm")).to_be_visible()
    expect(head.get_by_test_id("submission-problems")).to_have_count(0)
    head.get_by_role("button", name="Nộp bản tự đánh giá").click()
    expect(head).to_have_url(form_url)
    expect(head.get_by_role("status").first).to_contain_text("Đã nộp bản tự đánh giá.")
    expect(head.get_by_test_id("assessment-state")).to_have_text("Đã nộp")
    open_domain(head, "1")
    expect(head.locator(f"#item-{items['1.5'].pk}")).to_contain_text("Hai sáng kiến cấp phường")
    expect(head.get_by_role("button", name="Lưu", exact=True)).to_have_count(0)
    expect(head.get_by_role("button", name="Tải lên")).to_have_count(0)
    officer.goto(form_url)
    expect(officer.get_by_test_id("assessment-state")).to_have_text("Đã nộp")
    open_domain(officer, "1")
    expect(card("1.5")).to_contain_text("Hai sáng kiến cấp phường")
    expect(officer.get_by_role("button", name="Lưu", exact=True)).to_have_count(0)

    # 3. The secretariat opens the appraisal.
    thuky = new_page()
    login(thuky, live_server, secretariat.username)
    move_cycle(thuky, live_server, "Thẩm định", "Hết hạn tự đánh giá")

    # 4. The reviewer agrees with domain 2, lowers 1.5 and asks why, accepts 1.2's claim.
    review = new_page()
    login(review, live_server, reviewer.username)
    review.goto(appraise_url)
    expect(review.get_by_role("heading", level=1)).to_contain_text("Thẩm định")

    def review_card(code):
        return review.locator(f"#item-{items[code].pk}")

    review.locator("#domain-2").get_by_text("Nhất trí với tự đánh giá cả lĩnh vực").click()
    review.locator("#domain-2").get_by_role("button", name="Xác nhận nhất trí 1 tiêu chí").click()
    expect(review.get_by_role("status")).to_contain_text(
        "Đã nhất trí với tự đánh giá 1 tiêu chí của lĩnh vực 2."
    )
    expect(review.get_by_test_id("appraised-2.1")).to_have_text("1,00")

    leaf = review_card("1.5")
    expect(review.get_by_test_id("self-1.5")).to_have_text("0,75")
    expect(leaf).to_contain_text("Hai sáng kiến cấp phường")
    leaf.get_by_label("Điểm thẩm định").fill("0.5")
    leaf.get_by_label("Ý kiến", exact=True).fill("Chỉ một sáng kiến có quyết định công nhận")
    leaf.get_by_label("Yêu cầu đơn vị giải trình").check()
    leaf.get_by_role("button", name="Lưu điểm thẩm định").click()
    expect(leaf.get_by_role("status")).to_contain_text("Đã lưu điểm thẩm định tiêu chí 1.5.")
    expect(review.get_by_test_id("appraised-1.5")).to_have_text("0,50")
    expect(leaf.get_by_text(re.compile(r"^chênh"))).to_have_text("chênh -0,25")
    expect(leaf.get_by_text("yêu cầu giải trình", exact=True)).to_be_visible()

    leaf = review_card("1.2")
    expect(review.get_by_test_id("self-1.2")).to_have_text("không áp dụng")
    expect(leaf).to_contain_text("Phường không có đơn vị trực thuộc")
    leaf.get_by_label("Khai không áp dụng").select_option(label="Chấp nhận")
    leaf.get_by_role("button", name="Lưu điểm thẩm định").click()
    expect(leaf.get_by_role("status")).to_contain_text("Đã lưu điểm thẩm định tiêu chí 1.2.")
    expect(leaf).to_contain_text("Chấp nhận không áp dụng")
    expect(review.get_by_test_id("appraised-1.2")).to_have_text("—")
    expect(leaf.get_by_text(re.compile(r"^chênh"))).to_have_count(0)

    # 5. The secretariat opens the explanation round.
    move_cycle(thuky, live_server, "Giải trình", "Gửi kết quả thẩm định cho đơn vị")

    # 6. The officer explains 1.5, the only disputed leaf, with a document.
    officer.goto(form_url)
    officer.get_by_role("link", name="Giải trình", exact=True).click()
    expect(officer).to_have_url(f"{form_url}explain/")
    explained = officer.locator("article")
    expect(explained).to_have_count(1)
    expect(explained.locator(".code")).to_have_text("1.5")
    expect(officer.get_by_test_id("appraised-1.5")).to_have_text("0,50")
    expect(explained).to_contain_text("Chỉ một sáng kiến có quyết định công nhận")
    explained.get_by_label("Nội dung giải trình").fill(
        "Sáng kiến thứ hai đã được công nhận, kèm quyết định"
    )
    attachment = pdf(tmp_path, "quyet-dinh-cong-nhan.pdf")
    explained.get_by_label("Tài liệu bổ sung (không bắt buộc)").set_input_files(attachment)
    explained.get_by_role("button", name="Gửi giải trình").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã gửi giải trình tiêu chí 1.5.")
    expect(explained).to_contain_text("Đã giải trình")
    expect(explained).to_contain_text("Sáng kiến thứ hai đã được công nhận, kèm quyết định")
    explanation_file = explained.locator("li", has_text=attachment.name)
    expect(explanation_file).to_have_count(1)
    expect(explanation_file).to_contain_text("giải trình")

    # 7. The reviewer reads the explanation and sets the final points of 1.5.
    review.goto(appraise_url)
    leaf = review_card("1.5")
    expect(leaf).to_contain_text("Giải trình: Sáng kiến thứ hai đã được công nhận, kèm quyết định")
    expect(leaf.get_by_role("link", name=re.compile(re.escape(attachment.name)))).to_be_visible()
    leaf.get_by_label("Điểm cuối cùng").fill("0.75")
    leaf.get_by_label("Ý kiến sau giải trình").fill("Chấp nhận giải trình")
    leaf.get_by_role("button", name="Chốt điểm").click()
    expect(review.get_by_role("status")).to_contain_text("Đã chấm điểm cuối cùng tiêu chí 1.5.")
    expect(review.get_by_test_id("final-1.5")).to_have_text("0,75")

    # 8. The council approves the results: the board leads to the preview, which it confirms.
    board = new_page()
    login(board, live_server, council.username)
    board.goto(f"{live_server.url}/assessments/2025/board/")
    expect(board.get_by_test_id("cycle-state")).to_have_text("Giải trình")
    board.get_by_role("link", name="Xem trước và phê duyệt kết quả").click()
    board.get_by_label("Ghi chú (ghi vào nhật ký)").fill("Biên bản họp Hội đồng số 1")
    board.get_by_role("button", name="Xác nhận chuyển sang “Đã phê duyệt”").click()
    expect(board.get_by_test_id("transition-job")).to_contain_text("chuyển sang “Đã phê duyệt”")
    board.goto(f"{live_server.url}/assessments/2025/board/")
    expect(board.get_by_test_id("cycle-state")).to_have_text("Đã phê duyệt")
    expect(board.get_by_role("link", name="Xem trước và phê duyệt kết quả")).to_have_count(0)
    row = board.locator("tbody tr", has_text="Hoàn Kiếm")
    expect(row.locator("td").nth(1)).to_have_text("Đã phê duyệt")

    # 9. What the journey left in the database.
    assessment_a.refresh_from_db()
    assert assessment_a.state == AssessmentState.FINALISED
    assert assessment_a.cycle.state == CycleState.FINALISED
    assert assessment_a.submitted_by == head_a
    leaf = item_of(assessment_a, "1.5")
    assert leaf.self_points == Decimal("0.75")
    assert leaf.appraised_points == Decimal("0.50")
    assert leaf.final_points == Decimal("0.75")
    assert leaf.explanation == "Sáng kiến thứ hai đã được công nhận, kèm quyết định"
    assert leaf.evidence.filter(stage="explanation", original_name=attachment.name).exists()
    # Leaves nobody finalised by hand keep the appraised, else the self points; 1.2 stays N/A.
    assert item_of(assessment_a, "1.1.2").final_points == Decimal("0.90")
    assert item_of(assessment_a, "2.1").final_points == Decimal("1.00")
    assert item_of(assessment_a, "1.2").final_points is None
    events = AuditEvent.objects.for_object(leaf)
    actors = {event.action: event.actor for event in events}
    assert {"item.self_assess", "item.appraise", "item.explain", "item.finalise"} <= set(actors)
    assert actors["item.self_assess"] == officer_a
    assert actors["item.appraise"] == reviewer
    assert actors["item.explain"] == officer_a
    assert actors["item.finalise"] == reviewer
