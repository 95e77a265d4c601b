"""The light self-assessment form: the domain list first, each domain's leaves on demand.

The first response lists the domains with their own counters; a domain's leaves come as a fragment
(htmx) or, without JavaScript, with the page opened at `?domain=CODE` (docs/ui.md).
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from conftest import item_of

from .helpers import PDF, upload

HTMX = {"HTTP_HX_REQUEST": "true"}
FORM = "/assessments/2025/00070/"


def leaf_codes(html: str) -> list[str]:
    return re.findall(r'<span class="code">([\d.]+)</span>', html)


def domain_progress(html: str, code: str) -> str:
    match = re.search(rf'data-testid="domain-progress-{code}"[^>]*>(.*?)</small>', html, re.S)
    assert match, f"no progress for domain {code}"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_the_first_response_lists_the_domains_without_their_leaves(client, officer_a, assessment_a):
    services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "0.75"})
    client.force_login(officer_a)
    page = client.get(FORM).content.decode()
    assert leaf_codes(page) == []
    assert 'name="note"' not in page
    # Each domain: a disclosure that fetches its leaves when opened, and a plain link without JS.
    assert page.count('<details class="card-body') == 3
    assert 'hx-get="/assessments/2025/00070/domain/2/"' in page
    assert 'href="/assessments/2025/00070/?domain=2#domain-2"' in page
    assert domain_progress(page, "1") == "đã chấm 1/6 tiêu chí · thiếu tài liệu ở 1 tiêu chí"
    assert domain_progress(page, "2") == "đã chấm 0/1 tiêu chí"
    assert "(tối đa 6,00 · tự chấm 0,75)" in page
    assert "Đã chấm 1/9 tiêu chí" in page and "Xem tổng hợp" in page


def test_the_first_response_does_not_grow_with_the_evidence(client, officer_a, assessment_a):
    client.force_login(officer_a)
    with CaptureQueriesContext(connection) as before:
        client.get(FORM)
    for code in ("1.1.1", "1.5", "2.1"):
        services.add_evidence_file(officer_a, item_of(assessment_a, code), upload(PDF, "a.pdf"))
    with CaptureQueriesContext(connection) as after:
        page = client.get(FORM).content.decode()
    assert "a.pdf" not in page
    assert len(after) == len(before)


def test_a_domain_fragment_holds_that_domains_leaves_in_order(client, officer_a, assessment_a):
    client.force_login(officer_a)
    response = client.get(f"{FORM}domain/1/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert leaf_codes(html) == ["1.1.1", "1.1.2", "1.2", "1.3", "1.4", "1.5"]
    # The focus moves into the loaded domain (htmx focuses [autofocus] in what it swaps in).
    assert re.search(r'id="domain-leaves-1" tabindex="-1" autofocus', html)
    item = item_of(assessment_a, "1.5")
    assert f'hx-post="/assessments/items/{item.pk}/self/"' in html
    assert f'hx-get="/assessments/items/{item.pk}/evidence/"' in html
    assert leaf_codes(client.get(f"{FORM}domain/3/", **HTMX).content.decode()) == ["3.1", "3.2"]


def test_an_unknown_domain_is_not_found(client, officer_a, assessment_a):
    client.force_login(officer_a)
    assert client.get(f"{FORM}domain/9/").status_code == 404
    assert client.get(f"{FORM}domain/1.1/").status_code == 404
    # The page itself ignores an unknown ?domain= and lists the domains.
    page = client.get(f"{FORM}?domain=9").content.decode()
    assert leaf_codes(page) == [] and page.count('<details class="card-body') == 3


def test_without_javascript_the_page_opens_one_domain(client, officer_a, assessment_a):
    client.force_login(officer_a)
    page = client.get(f"{FORM}?domain=2").content.decode()
    assert leaf_codes(page) == ["2.1", "2.2", "2.3"]
    assert '<details class="card-body py-2" open>' in page
    assert page.count('class="domain card') == 3
    assert 'hx-get="/assessments/2025/00070/domain/2/"' not in page  # already there
    assert 'hx-get="/assessments/2025/00070/domain/1/"' in page


def test_a_save_moves_its_domains_progress(client, officer_a, assessment_a):
    client.force_login(officer_a)
    item = item_of(assessment_a, "2.1")
    html = client.post(
        f"/assessments/items/{item.pk}/self/", {"done": "yes", "version": item.version}, **HTMX
    ).content.decode()
    assert 'id="domain-progress-2" data-testid="domain-progress-2" hx-swap-oob="true"' in html
    assert domain_progress(html, "2") == "đã chấm 1/1 tiêu chí · thiếu tài liệu ở 1 tiêu chí"


def test_the_submit_page_links_each_missing_leaf_inside_its_open_domain(
    client, head_a, assessment_a
):
    client.force_login(head_a)
    page = client.get(f"{FORM}submit/").content.decode()
    item = item_of(assessment_a, "2.1")
    assert f'href="{FORM}?domain=2#item-{item.pk}"' in page


def test_a_domain_loads_for_its_unit_and_not_for_another(
    client, officer_a, officer_b, assessment_a
):
    client.force_login(officer_a)
    assert client.get(f"{FORM}domain/1/", **HTMX).status_code == 200
    client.force_login(officer_b)
    assert client.get(f"{FORM}domain/1/", **HTMX).status_code == 404
