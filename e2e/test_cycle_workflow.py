"""The secretariat opens cycle 2025 for self-assessment; its frameworks lock."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_opening_self_assessment_locks_the_frameworks(page, live_server, draft_cycle, secretariat):
    login(page, live_server, secretariat.username)
    page.goto(f"{live_server.url}/cycles/2025/")
    expect(page.get_by_test_id("cycle-state")).to_have_text("Dự thảo")
    expect(page.get_by_text("Chưa thể mở kỳ đánh giá")).to_have_count(0)

    transition = page.get_by_role("link", name=re.compile(r"^Chuyển sang"))
    expect(transition).to_have_count(1)
    expect(transition).to_have_text("Chuyển sang “Tự đánh giá”…")
    transition.click()

    # The preview says what will happen; nothing moves before the confirmation.
    expect(page.get_by_test_id("transition-preview")).to_contain_text("2 đơn vị tham gia")
    page.get_by_label("Ghi chú (ghi vào nhật ký)").fill("Mở kỳ tự đánh giá")
    page.get_by_role("button", name="Xác nhận chuyển sang “Tự đánh giá”").click()
    expect(page.get_by_test_id("transition-job")).to_contain_text(
        "Kỳ đánh giá 2025 đã chuyển sang “Tự đánh giá”."
    )
    page.get_by_role("link", name="Về trang kỳ đánh giá").click()

    expect(page).to_have_url(f"{live_server.url}/cycles/2025/")
    expect(page.get_by_test_id("cycle-state")).to_have_text("Tự đánh giá")
    # The next move is offered; the draft-only import is not.
    expect(page.get_by_role("link", name=re.compile(r"^Chuyển sang"))).to_have_text(
        "Chuyển sang “Thẩm định”…"
    )
    expect(page.get_by_role("link", name="Nhập bộ tiêu chí từ Excel")).to_have_count(0)

    page.get_by_role("link", name=re.compile(r"xã, phường")).click()
    expect(page.get_by_test_id("framework-total")).to_have_text("10,00")
    expect(page.get_by_text("Đã khoá", exact=True)).to_be_visible()
    expect(page.get_by_text("Đang dự thảo: được sửa")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Sửa"))).to_have_count(0)
    expect(page.get_by_text("Sửa", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Nhập từ Excel")).to_have_count(0)
    expect(page.get_by_role("link", name="Tải về Excel")).to_be_visible()
