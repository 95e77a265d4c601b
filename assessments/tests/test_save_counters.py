"""A save answers with the page's counters (htmx out of band), so they move without a reload."""

import re

from assessments import services
from conftest import item_of
from frameworks.evidence import EvidenceRule

from .helpers import PDF, upload

HTMX = {"HTTP_HX_REQUEST": "true"}


def text_of(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}">(.*?)</span>', html, re.S)
    assert match, f"{testid} not in the response"
    return " ".join(match.group(1).split())


def oob_ids(html: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"[^>]*hx-swap-oob="true"', html))


def save(client, item, data):
    return client.post(
        f"/assessments/items/{item.pk}/self/", {**data, "version": item.version}, **HTMX
    ).content.decode()


def test_a_save_returns_the_updated_progress_and_domain_total(client, officer_a, assessment_a):
    client.force_login(officer_a)
    page = client.get("/assessments/2025/00070/").content.decode()
    assert text_of(page, "progress") == "Đã chấm 0/9 tiêu chí · tự chấm 0,00/10,00 điểm"
    html = save(client, item_of(assessment_a, "1.5"), {"points": "0,75"})
    assert {"progress", "domain-claimed-1"} <= oob_ids(html)
    assert text_of(html, "progress") == "Đã chấm 1/9 tiêu chí · tự chấm 0,75/10,00 điểm"
    assert "(tối đa 6,00 · tự chấm 0,75)" in html
    assert 'value="1" max="9"' in html  # the progress bar
    # 1.5 claims points and has no evidence: the counter and the leaf both say so.
    assert text_of(html, "evidence-missing") == "thiếu tài liệu kiểm chứng ở 1 tiêu chí"
    assert 'data-testid="evidence-missing-1.5"' in html
    item = item_of(assessment_a, "1.5")
    assert f"evidence-note-{item.pk}" in oob_ids(html)

    html = save(client, item, {"points": "0"})
    assert text_of(html, "progress") == "Đã chấm 1/9 tiêu chí · tự chấm 0,00/10,00 điểm"
    assert text_of(html, "evidence-missing") == "đủ tài liệu kiểm chứng"
    assert 'data-testid="evidence-missing-1.5"' not in html


def test_a_refused_save_moves_no_counter(client, officer_a, assessment_a):
    client.force_login(officer_a)
    html = save(client, item_of(assessment_a, "1.1.2"), {"numerator": "12", "denominator": "10"})
    assert "tử số không được lớn hơn mẫu số" in html
    assert 'role="alert"' in html
    assert "progress" not in oob_ids(html)


def test_adding_and_removing_evidence_updates_the_evidence_counter(client, officer_a, assessment_a):
    client.force_login(officer_a)
    item = services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "1"})
    html = client.post(
        f"/assessments/items/{item.pk}/evidence/",
        {"file": upload(PDF, "sang-kien.pdf")},
        **HTMX,
    ).content.decode()
    assert "progress" in oob_ids(html)
    assert text_of(html, "evidence-missing") == "đủ tài liệu kiểm chứng"
    evidence = item.evidence.get()
    html = client.post(f"/assessments/evidence/{evidence.pk}/remove/", **HTMX).content.decode()
    assert text_of(html, "evidence-missing") == "thiếu tài liệu kiểm chứng ở 1 tiêu chí"


def test_the_form_counts_only_leaves_whose_rule_asks_for_evidence(client, officer_a, assessment_a):
    assessment_a.framework.nodes.filter(code="2.1").update(evidence_rule=EvidenceRule.ALWAYS)
    client.force_login(officer_a)
    page = client.get("/assessments/2025/00070/?domain=2").content.decode()
    # 2.1 is not answered yet but its rule is "always"; the others claim nothing so far.
    assert text_of(page, "evidence-missing") == "thiếu tài liệu kiểm chứng ở 1 tiêu chí"
    assert 'data-testid="evidence-missing-2.1"' in page
    assert page.count('data-testid="evidence-missing-') == 1


def test_the_form_loads_the_autosave_script_with_its_vietnamese_texts(
    client, officer_a, assessment_a
):
    client.force_login(officer_a)
    page = client.get("/assessments/2025/00070/").content.decode()
    assert "assessments/autosave" in page and 'data-retry="Thử lại"' in page
    assert "Chưa lưu được: mất kết nối tới máy chủ." in page
