"""A save that fails says so on the leaf, keeps what was typed and can be retried; counters follow saves.

The officer of Unit A saves a leaf and sees the progress line move without a reload; then the server
answers 503 (Playwright fulfils the request itself) and the leaf shows an alert with "Thử lại" while the
typed value stays; the retry, with the server back, saves. A lost connection is shown the same way. On a
phone (390 px) the alert and its button fit the screen. Screenshots go to PARINDEX_SCREENSHOTS when set.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import item_of
from e2e.conftest import login, open_domain, scroll_to

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def shot(page, tmp_path, name: str) -> None:
    folder = Path(os.environ.get("PARINDEX_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def save_route(item) -> re.Pattern:
    return re.compile(rf"/assessments/items/{item.pk}/self/$")


def answer_503(route) -> None:
    route.fulfill(status=503, content_type="text/plain", body="Service Unavailable")


def test_failed_saves_show_on_the_leaf_keep_the_value_and_retry(
    new_page, live_server, assessment_a, officer_a, tmp_path
):
    items = {code: item_of(assessment_a, code) for code in ("1.5", "3.1", "2.1")}
    page = new_page(viewport=DESKTOP)
    login(page, live_server, officer_a.username)
    page.goto(f"{live_server.url}/assessments/2025/00070/")
    progress = page.get_by_test_id("progress")
    missing = page.get_by_test_id("evidence-missing")
    expect(progress).to_have_text("Đã chấm 0/9 tiêu chí · tự chấm 0,00/10,00 điểm")
    expect(missing).to_have_text("đủ tài liệu kiểm chứng")
    shot(page, tmp_path, "form-domains-1366")
    for code in ("1", "2", "3"):
        open_domain(page, code)

    def card(code):
        return page.locator(f"#item-{items[code].pk}")

    def points(code):
        return page.get_by_test_id(f"self-points-{code}")

    # A save moves the counters at once: scored leaves, claimed points, leaves missing evidence.
    card("1.5").get_by_label(re.compile(r"^Điểm tự chấm")).fill("0.75")
    card("1.5").get_by_role("button", name="Lưu", exact=True).click()
    expect(points("1.5")).to_have_text("0,75 điểm")
    expect(progress).to_have_text("Đã chấm 1/9 tiêu chí · tự chấm 0,75/10,00 điểm")
    expect(missing).to_have_text("thiếu tài liệu kiểm chứng ở 1 tiêu chí")
    expect(card("1.5").get_by_text("Cần tài liệu kiểm chứng.")).to_be_visible()
    expect(page.locator("#domain-claimed-1")).to_have_text("(tối đa 6,00 · tự chấm 0,75)")
    expect(page.get_by_test_id("domain-progress-1")).to_have_text(
        "đã chấm 1/6 tiêu chí · thiếu tài liệu ở 1 tiêu chí"
    )
    scroll_to(progress)
    shot(page, tmp_path, "autosave-counters-1366")

    # The server answers 503: the leaf says so, the typed value stays, nothing moves.
    page.route(save_route(items["3.1"]), answer_503)
    bonus = card("3.1").get_by_label(re.compile(r"^Điểm tự chấm"))
    bonus.fill("0.5")
    card("3.1").get_by_role("button", name="Lưu", exact=True).click()
    alert = card("3.1").get_by_role("alert")
    expect(alert).to_contain_text("Chưa lưu được")
    expect(alert).to_contain_text("503")
    expect(alert.get_by_role("button", name="Thử lại")).to_be_visible()
    expect(bonus).to_have_value("0.5")
    expect(points("3.1")).to_have_text("Chưa chấm")
    expect(progress).to_have_text("Đã chấm 1/9 tiêu chí · tự chấm 0,75/10,00 điểm")
    scroll_to(card("3.1"))
    shot(page, tmp_path, "autosave-503-1366")

    # Still failing: the retry shows the alert again, never a silent nothing.
    alert.get_by_role("button", name="Thử lại").click()
    expect(card("3.1").get_by_role("alert")).to_contain_text("503")
    expect(bonus).to_have_value("0.5")

    # The server is back: "Thử lại" saves what was typed, and the counters follow.
    page.unroute(save_route(items["3.1"]))
    card("3.1").get_by_role("alert").get_by_role("button", name="Thử lại").click()
    expect(card("3.1").get_by_role("status")).to_have_text("Đã lưu.")
    expect(card("3.1").get_by_role("alert")).to_have_count(0)
    expect(points("3.1")).to_have_text("0,50 điểm")
    expect(progress).to_have_text("Đã chấm 2/9 tiêu chí · tự chấm 1,25/10,00 điểm")
    expect(missing).to_have_text("thiếu tài liệu kiểm chứng ở 2 tiêu chí")
    assert str(item_of(assessment_a, "3.1").self_points) == "0.50"

    # A lost connection on an autosave (a radio saves on change) is shown the same way.
    page.route(save_route(items["2.1"]), lambda route: route.abort("internetdisconnected"))
    card("2.1").get_by_label("Có", exact=True).check()
    expect(card("2.1").get_by_role("alert")).to_contain_text("mất kết nối")
    expect(card("2.1").get_by_label("Có", exact=True)).to_be_checked()
    expect(points("2.1")).to_have_text("Chưa chấm")
    page.unroute(save_route(items["2.1"]))
    card("2.1").get_by_role("button", name="Thử lại").click()
    expect(points("2.1")).to_have_text("1,00 điểm")
    expect(progress).to_have_text("Đã chấm 3/9 tiêu chí · tự chấm 2,25/10,00 điểm")


def test_on_a_phone_the_failed_save_alert_fits_the_screen(
    new_page, live_server, assessment_a, officer_a, tmp_path
):
    item = item_of(assessment_a, "1.5")
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    login(page, live_server, officer_a.username)
    page.goto(f"{live_server.url}/assessments/2025/00070/")
    page.route(save_route(item), answer_503)
    open_domain(page, "1")
    card = page.locator(f"#item-{item.pk}")
    card.get_by_label(re.compile(r"^Điểm tự chấm")).fill("1")
    card.get_by_role("button", name="Lưu", exact=True).click()
    alert = card.get_by_role("alert")
    expect(alert).to_contain_text("máy chủ đang bận")
    retry = alert.get_by_role("button", name="Thử lại")
    expect(retry).to_be_visible()
    box = retry.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"
    scroll_to(alert)
    shot(page, tmp_path, "autosave-503-390")
    page.unroute(save_route(item))
    retry.click()
    expect(page.get_by_test_id("self-points-1.5")).to_have_text("1,00 điểm")
    expect(page.get_by_test_id("progress")).to_have_text(
        "Đã chấm 1/9 tiêu chí · tự chấm 1,00/10,00 điểm"
    )
