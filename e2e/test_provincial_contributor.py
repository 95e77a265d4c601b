"""A department given leaves of the city's self-assessment for the Ministry fills them on its own page, with
its own progress, and cannot open the rest of the assessment."""

import re

import pytest
from playwright.sync_api import expect

from assessments.tests.provincial import give_leaves, make_provincial
from conftest import item_of
from e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_department_fills_the_leaf_it_was_given(page, live_server, secretariat, officer_b):
    cycle = make_provincial(secretariat)
    give_leaves(secretariat, cycle)
    leaf = item_of(cycle.assessments.get(), "1.5")

    login(page, live_server, officer_b.username)
    page.get_by_role("link", name=re.compile(r"^2026: Tự đánh giá Chỉ số CCHC cấp tỉnh")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiêu chí được giao: Sở Tư pháp")
    expect(page.get_by_test_id("progress")).to_contain_text("Đã chấm 0/2 tiêu chí")
    expect(page.locator(".item-card")).to_have_count(4)  # 1.5 and domain 2's three leaves
    expect(page.get_by_text("Tuyên truyền CCHC")).to_have_count(0)  # 1.4 stays with Sở Nội vụ

    card = page.locator(f"#item-{leaf.pk}")
    card.get_by_label(re.compile(r"^Điểm tự chấm")).fill("0.75")
    card.get_by_role("button", name="Lưu").click()
    expect(card.get_by_role("status")).to_have_text("Đã lưu.")
    expect(page.get_by_test_id("self-points-1.5")).to_have_text("0,75 điểm")
    expect(page.get_by_test_id("progress")).to_contain_text("Đã chấm 1/2 tiêu chí")
    expect(page.get_by_test_id("domain-progress-1")).to_contain_text("đã chấm 1/1 tiêu chí")

    response = page.goto(f"{live_server.url}/assessments/{cycle.key}/S01/")
    assert response is not None and response.status == 404
    leaf.refresh_from_db()
    assert str(leaf.self_points) == "0.75" and leaf.updated_by == officer_b
