"""The secretariat opens a wave and sets its per-unit targets on pages, proposed from dossier counts."""

import io
import uuid
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.models import AuditEvent
from core.tests.charts import description, svgs_in
from surveys import services
from surveys.models import Wave, WaveTarget

from .conftest import good_answers

ROLES = ["secretariat", "officer_a", "head_a", "officer_b", "reviewer", "council", "leader"]


def wave_data(cycle, version, **changes):
    return {
        "cycle": cycle.pk,
        "version": version.pk,
        "title": "SIPAS 2025 đợt 1",
        "opens_at": "01/03/2025 08:00",
        "closes_at": "30/04/2025 17:30",
    } | changes


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def propose(client, wave, *, rows=None, pasted="", margin="5"):
    data = {"action": "propose", "pasted": pasted, "margin": margin}
    if rows is not None:
        data["file"] = SimpleUploadedFile("ho-so.xlsx", xlsx(rows))
    return client.post(f"/surveys/{wave.pk}/targets/", data)


# ------------------------------------------------------------------ opening a wave


def test_secretariat_opens_a_wave_in_vietnam_time(client, secretariat, draft_cycle, version):
    client.force_login(secretariat)
    assert "/surveys/new/" in client.get("/surveys/").content.decode()
    page = client.get("/surveys/new/").content.decode()
    assert "SIPAS — phiên bản 1 (mới nhất)" in page and "dd/mm/yyyy HH:MM" in page
    response = client.post("/surveys/new/", wave_data(draft_cycle, version))
    wave = Wave.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/surveys/{wave.pk}/targets/"
    assert (wave.cycle, wave.version, wave.title) == (draft_cycle, version, "SIPAS 2025 đợt 1")
    # 08:00 in Hà Nội (UTC+7) is 01:00 UTC.
    assert wave.opens_at == datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
    assert wave.closes_at == datetime(2025, 4, 30, 10, 30, tzinfo=UTC)
    assert AuditEvent.objects.filter(action="wave.create", object_id=str(wave.pk)).exists()


def test_the_latest_version_is_offered_first_and_an_older_one_may_be_chosen(
    client, secretariat, draft_cycle, version
):
    from surveys import services

    from .conftest import tsv

    newer = services.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")
    client.force_login(secretariat)
    page = client.get("/surveys/new/").content.decode()
    assert f'<option value="{newer.pk}" selected>SIPAS — phiên bản 2 (mới nhất)' in page
    assert "SIPAS — phiên bản 1<" in page
    client.post("/surveys/new/", wave_data(draft_cycle, version))
    assert Wave.objects.get().version == version


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"closes_at": "01/03/2025 08:00"},
            "closes_at",
            "Thời điểm đóng phải sau thời điểm mở.",
        ),
        (
            {"closes_at": "28/02/2025 23:59"},
            "closes_at",
            "Thời điểm đóng phải sau thời điểm mở.",
        ),
        (
            {"opens_at": "31/02/2025 08:00"},
            "opens_at",
            "Nhập ngày giờ theo dạng dd/mm/yyyy HH:MM, ví dụ 01/03/2025 08:00.",
        ),
        ({"opens_at": "ngày mai"}, "opens_at", "Nhập ngày giờ theo dạng dd/mm/yyyy HH:MM"),
        ({"closes_at": ""}, "closes_at", "bắt buộc"),
        ({"title": ""}, "title", "bắt buộc"),
    ],
)
def test_a_wrong_date_is_refused_with_a_clear_message_and_nothing_stored(
    client, secretariat, draft_cycle, version, changes, field, message
):
    client.force_login(secretariat)
    response = client.post("/surveys/new/", wave_data(draft_cycle, version, **changes))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message in response.content.decode()
    assert not Wave.objects.exists()
    # What was typed stays in the form.
    if changes.get("opens_at"):
        assert f'value="{changes["opens_at"]}"' in response.content.decode()


# ------------------------------------------------------------------ targets


def test_targets_page_lists_the_cycles_units_with_their_targets(client, secretariat, wave):
    client.force_login(secretariat)
    assert f"/surveys/{wave.pk}/targets/" in client.get(f"/surveys/{wave.pk}/").content.decode()
    page = client.get(f"/surveys/{wave.pk}/targets/")
    html = page.content.decode()
    assert page.status_code == 200 and "Hoàn Kiếm" in html and "Sở Tư pháp" in html
    rows = {r["unit"].code: r for r in page.context["form"].rows()}
    assert rows["00070"]["target"].sample == 385 and rows["S02"]["target"].sample == 172
    assert rows["00070"]["sample"].value() == 385 and rows["00070"]["dossiers"].value() == 10000


