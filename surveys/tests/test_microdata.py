"""Response microdata imported from a file (issue 18, item 5): all or nothing with row-and-column
messages, the channel "import", idempotent on re-import."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from core.tabular import ImportFailed
from surveys import services
from surveys.aggregates import unit_figures
from surveys.models import Channel, Response

from .test_wave_pages import xlsx

QUESTIONS = (
    ["sex", "harassed", "harassed_detail", "visits", "channels"]
    + [f"svc_{i}" for i in range(1, 9)]
    + ["pol_1"]
)
HEADER = ["mã đơn vị", "mã phiếu", "ngày", *QUESTIONS]


def row(unit="00070", form="", day="15/03/2025", level=4, **changes):
    answers = {
        "sex": "f",
        "harassed": "none",
        "harassed_detail": "",
        "visits": 2,
        "channels": "web|tv",
        "pol_1": level,
    }
    answers |= {f"svc_{i}": level for i in range(1, 9)}
    answers |= changes
    return [unit, form, day, *(answers[q] for q in QUESTIONS)]


def test_a_good_file_is_stored_with_the_import_channel(secretariat, wave, unit_a):
    data = xlsx([HEADER, row(form="F-001"), row(form="F-002", level=2), row(unit="70", level=5)])
    assert services.import_responses(secretariat, wave, data, "phieu.xlsx") == {
        "stored": 3,
        "already": 0,
    }
    stored = Response.objects.filter(wave=wave)
    assert {r.channel for r in stored} == {Channel.IMPORT}
    assert {r.unit for r in stored} == {unit_a}  # 70 is 00070, turned into a number by Excel
    one = next(r for r in stored if r.answers["pol_1"] == 2)
    assert one.answers["channels"] == ["web", "tv"] and one.answers["svc_1"] == 2
    assert one.submitted_at.date().isoformat() == "2025-03-15"
    assert unit_figures(wave, unit_a)["n"] == 3
    assert AuditEvent.objects.filter(action="wave.import_responses").count() == 1


def test_importing_the_same_file_again_stores_nothing_twice(secretariat, wave):
    # Two identical rows without a form number are two forms; the second import adds neither.
    data = xlsx([HEADER, row(), row(), row(form="F-9")])
    assert services.import_responses(secretariat, wave, data, "a.xlsx")["stored"] == 3
    again = services.import_responses(secretariat, wave, data, "a.xlsx")
    assert again == {"stored": 0, "already": 3}
    assert Response.objects.filter(wave=wave).count() == 3
    # A longer file later adds only its new rows.
    more = xlsx([HEADER, row(), row(), row(form="F-9"), row(form="F-10")])
    assert services.import_responses(secretariat, wave, more, "b.xlsx") == {
        "stored": 1,
        "already": 3,
    }


def test_a_uuid_form_number_is_kept_as_the_submission_id(secretariat, wave):
    given = uuid.uuid4()
    services.import_responses(secretariat, wave, xlsx([HEADER, row(form=str(given))]), "a.xlsx")
    assert Response.objects.get().submission_id == given


def test_every_problem_is_named_by_row_and_column_and_nothing_is_stored(secretariat, wave):
    data = xlsx(
        [
            HEADER,
            row(form="F-1"),
            row(unit="99999", form="F-2"),  # unknown unit
            row(form="F-3", sex="x"),  # invalid option
            row(form="F-4", svc_3=""),  # missing required answer
            row(form="F-5", svc_4=7),  # out of the scale
            row(form="F-1"),  # the same form twice
            row(form="F-6", day="31/02/2025"),
            row(form="F-7", harassed="some"),  # its detail becomes required
        ]
    )
    with pytest.raises(ImportFailed) as failed:
        services.import_responses(secretariat, wave, data, "a.xlsx")
    messages = [str(p) for p in failed.value.problems]
    assert (
        "Dòng 3, cột A (mã đơn vị): đơn vị mã “99999” không tham gia đợt khảo sát này" in messages
    )
    assert "Dòng 4, cột D (sex): Câu “Giới tính”: lựa chọn không hợp lệ." in messages
    assert any(m.startswith("Dòng 5, cột K (svc_3): ") and "cần trả lời" in m for m in messages)
    assert any(m.startswith("Dòng 6, cột L (svc_4): ") for m in messages)
    assert "Dòng 7, cột B (mã phiếu): phiếu này đã có ở dòng 2" in messages
    assert any(m.startswith("Dòng 8, cột C (ngày): ") for m in messages)
    assert any(m.startswith("Dòng 9, cột F (harassed_detail): ") for m in messages)
    assert not Response.objects.exists()


def test_unknown_columns_and_missing_required_columns_are_refused(secretariat, wave):
    header = ["mã đơn vị", "sexx", *[q for q in QUESTIONS if q not in ("sex", "svc_2")], "pol_1"]
    with pytest.raises(ImportFailed) as failed:
        services.import_responses(secretariat, wave, xlsx([header]), "a.xlsx")
    messages = [str(p) for p in failed.value.problems]
    assert "Dòng 1, cột B (sexx): “sexx” không phải là câu hỏi của bảng hỏi của đợt này" in messages
    assert any("“sex”" in m and "thiếu cột" in m for m in messages)
    assert any("“svc_2”" in m for m in messages)
    assert any(m.endswith("cột “pol_1” có hai lần") for m in messages)


def test_a_csv_file_is_read_too(secretariat, wave):
    lines = [",".join(HEADER), ",".join(str(v) for v in row(channels="web"))]
    data = "\n".join(lines).encode()
    assert services.import_responses(secretariat, wave, data, "a.csv")["stored"] == 1


def test_the_intake_never_takes_the_import_channel(wave, unit_a):
    from surveys.models import Channel as C

    assert C.IMPORT not in services.CHANNELS


def test_the_page_imports_for_the_secretariat_only(client, secretariat, wave, officer_a):
    client.force_login(secretariat)
    page = client.get(f"/surveys/{wave.pk}/import/responses/").content.decode()
    assert "svc_1" in page and "Nhập dữ liệu phiếu" in page
    bad = xlsx([HEADER, row(sex="x")])
    response = client.post(
        f"/surveys/{wave.pk}/import/responses/", {"file": SimpleUploadedFile("a.xlsx", bad)}
    )
    assert response.status_code == 400 and "lựa chọn không hợp lệ" in response.content.decode()
    good = xlsx([HEADER, row()])
    response = client.post(
        f"/surveys/{wave.pk}/import/responses/", {"file": SimpleUploadedFile("a.xlsx", good)}
    )
    assert response.status_code == 302 and Response.objects.count() == 1
    client.force_login(officer_a)
    response = client.post(
        f"/surveys/{wave.pk}/import/responses/", {"file": SimpleUploadedFile("a.xlsx", good)}
    )
    assert response.status_code == 403


def test_a_long_file_is_imported_and_reimported_in_batches(secretariat, wave):
    lines = [",".join(HEADER)] + [
        ",".join(str(v) for v in row(form=f"F-{i}", channels="web", level=1 + i % 5))
        for i in range(1100)
    ]
    data = "\n".join(lines).encode()
    assert services.import_responses(secretariat, wave, data, "a.csv")["stored"] == 1100
    assert services.import_responses(secretariat, wave, data, "a.csv") == {
        "stored": 0,
        "already": 1100,
    }
