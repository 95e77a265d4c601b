"""Questionnaires without code: each version exported as .xlsx in the import layout (and re-imported to the
same questions), and the secretariat's page that lists versions and takes uploads."""

import io
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent
from surveys import services
from surveys.models import Questionnaire, QuestionnaireVersion
from surveys.questionnaire import HEADER
from surveys.questionnaire_excel import export_version

from .conftest import ROWS, tsv

DATA = Path(__file__).resolve().parent.parent / "data"
PAGE = "/surveys/questionnaires/"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def reimported(secretariat, version):
    return services.import_questionnaire(
        secretariat, "copy", "Bản sao", export_version(version), "copy.xlsx"
    )


@pytest.mark.parametrize("template", ["sipas.tsv", "officials.tsv"])
def test_export_of_a_built_in_template_imports_back_to_the_same_questions(secretariat, template):
    original = services.import_questionnaire(
        secretariat, "tpl", "Mẫu", (DATA / template).read_bytes(), template
    )
    copy = reimported(secretariat, original)
    copy.refresh_from_db()
    assert copy.questions == original.questions
    sheet = load_workbook(io.BytesIO(export_version(original))).worksheets[0]
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == HEADER
    assert len(rows) == len(original.questions) + 1
    sections = [row for row in rows[1:] if row[0] == "section"]
    first = next(q for q in original.questions if q["type"] == "section")
    assert sections[0][:3] == ["section", first["name"], first["label"]]


def test_choices_and_number_limits_are_written_as_the_importer_reads_them(secretariat):
    version = services.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")
    rows = list(load_workbook(io.BytesIO(export_version(version))).worksheets[0].values)
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["sex"][3] == "m=Nam|f=Nữ"
    assert by_name["visits"][3] == "min=1|max=20"
    assert by_name["harassed_detail"][5] == "${harassed} = 'some'"
    assert by_name["svc_1"][6] == "service/access"


def test_awkward_rows_survive_the_round_trip(secretariat):
    rows = [
        HEADER,
        ("section", "", "=Phần mở đầu (không phải công thức)", "", "", "", ""),
        ("single", "group", "Nhóm", "a=Nhóm A = cấp xã|b|c=C", "1", "", ""),
        ("number", "share", "Tỷ lệ", "min=0.5", "0", "", ""),
        ("number", "free", "Số bất kỳ", "", "0", "", ""),
        ("scale4", "follow", "Mức theo dõi", "1=Ít|2=Vừa|3=Nhiều|4=Rất nhiều", "0", "", ""),
        ("likert5", "svc", "+84 hài lòng?", "", "1", "${group} != 'b'", "service/access"),
        ("text", "note", "2024", "", "0", "", ""),
    ]
    original = services.import_questionnaire(secretariat, "odd", "Lạ", tsv(rows), "odd.tsv")
    assert original.questions[0]["name"] == "section_2"
    assert reimported(secretariat, original).questions == original.questions


# ------------------------------------------------------------------ the page


@pytest.fixture
def sipas(secretariat):
    return services.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")


def test_page_lists_versions_with_date_questions_and_waves(client, secretariat, wave):
    client.force_login(secretariat)
    page = client.get(PAGE).content.decode()
    assert "SIPAS" in page and "v1" in page
    # the page shows the date in Hà Nội, a day after UTC between 17:00 and 24:00
    assert timezone.localtime(wave.version.created_at).strftime("%d/%m/%Y") in page
    assert ">14<" in page  # 14 questions, the section row not counted
    assert "SIPAS 2025" in page  # the wave that uses it
    assert "/surveys/questionnaires/sipas/v1.xlsx" in page


def test_waves_page_links_to_questionnaires_for_the_secretariat_only(client, secretariat, council):
    client.force_login(secretariat)
    assert PAGE in client.get("/surveys/").content.decode()
    client.force_login(council)
    assert PAGE not in client.get("/surveys/").content.decode()


