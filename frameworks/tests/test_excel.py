"""Framework Excel round trip and every bad-input case: clear Vietnamese errors, nothing half-saved."""

import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from conftest import small_framework_specs
from core.tabular import ImportFailed
from frameworks.evidence import EvidenceRule
from frameworks.excel import HEADER, LEGACY_HEADER, export_workbook
from frameworks.models import Framework
from frameworks.services import import_framework, tree_order
from units.models import UnitKind


def snapshot(framework):
    return [
        (
            n.code,
            n.title,
            n.max_points,
            n.rule,
            n.rule_params,
            n.evidence_rule,
            n.guidance,
            n.parent.code if n.parent else None,
        )
        for n in tree_order(framework)
    ]


def workbook_bytes(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_rows():
    return [
        ("1", "Chỉ đạo, điều hành", 2, "", "", "", ""),
        ("1.1", "Kế hoạch CCHC", 1, "yes_no", "{}", "always", "Quyết định ban hành kế hoạch"),
        ("1.2", "Báo cáo", 1, "deduction", '{"per_item": 0.25}', "when_claimed", ""),
        ("2", "Tác động", 1, "", "", "never", ""),
        ("2.1", "SIPAS", 1, "survey", '{"source": "sipas", "dimension": "overall"}', "never", ""),
    ]


def legacy_rows():
    """A file written before evidence rules: a yes/no column in their place."""
    return [
        ("1", "Chỉ đạo, điều hành", 2, "", "", 0, ""),
        ("1.1", "Kế hoạch CCHC", 1, "yes_no", "{}", 1, "Quyết định ban hành kế hoạch"),
        ("1.2", "Báo cáo", 1, "deduction", '{"per_item": 0.25}', "", ""),
        ("2", "Tác động", 1, "", "", 0, ""),
        ("2.1", "SIPAS", 1, "survey", '{"source": "sipas", "dimension": "overall"}', "có", ""),
    ]


@pytest.fixture
def department_framework(draft_cycle):
    return Framework.objects.get(cycle=draft_cycle, kind=UnitKind.DEPARTMENT)


def test_export_then_import_gives_the_identical_tree(
    secretariat, draft_cycle, department_framework
):
    department_framework.nodes.filter(code="1.1.1").update(evidence_rule=EvidenceRule.ALWAYS)
    department_framework.nodes.filter(code="1.2").update(evidence_rule=EvidenceRule.NEVER)
    before = snapshot(department_framework)
    rules = {code: rule for code, _t, _m, _r, _p, rule, *_rest in before}
    assert rules["1.1.1"] == "always" and rules["1.2"] == "never"
    assert rules["1.1.2"] == "when_claimed"
    data = export_workbook(tree_order(department_framework))
    sheet = load_workbook(io.BytesIO(data)).active
    assert tuple(c.value for c in sheet[1]) == HEADER
    exported = {r[0]: r[5] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported["1.1.1"] == "always" and exported["1.2"] == "never"
    assert sheet.max_row == len(before) + 1
    import_framework(secretariat, draft_cycle, UnitKind.DEPARTMENT, data, "f.xlsx")
    assert snapshot(Framework.objects.get(pk=department_framework.pk)) == before


def test_exported_rows_carry_rule_params_as_json(department_framework):
    sheet = load_workbook(io.BytesIO(export_workbook(tree_order(department_framework)))).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["1"][3] in (None, "")
    assert json.loads(rows["1.2"][4]) == {
        "tiers": [[0.3, 1.0], [0.2, 0.5], [0, 0]],
        "allow_na": True,
    }
    assert rows["1.1.1"][2] == 1.0


def test_import_replaces_the_tree(secretariat, draft_cycle, department_framework):
    import_framework(
        secretariat, draft_cycle, UnitKind.DEPARTMENT, workbook_bytes(good_rows()), "f.xlsx"
    )
    codes = [n.code for n in tree_order(department_framework)]
    assert codes == ["1", "1.1", "1.2", "2", "2.1"]


def test_import_creates_a_framework_for_a_new_kind(secretariat, draft_cycle):
    framework = import_framework(
        secretariat, draft_cycle, UnitKind.CENTRAL_AGENCY, workbook_bytes(good_rows()), "f.xlsx"
    )
    assert framework.nodes.count() == 5
    rules = dict(framework.nodes.values_list("code", "evidence_rule"))
    assert rules == {
        "1": "never",
        "1.1": "always",
        "1.2": "when_claimed",
        "2": "never",
        "2.1": "never",
    }


def test_an_empty_evidence_cell_is_when_claimed_on_a_leaf_and_never_on_a_parent(
    secretariat, draft_cycle
):
    rows = replace(good_rows(), 1, evidence_rule="")
    rows = replace(rows, 2, evidence_rule="Khi có điểm")
    rows = replace(rows, 4, evidence_rule=" Luôn ")
    framework = import_framework(
        secretariat, draft_cycle, UnitKind.CENTRAL_AGENCY, workbook_bytes(rows), "f.xlsx"
    )
    rules = dict(framework.nodes.values_list("code", "evidence_rule"))
    assert rules["1"] == "never"
    assert rules["1.1"] == "when_claimed"
    assert rules["1.2"] == "when_claimed"
    assert rules["2.1"] == "always"


def test_an_old_file_with_the_yes_no_evidence_column_still_imports(secretariat, draft_cycle):
    """As in the migration: "required" becomes "when points are claimed", "not required" never."""
    framework = import_framework(
        secretariat,
        draft_cycle,
        UnitKind.CENTRAL_AGENCY,
        workbook_bytes(legacy_rows(), header=LEGACY_HEADER),
        "old.xlsx",
    )
    rules = dict(framework.nodes.values_list("code", "evidence_rule"))
    assert rules == {
        "1": "never",
        "1.1": "when_claimed",
        "1.2": "never",
        "2": "never",
        "2.1": "when_claimed",
    }


def test_an_old_file_with_an_unreadable_evidence_flag_is_refused(secretariat, draft_cycle):
    rows = legacy_rows()
    rows[1] = (*rows[1][:5], "maybe", rows[1][6])
    problems = cell_errors(secretariat, draft_cycle, workbook_bytes(rows, header=LEGACY_HEADER))
    assert problems == [
        "Dòng 3, cột F (evidence_required): “maybe” không hợp lệ; dùng 1 (có) hoặc 0 (không)."
    ]


def cell_errors(secretariat, cycle, data, filename="f.xlsx"):
    with pytest.raises(ImportFailed) as caught:
        import_framework(secretariat, cycle, UnitKind.DEPARTMENT, data, filename)
    return [str(p) for p in caught.value.problems]


def replace(rows, index, **changes):
    names = list(HEADER)
    row = list(rows[index])
    for name, value in changes.items():
        row[names.index(name)] = value
    rows[index] = tuple(row)
    return rows


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda rows: [*rows, ("1.1", "Trùng", 0, "yes_no", "{}", "never", "")],
            "Dòng 7, cột A (code): mã “1.1” bị trùng với dòng 3",
        ),
        (
            lambda rows: [*rows[:3], ("3.1", "Mồ côi", 1, "yes_no", "{}", "", ""), *rows[3:]],
            "Dòng 5, cột A (code): mã “3.1” thuộc mục cha “3”",
        ),
        (
            lambda rows: replace(rows, 0, max_points=3),
            "Dòng 2, cột C (max_points): điểm tối đa 3.00 khác tổng điểm các mục con (2.00)",
        ),
        (
            lambda rows: replace(rows, 1, rule="guess"),
            "Dòng 3, cột D (rule): quy tắc chấm “guess” không tồn tại",
        ),
        (
            lambda rows: replace(rows, 2, rule_params="{per_item: 0.25"),
            "Dòng 4, cột E (rule_params): JSON không hợp lệ",
        ),
        (
            lambda rows: replace(rows, 2, rule_params='{"per_item": -1}'),
            "Dòng 4, cột E (rule_params): “per_item”",
        ),
        (
            lambda rows: replace(rows, 4, max_points=-1),
            "Dòng 6, cột C (max_points): điểm tối đa -1 không được âm",
        ),
        (
            lambda rows: replace(rows, 4, max_points="nhiều"),
            "Dòng 6, cột C (max_points): điểm tối đa “nhiều” không phải là số",
        ),
        (
            lambda rows: replace(rows, 4, max_points=0.125),
            "Dòng 6, cột C (max_points): điểm tối đa 0.125 có quá 2 chữ số thập phân",
        ),
        (
            lambda rows: replace(rows, 1, rule=""),
            "Dòng 3, cột D (rule): tiêu chí lá (không có mục con) phải có quy tắc chấm",
        ),
        (
            lambda rows: replace(rows, 0, rule="manual"),
            "Dòng 2, cột D (rule): mục có mục con không được có quy tắc chấm",
        ),
        (
            lambda rows: replace(rows, 1, code="1.x"),
            "Dòng 3, cột A (code): mã “1.x” không đúng dạng",
        ),
        (
            lambda rows: replace(rows, 1, title=""),
            "Dòng 3, cột B (title): nội dung tiêu chí không được để trống",
        ),
        (
            lambda rows: replace(rows, 1, evidence_rule="maybe"),
            "Dòng 3, cột F (evidence_rule): “maybe” không hợp lệ; dùng always (luôn), "
            "when_claimed (khi có điểm) hoặc never (không)",
        ),
    ],
)
def test_bad_rows_are_named_and_nothing_changes(
    secretariat, draft_cycle, department_framework, mutate, expected
):
    before = snapshot(department_framework)
    problems = cell_errors(secretariat, draft_cycle, workbook_bytes(mutate(good_rows())))
    assert any(p.startswith(expected) for p in problems), problems
    assert snapshot(Framework.objects.get(pk=department_framework.pk)) == before