def test_proposal_from_a_dossier_file_is_shown_for_review_then_saved(
    client, secretariat, version, draft_cycle, unit_a, unit_b
):
    from surveys import services

    wave = services.create_wave(
        secretariat,
        draft_cycle,
        version,
        "SIPAS",
        datetime(2025, 3, 1, tzinfo=UTC),
        datetime(2025, 5, 1, tzinfo=UTC),
    )
    client.force_login(secretariat)
    response = propose(
        client, wave, rows=[("mã đơn vị", "số hồ sơ"), ("00070", 10000), ("S02", 100)]
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["proposed"] == {unit_a.pk: 385, unit_b.pk: 80}
    assert 'data-testid="proposed-00070">385<' in html and 'data-testid="proposed-S02">80<' in html
    form = response.context["form"]
    assert form[f"sample_{unit_a.pk}"].value() == 385
    assert form[f"dossiers_{unit_a.pk}"].value() == 10000
    assert not WaveTarget.objects.exists()  # proposed, not stored
    # The secretariat reviews, lowers one figure, and saves.
    saved = client.post(
        f"/surveys/{wave.pk}/targets/",
        {
            "action": "save",
            "margin": "5",
            f"dossiers_{unit_a.pk}": "10000",
            f"sample_{unit_a.pk}": "385",
            f"dossiers_{unit_b.pk}": "100",
            f"sample_{unit_b.pk}": "60",
        },
    )
    assert saved.status_code == 302 and saved["Location"] == f"/surveys/{wave.pk}/targets/"
    targets = {t.unit.code: (t.dossiers, t.sample) for t in wave.targets.select_related("unit")}
    assert targets == {"00070": (10000, 385), "S02": (100, 60)}
    assert AuditEvent.objects.filter(action="wave.targets", object_id=str(wave.pk)).exists()


def test_a_pasted_table_and_another_margin(client, secretariat, wave, unit_a, unit_b):
    client.force_login(secretariat)
    response = propose(
        client, wave, pasted="mã đơn vị\tsố hồ sơ\n70\t1.000\nS02\t10 000\n", margin="10"
    )
    # The spreadsheet's 70 is unit 00070; 1.000 and 10 000 are thousands.
    assert response.context["proposed"] == {unit_a.pk: 91, unit_b.pk: 100}


def test_a_row_with_only_a_dossier_count_takes_the_formula(
    client, secretariat, wave, unit_a, unit_b
):
    client.force_login(secretariat)
    client.post(
        f"/surveys/{wave.pk}/targets/",
        {"action": "save", "margin": "5", f"dossiers_{unit_a.pk}": "2000"},
    )
    assert WaveTarget.objects.get(wave=wave, unit=unit_a).sample == 334
    assert WaveTarget.objects.get(wave=wave, unit=unit_b).sample == 172  # left blank: unchanged


def test_a_negative_target_is_refused_and_nothing_stored(client, secretariat, wave, unit_a, unit_b):
    client.force_login(secretariat)
    response = client.post(
        f"/surveys/{wave.pk}/targets/",
        {
            "action": "save",
            "margin": "5",
            f"sample_{unit_a.pk}": "50",
            f"sample_{unit_b.pk}": "-3",
        },
    )
    assert response.status_code == 200 and "Chưa lưu" in response.content.decode()
    assert {t.sample for t in wave.targets.all()} == {385, 172}


def test_a_bad_dossier_file_names_row_and_column_and_stores_nothing(
    client, secretariat, wave, unit_a, unit_b
):
    from units.models import Unit, UnitKind

    Unit.objects.create(code="S99", name="Sở Xây dựng", kind=UnitKind.DEPARTMENT)
    client.force_login(secretariat)
    before = {t.unit_id: t.sample for t in wave.targets.all()}
    response = propose(
        client,
        wave,
        rows=[
            ("mã đơn vị", "số hồ sơ"),
            ("00070", 500),
            ("X01", 100),
            ("S02", "nhiều"),
            ("S99", 10),
            ("00070", -4),
            ("S02", 12.5),
        ],
    )
    assert response.status_code == 200
    problems = [str(p) for p in response.context["problems"]]
    assert problems == [
        "Dòng 3, cột A (mã đơn vị): không có đơn vị nào mang mã “X01”",
        "Dòng 4, cột B (số hồ sơ): “nhiều” không phải là một số",
        "Dòng 5, cột A (mã đơn vị): đơn vị mã “S99” không tham gia kỳ đánh giá của đợt khảo sát này",
        "Dòng 6, cột A (mã đơn vị): đơn vị mã “00070” đã có ở dòng 2",
        "Dòng 6, cột B (số hồ sơ): số hồ sơ không được âm (-4)",
        "Dòng 7, cột A (mã đơn vị): đơn vị mã “S02” đã có ở dòng 4",
        "Dòng 7, cột B (số hồ sơ): số hồ sơ phải là số nguyên, không phải 12.5",
    ]
    html = response.content.decode()
    assert "không có gì được lưu" in html and "Dòng 4, cột B (số hồ sơ)" in html
    assert response.context["proposed"] == {}
    assert {t.unit_id: t.sample for t in wave.targets.all()} == before


def test_a_dossier_file_without_the_count_column_is_refused(client, secretariat, wave):
    client.force_login(secretariat)
    response = propose(client, wave, pasted="mã đơn vị,số phiếu\n00070,5\n")
    assert [str(p) for p in response.context["problems"]] == ["Dòng 1: thiếu cột “số hồ sơ”"]


def test_proposing_needs_a_file_or_a_pasted_table(client, secretariat, wave):
    client.force_login(secretariat)
    response = propose(client, wave)
    assert "Chọn một tệp hoặc dán bảng số hồ sơ." in response.content.decode()


# ------------------------------------------------------------------ who may


@pytest.mark.parametrize("path", ["/surveys/new/", "targets"])
def test_anonymous_visitor_is_sent_to_login(client, wave, path):
    url = f"/surveys/{wave.pk}/targets/" if path == "targets" else path
    for response in (client.get(url), client.post(url, {"action": "save", "margin": "5"})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_the_secretariat_opens_waves_and_sets_targets(
    client, personas, wave, draft_cycle, version, unit_a, role
):
    client.force_login(personas[role])
    assert client.get("/surveys/new/").status_code == 403
    assert client.post("/surveys/new/", wave_data(draft_cycle, version)).status_code == 403
    targets = f"/surveys/{wave.pk}/targets/"
    assert client.get(targets).status_code == 403
    save = {"action": "save", "margin": "5", f"sample_{unit_a.pk}": "1"}
    assert client.post(targets, save).status_code == 403
    assert propose(client, wave, pasted="mã đơn vị,số hồ sơ\n00070,5\n").status_code == 403
    assert Wave.objects.count() == 1
    assert WaveTarget.objects.get(wave=wave, unit=unit_a).sample == 385
    if role in ("council", "leader"):  # they read the figures, without the links to change them
        assert "/surveys/new/" not in client.get("/surveys/").content.decode()
        assert targets not in client.get(f"/surveys/{wave.pk}/").content.decode()


def test_only_the_secretariat_is_offered_the_links_to_manage_surveys(client, secretariat, leader):
    client.force_login(secretariat)
    page = client.get("/surveys/").content.decode()
    assert "Mở đợt khảo sát" in page and "/surveys/questionnaires/" in page
    client.force_login(leader)
    page = client.get("/surveys/").content.decode()
    assert "Mở đợt khảo sát" not in page and "/surveys/questionnaires/" not in page


def test_monitoring_charts_responses_against_targets(client, secretariat, wave, unit_a, unit_b):
    for _ in range(3):
        services.submit_response(
            wave=wave,
            unit=unit_a,
            submission_id=uuid.uuid4(),
            answers=good_answers(),
            channel="link",
        )
    client.force_login(secretariat)
    (chart,) = svgs_in(client.get(f"/surveys/{wave.pk}/").content.decode())
    text = description(chart)
    sample = dict(WaveTarget.objects.filter(wave=wave).values_list("unit_id", "sample"))
    assert sample[unit_a.pk] == 385  # the sample for 10.000 dossiers
    assert f"{unit_a.get_kind_display()}: phiếu hợp lệ 3 trên tổng 385 phiếu" in text
    assert (
        f"{unit_b.get_kind_display()}: phiếu hợp lệ 0 trên tổng {sample[unit_b.pk]} phiếu" in text
    )
    # The live refresh swaps the table only: no chart drawn for it.
    assert not svgs_in(client.get(f"/surveys/{wave.pk}/", HTTP_HX_REQUEST="true").content.decode())
