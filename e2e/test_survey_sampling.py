"""The secretariat draws a dossier sample from the one-stop system's list, issues its invitation codes
as a mailing list, and sees the response rate of each stratum rise when a sampled citizen answers."""

import io
import uuid

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.conftest import login
from surveys import services
from surveys.tests.conftest import good_answers, tsv

pytestmark = pytest.mark.e2e


def dossier_list() -> bytes:
    lines = ["Mã hồ sơ,Mã đơn vị,Ngày tiếp nhận,Liên hệ"]
    lines += [f"H26-{i:04},00070,03/03/2025,09{i:08}" for i in range(12)]
    lines += [f"S02-{i:04},S02,04/03/2025,dan{i}@example.vn" for i in range(4)]
    return "\n".join(lines).encode()


@pytest.fixture
def wave(secretariat, draft_cycle):
    from datetime import timedelta

    from django.utils import timezone

    version = services.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")
    now = timezone.now()
    return services.create_wave(
        secretariat,
        draft_cycle,
        version,
        "SIPAS 2025",
        now - timedelta(hours=1),
        now + timedelta(days=9),
    )


def test_secretariat_draws_a_sample_and_mails_its_codes(
    page, live_server, wave, secretariat, unit_a
):
    login(page, live_server, secretariat.username)
    page.goto(f"{live_server.url}/surveys/{wave.pk}/")
    page.get_by_role("link", name="Chọn mẫu hồ sơ").click()
    page.set_input_files(
        "input[type=file]",
        {"name": "ho-so.csv", "mimeType": "text/csv", "buffer": dossier_list()},
    )
    page.get_by_label("Hạt giống ngẫu nhiên").fill("BB-2025-01")
    page.get_by_role("button", name="Chọn mẫu", exact=True).click()
    strata = page.get_by_test_id("strata")
    # 12 dossiers at e = 5 % → 12; 4 → 4 (small strata are taken whole).
    expect(strata.locator("tr", has_text="00070")).to_contain_text("12")
    expect(page.get_by_text("0900000003").first).to_be_attached()

    with page.expect_download() as download:
        page.get_by_role("button", name="Phát mã mời cho 16 hồ sơ và tải danh sách gửi thư").click()
    with open(download.value.path(), "rb") as saved:
        book = load_workbook(io.BytesIO(saved.read()))
    rows = list(book.active.values)[1:]
    assert len(rows) == 16 and all(row[5] for row in rows)

    code = next(row[5] for row in rows if row[1] == "00070")
    services.submit_response(
        wave=wave,
        unit=unit_a,
        answers=good_answers(),
        submission_id=uuid.uuid4(),
        channel="code",
        code=code,
    )
    page.reload()
    expect(strata.locator("tr", has_text="00070")).to_contain_text("8,3 %")  # 1 of 12
    page.get_by_role("button", name="Xóa thông tin liên hệ").click()
    expect(page.get_by_text("0900000003")).to_have_count(0)
