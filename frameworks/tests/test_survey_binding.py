"""A `survey` leaf names what it reads (frameworks/survey_binding.py): the import refuses an unbound or
unknown one, naming its row and column; the editor and the rule's description carry the dimension."""

import json

import pytest

from frameworks.describe import describe
from frameworks.models import Framework
from frameworks.tests.test_excel import cell_errors, good_rows, replace, workbook_bytes
from units.models import UnitKind

SIPAS_ROW = 1  # good_rows()[1] is a leaf on row 3 of the sheet


def survey_row(params):
    rows = good_rows()
    replace(rows, SIPAS_ROW, rule="survey", rule_params=json.dumps(params), evidence_rule="never")
    return rows


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"source": "sipas"}, "phải ghi thành phần đo “dimension”"),
        ({"source": "officials", "groups": ["council_deputy"]}, "“criterion/3”"),
        ({"source": "sipas", "dimension": "service/speed"}, "“service/speed” không có trong"),
        ({"source": "sipas", "dimension": "criterion/1"}, "“criterion/1” không có trong"),
        (
            {"source": "officials", "dimension": "service/results", "groups": ["citizen"]},
            "không có trong Điều tra",
        ),
        ({"dimension": "overall"}, "phải ghi nguồn khảo sát “source”"),
        ({"source": "citizens", "dimension": "overall"}, "hiện là “citizens”"),
        ({"source": "officials", "dimension": "criterion/1"}, "nhóm đối tượng “groups”"),
        (
            {"source": "officials", "dimension": "criterion/1", "groups": ["deputies"]},
            "nhóm đối tượng “deputies” không có trong phiếu",
        ),
        (
            {"source": "sipas", "dimension": "overall", "groups": ["citizen"]},
            "phiếu SIPAS không phân nhóm",
        ),
    ],
)
def test_an_unbound_or_unknown_survey_leaf_is_refused_with_its_row_and_column(
    secretariat, draft_cycle, params, fragment
):
    problems = cell_errors(secretariat, draft_cycle, workbook_bytes(survey_row(params)))
    assert len(problems) == 1, problems
    assert problems[0].startswith("Dòng 3, cột E (rule_params): "), problems
    assert fragment in problems[0], problems


@pytest.mark.parametrize(
    "params",
    [
        {"source": "sipas", "dimension": "service/results"},
        {"source": "sipas", "dimension": "policy"},
        {"source": "sipas", "dimension": "indicator/harassment"},
        {"source": "officials", "dimension": "criterion/8", "groups": ["citizen", "business"]},
    ],
)
def test_a_bound_survey_leaf_imports_as_written(secretariat, draft_cycle, params):
    from frameworks.services import import_framework

    framework = import_framework(
        secretariat, draft_cycle, UnitKind.DEPARTMENT, workbook_bytes(survey_row(params)), "f.xlsx"
    )
    assert framework.nodes.get(code="1.1").rule_params == params


def test_a_new_survey_leaf_from_the_editor_takes_its_source_from_the_dimension(
    client, secretariat, draft_cycle
):
    commune = Framework.objects.get(cycle=draft_cycle, kind=UnitKind.COMMUNE)
    parent = commune.nodes.get(code="1.1")
    client.force_login(secretariat)
    data = {"parent": parent.pk, "title": "Đúng hẹn", "max_points": "0,50", "rule": "survey"}
    unbound = client.post(f"/frameworks/{commune.pk}/nodes/new/", data)
    assert "phải ghi nguồn khảo sát" in unbound.content.decode()
    assert not commune.nodes.filter(title="Đúng hẹn").exists()
    response = client.post(
        f"/frameworks/{commune.pk}/nodes/new/", {**data, "rp-dimension": "service/results"}
    )
    assert response.status_code == 302
    leaf = commune.nodes.get(title="Đúng hẹn")
    assert leaf.rule_params == {"source": "sipas", "dimension": "service/results"}


def test_the_rule_description_names_what_the_leaf_reads():
    (line,) = describe("survey", {"source": "sipas", "dimension": "service/results"}, 1)
    assert line == (
        "Điểm = 1,00 × Kết quả giải quyết công việc "
        "(Khảo sát sự hài lòng của người dân, tổ chức (SIPAS))"
    )
    (line,) = describe("survey", {"source": "officials", "dimension": "criterion/3"}, 1)
    assert line == "Điểm = 1,00 × Lĩnh vực 3 (Điều tra xã hội học)"
