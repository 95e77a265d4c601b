"""Publication day: the secretariat publishes the finalised cycle from the staff results page; an
anonymous visitor then opens the ranking, a unit's profile and downloads the open data.

The cycle is the small one of results/tests/published.py (five units in two groups, finalised and
computed), not the Hà Nội-scale demo year, so that the journey stays quick.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from results.tests.published import SHARES, extra_units, finalise, make_cycle

pytestmark = pytest.mark.e2e


@pytest.fixture
def finalised(secretariat, unit_a, unit_b):
    return finalise(
        secretariat, make_cycle(secretariat, 2025, [unit_a, unit_b, *extra_units()]), SHARES
    )


def test_secretariat_publishes_and_a_visitor_reads_the_results(
    live_server, new_page, finalised, secretariat
):
    visitor = new_page()
    # Before publication the public site knows nothing of 2025.
    response = visitor.goto(f"{live_server.url}/cong-khai/2025/")
    assert response.status == 404
    visitor.goto(f"{live_server.url}/cong-khai/")
    expect(visitor.get_by_test_id("no-cycles")).to_be_visible()

    staff = new_page()
    login(staff, live_server, secretariat.username)
    staff.goto(f"{live_server.url}/results/2025/")
    staff.get_by_role("button", name="Công bố kết quả").click()
    expect(staff.get_by_test_id("cycle-state")).to_have_text(re.compile("công bố", re.I))

    # The visitor (no login) finds the year, the ranking of the wards, a ward, and the data.
    visitor.goto(f"{live_server.url}/cong-khai/")
    visitor.get_by_role("link", name="Chỉ số CCHC năm 2025").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Chỉ số CCHC năm 2025")
    visitor.get_by_role("link", name="Khối xã, phường").first.click()
    ranking = visitor.get_by_test_id("ranking")
    expect(ranking.locator("tbody tr")).to_have_count(3)
    first = ranking.locator("tbody tr").first
    expect(first).to_contain_text("Phường Hoàn Kiếm")
    expect(first).to_contain_text("90,00")
    expect(first.get_by_test_id("rank")).to_have_text("1")
    visitor.get_by_test_id("interval-help").locator("summary").click()
    expect(visitor.get_by_test_id("interval-help")).to_contain_text("độ tin cậy 90 %")

    ranking.get_by_role("link", name="Phường Cửa Nam").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Phường Cửa Nam")
    expect(visitor.get_by_test_id("index")).to_have_text("75,00 %")
    expect(visitor.get_by_test_id("domains")).to_contain_text("Công tác chỉ đạo, điều hành")
    chart = visitor.locator("figure img").first
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.naturalWidth") > 0  # the SVG chart loaded

    with visitor.expect_download() as download:
        visitor.get_by_test_id("download-csv").click()
    assert download.value.suggested_filename == "ket-qua-chi-so-cchc-2025-lan-1.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["code"]: (r["rank"], r["index"]) for r in rows}["00073"] == ("2", "75.0")
    assert len(rows) == 5
