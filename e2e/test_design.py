"""The staff side's frame in a browser: the menu on one line at 1366 px, folded on a phone and opened
by keyboard, no console error (content security policy, missing icon); the public ranking fits 1366 px
even where a ward names all its predecessors."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import login
from results.models import Publication
from results.services import publish
from results.tests.published import SHARES, extra_units, finalise, make_cycle
from units.models import Unit, UnitKind

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


FORMER = [
    "Huyện Đông Anh",
    "Huyện Mê Linh",
    "Huyện Đan Phượng",
    "Huyện Hoài Đức",
    "Quận Bắc Từ Liêm",
]


@pytest.fixture
def long_lineage_ranking(secretariat, unit_a, unit_b):
    """2025 published; the first ward compared with five former districts, as a merged ward is."""
    cycle = finalise(
        secretariat, make_cycle(secretariat, 2025, [unit_a, unit_b, *extra_units()]), SHARES
    )
    publish(secretariat, cycle)
    codes = [f"D{n:02d}" for n in range(len(FORMER))]
    for code, name in zip(codes, FORMER, strict=True):
        Unit.objects.create(code=code, name=name, kind=UnitKind.DISTRICT)
    publication = Publication.objects.get(cycle=cycle, version=1)
    snapshot = publication.snapshot
    for unit in snapshot["units"]:
        if unit["code"] == unit_a.code:
            unit.update(comparison="lineage", compared_with=codes, previous_index=80.0, change=10.0)
    Publication.objects.filter(pk=publication.pk).update(snapshot=snapshot)
    return "/cong-khai/2025/khoi/khoi-xa-phuong/"


def watch(page):
    """Console errors and failed requests of `page`, as they happen."""
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return problems


def test_menu_is_one_line_at_1366_px_with_no_console_error(new_page, live_server, secretariat):
    page = new_page(viewport=DESKTOP)
    problems = watch(page)
    login(page, live_server, secretariat.username)
    page.goto(f"{live_server.url}/ui/")
    groups = page.locator(".nav-group")
    expect(groups).to_have_count(5)
    tops = {round(box["y"]) for box in (g.bounding_box() for g in groups.all())}
    assert len(tops) == 1, f"the menu wraps: rows at {sorted(tops)}"
    header = page.locator(".org-header")
    expect(header).to_contain_text("UBND THÀNH PHỐ HÀ NỘI")
    expect(header).to_contain_text("SỞ NỘI VỤ")
    # A group opens below its name, by keyboard too, and Escape closes it.
    page.locator("summary", has_text="Khảo sát").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Bảng hỏi")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Bảng hỏi")).to_be_hidden()
    assert problems == []


def test_phone_menu_is_folded_and_opens_by_keyboard(new_page, live_server, officer_a):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    problems = watch(page)
    login(page, live_server, officer_a.username)
    toggle = page.get_by_role("button", name="Danh mục")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#site-menu")).to_be_hidden()
    # The folded header and menu leave most of the first screen to the page.
    nav_bottom = page.locator(".site-nav").bounding_box()
    assert nav_bottom["y"] + nav_bottom["height"] < 0.3 * PHONE["height"]
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-menu")).to_be_visible()
    page.locator("summary", has_text="Kế hoạch & báo cáo").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Báo cáo định kỳ").click()
    expect(page).to_have_url(f"{live_server.url}/reports/")
    assert problems == []


def test_public_ranking_fits_1366_px(new_page, live_server, long_lineage_ranking):
    page = new_page(viewport=DESKTOP)
    problems = watch(page)
    page.goto(f"{live_server.url}{long_lineage_ranking}")
    table = page.get_by_test_id("ranking")
    expect(table).to_contain_text("so với các đơn vị tiền thân: Huyện")
    box = page.locator(".table-responsive").first
    scroll, client = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll <= client + 1, f"the ranking is {scroll}px wide in a {client}px box"
    change = table.locator("thead th").nth(4).bounding_box()["width"]
    assert change <= 400, f"the change column takes {change}px"
    assert problems == []
