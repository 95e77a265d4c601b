"""The self-assessment form by keyboard alone (issue 16, accessibility): the officer tabs to a domain,
opens it with Enter, reaches the leaf's points with Tab, types them and saves with Enter on "Lưu"; the
points and the counters follow, and no mouse is used at any step."""

import re

import pytest
from playwright.sync_api import expect

from conftest import item_of
from e2e.conftest import login

pytestmark = pytest.mark.e2e


def tab_to(page, locator, limit: int = 80) -> None:
    """Press Tab until `locator` has the focus (a failure if it never does: unreachable by keyboard)."""
    for _ in range(limit):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} is not reachable with Tab")


def test_an_officer_fills_and_saves_a_leaf_with_the_keyboard_only(
    new_page, live_server, assessment_a, officer_a
):
    item = item_of(assessment_a, "1.5")
    page = new_page(viewport={"width": 1366, "height": 900})
    login(page, live_server, officer_a.username)
    page.goto(f"{live_server.url}/assessments/2025/00070/")

    summary = page.locator("#domain-1 > details > summary")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    card = page.locator(f"#item-{item.pk}")
    field = card.get_by_label(re.compile(r"^Điểm tự chấm"))
    expect(field).to_be_visible()
    tab_to(page, field)
    page.keyboard.type("0,75")
    tab_to(page, card.get_by_role("button", name="Lưu", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("self-points-1.5")).to_have_text("0,75 điểm")
    expect(page.get_by_test_id("progress")).to_contain_text("Đã chấm 1/9 tiêu chí")
