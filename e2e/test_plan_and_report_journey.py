"""A unit updates a task of the 2025 plan and submits its Q1 report; the secretariat sees both.

The Sở Nội vụ officer marks task 2 of the real 2025 appendix done with a result and a product link,
then fills the Q1 2025 report (a wrong rate first, refused), and submits it. The secretariat finds
the task on the plan board filtered by "Hoàn thành", the unit as "Đã gửi" on the reporting board,
the rate in the consolidated report and in its Word export.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from accounts.models import Role, User
from conftest import PASSWORD
from e2e.conftest import login
from plans import services as plans
from plans.appendix import DATA, OUTSIDE_CATALOGUE_2025, PLAN_2025
from plans.models import TaskStatus
from reporting import services as reporting
from reporting.models import PeriodKind, ReportState, UnitReport
from units.importer import import_hanoi_catalogue
from units.models import Unit

pytestmark = pytest.mark.e2e

TASK_TITLE = "Ban hành Kế hoạch tuyên truyền CCHC"
PRODUCT_LINK = "https://sonoivu.hanoi.gov.vn/ke-hoach-tuyen-truyen-cchc-2025"
RATE_LABEL = "Tỷ lệ hồ sơ giải quyết đúng hạn"
NUMBER_LABEL = "Số hồ sơ tiếp nhận"
SECTION_TITLE = "Kết quả công tác tuyên truyền CCHC"


@pytest.fixture
def plan_2025(secretariat):
    """The Hà Nội catalogue and the 2025 plan with every task of its appendix."""
    import_hanoi_catalogue()
    plan = plans.save_plan(secretariat, **PLAN_2025)
    plans.confirm_names(secretariat, dict.fromkeys(OUTSIDE_CATALOGUE_2025))
    plans.import_tasks(
        secretariat, plan, (DATA / "appendix-2025.xlsx").read_bytes(), "appendix-2025.xlsx"
    )
    return plan


@pytest.fixture
def q1_2025(secretariat):
    template = reporting.save_template(
        secretariat,
        "Báo cáo CCHC định kỳ",
        [
            {
                "code": "dossiers_on_time",
                "label": RATE_LABEL,
                "is_rate": True,
                "unit_of_measure": "%",
            },
            {
                "code": "dossiers_received",
                "label": NUMBER_LABEL,
                "is_rate": False,
                "unit_of_measure": "hồ sơ",
            },
        ],
        [{"code": "propaganda", "title": SECTION_TITLE}],
    )
    return reporting.open_period(
        secretariat, 2025, PeriodKind.Q1, template, timezone.now() + timedelta(days=7)
    )


@pytest.fixture
def officer_snv(plan_2025):
    return User.objects.create_user(
        "canbo.snv",
        password=PASSWORD,
        role=Role.UNIT_OFFICER,
        unit=Unit.objects.get(code="S01"),
        email="canbo.snv@example.vn",
    )


def nav(page, name: str):
    """A link of the menu's "Kế hoạch & báo cáo" group, the group opened first (docs/ui.md)."""
    menu = page.get_by_role("navigation", name="Điều hướng chính")
    menu.locator("summary", has_text="Kế hoạch & báo cáo").click()
    return menu.get_by_role("link", name=name, exact=True)


def task_row(page, number: str):
    return page.locator("tbody tr").filter(
        has=page.locator("td.code", has_text=re.compile(rf"^{re.escape(number)}$"))
    )


