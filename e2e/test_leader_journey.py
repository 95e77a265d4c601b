"""The leader's journey on a phone (issue 20): the overview, an overdue task of the plan followed to its
detail, a question to the assistant whose answer links to the ranking; then the Chairman's briefing
made with one click. The overview and the assistant pass axe at 390 and 1366 px and leave their
screenshots in var/screenshots/ (e2e/accessibility.py)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from e2e.accessibility import SCREENSHOTS, check
from e2e.conftest import login
from e2e.test_mobile import PHONE, assert_no_horizontal_overflow
from plans.models import Plan, Task
from results.tests.published import extra_units, published_cycle_of

pytestmark = pytest.mark.e2e

TASK_TITLE = "Số hoá hồ sơ, kết quả giải quyết thủ tục hành chính"
LEADER_IN_CHARGE = "Đ/c Phó Chủ tịch UBND Thành phố Trương Việt Dũng"


@pytest.fixture
def world(secretariat, open_cycle, unit_a, unit_b):
    """2024 published (five units), 2025 open for self-assessment, this year's plan with one task
    overdue under a Vice-Chairman and one done."""
    published_cycle_of(secretariat, [unit_a, unit_b, *extra_units()], year=2024)
    today = timezone.localdate()
    plan = Plan.objects.create(
        year=today.year,
        decision_number="15/KH-UBND",
        decision_date=date(today.year, 1, 15),
        title="Kế hoạch cải cách hành chính",
    )
    late = Task.objects.create(
        plan=plan,
        number="7",
        title=TASK_TITLE,
        leader=LEADER_IN_CHARGE,
        due=today - timedelta(days=4),
    )
    late.lead_units.add(unit_b)
    Task.objects.create(
        plan=plan, number="8", title="Đã xong", due=today - timedelta(days=4), status="done"
    )
    return late


def test_leader_follows_an_overdue_task_and_asks_the_assistant_on_a_phone(
    live_server, new_page, world, leader, unit_a
):
    base, problems = live_server.url, []
    phone = new_page(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="vi-VN"
    )
    login(phone, live_server, leader.username)

    # The overview, from the home page's link, fits the phone.
    phone.goto(f"{base}/results/overview/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tổng quan cải cách hành chính")
    assert_no_horizontal_overflow(phone)
    problems += check(phone, "lanh-dao-tong-quan")
    phone.set_viewport_size(PHONE)

    # An overdue task, through its leader in charge, to its detail.
    phone.get_by_role("link", name=f"{LEADER_IN_CHARGE}: 1").click()
    phone.get_by_role("link", name=TASK_TITLE).click()
    expect(phone).to_have_url(f"{base}/plans/tasks/{world.pk}/")
    expect(phone.locator("main")).to_contain_text(TASK_TITLE)
    assert_no_horizontal_overflow(phone)

    # The assistant, from the overview: the unit's rank links to its group's ranking.
    phone.goto(f"{base}/results/overview/")
    phone.get_by_role("link", name=re.compile("^Hỏi trợ lý")).click()
    expect(phone).to_have_url(f"{base}/results/assistant/")
    phone.get_by_label(re.compile("Câu hỏi")).fill("chi so cua phuong hoan kiem nam 2024")
    phone.get_by_role("button", name="Hỏi", exact=True).click()
    answer = phone.get_by_role("region", name="Trả lời")
    expect(answer).to_contain_text("Chỉ số CCHC năm 2024 của Phường Hoàn Kiếm")
    assert_no_horizontal_overflow(phone)
    problems += check(phone, "lanh-dao-tro-ly")
    phone.set_viewport_size(PHONE)
    answer.get_by_role("link", name=re.compile("^Xếp hạng trong")).click()
    expect(phone).to_have_url(re.compile(rf"^{re.escape(base)}/cong-khai/2024/khoi/[\w-]+/$"))
    ranking = phone.get_by_test_id("ranking")
    expect(ranking).to_be_visible()
    expect(ranking).to_contain_text(unit_a.name)

    # The Chairman's briefing, one click on the overview: a Word file naming the overdue task's leader.
    phone.goto(f"{base}/results/overview/")
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Tạo bản tin (Word)").click()
    path = download.value.path()
    text = "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert f"1 nhiệm vụ của Kế hoạch CCHC năm {world.plan.year} quá hạn" in text
    assert f"{LEADER_IN_CHARGE}: 1" in text
    phone.get_by_role("link", name=re.compile("^Các bản tin đã tạo")).click()
    expect(phone.get_by_role("link", name=re.compile(r"^Bản tin ngày .*\.docx"))).to_have_count(1)
    assert_no_horizontal_overflow(phone)
    problems += check(phone, "lanh-dao-ban-tin")

    assert not problems, "axe found:\n" + "\n".join(problems)
    assert (SCREENSHOTS / "lanh-dao-tong-quan-390.png").stat().st_size > 0
    assert (SCREENSHOTS / "lanh-dao-tro-ly-1366.png").stat().st_size > 0
