"""An official of the roster answers the officials' survey with a personal code and cannot choose
another group; the wave's public link is refused (issue 18, item 3).

The built-in officials' questionnaire (surveys/data/officials.tsv), a wave open now, a roster of two
people imported as a CSV and their personal codes are set up through the services. A stranger on a phone
opens the public link of a unit and is told, in Vietnamese, that the wave is for the roster only. The
official of the Department of Justice types the code as read from the letter (lower case, without the
dash), sees who they are, the group they answer for and the one unit they rate, opens it, finds the
group question answered for them (no option to choose), answers (here with the page's script off, the
whole form on one page) and even rewrites the hidden group in the page before sending; the response is
stored with the roster's group, and the person's page then says every unit is rated."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from surveys import services
from surveys.models import Response

pytestmark = pytest.mark.e2e

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}
ROSTER = (
    "Họ và tên,Chức vụ,Nhóm,Cơ quan,Mã đơn vị,Email\n"
    "Nguyễn Văn An,Đại biểu,council_deputy,HĐND Thành phố,,an@example.vn\n"
    "Lê Văn Cường,Chuyên viên,unit_staff,Sở Tư pháp,S02,cuong@example.vn\n"
)


@pytest.fixture
def roster_wave(secretariat, draft_cycle, unit_a, unit_b):
    source = settings.BASE_DIR / "surveys" / "data" / "officials.tsv"
    version = services.import_questionnaire(
        secretariat, "officials", "Điều tra xã hội học", source.read_bytes(), source.name
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat,
        draft_cycle,
        version,
        "Điều tra xã hội học Chỉ số CCHC 2025",
        now - timedelta(hours=1),
        now + timedelta(days=30),
    )
    services.set_targets(secretariat, wave, {unit_a: 50, unit_b: 50})
    services.import_roster(secretariat, wave, ROSTER.encode(), "danh-sach.csv")
    codes = {o.name: code for o, code in services.issue_codes(secretariat, wave)}
    return wave, codes


def test_an_official_answers_with_a_personal_code_and_the_public_link_is_refused(
    new_page, live_server, roster_wave, unit_b
):
    wave, codes = roster_wave
    stranger = new_page(**PHONE)
    stranger.goto(f"{live_server.url}/khao-sat/{wave.pk}/{unit_b.code}/")
    expect(stranger.get_by_test_id("roster-only")).to_contain_text(
        "chỉ dành cho những người có tên trong danh sách"
    )
    expect(stranger.locator("form[data-keep]")).to_have_count(0)

    official = new_page(**PHONE, java_script_enabled=False)
    official.goto(f"{live_server.url}/khao-sat/ma/")
    official.fill("#code", codes["Lê Văn Cường"].replace("-", "").lower())
    official.get_by_role("button", name="Tiếp tục").click()
    expect(official.get_by_test_id("roster-group")).to_have_text(
        "Cán bộ, công chức, viên chức, người lao động của đơn vị được đánh giá"
    )
    units = official.get_by_test_id("roster-units")
    expect(units.get_by_role("link")).to_have_count(1)
    units.get_by_role("link", name=unit_b.display_name).click()
    expect(official).to_have_url(re.compile(rf"/khao-sat/{wave.pk}/{unit_b.code}/\?kenh=code&ma="))

    # The group is the roster's: shown, with nothing to choose.
    group = official.locator("#q-respondent_group")
    expect(group.get_by_test_id("fixed-group")).to_contain_text("người lao động của đơn vị")
    expect(group.locator("input[type=radio]:visible")).to_have_count(0)
    expect(official.get_by_text("Đại biểu Hội đồng nhân dân Thành phố")).to_have_count(0)

    # Every satisfaction question answered "Hài lòng" (4); then the hidden group rewritten by hand.
    official.locator("fieldset:not(#q-respondent_group) input[type=radio][value='4']").evaluate_all(
        "inputs => inputs.forEach(input => { input.checked = true; })"
    )
    official.locator("input[name=respondent_group]").evaluate(
        "input => { input.value = 'council_deputy'; }"
    )
    official.get_by_role("button", name="Gửi phiếu").click()
    expect(official.get_by_test_id("roster-done")).to_be_visible()

    response = Response.objects.get()
    assert response.unit_id == unit_b.pk
    assert response.channel == "code"
    assert response.answers["respondent_group"] == "unit_staff"
    # The deputy's code rates two units; the public link stored nothing.
    assert Response.objects.count() == 1


def test_the_secretariat_issues_one_lost_code_again_by_e_mail(
    new_page, live_server, roster_wave, secretariat, tmp_path
):
    """The secretariat opens the wave's roster, sees who has a code, and sends a new code to the official
    who lost theirs: the letter goes to that person alone, whose old code stops working."""
    import os
    from pathlib import Path

    from django.core import mail

    from e2e.conftest import login
    from surveys.roster_codes import find_official

    folder = Path(os.environ.get("PARINDEX_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    wave, codes = roster_wave
    page = new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    login(page, live_server, secretariat.username)
    page.goto(f"{live_server.url}/surveys/{wave.pk}/roster/")
    people = page.locator("[data-testid=roster] tbody tr")
    expect(people).to_have_count(2)
    page.screenshot(path=str(folder / "roster-1366.png"), full_page=True)
    mail.outbox.clear()
    row = people.filter(has_text="Lê Văn Cường")
    row.get_by_text("Cấp lại mã").click()  # opens the confirmation, nothing changed yet
    assert find_official(codes["Lê Văn Cường"]) is not None
    expect(row).to_contain_text("mã mới được gửi tới cuong@example.vn")
    with page.expect_download() as download:
        row.get_by_role("button", name="Xác nhận cấp lại").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.reload()
    expect(page.locator("[data-testid=messages]")).to_contain_text(
        "Đã cấp lại mã cho Lê Văn Cường (mã cũ hết hiệu lực)"
    )
    assert [m.to for m in mail.outbox] == [["cuong@example.vn"]]
    assert find_official(codes["Lê Văn Cường"]) is None
    assert find_official(codes["Nguyễn Văn An"]).name == "Nguyễn Văn An"
    phone = new_page(**PHONE)
    login(phone, live_server, secretariat.username)
    phone.goto(page.url)
    phone.screenshot(path=str(folder / "roster-390.png"), full_page=False)
