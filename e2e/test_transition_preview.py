"""The secretariat previews the move to appraisal, confirms it and follows its progress; a unit's
officer then reads the notification. Screenshots at 1366 px and 390 px go to $E2E_SCREENSHOTS (default:
parindex-screenshots in the temporary folder), outside the repository."""

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services as assessment_services
from conftest import item_of
from cycles.models import CycleState, PhaseKind
from cycles.services import set_phase
from e2e.conftest import login

pytestmark = pytest.mark.e2e

SHOTS = Path(
    os.environ.get("E2E_SCREENSHOTS", Path(tempfile.gettempdir()) / "parindex-screenshots")
)
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def year_in_self_assessment(open_cycle, secretariat, officer_a, unit_a):
    """Unit A has begun (one leaf saved), Unit B has not; appraisal is planned in ten days."""
    assessment = open_cycle.assessments.get(unit=unit_a)
    assessment_services.save_self(officer_a, item_of(assessment, "1.5"), inputs={"points": "0.5"})
    opens = timezone.now() + timedelta(days=10)
    set_phase(secretariat, open_cycle, PhaseKind.APPRAISAL, opens, opens + timedelta(days=20))
    return open_cycle


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_secretariat_previews_confirms_and_the_unit_is_told(
    new_page, live_server, year_in_self_assessment, secretariat, officer_a
):
    thuky = new_page(viewport=WIDE)
    login(thuky, live_server, secretariat.username)
    thuky.goto(f"{live_server.url}/cycles/2025/")
    expect(thuky.get_by_test_id("cycle-state")).to_have_text("Tự đánh giá")
    thuky.get_by_role("link", name="Chuyển sang “Thẩm định”…").click()

    preview = thuky.get_by_test_id("transition-preview")
    expect(preview).to_contain_text(
        "1 bản tự đánh giá đang soạn sẽ được nộp nguyên trạng; 1 đơn vị chưa bắt đầu"
    )
    expect(preview).to_contain_text("Giai đoạn “Thẩm định” mở ngay khi chuyển")
    expect(preview).to_contain_text("2 đơn vị được thông báo")
    shot(thuky, "transition-preview-1366")
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(phone, live_server, secretariat.username)
    phone.goto(thuky.url)
    expect(phone.get_by_test_id("transition-preview")).to_be_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 391
    shot(phone, "transition-preview-390")

    thuky.get_by_label("Ghi chú (ghi vào nhật ký)").fill("Hết hạn tự đánh giá")
    thuky.get_by_role("button", name="Xác nhận chuyển sang “Thẩm định”").click()
    job = thuky.get_by_test_id("transition-job")
    expect(job).to_have_attribute("data-state", "done")
    expect(thuky.get_by_label("Tiến độ")).to_have_attribute("value", "100")
    expect(job).to_contain_text("Kỳ đánh giá 2025 đã chuyển sang “Thẩm định”.")
    expect(thuky.get_by_role("listitem").filter(has_text="nộp nguyên trạng")).to_be_visible()
    shot(thuky, "transition-done-1366")
    phone.goto(thuky.url)
    expect(phone.get_by_test_id("transition-job")).to_contain_text("đã chuyển sang “Thẩm định”")
    shot(phone, "transition-done-390")

    thuky.get_by_role("link", name="Về trang kỳ đánh giá").click()
    expect(thuky.get_by_test_id("cycle-state")).to_have_text("Thẩm định")
    expect(thuky.get_by_test_id("current-phase")).to_contain_text("“Thẩm định” đang mở")
    year_in_self_assessment.refresh_from_db()
    assert year_in_self_assessment.state == CycleState.APPRAISAL

    canbo = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    login(canbo, live_server, officer_a.username)
    expect(canbo.get_by_test_id("unread")).to_have_text("1")
    canbo.goto(f"{live_server.url}/accounts/notifications/")  # the bell sits in the phone's menu
    expect(
        canbo.get_by_text(re.compile("chuyển sang thẩm định: bản tự đánh giá đang soạn"))
    ).to_be_visible()
    shot(canbo, "transition-unit-notification-390")