def docx_text(path) -> str:
    document = Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_unit_updates_a_task_and_reports_then_the_secretariat_sees_both(
    new_page, live_server, plan_2025, q1_2025, officer_snv, secretariat, tmp_path
):
    snv = officer_snv.unit
    task = plan_2025.tasks.get(number="2")
    assert task.title == TASK_TITLE and task.lead_units.filter(pk=snv.pk).exists()

    # 1. The officer marks task 2 done, from the plan board's "my unit" view.
    officer = new_page()
    login(officer, live_server, officer_snv.username)
    nav(officer, "Kế hoạch CCHC").click()
    officer.get_by_role("link", name=re.compile(r"^2025: ")).click()
    expect(officer).to_have_url(f"{live_server.url}/plans/2025/")
    officer.get_by_role("link", name="Nhiệm vụ của đơn vị tôi").click()
    expect(officer).to_have_url(f"{live_server.url}/plans/2025/?unit={snv.pk}")
    task_row(officer, "2").get_by_role("link", name=TASK_TITLE).click()
    expect(officer).to_have_url(f"{live_server.url}/plans/tasks/{task.pk}/")
    expect(officer.get_by_role("heading", level=1)).to_have_text(f"2. {TASK_TITLE}")
    officer.get_by_label("Trạng thái").select_option(label="Hoàn thành")
    officer.get_by_label("Tiến độ, kết quả").fill("Đã ban hành Kế hoạch số 15/KH-UBND")
    officer.get_by_label("Đường dẫn sản phẩm").fill(PRODUCT_LINK)
    officer.get_by_role("button", name="Cập nhật").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã cập nhật nhiệm vụ 2.")
    expect(officer.get_by_test_id("task-status")).to_have_text("Hoàn thành")
    expect(officer.get_by_role("link", name=PRODUCT_LINK)).to_have_attribute("href", PRODUCT_LINK)
    expect(officer.get_by_text("Đã ban hành Kế hoạch số 15/KH-UBND").first).to_be_visible()

    # 2. The officer fills the Q1 2025 report: a numerator above the denominator is refused.
    nav(officer, "Báo cáo định kỳ").click()
    officer.locator("tbody tr", has_text="năm 2025").get_by_role(
        "link", name="Báo cáo của đơn vị"
    ).click()
    expect(officer).to_have_url(f"{live_server.url}/reports/2025/q1/{snv.code}/")
    state = officer.get_by_test_id("report-state")
    expect(state).to_have_text("Đang soạn")
    officer.get_by_label("Tử số").fill("120")
    officer.get_by_label("Mẫu số").fill("100")
    officer.get_by_label(NUMBER_LABEL).fill("1250")
    officer.get_by_label(SECTION_TITLE).fill("Tổ chức 3 hội nghị tuyên truyền CCHC")
    officer.get_by_role("button", name="Gửi báo cáo").click()
    expect(officer.get_by_role("status")).to_contain_text("tử số (120) lớn hơn mẫu số (100)")
    expect(state).not_to_have_text("Đã gửi")
    expect(officer.get_by_label("Mẫu số")).to_have_value("100")  # what was typed is kept
    officer.get_by_label("Tử số").fill("95")
    officer.get_by_role("button", name="Gửi báo cáo").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã gửi báo cáo.")
    expect(state).to_have_text("Đã gửi")
    expect(officer.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)
    expect(officer.get_by_label("Tử số")).to_be_disabled()

    # 3. The secretariat: the task on the board filtered "Hoàn thành" ...
    thuky = new_page()
    login(thuky, live_server, secretariat.username)
    nav(thuky, "Kế hoạch CCHC").click()
    thuky.get_by_role("link", name=re.compile(r"^2025: ")).click()
    thuky.get_by_label("Tình trạng").select_option(label="Hoàn thành")
    thuky.get_by_role("button", name="Lọc").click()
    expect(thuky).to_have_url(re.compile(rf"state={TaskStatus.DONE}"))
    expect(thuky.locator("tbody tr")).to_have_count(1)
    expect(task_row(thuky, "2")).to_contain_text(TASK_TITLE)
    expect(task_row(thuky, "2").locator("td").last).to_have_text("Hoàn thành")
    expect(thuky.get_by_test_id("plan-counts")).to_contain_text("1 hoàn thành")

    # ... the report on the Q1 board ...
    nav(thuky, "Báo cáo định kỳ").click()
    thuky.locator("tbody tr", has_text="năm 2025").get_by_role("link", name="Tình hình nộp").click()
    expect(thuky).to_have_url(f"{live_server.url}/reports/2025/q1/")
    expect(thuky.get_by_test_id("submitted-count")).to_have_text(re.compile(r"^Đã gửi 1/\d+$"))
    # The catalogue also holds the Sở Nội vụ that merged into this one on 1/3/2025: the row of S01.
    row = thuky.locator('tbody tr:has(a[href$="/S01/"])')
    expect(row.locator(".status-badge")).to_have_text("Đã gửi")

    # ... the consolidated report and its Word export.
    thuky.get_by_role("link", name="Báo cáo tổng hợp").click()
    expect(thuky).to_have_url(f"{live_server.url}/reports/2025/q1/city/")
    expect(thuky.get_by_test_id("figure-dossiers_on_time")).to_contain_text("95")
    expect(thuky.get_by_test_id("figure-dossiers_on_time")).to_have_text("95,00 %")
    # Thousands grouped, no empty decimals (core/formats.py).
    expect(thuky.get_by_test_id("figure-dossiers_received")).to_have_text("1.250 hồ sơ")
    expect(thuky.get_by_text("Tổ chức 3 hội nghị tuyên truyền CCHC")).to_be_visible()
    with thuky.expect_download() as caught:
        thuky.get_by_role("link", name="Word", exact=True).click()
    download = caught.value
    assert download.suggested_filename == "bao-cao-cchc-q1-2025.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = docx_text(path)
    assert "BÁO CÁO" in text
    assert "95" in text and RATE_LABEL in text
    assert "95,00\u00a0% (95/100)" in text  # the rate, from the summed numerators and denominators
    assert "Tổ chức 3 hội nghị tuyên truyền CCHC" in text

    # What the journey left in the database.
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.updated_by == officer_snv
    assert task.product_link == PRODUCT_LINK
    report = UnitReport.objects.get(period=q1_2025, unit=snv)
    assert report.state == ReportState.SUBMITTED and report.submitted_by == officer_snv
    value = report.values.get(indicator__code="dossiers_on_time")
    assert (value.numerator, value.denominator) == (95, 100)
