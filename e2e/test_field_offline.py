"""The enumerator in the field (issue 18, item 4): a tablet opens a unit's field page once with a network,
then the network goes. Two respondents are interviewed with no network: each form waits on the tablet,
and the page opens again from the tablet when it is reloaded (the wave's service worker keeps it). When
the network is back, the queue sends itself and each form is stored once, with the enumerator channel.

A screenshot of the page at 390 px with two forms waiting goes to PARINDEX_SCREENSHOTS when set."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.models import Role, User
from conftest import PASSWORD
from e2e.conftest import login
from surveys.models import Channel, Response
from surveys.permissions import ENUMERATOR_GROUP

pytestmark = pytest.mark.e2e

TABLET = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def fill_form(page, sex: str) -> None:
    """Answer every question shown: the respondent's sex as given, the first option elsewhere, "2" in
    number boxes and a word in text boxes (questions whose condition fails are hidden and skipped)."""
    rows = page.locator("[data-row]")
    for i in range(rows.count()):
        row = rows.nth(i)
        if not row.is_visible():
            continue
        name, kind = row.get_attribute("data-name"), row.get_attribute("data-type")
        if kind in ("single", "likert5", "scale4", "multiple"):
            options = row.locator("input")
            choice = options.nth(1) if name == "sex" and sex == "nu" else options.first
            choice.check()
        elif kind != "section":
            row.locator("input").fill("2" if kind == "number" else "không")


def test_forms_filled_with_no_network_are_kept_and_sent_once(
    new_page, live_server, sipas_wave, unit_a, tmp_path
):
    folder = Path(os.environ.get("PARINDEX_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    enumerator = User.objects.create_user(
        username="dieutra.1", password=PASSWORD, role=Role.UNIT_OFFICER
    )
    # The migration makes the group, but a live-server journey's database is flushed between tests.
    enumerator.groups.add(Group.objects.get_or_create(name=ENUMERATOR_GROUP)[0])
    page = new_page(**TABLET)
    login(page, live_server, "dieutra.1")
    page.goto(f"{live_server.url}/surveys/{sipas_wave.pk}/thuc-dia/{unit_a.code}/")
    status = page.locator("[data-field-status]")
    # Opened once with a network: the page is kept on the tablet.
    expect(status).to_have_attribute("data-offline-ready", "1")
    expect(status.locator("[data-kept]")).to_contain_text("mở lại được cả khi mất mạng")

    page.context.set_offline(True)
    expect(status.locator("[data-online]")).to_contain_text("mất mạng")
    fill_form(page, "nam")
    page.get_by_role("button", name="Lưu phiếu").click()
    expect(status.locator("[data-queued]")).to_have_text("1")

    # The tablet reloads the page with no network: it opens from the tablet, the form still waiting.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Điều tra viên")
    expect(page.locator("[data-field-status] [data-queued]")).to_have_text("1")
    fill_form(page, "nu")
    page.get_by_role("button", name="Lưu phiếu").click()
    expect(page.locator("[data-field-status] [data-queued]")).to_have_text("2")
    # Back at the top with the status in focus, for the next respondent.
    expect(page.locator("[data-field-status]")).to_be_focused()
    assert page.evaluate("window.scrollY") == 0
    page.screenshot(path=str(folder / "field-offline-390.png"), full_page=False)
    assert not Response.objects.exists()  # nothing reached the server yet

    page.context.set_offline(False)
    expect(page.locator("[data-field-status] [data-queued]")).to_have_text("0")
    stored = Response.objects.filter(unit=unit_a, channel=Channel.ENUMERATOR)
    assert stored.count() == 2
    sexes = sorted(r.answers["sex"] for r in stored)
    assert sexes[0] != sexes[1]  # the two respondents, each once
    assert page.locator("[data-refused] li").count() == 0

    # The session ends in the field: the next form waits on the tablet and the page says why; once the
    # enumerator has logged in again, "Gửi ngay" sends it (with the new session's security token).
    page.context.clear_cookies(name="sessionid")
    fill_form(page, "nam")
    page.get_by_role("button", name="Lưu phiếu").click()
    status = page.locator("[data-field-status]")
    expect(status.locator("[data-signed-out]")).to_contain_text("Phiên đăng nhập đã hết")
    expect(status.locator("[data-queued]")).to_have_text("1")
    other = page.context.new_page()
    login(other, live_server, "dieutra.1")
    other.close()
    status.get_by_role("button", name="Gửi ngay").click()
    expect(status.locator("[data-queued]")).to_have_text("0")
    expect(status.locator("[data-signed-out]")).to_have_text("")
    assert Response.objects.filter(unit=unit_a, channel=Channel.ENUMERATOR).count() == 3

    # Logging out drops the kept pages: the next person on the tablet finds none of them offline.
    kept = "() => caches.keys().then(n => n.filter(k => k.startsWith('parindex-field-')))"
    assert page.evaluate(kept) != []
    page.reload()  # the page from before the new login holds the old security token
    page.get_by_role("button", name="Danh mục").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()
    page.wait_for_function(
        "() => caches.keys().then(n => !n.some(k => k.startsWith('parindex-field-')))"
    )
