"""A satisfaction question (likert5) is imported only with a `group/element` the figures read, since
otherwise it would get no figures and no one would be told; other types carry no dimension."""

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import AuditEvent
from core.tabular import ImportFailed, Table
from surveys import questionnaire as q
from surveys import services
from surveys.aggregates import dimensions
from surveys.models import Questionnaire, QuestionnaireVersion
from surveys.sql_stats import layout

from .conftest import ROWS, tsv

DATA = Path(__file__).resolve().parent.parent / "data"
ROW = len(ROWS) + 1  # the row of a question appended to ROWS (the header is row 1)
EXAMPLE = "ví dụ service/access, policy/results, criterion/1"
GROUPS = "dùng một trong: service, policy, criterion."


def likert(dimension: str, name: str = "new_item") -> tuple:
    return ("likert5", name, "Ông/Bà hài lòng thế nào?", "", "1", "", dimension)


def refused(secretariat, rows) -> list[str]:
    """The messages of an import of `rows` as a new version of "sipas", which must fail."""
    with pytest.raises(ImportFailed) as caught:
        services.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(rows), "sipas.tsv")
    return [str(problem) for problem in caught.value.problems]


def assert_nothing_new_stored():
    """Only the `version` fixture's v1 is there, with its one audit event."""
    assert list(QuestionnaireVersion.objects.values_list("number", flat=True)) == [1]
    assert AuditEvent.objects.filter(action="questionnaire.version").count() == 1


@pytest.mark.parametrize(
    ("dimension", "message"),
    [
        ("", f"câu likert5 cần ghi nhóm/yếu tố để được tính vào chỉ số, {EXAMPLE}."),
        (
            "service_access",
            f"“service_access” phải viết dạng nhóm/yếu tố với đúng một dấu /, {EXAMPLE}.",
        ),
        (
            "service/access/1",
            f"“service/access/1” phải viết dạng nhóm/yếu tố với đúng một dấu /, {EXAMPLE}.",
        ),
        ("quality/access", f"nhóm “quality” không hợp lệ; {GROUPS}"),
        ("Service/access", f"nhóm “Service” không hợp lệ; {GROUPS}"),
        ("/access", f"“/access” thiếu nhóm trước dấu /; {GROUPS}"),
        ("service/", f"“service/” thiếu yếu tố sau dấu /, {EXAMPLE}."),
        (
            "service/tiếp cận",
            "yếu tố “tiếp cận” phải viết thường không dấu, không khoảng trắng (chữ, số, _ hoặc -),"
            " ví dụ access, civil_servants, 1.",
        ),
    ],
    ids=[
        "empty",
        "no-slash",
        "two-slashes",
        "unknown-group",
        "capitalised-group",
        "no-group",
        "empty-element",
        "element-not-a-slug",
    ],
)
def test_a_satisfaction_question_without_a_usable_dimension_is_refused(
    secretariat, version, dimension, message
):
    assert refused(secretariat, [*ROWS, likert(dimension)]) == [
        f"Dòng {ROW}, cột G (dimension): {message}"
    ]
    assert_nothing_new_stored()


@pytest.mark.parametrize(
    "row",
    [
        ("section", "", "Phần C", "", "", "", "service/access"),
        ("scale4", "expect", "Mong muốn", "1=Ít|2=Vừa|3=Nhiều|4=Rất nhiều", "1", "", "policy/x"),
        ("single", "group", "Nhóm", "a=A|b=B", "1", "", "criterion/1"),
        ("multiple", "channel", "Kênh", "a=A|b=B", "0", "", "service/access"),
        ("number", "trips", "Số lần", "min=0", "0", "", "service/access"),
        ("text", "note", "Góp ý", "", "0", "", "service/access"),
    ],
    ids=lambda row: row[0],
)
def test_a_dimension_on_a_question_that_is_never_counted_is_refused(secretariat, version, row):
    assert refused(secretariat, [*ROWS, row]) == [
        f"Dòng {ROW}, cột G (dimension): chỉ câu likert5 mới ghi nhóm/yếu tố; câu loại {row[0]}"
        " không được tính vào chỉ số, hãy để trống ô này."
    ]
    assert_nothing_new_stored()


def test_every_bad_row_is_named_and_the_good_ones_are_not_stored_either(secretariat, version):
    rows = [
        *ROWS,
        likert("service/access", "fine_1"),
        likert("", "bare"),
        likert("policy/results", "fine_2"),
        likert("service", "no_element"),
    ]
    problems = refused(secretariat, rows)
    assert [p.split(":")[0] for p in problems] == [
        f"Dòng {ROW + 1}, cột G (dimension)",
        f"Dòng {ROW + 3}, cột G (dimension)",
    ]
    assert_nothing_new_stored()


def test_well_formed_dimensions_are_imported_as_written(secretariat, version):
    rows = [
        *ROWS,
        likert("service/civil_servants", "svc_staff"),
        likert("service/e-services", "svc_online"),
        likert("policy/results", "pol_result"),
        likert("criterion/1", "c1"),
        likert("criterion/8", "c8"),
        ("scale4", "expect", "Mong muốn", "1=Ít|2=Vừa|3=Nhiều|4=Rất nhiều", "1", "", ""),
    ]
    again = services.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(rows), "sipas.tsv")
    assert again.number == 2
    stored = {x.name: x.dimension for x in again.parsed()}
    assert [stored[n] for n in ("svc_staff", "svc_online", "pol_result", "c1", "c8", "expect")] == [
        "service/civil_servants",
        "service/e-services",
        "policy/results",
        "criterion/1",
        "criterion/8",
        "",
    ]


