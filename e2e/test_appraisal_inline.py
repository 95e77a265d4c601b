"""The reviewer appraises in place, keyboard first: the queue opens on the cycle in appraisal, a leaf
saves without a page load (a marker on `window` survives), the unit's points are beside an empty box,
one domain is agreed with explicitly, and an out-of-bounds value is refused with the comment kept.

Screenshots (1366 px and 390 px wide) go to $E2E_SCREENSHOTS (default: parindex-screenshots in the
temporary folder), outside the repository."""

import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.audit import AuditEvent
from assessments import services
from assessments.tests.test_workflow import fill_everything
from conftest import SMALL_TOTAL, item_of, open_phases, small_framework_specs
from cycles.models import Cycle, Participation
from cycles.services import transition
from e2e.conftest import login, scroll_to
from frameworks.services import save_specs
from units.models import UnitKind

pytestmark = pytest.mark.e2e

SHOTS = Path(
    os.environ.get("E2E_SCREENSHOTS", Path(tempfile.gettempdir()) / "parindex-screenshots")
)
MARKER = "() => window.__appraisalMarker"
OVERFLOW = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def shoot(page, name: str, at=None) -> None:
    """The page at 1366 px and 390 px wide, scrolled to `at` (a locator) when given."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        if at is not None:
            scroll_to(at)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=False)
        scroll_width, client_width = page.evaluate(OVERFLOW)
        assert scroll_width <= client_width + 1, f"{name}: {scroll_width}px wide at {width}px"
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.fixture
def two_years(secretariat, reviewer, officer_a, unit_a, open_cycle, assessment_a):
    """2025 in appraisal with Unit A's self-assessment complete; 2026, newer, still in
    self-assessment; the reviewer is assigned to Unit A in both."""
    fill_everything(officer_a, assessment_a)
    transition(secretariat, open_cycle, "appraisal")
    later = Cycle.objects.create(year=2026, title="Chỉ số CCHC năm 2026")
    Participation.objects.create(
        cycle=later, unit=unit_a, framework_kind=UnitKind.COMMUNE, ranking_group="Khối xã, phường"
    )
    save_specs(
        secretariat,
        later,
        UnitKind.COMMUNE,
        small_framework_specs(),
        source="test",
        target_total=SMALL_TOTAL,
    )
    open_phases(later, secretariat)
    transition(secretariat, later, "self_assessment")
    services.assign_reviewer(secretariat, later, reviewer, [unit_a])
    return assessment_a


def test_reviewer_appraises_inline_agrees_with_a_domain_and_keeps_a_refused_comment(
    page, live_server, reviewer, two_years
):
    assessment = two_years
    leaf_15, leaf_21, leaf_31 = (item_of(assessment, c) for c in ("1.5", "2.1", "3.1"))
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, reviewer.username)

    # 1. The queue opens on 2025, the cycle in appraisal, not on the newer 2026.
    page.get_by_role("link", name="Thẩm định", exact=True).click()
    expect(page.get_by_test_id("queue-cycle")).to_contain_text("năm 2025")
    expect(page.get_by_label("Kỳ đánh giá")).to_have_value("2025")
    expect(page.get_by_test_id("pending-00070")).to_have_text("9")
    shoot(page, "appraisal-queue")
    page.get_by_label("Tình trạng").select_option("explain")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("Không có đơn vị nào khớp với bộ lọc.")).to_be_visible()
    page.get_by_label("Tình trạng").select_option("pending")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name="Phường Hoàn Kiếm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thẩm định")

    # 2. The box is empty; the unit's points are beside it, read-only.
    card = page.locator(f"#item-{leaf_15.pk}")
    points = card.get_by_label("Điểm thẩm định")
    expect(points).to_have_value("")
    expect(page.get_by_test_id("self-hint-1.5")).to_have_text("1,00")
    expect(page.get_by_test_id("leaf-state-1.5")).to_have_text("Chưa thẩm định")
    expect(page.get_by_test_id("agree-preview-1")).to_contain_text("6 tiêu chí")

    # 3. Keyboard first: points, comment, "needs explanation", save; Enter in the points saves.
    page.evaluate("() => { window.__appraisalMarker = 'still here'; }")
    points.focus()
    page.keyboard.type("0,5")
    page.keyboard.press("Tab")
    expect(card.get_by_label("Ý kiến", exact=True)).to_be_focused()
    page.keyboard.type("Chỉ một sáng kiến có quyết định công nhận")
    page.keyboard.press("Tab")
    expect(card.get_by_label("Yêu cầu đơn vị giải trình")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(card.get_by_role("button", name="Lưu điểm thẩm định")).to_be_focused()
    points.focus()
    page.keyboard.press("Enter")
    expect(card.get_by_role("status")).to_have_text("Đã lưu điểm thẩm định tiêu chí 1.5.")
    expect(page.get_by_test_id("appraised-1.5")).to_have_text("0,50")
    expect(page.get_by_test_id("leaf-state-1.5")).to_have_text("Đã thẩm định")
    expect(card.get_by_text("yêu cầu giải trình", exact=True)).to_be_visible()
    expect(card.get_by_label("Điểm thẩm định")).to_be_focused()  # focus stays on the leaf
    assert page.evaluate(MARKER) == "still here"  # no page load
    # The domain's sums, the agreement's count and the progress followed without a reload.
    expect(page.get_by_test_id("domain-sum-1")).to_contain_text("thẩm định 0,50 / 6,00")
    expect(page.get_by_test_id("agree-preview-1")).to_contain_text("5 tiêu chí")
    expect(page.get_by_test_id("appraisal-progress")).to_have_text("Đã thẩm định 1/9 tiêu chí")

    # 4. Agreeing with the unit is explicit: one leaf by its button, inline too.
    page.locator(f"#item-{leaf_31.pk}").get_by_role("button", name="Nhất trí với đơn vị").click()
    expect(page.locator(f"#item-{leaf_31.pk}").get_by_role("status")).to_have_text(
        "Đã nhất trí với tự đánh giá tiêu chí 3.1."
    )
    expect(page.get_by_test_id("appraised-3.1")).to_have_text("0,00")
    assert page.evaluate(MARKER) == "still here"

    # 5. One domain, with a confirmation of how many leaves it sets.
    domain = page.locator("#domain-1")
    domain.get_by_text("Nhất trí với tự đánh giá cả lĩnh vực").click()
    expect(page.get_by_test_id("agree-preview-1")).to_contain_text(
        "đặt điểm thẩm định của 5 tiêu chí chưa thẩm định"
    )
    shoot(page, "appraisal-agree-domain", at=domain.locator("details"))
    domain.get_by_role("button", name="Xác nhận nhất trí 5 tiêu chí").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Đã nhất trí với tự đánh giá 5 tiêu chí của lĩnh vực 1."
    )
    expect(page.get_by_test_id("appraised-1.1.2")).to_have_text("1,00")
    expect(page.get_by_test_id("appraised-1.5")).to_have_text("0,50")  # its own decision stands

    # 6. An out-of-bounds value is refused on the leaf; the comment and the points stay typed.
    page.evaluate("() => { window.__appraisalMarker = 'after the domain'; }")
    card = page.locator(f"#item-{leaf_21.pk}")
    card.get_by_label("Ý kiến", exact=True).fill("Chưa thấy văn bản công nhận")
    card.get_by_label("Điểm thẩm định").fill("5")
    card.get_by_label("Điểm thẩm định").press("Enter")
    expect(card.get_by_role("alert")).to_contain_text("Điểm của tiêu chí 2.1 phải từ 0,00 đến 1,00")
    expect(card.get_by_label("Ý kiến", exact=True)).to_have_value("Chưa thấy văn bản công nhận")
    expect(card.get_by_label("Điểm thẩm định")).to_have_value("5")
    expect(page.get_by_test_id("appraised-2.1")).to_have_text("—")
    assert page.evaluate(MARKER) == "after the domain"
    shoot(page, "appraisal-refused", at=card)
    # Corrected, it saves.
    card.get_by_label("Điểm thẩm định").fill("0")
    card.get_by_role("button", name="Lưu điểm thẩm định").click()
    expect(page.get_by_test_id("appraised-2.1")).to_have_text("0,00")
    expect(card.get_by_label("Ý kiến", exact=True)).to_have_value("Chưa thấy văn bản công nhận")

    # What the journey left in the database and the audit trail.
    assert item_of(assessment, "1.5").appraised_points == Decimal("0.50")
    assert item_of(assessment, "2.1").appraisal_comment == "Chưa thấy văn bản công nhận"
    reasons = set(
        AuditEvent.objects.filter(action="item.appraise", actor=reviewer).values_list(
            "reason", flat=True
        )
    )
    assert {
        "Nhất trí với tự đánh giá lĩnh vực 1",
        "Nhất trí với tự đánh giá tiêu chí 3.1",
    } <= reasons
