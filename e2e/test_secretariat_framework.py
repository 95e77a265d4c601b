"""The secretariat reviews and edits the commune framework, tries a broken import, exports Excel."""

import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from e2e.conftest import login
from frameworks.excel import HEADER

pytestmark = pytest.mark.e2e


def invalid_workbook(path):
    """The right header, but a leaf whose rule ("guess") does not exist."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER))
    sheet.append(["1", "Công tác chỉ đạo, điều hành", 1, "", "", 0, ""])
    sheet.append(["1.1", "Tiêu chí đoán mò", 1, "guess", "{}", 1, ""])
    workbook.save(path)
    return path


def test_secretariat_edits_imports_and_exports_the_framework(
    page, live_server, draft_cycle, secretariat, tmp_path
):
    login(page, live_server, secretariat.username)

    # Home → cycle 2025 → the commune framework.
    page.get_by_role("link", name=re.compile(r"^2025: ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    expect(page.get_by_test_id("cycle-state")).to_have_text("Dự thảo")
    page.get_by_role("link", name=re.compile(r"xã, phường")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("xã, phường")
    framework_url = page.url
    expect(page.get_by_test_id("framework-total")).to_have_text("10,00")
    expect(page.get_by_test_id("leaf-count")).to_have_text("11")
    expect(page.get_by_text("Đang dự thảo: được sửa")).to_be_visible()

    # Leaf 1.5 goes from 1 to 2 points; domain 1 and the total follow.
    page.get_by_role("link", name="Sửa 1.5", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sửa mục 1.5")
    max_points = page.get_by_label("Điểm tối đa")
    expect(max_points).to_have_value("1,00")
    max_points.fill("2")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu mục 1.5")
    expect(page.get_by_test_id("framework-total")).to_have_text("11,00")
    expect(page.get_by_test_id("leaf-count")).to_have_text("11")
    domains = page.locator("table.w-auto tbody tr")
    domain_1 = domains.filter(has=page.locator("td:first-child", has_text=re.compile(r"^1$")))
    expect(domain_1).to_have_count(1)
    expect(domain_1.locator("td").nth(2)).to_have_text("7,00")
    leaf_row = page.locator("tbody tr", has=page.locator("td.code", has_text=re.compile(r"^1\.5$")))
    expect(leaf_row.locator("td.points")).to_have_text("2,00")

    # A broken file is refused row and column named, and nothing changes.
    page.get_by_role("link", name="Nhập từ Excel").click()
    expect(page).to_have_url(f"{live_server.url}/frameworks/import/2025/")
    page.get_by_label("Dành cho loại đơn vị").select_option("commune")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(
        invalid_workbook(tmp_path / "bo-tieu-chi-sai.xlsx")
    )
    page.locator("main button[type=submit]").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Không nhập được; không có gì được lưu.")
    problem = alert.locator("li").filter(has_text="guess")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("Dòng 3")
    expect(problem).to_contain_text("cột D (rule)")
    page.goto(framework_url)
    expect(page.get_by_test_id("framework-total")).to_have_text("11,00")
    expect(page.get_by_test_id("leaf-count")).to_have_text("11")

    # The Excel export has exactly the header the import expects.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải về Excel").click()
    download = download_info.value
    assert download.suggested_filename == "bo-tieu-chi-2025-commune.xlsx"
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == [
        "code",
        "title",
        "max_points",
        "rule",
        "rule_params",
        "evidence_rule",
        "guidance",
    ]
    leaf_1_5 = next(row for row in rows if row[0] == "1.5")
    assert leaf_1_5[2] == 2


def test_secretariat_edits_deadline_tiers_with_a_live_preview(
    page, live_server, draft_cycle, secretariat, tmp_path
):
    """The structured rule editor: only the deadline's fields, a preview that follows the typing."""
    from frameworks.models import Node

    leaf = Node.objects.get(framework__cycle=draft_cycle, framework__kind="commune", code="1.1.1")
    login(page, live_server, secretariat.username)
    page.goto(f"{live_server.url}/frameworks/nodes/{leaf.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sửa mục 1.1.1")
    # Only the deadline's table shows; the checklist's items are hidden by the script.
    expect(page.get_by_test_id("rows-deadline_tiers")).to_be_visible()
    expect(page.get_by_test_id("rows-items")).to_be_hidden()
    preview = page.locator("#rule-preview")
    expect(preview).to_contain_text("Thực hiện đến 31/01/2025: 1,00 điểm")

    page.locator("#id_deadline_tiers-0-day").fill("2025-01-15")
    page.locator("#id_deadline_tiers-0-day").dispatch_event("change")
    expect(preview).to_contain_text("Thực hiện đến 15/01/2025: 1,00 điểm")
    # A maximum that breaks the framework's total shows in the preview before anything is saved.
    page.get_by_label("Điểm tối đa").fill("5")
    page.get_by_label("Điểm tối đa").dispatch_event("change")
    expect(preview.get_by_test_id("preview-totals")).to_contain_text("14,00 / 10,00")
    page.get_by_label("Điểm tối đa").fill("1")
    page.get_by_label("Điểm tối đa").dispatch_event("change")
    expect(preview.get_by_test_id("preview-totals")).to_contain_text("10,00 / 10,00")
    page.screenshot(path=str(tmp_path / "rule-editor-deadline.png"), full_page=True)

    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu mục 1.1.1")
    expect(page.get_by_test_id("rule-lines-1.1.1")).to_contain_text(
        "Thực hiện đến 15/01/2025: 1,00 điểm"
    )
    leaf.refresh_from_db()
    assert leaf.rule_params["tiers"] == [["2025-01-15", 1], ["2025-02-28", 0.5]]