def test_every_problem_of_a_file_is_reported_at_once(secretariat, draft_cycle):
    rows = replace(replace(good_rows(), 1, rule="guess"), 4, max_points="x")
    problems = cell_errors(secretariat, draft_cycle, workbook_bytes(rows))
    assert any("Dòng 3" in p for p in problems) and any("Dòng 6" in p for p in problems)


def test_wrong_header_is_refused(secretariat, draft_cycle, department_framework):
    header = ("ma", "ten", "diem", "rule", "rule_params", "evidence_required", "guidance")
    problems = cell_errors(secretariat, draft_cycle, workbook_bytes(good_rows(), header=header))
    assert problems[0].startswith("Dòng 1: dòng tiêu đề phải đúng là: code | title | max_points")


def test_header_only_file_is_refused(secretariat, draft_cycle):
    problems = cell_errors(secretariat, draft_cycle, workbook_bytes([]))
    assert problems == ["Tệp không có dòng tiêu chí nào dưới dòng tiêu đề."]


def test_empty_workbook_is_refused(secretariat, draft_cycle):
    problems = cell_errors(secretariat, draft_cycle, workbook_bytes([], header=None))
    assert problems == ["Tệp rỗng: trang tính đầu tiên không có dữ liệu."]


def test_empty_file_is_refused(secretariat, draft_cycle):
    assert cell_errors(secretariat, draft_cycle, b"") == ["Tệp rỗng: không có dữ liệu nào để nhập."]


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 not a spreadsheet", b"code,title\n1,a\n", b"PK\x03\x04 broken zip archive"],
)
def test_a_file_that_is_not_a_real_xlsx_is_refused(
    secretariat, draft_cycle, department_framework, data
):
    before = snapshot(department_framework)
    problems = cell_errors(secretariat, draft_cycle, data, filename="khung.xlsx")
    assert problems[0].startswith("Tệp không phải là tệp Excel .xlsx hợp lệ")
    assert snapshot(Framework.objects.get(pk=department_framework.pk)) == before


def test_vietnamese_decimal_comma_is_accepted(secretariat, draft_cycle):
    rows = replace(replace(good_rows(), 1, max_points="1,00"), 2, max_points="1,0")
    import_framework(secretariat, draft_cycle, UnitKind.DEPARTMENT, workbook_bytes(rows), "f.xlsx")


def test_small_framework_fixture_is_sound():
    from frameworks import tree

    specs = small_framework_specs()
    assert tree.structure_problems(specs) == []
    assert tree.total_points(tree.build(specs)) == 10