@pytest.mark.parametrize("template", ["sipas.tsv", "officials.tsv"])
def test_every_satisfaction_item_of_the_built_in_templates_gets_figures(
    secretariat, draft_cycle, template
):
    version = services.import_questionnaire(
        secretariat, "tpl", "Mẫu", (DATA / template).read_bytes(), template
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat, draft_cycle, version, "Đợt", now - timedelta(days=1), now + timedelta(days=1)
    )
    likert5 = [x.name for x in version.parsed() if x.type == "likert5"]
    assert len(likert5) == (39 if template == "sipas.tsv" else 34)
    assert list(dimensions(wave)) == likert5


def test_the_upload_page_names_the_row_and_column_and_stores_nothing(client, secretariat):
    rows = [*ROWS[:6], likert("dịch vụ/tiếp cận"), *ROWS[6:]]  # the new question is on row 7
    client.force_login(secretariat)
    response = client.post(
        "/surveys/questionnaires/",
        {"code": "sipas", "title": "SIPAS", "file": SimpleUploadedFile("sipas.tsv", tsv(rows))},
    )
    assert response.status_code == 400
    assert f"Dòng 7, cột G (dimension): nhóm “dịch vụ” không hợp lệ; {GROUPS}" in (
        response.content.decode()
    )
    assert not Questionnaire.objects.exists() and not QuestionnaireVersion.objects.exists()


dimension_texts = st.one_of(
    st.text(alphabet="servicpoly/_-1 AĐế\t\u00a0\u200b", max_size=20),
    st.builds(
        "{}/{}".format,
        st.sampled_from(["service", "policy", "criterion", "Service", "", "quality", " policy"]),
        st.text(alphabet="abcz019_-/ ÁếA\u00a0", max_size=8),
    ),
    # mostly well formed, some with spaces around, so that accepted cells are common too
    st.builds(
        "{}{}/{}{}".format,
        st.sampled_from(["", " ", "\u00a0"]),
        st.sampled_from(q.DIMENSION_GROUPS),
        st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True),
        st.sampled_from(["", " ", "\t"]),
    ),
)


@given(dimension=dimension_texts)
def test_what_the_import_accepts_the_figures_count(dimension):
    """For any text in the cell: either the import names row 2, column G, or the item reaches the
    aggregation (aggregates.dimensions, then the layout of elements and parts) in a known group."""
    table = Table(header=list(q.HEADER), rows=[(2, list(likert(dimension)))])
    try:
        questions = q.parse(table)
    except ImportFailed as failed:
        assert [(p.row, p.column) for p in failed.problems] == [(2, "G (dimension)")]
        return
    wave = SimpleNamespace(version=SimpleNamespace(parsed=lambda: questions))
    kept = dimensions(wave)
    assert list(kept) == ["new_item"]
    [(group, [(element, names)])] = layout(kept)
    assert group in q.DIMENSION_GROUPS and names == ["new_item"]
    assert element == dimension.strip()


def test_a_version_stored_before_the_rule_keeps_its_figures(secretariat, wave, unit_a):
    """Versions are never edited: one imported before the rule may hold "quality/x" (counted then, so
    still counted: published figures do not move) or "service/" (which failed the figures: left out)."""
    from surveys.aggregates import dimensions, unit_figures

    from .test_intake import submit

    stored = wave.version.questions
    odd = {"svc_1": "service/", "svc_2": "/access", "svc_3": "quality/x"}
    for question in stored:
        question["dimension"] = odd.get(question["name"], question["dimension"])
    type(wave.version).objects.filter(pk=wave.version.pk).update(questions=stored)
    wave.version.refresh_from_db()
    submit(wave, unit_a)
    counted = dimensions(wave)
    assert "svc_1" not in counted and "svc_2" not in counted and counted["svc_3"] == "quality/x"
    figures = unit_figures(wave, unit_a)
    assert figures["n"] == 1 and set(figures["parts"]) == {"service", "policy", "quality"}


@pytest.mark.parametrize("name", ["service", "policy", "criterion"])
def test_a_question_may_not_take_the_name_of_a_group(secretariat, name):
    rows = [list(r) for r in ROWS]
    rows[2][1] = name  # the first single-choice question
    with pytest.raises(ImportFailed) as refused:
        services.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(rows), "x.tsv")
    assert f"tên “{name}” dành cho nhóm yếu tố; hãy đặt tên khác." in str(refused.value)
    assert "cột B" in str(refused.value)


def test_answer_problems_survive_copy_and_pickle():
    import copy
    import pickle

    from surveys.questionnaire import AnswerProblem

    problem = AnswerProblem("sex", "Câu “Giới tính”: cần trả lời.")
    for again in (copy.copy(problem), copy.deepcopy(problem), pickle.loads(pickle.dumps(problem))):
        assert again == problem and again.name == "sex"
