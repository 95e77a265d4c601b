"""Numbers from data, not retyped (issue 19): the secretariat imports an indicator feed (preview, then
confirm), the unit's Q1 report opens prefilled and marked "Lấy từ nguồn dữ liệu" and is sent as it is;
the secretariat enters a data-sourced leaf's missing value with its document and the unit sees it with
its source."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import login, open_domain
from reporting import services as reporting
from reporting.models import PeriodKind, ReportState

pytestmark = pytest.mark.e2e

FEED = (
    "Mã đơn vị,Kỳ báo cáo,Mã chỉ tiêu,Giá trị,Tử số,Mẫu số\n"
    "00070,2025-q1,dossiers_on_time,,1196,1240\n"
    "00070,2025-q1,meetings,4,,\n"
)


@pytest.fixture
def q1_2025(secretariat):
    template = reporting.save_template(
        secretariat,
        "Báo cáo CCHC định kỳ",
        [
            {"code": "dossiers_on_time", "label": "Tỷ lệ hồ sơ đúng hạn", "is_rate": True},
            {"code": "meetings", "label": "Số cuộc họp giao ban CCHC", "is_rate": False},
        ],
        [],
    )
    return reporting.open_period(
        secretariat, 2025, PeriodKind.Q1, template, timezone.now() + timedelta(days=7)
    )


def test_a_feed_prefills_the_report_and_an_entered_value_shows_its_source(
    new_page, live_server, secretariat, officer_a, assessment_a, q1_2025, tmp_path
):
    feed = tmp_path / "so-lieu-quy-1.csv"
    feed.write_text(FEED, encoding="utf-8")

    # 1. The secretariat imports the feed: a preview first, saved only when confirmed.
    staff = new_page()
    login(staff, live_server, secretariat.username)
    staff.goto(f"{live_server.url}/reports/")
    staff.get_by_role("link", name="Nhập số liệu từ nguồn dữ liệu").click()
    staff.set_input_files("input[type=file]", str(feed))
    staff.get_by_role("button", name="Xem trước").click()
    expect(staff.get_by_text("2 số liệu của 1 đơn vị")).to_be_visible()
    staff.get_by_role("button", name="Xác nhận nhập").click()
    expect(staff.get_by_text("Đã nhập 2 số liệu chỉ tiêu.")).to_be_visible()

    # 2. It enters the value of leaf 2.2, which no feed has, with the document it comes from.
    staff.goto(f"{live_server.url}/assessments/2025/00070/data/")
    leaf = staff.locator("article").filter(has_text="Hồ sơ giải quyết đúng hạn")
    leaf.get_by_label("Giá trị (%)").fill("96,5")
    leaf.get_by_label("Văn bản nguồn: số, ký hiệu").fill("38/BC-VP")
    leaf.get_by_label("Cơ quan ban hành").fill("Văn phòng UBND Thành phố")
    leaf.get_by_role("button", name="Lưu số liệu").click()
    expect(staff.get_by_text("Đã lưu số liệu tiêu chí 2.2.")).to_be_visible()

    # 3. The unit's report opens prefilled and marked; it is sent without typing a figure.
    unit = new_page()
    login(unit, live_server, officer_a.username)
    unit.goto(f"{live_server.url}/reports/2025/q1/00070/")
    expect(unit.get_by_test_id("fed-dossiers_on_time")).to_have_text("Lấy từ nguồn dữ liệu")
    expect(unit.get_by_test_id("fed-meetings")).to_be_visible()
    expect(unit.locator("input[name=dossiers_on_time__numerator]")).to_have_value("1.196")
    unit.get_by_role("button", name="Gửi báo cáo").click()
    expect(unit.get_by_test_id("report-state")).to_have_text("Đã gửi")
    report = q1_2025.reports.get(unit=officer_a.unit)
    assert report.state == ReportState.SUBMITTED
    assert report.values.get(indicator__code="meetings").value == 4

    # 4. The unit sees the entered value with its source on its assessment.
    unit.goto(f"{live_server.url}/assessments/2025/00070/")
    open_domain(unit, "2")  # the form loads a domain's leaves when it is opened
    expect(unit.get_by_test_id("data-source-2.2")).to_have_text(
        "Nhập bởi Sở Nội vụ theo văn bản 38/BC-VP (Văn phòng UBND Thành phố)"
    )