def cells(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_download_is_the_version_as_xlsx(client, secretariat, sipas):
    client.force_login(secretariat)
    response = client.get("/surveys/questionnaires/sipas/v1.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bang-hoi-sipas-v1.xlsx"' in response["Content-Disposition"]
    # The same cells (not the same bytes: a workbook carries the second it was written).
    assert cells(response.content) == cells(export_version(sipas))
    assert client.get("/surveys/questionnaires/sipas/v2.xlsx").status_code == 404


def test_upload_stores_a_new_version(client, secretariat, sipas):
    client.force_login(secretariat)
    response = client.post(
        PAGE, {"code": "sipas", "title": "", "file": upload(export_version(sipas), "sua.xlsx")}
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    latest = Questionnaire.objects.get(code="sipas").latest()
    assert latest.number == 2 and latest.questions == sipas.questions
    assert AuditEvent.objects.filter(action="questionnaire.version").count() == 2
    assert "SIPAS (v2)" in client.get(PAGE).content.decode()


def test_upload_of_a_new_questionnaire_needs_a_title(client, secretariat, db):
    client.force_login(secretariat)
    response = client.post(PAGE, {"code": "moi", "title": "", "file": upload(tsv(), "a.tsv")})
    assert response.status_code == 400
    assert "Bảng hỏi mới cần có tên." in response.content.decode()
    response = client.post(PAGE, {"code": "moi", "title": "Mới", "file": upload(tsv(), "a.tsv")})
    assert response.status_code == 302
    assert Questionnaire.objects.get(code="moi").title == "Mới"


def damaged_sheet():
    """A real .xlsx whose first sheet's XML is cut off: it opens, then fails while being read."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(ROWS)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for name in source.namelist():
            content = source.read(name)
            damaged.writestr(name, content[:80] if name == "xl/worksheets/sheet1.xml" else content)
    return buffer.getvalue()


def wrong_type_in_row_5():
    rows = [list(row) for row in ROWS]
    rows[4][0] = "likert7"
    return xlsx(rows)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            xlsx([("kind", *HEADER[1:]), *ROWS[1:]]),
            "sai.xlsx",
            "Dòng 1: dòng tiêu đề phải đúng là: type | name | label | choices | required | relevant"
            " | dimension.",
        ),
        (
            wrong_type_in_row_5(),
            "sai.xlsx",
            "Dòng 5, cột A (type): loại câu hỏi “likert7” không hợp lệ; dùng một trong: section,"
            " likert5, scale4, single, multiple, number, text.",
        ),
        (
            PNG,
            "anh.xlsx",
            "Tệp không phải là tệp Excel .xlsx hợp lệ (nội dung không đúng định dạng).",
        ),
        (PNG, "anh.png", "Tệp CSV phải được lưu với bảng mã UTF-8."),
        (b"PK\x03\x04 not a zip", "hong.xlsx", "Tệp không phải là tệp Excel .xlsx hợp lệ"),
        (
            damaged_sheet(),
            "hong.xlsx",
            "Tệp không phải là tệp Excel .xlsx hợp lệ (không mở được).",
        ),
    ],
    ids=["wrong-header", "wrong-type-row-5", "png-renamed-xlsx", "png", "broken-zip", "damaged"],
)
def test_a_bad_file_names_the_problem_and_stores_nothing(client, secretariat, data, name, message):
    client.force_login(secretariat)
    response = client.post(PAGE, {"code": "sipas", "title": "SIPAS", "file": upload(data, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Questionnaire.objects.exists() and not QuestionnaireVersion.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(client, secretariat, settings):
    settings.FRAMEWORK_UPLOAD_MAX_BYTES = 1000
    client.force_login(secretariat)
    big = tsv(ROWS + [("text", f"note_{i}", "Ghi chú", "", "0", "", "") for i in range(50)])
    assert len(big) > 1000
    response = client.post(PAGE, {"code": "sipas", "title": "SIPAS", "file": upload(big, "a.tsv")})
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert not QuestionnaireVersion.objects.exists()


def test_upload_without_the_csrf_token_is_refused(secretariat, db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    response = client.post(
        PAGE, {"code": "sipas", "title": "SIPAS", "file": upload(tsv(), "a.tsv")}
    )
    assert response.status_code == 403
    assert not QuestionnaireVersion.objects.exists()


# ------------------------------------------------------------------ who may


OTHERS = ["officer_a", "head_a", "officer_b", "reviewer", "council", "leader"]


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_can_neither_see_download_nor_upload(client, personas, sipas, role):
    client.force_login(personas[role])
    assert client.get(PAGE).status_code == 403
    assert client.get("/surveys/questionnaires/sipas/v1.xlsx").status_code == 403
    response = client.post(PAGE, {"code": "sipas", "title": "X", "file": upload(tsv(), "a.tsv")})
    assert response.status_code == 403
    assert QuestionnaireVersion.objects.count() == 1


def test_anonymous_is_sent_to_login(client, sipas):
    for response in (
        client.get(PAGE),
        client.get("/surveys/questionnaires/sipas/v1.xlsx"),
        client.post(PAGE, {"code": "sipas", "title": "X", "file": upload(tsv(), "a.tsv")}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert QuestionnaireVersion.objects.count() == 1
