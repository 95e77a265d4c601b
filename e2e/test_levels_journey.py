"""A commune runs the index of its own offices beside the city's (issue 17, "Chỉ số CCHC các cấp").

Phường Hoàn Kiếm's secretariat creates its 2025 index of its offices, imports the bundled office
framework through the import page, adds its offices and opens the self-assessment; the officer of its
Văn phòng corrects a leaf with a document and the head submits; the commune's reviewer appraises, the
commune opens the explanation round, its council approves, and its secretariat publishes: the index is
on the public site and in GET /api/v1/indices with the commune as organiser. The city's index 2025,
open for self-assessment, is untouched. Phường Cửa Nam's secretariat is then refused every page,
file, export and API answer of it.

Screenshots of the commune's pages (1366 px and 390 px wide) go to $E2E_SCREENSHOTS, e.g.
`E2E_SCREENSHOTS=var/screenshots`.
"""

import csv
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from accounts.tokens import create_token
from assessments.models import Item
from assessments.tests.test_workflow import fill_everything
from conftest import item_of
from cycles.models import Cycle, CycleState
from e2e.conftest import login, open_domain
from e2e.test_appraisal_inline import shoot
from e2e.test_assessment_journey import pdf, save, upload
from frameworks.bundled import BUNDLED
from parindex.tests.levels import offices_of, person, second_commune, staff_of

pytestmark = pytest.mark.e2e

KEY = "2025-00070-noi-bo"
TITLE = "Chỉ số CCHC các phòng chuyên môn phường Hoàn Kiếm năm 2025"


def office_workbook(tmp_path):
    """The bundled office framework as the Excel file a secretariat keeps (the import takes .xlsx)."""
    book = Workbook()
    sheet = book.active
    with BUNDLED["office"].path.open(encoding="utf-8") as source:
        for row in csv.reader(source):
            sheet.append(row)
    path = tmp_path / "bo-tieu-chi-phong-chuyen-mon.xlsx"
    book.save(path)
    return path


def move(page, live_server, label: str) -> None:
    """The commune's secretariat moves its cycle to the next state: preview, then confirmation."""
    page.goto(f"{live_server.url}/cycles/{KEY}/")
    page.get_by_role("link", name=f"Chuyển sang “{label}”…").click()
    page.get_by_role("button", name=f"Xác nhận chuyển sang “{label}”").click()
    expect(page.get_by_test_id("transition-job")).to_have_attribute("data-state", "done")
    page.goto(f"{live_server.url}/cycles/{KEY}/")
    expect(page.get_by_test_id("cycle-state")).to_have_text(label)


def city_state(cycle: Cycle):
    """What the city's index holds: its state, its assessments' states and every leaf's values."""
    cycle.refresh_from_db()
    return (
        cycle.state,
        sorted(cycle.assessments.values_list("pk", "state")),
        sorted(
            Item.objects.filter(assessment__cycle=cycle).values_list(
                "pk", "self_points", "appraised_points", "final_points", "version"
            )
        ),
    )


@pytest.fixture
def hoan_kiem(unit_a, open_cycle):
    """Phường Hoàn Kiếm (in the city's index 2025, open) with its offices and the staff of its own
    index; its Văn phòng's officer and head; Phường Cửa Nam's secretariat."""
    offices = offices_of(unit_a)
    return {
        "city": open_cycle,
        "offices": offices,
        "staff": staff_of(unit_a, "hoankiem"),
        "officer": person("canbo.vanphong", "unit_officer", offices[0]),
        "head": person("chanhvanphong", "unit_head", offices[0]),
        "stranger": staff_of(second_commune(), "cuanam")["secretariat"],
    }


