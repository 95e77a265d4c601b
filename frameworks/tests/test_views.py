"""Framework screens: the tree and totals, the upload with the same messages as the command, editing."""

import io

import pytest
from openpyxl import Workbook

from frameworks.models import Framework
from units.models import UnitKind


@pytest.fixture
def commune(draft_cycle):
    return Framework.objects.get(cycle=draft_cycle, kind=UnitKind.COMMUNE)


def upload(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "khung.xlsx"
    return buffer


HEADER = ["code", "title", "max_points", "rule", "rule_params", "evidence_rule", "guidance"]
# Uploads below use a file of the earlier layout (a yes/no evidence column): it still imports.
OLD_HEADER = ["code", "title", "max_points", "rule", "rule_params", "evidence_required", "guidance"]


def test_tree_shows_domains_total_and_rules(client, secretariat, commune):
    client.force_login(secretariat)
    page = client.get(f"/frameworks/{commune.pk}/").content.decode()
    assert 'data-testid="framework-total">10,00<' in page
    assert 'data-testid="leaf-count">11<' in page
    assert "ngoài tổng điểm" in page  # the bonus/penalty domain
    assert "Theo thời hạn" in page and "có thể không áp dụng" in page


def test_upload_with_errors_lists_them_and_changes_nothing(
    client, secretariat, draft_cycle, commune
):
    client.force_login(secretariat)
    before = list(commune.nodes.values_list("code", "max_points"))
    response = client.post(
        "/frameworks/import/2025/",
        {
            "kind": "commune",
            "file": upload(
                [OLD_HEADER, ["1", "A", 1, "", "", 0, ""], ["1.1", "B", 2, "guess", "{}", 0, ""]]
            ),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không nhập được; không có gì được lưu" in page
    assert "Dòng 2, cột C (max_points): điểm tối đa 1.00 khác tổng điểm các mục con (2.00)." in page
    assert "Dòng 3, cột D (rule): quy tắc chấm “guess” không tồn tại" in page
    assert list(commune.nodes.values_list("code", "max_points")) == before


def test_upload_that_is_not_excel_is_refused(client, secretariat, commune):
    client.force_login(secretariat)
    fake = io.BytesIO(b"%PDF-1.4 fake")
    fake.name = "khung.xlsx"
    page = client.post(
        "/frameworks/import/2025/", {"kind": "commune", "file": fake}
    ).content.decode()
    assert "Tệp không phải là tệp Excel .xlsx hợp lệ" in page


def test_upload_too_large_is_refused_before_reading(client, secretariat, commune, settings):
    settings.FRAMEWORK_UPLOAD_MAX_BYTES = 1000
    client.force_login(secretariat)
    big = io.BytesIO(b"x" * 5000)
    big.name = "khung.xlsx"
    page = client.post(
        "/frameworks/import/2025/", {"kind": "commune", "file": big}
    ).content.decode()
    assert "Tệp quá lớn" in page


def test_good_upload_replaces_and_redirects(client, secretariat, commune):
    client.force_login(secretariat)
    response = client.post(
        "/frameworks/import/2025/",
        {
            "kind": "commune",
            "file": upload(
                [OLD_HEADER, ["1", "A", 1, "", "", 0, ""], ["1.1", "B", 1, "yes_no", "{}", 1, ""]]
            ),
        },
    )
    assert response.status_code == 302
    assert sorted(commune.nodes.values_list("code", flat=True)) == ["1", "1.1"]


def test_node_edit_form_saves_and_reports_bad_json(client, secretariat, commune):
    """The advanced view: the JSON box is used when its box is ticked."""
    client.force_login(secretariat)
    leaf = commune.nodes.get(code="1.5")
    url = f"/frameworks/nodes/{leaf.pk}/"
    bad = client.post(
        url,
        {
            "title": "Sáng kiến",
            "max_points": "1,00",
            "rule": "manual",
            "use_json": "on",
            "rule_params": "{step",
        },
    )
    assert "JSON không hợp lệ" in bad.content.decode()
    good = client.post(
        url,
        {
            "title": "Sáng kiến",
            "max_points": "2,00",
            "rule": "manual",
            "use_json": "on",
            "rule_params": '{"step": 0.5}',
        },
    )
    assert good.status_code == 302
    leaf.refresh_from_db()
    assert str(leaf.max_points) == "2.00" and leaf.rule_params == {"step": 0.5}
    assert str(commune.nodes.get(code="1").max_points) == "7.00"


def test_node_edit_form_sets_the_evidence_rule_and_keeps_it_when_not_sent(
    client, secretariat, commune
):
    client.force_login(secretariat)
    leaf = commune.nodes.get(code="1.5")
    url = f"/frameworks/nodes/{leaf.pk}/"
    page = client.get(url).content.decode()
    assert 'name="evidence_rule"' in page and "Luôn bắt buộc" in page
    fields = {"title": "Sáng kiến", "max_points": "1,00", "rule": "manual", "rule_params": "{}"}
    assert client.post(url, {**fields, "evidence_rule": "always"}).status_code == 302
    leaf.refresh_from_db()
    assert leaf.evidence_rule == "always"
    assert client.post(url, fields).status_code == 302
    leaf.refresh_from_db()
    assert leaf.evidence_rule == "always"
    bad = client.post(url, {**fields, "evidence_rule": "sometimes"})
    assert bad.status_code == 200 and "sometimes" in bad.content.decode()
    leaf.refresh_from_db()
    assert leaf.evidence_rule == "always"
    detail = client.get(f"/frameworks/{commune.pk}/").content.decode()
    assert "Luôn bắt buộc" in detail


def test_frozen_framework_shows_no_edit_buttons(client, secretariat, draft_cycle, commune):
    from cycles.services import transition

    transition(secretariat, draft_cycle, "self_assessment")
    client.force_login(secretariat)
    page = client.get(f"/frameworks/{commune.pk}/").content.decode()
    assert "Đã khoá" in page and ">Sửa<" not in page
    assert client.get(f"/frameworks/nodes/{commune.nodes.get(code='1.5').pk}/").status_code == 403


def test_export_is_a_real_workbook(client, officer_a, commune):
    from openpyxl import load_workbook

    client.force_login(officer_a)
    response = client.get(f"/frameworks/{commune.pk}/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADER
