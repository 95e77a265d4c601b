"""XLSForm in and out: a form built in KoboToolbox or ODK imported (checked by pyxform, anything without
an equivalent refused by sheet, row and column), and each version exported as an XLSForm that pyxform
converts and that imports back to the same questions."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from accounts.models import AuditEvent
from core.tabular import ImportFailed
from surveys import services, xlsform
from surveys.models import Questionnaire, QuestionnaireVersion
from surveys.xlsform_export import export_version

DATA = Path(__file__).resolve().parent.parent / "data"
PAGE = "/surveys/questionnaires/"

SURVEY = [
    ["type", "name", "label::Tiếng Việt (vi)", "hint", "required", "relevant", "constraint"]
    + ["dimension", "$kuid", "appearance"],
    ["start", "start", "", "", "", "", "", "", "k1"],
    ["end", "end", "", "", "", "", "", "", "k2"],
    ["begin group", "profile", "Thông tin chung", "", "", "", "", "", "k3"],
    ["select_one yn", "visited", "Ông/Bà đã đến bộ phận một cửa?", "", "yes", "", "", "", "k4"],
    ["integer", "visits", "Số lần", "", "", "${visited} = 'y'", ". >= 1 and . <= 20", "", "k5"],
    ["select_multiple ch", "channels", "Kênh", "", "", "", "", "", "k6"],
    ["text", "which", "Kênh nào khác?", "", "", "selected(${channels}, 'other')", "", "", "k7"],
    ["end group", "", "", "", "", "", "", "", "k8"],
    ["note", "intro", "Mức độ hài lòng", "", "", "", "", "", "k9"],
    ["select_one sat", "svc_1", "Hài lòng về thủ tục?", "", "true", "", "", "service/procedures"]
    + ["k10"],
    ["select_one four", "follow", "Mức theo dõi", "", "", "", "", "", "k11", "likert"],
    ["select_one four", "plain", "Bốn lựa chọn", "", "", "", "", "", "k12"],
]
CHOICES = [
    ["list_name", "name", "label::Tiếng Việt (vi)"],
    ["yn", "y", "Có"],
    ["yn", "n", "Không"],
    ["ch", "web", "Trang web"],
    ["ch", "other", "Khác"],
    *[["sat", str(i), f"Mức {i}"] for i in range(1, 6)],
    *[["four", str(i), f"Mức {i}"] for i in range(1, 5)],
]
SETTINGS = [["form_title", "form_id"], ["Khảo sát một cửa", "mot_cua"]]


def workbook(survey=SURVEY, choices=CHOICES, settings=SETTINGS, first=None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    if first:
        book.create_sheet(first)
    for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is not None:
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_row(row):
    width = len(SURVEY[0])
    return [list(r) + [""] * (width - len(r)) for r in [*SURVEY, row]]


def problems(data: bytes) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        xlsform.parse(data)
    return [str(problem) for problem in failed.value.problems]


@pytest.mark.parametrize("template", ["sipas.tsv", "officials.tsv"])
def test_a_built_in_template_goes_out_as_an_xlsform_and_comes_back_the_same(secretariat, template):
    original = services.import_questionnaire(
        secretariat, "tpl", "Mẫu", (DATA / template).read_bytes(), template
    )
    data = export_version(original)
    result = convert(data, warnings=[], file_type=".xlsx")  # pyxform's own check, as Kobo runs it
    assert "<h:title>Mẫu</h:title>" in result.xform
    sheets = load_workbook(io.BytesIO(data)).sheetnames
    assert sheets == ["survey", "choices", "settings"]
    copy = services.import_questionnaire(secretariat, "copy", "", data, "copy.xlsx")
    copy.refresh_from_db()
    assert copy.questions == original.questions
    assert copy.questionnaire.title == "Mẫu"  # the settings sheet's form_title
    audited = AuditEvent.objects.filter(action="questionnaire.version").order_by("pk")
    assert [event.after["format"] for event in audited] == ["layout", "xlsform"]


def test_awkward_rows_survive_the_round_trip(secretariat):
    from .conftest import tsv

    rows = [
        ("type", "name", "label", "choices", "required", "relevant", "dimension"),
        ("section", "", "=Phần mở đầu (không phải công thức)", "", "", "", ""),
        ("single", "group", "Nhóm", "a=Nhóm A = cấp xã|b|c=C", "1", "", ""),
        ("number", "share", "Tỷ lệ", "min=0.5", "0", "", ""),
        ("number", "debt", "Số nợ", "min=-10|max=2.25", "0", "", ""),
        ("number", "free", "Số bất kỳ", "", "0", "", ""),
        ("multiple", "ch", "Kênh", "web=Web|tv=TV", "0", "", ""),
        ("text", "why", "Vì sao không xem TV?", "", "0", "${ch} != 'tv'", ""),
        ("single", "four", "Bốn mức (không phải thang)", "1=A|2=B|3=C|4=D", "0", "", ""),
        ("likert5", "svc", "+84 hài lòng?", "", "1", "${group} != 'b'", "service/access"),
        ("text", "note", "2024", "", "0", "", ""),
    ]
    original = services.import_questionnaire(secretariat, "odd", "Lạ", tsv(rows), "odd.tsv")
    data = export_version(original)
    convert(data, warnings=[], file_type=".xlsx")
    survey = list(load_workbook(io.BytesIO(data))["survey"].values)
    assert survey[7][4] == "not(selected(${ch}, 'tv'))"
    copy = services.import_questionnaire(secretariat, "odd", "", data, "odd.xlsx")
    assert copy.questions == original.questions  # "four" stays a plain choice, not a scale


def test_a_kobo_style_form_becomes_our_questions():
    form = xlsform.parse(workbook())
    assert form.title == "Khảo sát một cửa" and form.form_id == "mot_cua"
    by_name = {question.name: question for question in form.questions}
    assert "start" not in by_name and "end" not in by_name  # filled in by the app, never asked
    assert by_name["profile"].type == "section" and by_name["profile"].label == "Thông tin chung"
    assert by_name["intro"].type == "section"
    assert by_name["visited"].type == "single" and by_name["visited"].required
    assert by_name["visited"].choices == [("y", "Có"), ("n", "Không")]
    visits = by_name["visits"]
    assert (visits.type, visits.minimum, visits.maximum) == ("number", 1.0, 20.0)
    assert visits.relevant == "${visited} = 'y'"
    assert by_name["channels"].type == "multiple"
    assert by_name["which"].relevant == "${channels} = 'other'"
    assert (by_name["svc_1"].type, by_name["svc_1"].dimension) == ("likert5", "service/procedures")
    assert by_name["follow"].type == "scale4"  # values 1–4 shown as a scale
    assert by_name["plain"].type == "single"
    assert [q.name for q in form.questions] == [
        "profile",
        "visited",
        "visits",
        "channels",
        "which",
        "intro",
        "svc_1",
        "follow",
        "plain",
    ]


def test_a_five_point_list_without_a_dimension_stays_a_plain_choice():
    survey = with_row(["select_one sat", "rating", "Đánh giá chung"])
    rating = next(q for q in xlsform.parse(workbook(survey)).questions if q.name == "rating")
    assert rating.type == "single" and len(rating.choices) == 5


def test_our_layout_is_not_taken_for_an_xlsform():
    book = Workbook()
    book.active.title = "questions"
    book.active.append(["type", "name", "label"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert not xlsform.is_xlsform(buffer.getvalue())
    assert not xlsform.is_xlsform(b"type\tname\n")
    assert xlsform.is_xlsform(workbook())


@pytest.mark.parametrize(
    "data, message",
    [
        (
            workbook(survey=None, first="Sheet1"),
            "Biểu mẫu XLSForm thiếu trang survey",
        ),
        (
            workbook(choices=None),
            "Dòng 5, cột A (type), trang survey: không có trang choices cho danh sách lựa chọn “yn”",
        ),
        (
            workbook(with_row(["geopoint", "where", "Vị trí"])),
            "Dòng 14, cột A (type), trang survey: loại câu hỏi “geopoint” chưa được hỗ trợ",
        ),
        (
            workbook(with_row(["select_one nolist", "x", "X"])),
            "danh sách lựa chọn “nolist” không có ở trang choices",
        ),
        (
            workbook(with_row(["text", "x", "X", "", "", "${visited} = 'y' and ${visits} > 2"])),
            "Dòng 14, cột F (relevant), trang survey: điều kiện chỉ được viết dạng",
        ),
        (
            workbook(with_row(["text", "x", "X", "", "", "${nobody} = 'y'"])),
            "điều kiện nhắc đến câu hỏi “nobody” không có trong biểu mẫu",
        ),
        (
            workbook(with_row(["integer", "x", "X", "", "", "", ". > 0"])),
            "Dòng 14, cột G (constraint), trang survey: chỉ hỗ trợ giới hạn dạng",
        ),
        (
            workbook(with_row(["select_one sat", "svc_2", "Y", "", "yes", "", "", "service"])),
            "Dòng 14, cột H (dimension), trang survey:",
        ),
        (
            workbook(with_row(["text", "Bad-Name", "X"])),
            "Dòng 14, cột B (name), trang survey: tên “Bad-Name” phải viết thường",
        ),
        (
            workbook(with_row(["begin repeat", "kids", "Con"]) + [["end repeat"]]),
            "loại câu hỏi “begin_repeat” chưa được hỗ trợ",
        ),
        (
            workbook(choices=CHOICES + [["yn", "m", "Có | không"]]),
            "Dòng 15, cột C (label::Tiếng Việt (vi)), trang choices: không được chứa dấu |.",
        ),
        (
            workbook(choices=CHOICES + [["yn", "m=1", "Có"]]),
            "Dòng 15, cột B (name), trang choices: không được chứa dấu | hoặc dấu =.",
        ),
    ],
)
def test_a_bad_xlsform_names_sheet_row_and_column(data, message):
    found = problems(data)
    assert any(message in problem for problem in found), found


def test_an_unknown_type_is_named_by_its_row_though_pyxform_does_not(secretariat):
    found = problems(workbook(with_row(["foo", "x", "X"])))
    assert found == [
        "Dòng 14, cột A (type), trang survey: loại câu hỏi “foo” chưa được hỗ trợ; dùng: "
        + xlsform.SUPPORTED
        + "."
    ]


def test_a_calculation_is_refused_not_dropped():
    survey = [row + [""] for row in with_row(["calculate", "total", "Tổng"])]  # column K
    survey[0][-1] = "calculation"
    survey[-1][-1] = "${visits} * 2"
    found = problems(workbook(survey))
    assert any("cột K (calculation), trang survey: cột calculation chưa" in p for p in found)


def test_a_crash_inside_pyxform_is_a_refusal_not_a_500(monkeypatch):
    import pyxform.xls2xform

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pyxform.xls2xform, "convert", crash)
    assert problems(workbook()) == [
        "Biểu mẫu XLSForm không hợp lệ: pyxform không đọc được tệp này."
    ]


# ------------------------------------------------------------------ the page


def upload(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def test_page_takes_an_xlsform_and_offers_each_version_as_one(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        PAGE, {"code": "mot-cua", "title": "Một cửa", "file": upload(workbook(), "kobo.xlsx")}
    )
    assert response.status_code == 302
    version = QuestionnaireVersion.objects.get(questionnaire__code="mot-cua")
    assert len(version.questions) == 9
    page = client.get(PAGE).content.decode()
    assert "/surveys/questionnaires/mot-cua/v1.xlsform.xlsx" in page
    download = client.get("/surveys/questionnaires/mot-cua/v1.xlsform.xlsx")
    assert download.status_code == 200
    assert 'filename="xlsform-mot-cua-v1.xlsx"' in download["Content-Disposition"]
    assert xlsform.parse(download.content).questions == xlsform.parse(workbook()).questions
    assert client.get("/surveys/questionnaires/mot-cua/v2.xlsform.xlsx").status_code == 404


def test_a_new_questionnaire_takes_the_xlsform_s_own_title(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        PAGE, {"code": "kobo", "title": "", "file": upload(workbook(), "k.xlsx")}
    )
    assert response.status_code == 302
    assert Questionnaire.objects.get(code="kobo").title == "Khảo sát một cửa"
    untitled = workbook(settings=[["form_id"], ["x"]])
    response = client.post(PAGE, {"code": "x", "title": "", "file": upload(untitled, "x.xlsx")})
    assert response.status_code == 400 and "Bảng hỏi mới cần có tên." in response.content.decode()


def test_page_refuses_a_bad_xlsform_whole(client, secretariat):
    client.force_login(secretariat)
    data = workbook(with_row(["select_one nolist", "x", "X"]))
    response = client.post(PAGE, {"code": "kobo", "title": "Kobo", "file": upload(data, "k.xlsx")})
    assert response.status_code == 400
    assert "danh sách lựa chọn “nolist” không có ở trang choices" in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_pyxform_s_refusal_comes_first_with_its_row_and_sheet():
    found = problems(workbook(with_row(["text", "plain", "Lại câu cũ"])))
    assert found[0] == (
        "Dòng 14: Biểu mẫu XLSForm không hợp lệ (trang survey): tên “plain” bị trùng."
    )
    assert not any(p.startswith("Dòng 14") for p in found[1:])  # not said twice
    # In another group pyxform minds only the condition that names it; ours names the row too.
    found = problems(workbook(with_row(["text", "visited", "Lại câu cũ"])))
    assert found == [
        "Dòng 6: Biểu mẫu XLSForm không hợp lệ (trang survey): điều kiện nhắc đến “visited”,"
        " nhưng tên này có ở nhiều câu hỏi.",
        "Dòng 14, cột B (name), trang survey: tên “visited” trùng với dòng 5.",
    ]


def test_a_pyxform_message_we_do_not_know_is_wrapped_not_lost():
    from pyxform.errors import PyXFormError

    problem = xlsform._pyxform_problem(PyXFormError("[row : 7] On the 'survey' sheet, odd thing."))
    assert str(problem) == (
        "Dòng 7: Biểu mẫu XLSForm không hợp lệ (trang survey): pyxform báo lỗi: odd thing."
    )


def test_a_survey_sheet_without_its_columns_is_named():
    survey = [["type", "name"], ["text", "x"]]
    assert "Dòng 1: trang survey thiếu cột: label." in problems(workbook(survey))


def test_a_survey_sheet_too_long_is_refused_before_pyxform_reads_it(monkeypatch):
    monkeypatch.setattr(xlsform, "MAX_ROWS", 5)
    assert problems(workbook()) == ["Biểu mẫu XLSForm quá lớn: mỗi trang tối đa 5 dòng."]