def test_a_commune_runs_its_offices_index_beside_the_citys(
    new_page, live_server, hoan_kiem, tmp_path
):
    staff, office = hoan_kiem["staff"], hoan_kiem["offices"][0]
    city_before = city_state(hoan_kiem["city"])

    # 1. The commune's secretariat creates the index of its offices.
    thuky = new_page(viewport={"width": 1366, "height": 900})
    login(thuky, live_server, staff["secretariat"].username)
    thuky.goto(f"{live_server.url}/cycles/")
    expect(thuky.locator("main")).not_to_contain_text("Chỉ số CCHC năm 2025")  # the city's
    thuky.get_by_role("link", name="Tạo kỳ đánh giá").click()
    thuky.get_by_label("Năm").fill("2025")
    family = thuky.get_by_label("Loại chỉ số")
    expect(family.locator("option")).to_have_text(["Phòng, ban và đơn vị trực thuộc"])
    thuky.get_by_label("Tên kỳ đánh giá").fill(TITLE)
    thuky.get_by_role("button", name="Tạo", exact=True).click()
    expect(thuky).to_have_url(f"{live_server.url}/cycles/{KEY}/")
    expect(thuky.get_by_test_id("cycle-state")).to_have_text("Dự thảo")

    # 2. It imports the office framework, then adds its offices (only offices are offered).
    thuky.get_by_role("link", name="Nhập bộ tiêu chí từ Excel").click()
    expect(thuky.get_by_label("Dành cho loại đơn vị").locator("option")).to_have_count(1)
    thuky.get_by_label("Tệp Excel (.xlsx)").set_input_files(office_workbook(tmp_path))
    shoot(thuky, "levels-framework-import")
    thuky.get_by_role("button", name="Nhập", exact=True).click()
    expect(thuky.get_by_role("status").first).to_contain_text("Đã nhập 46 mục")
    thuky.goto(f"{live_server.url}/cycles/{KEY}/units/")
    thuky.get_by_text("Thêm đơn vị tham gia").click()
    expect(thuky.get_by_label("Loại đơn vị").locator("option")).to_have_text(
        ["Phòng, ban chuyên môn thuộc UBND xã, phường"]
    )
    thuky.get_by_role("button", name="Thêm", exact=True).click()
    expect(thuky.get_by_role("status").first).to_contain_text("Đã thêm 3 đơn vị tham gia.")
    expect(thuky.locator("tbody tr")).to_have_count(3)
    shoot(thuky, "levels-participants")
    move(thuky, live_server, "Tự đánh giá")
    shoot(thuky, "levels-cycle")

    # 3. The Văn phòng had filled its leaves; its officer corrects 1.2.1 with the decision that
    # recognised the initiative, and the head submits.
    assessment = Cycle.objects.get(key=KEY).assessments.get(unit=office)
    fill_everything(hoan_kiem["officer"], assessment)
    leaf = item_of(assessment, "1.2.1")
    form_url = f"{live_server.url}/assessments/{KEY}/{office.code}/"
    officer = new_page()
    login(officer, live_server, hoan_kiem["officer"].username)
    officer.goto(form_url)
    open_domain(officer, "1")
    card = officer.locator(f"#item-{leaf.pk}")
    card.get_by_label(re.compile(r"^Điểm tự chấm")).fill("1.5")
    card.get_by_label("Ghi chú, cách tính").fill("Một sáng kiến được UBND phường ghi nhận")
    save(card)
    expect(officer.get_by_test_id("self-points-1.2.1")).to_have_text("1,50 điểm")
    upload(card, pdf(tmp_path, "quyet-dinh-ghi-nhan-sang-kien.pdf"))
    shoot(officer, "levels-office-form", at=card)
    head = new_page()
    login(head, live_server, hoan_kiem["head"].username)
    head.goto(form_url)
    head.get_by_role("link", name="Xem tổng hợp và nộp").click()
    expect(head.get_by_test_id("submission-problems")).to_have_count(0)
    head.get_by_role("button", name="Nộp bản tự đánh giá").click()
    expect(head.get_by_test_id("assessment-state")).to_have_text("Đã nộp")

    # 4. The secretariat assigns its reviewer and opens the appraisal; the reviewer lowers 1.2.1.
    thuky.goto(f"{live_server.url}/assessments/{KEY}/assign/")
    expect(thuky.get_by_label("Thành viên Tổ công tác").locator("option")).to_have_count(2)
    thuky.get_by_label("Thành viên Tổ công tác").select_option(label=staff["reviewer"].username)
    thuky.get_by_label(re.compile(r"^Đơn vị")).select_option(label=office.name)
    thuky.get_by_role("button", name="Phân công").click()
    expect(thuky.get_by_role("status").first).to_contain_text("Đã phân công 1 đơn vị.")
    move(thuky, live_server, "Thẩm định")
    review = new_page()
    login(review, live_server, staff["reviewer"].username)
    review.goto(f"{form_url}appraise/")
    row = review.locator(f"#item-{leaf.pk}")
    expect(review.get_by_test_id("self-1.2.1")).to_have_text("1,50")
    row.get_by_label("Điểm thẩm định").fill("1")
    row.get_by_label("Ý kiến", exact=True).fill("Sáng kiến mới được ghi nhận, chưa nhân rộng")
    row.get_by_role("button", name="Lưu điểm thẩm định").click()
    expect(review.get_by_test_id("appraised-1.2.1")).to_have_text("1,00")
    shoot(review, "levels-appraisal", at=row)

    # 5. The explanation round, then the commune's council approves.
    move(thuky, live_server, "Giải trình")
    council = new_page()
    login(council, live_server, staff["council"].username)
    council.goto(f"{live_server.url}/assessments/{KEY}/board/")
    shoot(council, "levels-board")
    council.get_by_role("link", name="Xem trước và phê duyệt kết quả").click()
    council.get_by_role("button", name="Xác nhận chuyển sang “Đã phê duyệt”").click()
    expect(council.get_by_test_id("transition-job")).to_have_attribute("data-state", "done")

    # 6. The secretariat publishes its index.
    thuky.goto(f"{live_server.url}/results/{KEY}/")
    ranking = thuky.get_by_test_id("ranking")
    expect(ranking.locator("tbody tr")).to_have_count(3)
    thuky.get_by_role("button", name="Công bố kết quả").click()
    expect(thuky.get_by_test_id("cycle-state")).to_have_text("Đã công bố")
    shoot(thuky, "levels-results")

    # 7. Anyone reads it on the public site and in the list of indices, organised by the commune.
    visitor = new_page()
    visitor.goto(f"{live_server.url}/cong-khai/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor).to_have_url(f"{live_server.url}/cong-khai/{KEY}/")
    expect(visitor.locator("main")).to_contain_text("Văn phòng HĐND và UBND phường Hoàn Kiếm")
    shoot(visitor, "levels-public")
    indices = visitor.request.get(f"{live_server.url}/api/v1/indices").json()
    ours = [i for i in indices if i["url"].endswith(f"/cong-khai/{KEY}/")]
    assert len(ours) == 1
    assert ours[0]["organiser"]["code"] == "00070"
    assert (ours[0]["year"], ours[0]["family"], ours[0]["units"]) == (2025, "internal", 3)

    # 8. The city's index ran beside it untouched.
    assert city_state(hoan_kiem["city"]) == city_before
    assert city_before[0] == CycleState.SELF_ASSESSMENT

    # 9. Another commune's secretariat reaches none of it: pages, files, exports, API.
    stranger = new_page()
    login(stranger, live_server, hoan_kiem["stranger"].username)
    evidence = leaf.evidence.first()
    closed = [
        f"/cycles/{KEY}/",
        f"/cycles/{KEY}/units/",
        f"/frameworks/import/{KEY}/",
        f"/frameworks/{assessment.framework_id}/",
        f"/assessments/{KEY}/board/",
        f"/assessments/{KEY}/assign/",
        f"/assessments/{KEY}/{office.code}/",
        f"/assessments/{KEY}/{office.code}/appraise/",
        f"/assessments/{KEY}/{office.code}/history.xlsx",
        f"/assessments/evidence/{evidence.pk}/",
        f"/results/{KEY}/",
        f"/results/{KEY}/units/{office.code}/",
        f"/results/{KEY}/awards.xlsx",
    ]
    for url in closed:
        assert stranger.request.get(f"{live_server.url}{url}").status in (403, 404), url
    _token, key = create_token(hoan_kiem["stranger"], "Hệ thống văn bản")
    answer = stranger.request.get(
        f"{live_server.url}/api/v1/assessments/{KEY}/{office.code}",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert answer.status == 404
    stranger.goto(f"{live_server.url}/cycles/")
    expect(stranger.locator("main")).not_to_contain_text(TITLE)
