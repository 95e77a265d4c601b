"""Issue 19's done-when for one-off requests, in the browser: the secretariat sends a request with its
deadline to three units, two answer, the deadline passes, the board shows the third as late, and the
consolidated report is read and exported to Word."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from accounts.models import Role
from conftest import _user
from e2e.conftest import login
from reporting import services as reporting
from reporting.models import Period
from units.models import Unit, UnitKind

pytestmark = pytest.mark.e2e

TITLE = "Báo cáo chuyên đề CCHC giai đoạn 2021-2025"
INDICATOR = "Số lớp bồi dưỡng CCHC 2021-2025"
SECTION = "Kết quả nổi bật giai đoạn 2021-2025"


@pytest.fixture
def template(secretariat):
    indicators, sections = reporting.parse_definition(
        f"trainings; {INDICATOR}; number; lớp", f"results; {SECTION}"
    )
    return reporting.save_template(secretariat, "Báo cáo tổng kết CCHC", indicators, sections)


@pytest.fixture
def unit_c(db):
    return Unit.objects.create(code="S04", name="Sở Công Thương", kind=UnitKind.DEPARTMENT)


def nav(page, name: str):
    """A link of the menu's "Kế hoạch & báo cáo" group, the group opened first (docs/ui.md)."""
    menu = page.get_by_role("navigation", name="Điều hướng chính")
    menu.locator("summary", has_text="Kế hoạch & báo cáo").click()
    return menu.get_by_role("link", name=name, exact=True)


def answer(new_page, live_server, username: str, trainings: str, text: str) -> None:
    page = new_page()
    login(page, live_server, username)
    nav(page, "Báo cáo định kỳ").click()
    page.get_by_test_id("requests").locator("tbody tr", has_text=TITLE).get_by_role(
        "link", name="Báo cáo của đơn vị"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    page.get_by_label(INDICATOR).fill(trainings)
    page.get_by_label(SECTION).fill(text)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("status")).to_contain_text("Đã gửi báo cáo.")


def test_a_request_is_sent_answered_by_two_units_and_the_late_one_is_on_the_board(
    new_page,
    live_server,
    secretariat,
    template,
    unit_a,
    unit_b,
    unit_c,
    officer_a,
    officer_b,
    tmp_path,
):
    _user("canbo.c", Role.UNIT_OFFICER, unit_c)

    # 1. The secretariat sends the request, due in three days, to three units.
    thuky = new_page()
    login(thuky, live_server, secretariat.username)
    nav(thuky, "Báo cáo định kỳ").click()
    thuky.get_by_role("link", name="Gửi yêu cầu báo cáo").first.click()
    thuky.get_by_label("Tên yêu cầu báo cáo").fill(TITLE)
    thuky.get_by_label("Mẫu báo cáo").select_option(label=str(template))
    due = timezone.localtime(timezone.now() + timedelta(days=3))
    thuky.get_by_label("Hạn nộp").fill(due.strftime("%Y-%m-%dT%H:%M"))
    for unit in (unit_a, unit_b, unit_c):
        thuky.get_by_label(str(unit), exact=True).check()
    thuky.get_by_role("button", name="Gửi yêu cầu").click()
    request = Period.objects.requests().get()
    expect(thuky).to_have_url(f"{live_server.url}/reports/requests/{request.pk}/")
    expect(thuky.get_by_test_id("submitted-count")).to_have_text("Đã gửi 0/3")
    expect(thuky.get_by_test_id("late-count")).to_have_text("0")

    # 2. Two units answer from their own list of reports.
    answer(new_page, live_server, officer_a.username, "12", "Phường đã số hóa 100% hồ sơ.")
    answer(new_page, live_server, officer_b.username, "30", "Sở đã rà soát 120 văn bản.")

    # 3. Time passes: the two sent an hour ago, the deadline was a minute ago.
    request.reports.update(submitted_at=timezone.now() - timedelta(hours=1))
    reporting.set_due(secretariat, request, timezone.now() - timedelta(minutes=1))
    thuky.reload()
    expect(thuky.get_by_test_id("submitted-count")).to_have_text("Đã gửi 2/3")
    expect(thuky.get_by_test_id("late-count")).to_have_text("1")
    expect(thuky.get_by_test_id("row-S04")).to_contain_text("Quá hạn, chưa gửi")
    expect(thuky.get_by_test_id("row-S02")).to_contain_text("Đã gửi")
    expect(thuky.get_by_test_id("row-S02")).not_to_contain_text("Quá hạn")

    # 4. The consolidated report sums the two answers, and its Word export carries them.
    thuky.get_by_role("link", name="Báo cáo tổng hợp").click()
    expect(thuky.get_by_text(re.compile(r"Tổng hợp từ 2/3 báo cáo đã gửi"))).to_be_visible()
    expect(thuky.get_by_test_id("figure-trainings")).to_have_text("42 lớp")
    expect(thuky.get_by_text("Sở đã rà soát 120 văn bản.")).to_be_visible()
    with thuky.expect_download() as caught:
        thuky.get_by_role("link", name="Word", exact=True).click()
    path = tmp_path / caught.value.suggested_filename
    caught.value.save_as(path)
    document = Document(path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert TITLE in text and "tổng hợp từ 2/3 báo cáo" in text
    assert f"{unit_b.display_name}: Sở đã rà soát 120 văn bản." in text
