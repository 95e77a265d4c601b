"""Appraising in place: a leaf saved through htmx, a refused save that keeps what was typed, an empty
box until the reviewer decides, explicit agreement per leaf and per domain (audited), the queue."""

import re
from decimal import Decimal

import pytest

from accounts.audit import AuditEvent
from assessments import services
from conftest import SMALL_TOTAL, item_of, open_phases, small_framework_specs
from cycles.models import Cycle, Participation
from cycles.services import transition
from frameworks.services import save_specs
from units.models import UnitKind

from .test_workflow import fill_everything, go_to_appraisal

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def appraising(client, secretariat, reviewer, officer_a, open_cycle, assessment_a):
    """Unit A has scored every leaf (full marks), the cycle is in appraisal, the reviewer signed in."""
    fill_everything(officer_a, assessment_a)
    go_to_appraisal(secretariat, open_cycle)
    client.force_login(reviewer)
    return assessment_a


def _url(item, action="appraise"):
    return f"/assessments/items/{item.pk}/{action}/"


def _input(html, name, pk):
    """The value of the leaf's input `name` (its id is e.g. ap-<pk>)."""
    prefix = {"points": "ap", "comment": "cm"}[name]
    match = re.search(rf'id="{prefix}-{pk}"[^>]*value="([^"]*)"', html)
    assert match, f"no {name} input for item {pk}"
    return match.group(1)


def test_htmx_save_answers_with_the_leaf_only(client, appraising):
    item = item_of(appraising, "1.5")
    response = client.post(
        _url(item),
        {"points": "0,5", "comment": "Thiếu quyết định", "version": item.version},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(
        f'<article class="card mb-2 appraisal-leaf" id="item-{item.pk}"'
    )
    assert 'data-testid="appraised-1.5">0,50<' in html
    assert 'role="status">Đã lưu điểm thẩm định tiêu chí 1.5.<' in html
    assert 'data-testid="leaf-state-1.5">Đã thẩm định<' in html
    # The domain's sums and the page's progress follow, out of band.
    assert 'id="domain-head-1" hx-swap-oob="true"' in html
    assert "thẩm định 0,50 / 6,00" in html
    assert 'id="appraisal-progress" hx-swap-oob="true"' in html and "Đã thẩm định 1/9" in html
    assert item_of(appraising, "1.5").appraised_points == Decimal("0.50")


def test_the_appraised_box_is_empty_until_the_reviewer_decides(client, appraising):
    item = item_of(appraising, "1.5")
    page = client.get("/assessments/2025/00070/appraise/").content.decode()
    assert _input(page, "points", item.pk) == ""
    assert 'data-testid="self-hint-1.5">1,00<' in page  # the unit's points, beside, read-only
    assert 'data-testid="leaf-state-1.5">Chưa thẩm định<' in page
    page = client.post(_url(item), {"points": "0.75", "version": item.version}, follow=True)
    assert _input(page.content.decode(), "points", item.pk) == "0,75"


def test_a_refused_save_keeps_the_typed_points_and_comment(client, appraising):
    item = item_of(appraising, "1.5")
    html = client.post(
        _url(item),
        {
            "points": "5",
            "comment": "Thiếu quyết định công nhận",
            "needs_explanation": "on",
            "version": item.version,
        },
        **HTMX,
    ).content.decode()
    assert re.search(r'role="alert"[^>]*>Điểm của tiêu chí 1.5 phải từ 0,00 đến 1,00', html)
    assert _input(html, "points", item.pk) == "5"
    assert _input(html, "comment", item.pk) == "Thiếu quyết định công nhận"
    assert re.search(rf'id="ne-{item.pk}" checked', html)
    assert item_of(appraising, "1.5").appraised_points is None


def test_a_refused_plain_post_shows_the_page_with_the_typed_comment(client, appraising):
    """Without JavaScript the page itself comes back, the leaf's form holding what was typed."""
    item = item_of(appraising, "1.5")
    response = client.post(
        _url(item), {"points": "nhiều", "comment": "Xem lại", "version": item.version}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "Điểm “nhiều” không phải là số." in html
    assert _input(html, "comment", item.pk) == "Xem lại"
    assert _input(html, "points", item.pk) == "nhiều"


def test_a_save_in_the_wrong_phase_keeps_the_comment(client, reviewer, assessment_a):
    client.force_login(reviewer)  # the cycle is still in self-assessment
    item = item_of(assessment_a, "1.5")
    html = client.post(
        _url(item), {"points": "1", "comment": "Đủ căn cứ", "version": item.version}, **HTMX
    ).content.decode()
    assert "đang ở giai đoạn “Tự đánh giá”" in html and 'role="alert"' in html
    assert _input(html, "comment", item.pk) == "Đủ căn cứ"


def test_a_stale_save_keeps_the_typed_values_and_shows_the_newer_ones(client, appraising, reviewer):
    item = item_of(appraising, "1.5")
    services.appraise(reviewer, item, points="0.25", comment="Lần trước", version=item.version)
    html = client.post(
        _url(item), {"points": "0.75", "comment": "Lần này", "version": item.version}, **HTMX
    ).content.decode()
    assert "vừa được" in html and 'role="alert"' in html
    assert 'data-testid="appraised-1.5">0,25<' in html  # what is stored now
    assert (
        _input(html, "points", item.pk) == "0.75" and _input(html, "comment", item.pk) == "Lần này"
    )
    assert f'name="version" value="{item.version + 1}"' in html  # a second save is deliberate
    assert item_of(appraising, "1.5").appraised_points == Decimal("0.25")


def test_agreeing_with_one_leaf_is_explicit_and_audited(client, appraising, reviewer):
    item = item_of(appraising, "1.1.2")
    html = client.post(
        _url(item, "agree"), {"points": "", "comment": "Đủ", "version": item.version}, **HTMX
    ).content.decode()
    assert "Đã nhất trí với tự đánh giá tiêu chí 1.1.2." in html
    item = item_of(appraising, "1.1.2")
    assert item.appraised_points == item.self_points == Decimal("1.00")
    assert item.appraisal_comment == "Đủ" and not item.needs_explanation
    event = AuditEvent.objects.for_object(item).get(action="item.appraise")
    assert event.actor == reviewer
    assert event.reason == "Nhất trí với tự đánh giá tiêu chí 1.1.2"
    assert event.after["appraised_points"] == "1.00"


def test_agreeing_with_an_unscored_leaf_is_refused(
    client, reviewer, secretariat, open_cycle, assessment_a
):
    go_to_appraisal(secretariat, open_cycle)
    client.force_login(reviewer)
    item = item_of(assessment_a, "1.5")
    html = client.post(
        _url(item, "agree"), {"comment": "?", "version": item.version}, **HTMX
    ).content.decode()
    assert "chưa tự chấm tiêu chí 1.5" in html and _input(html, "comment", item.pk) == "?"
    assert item_of(assessment_a, "1.5").appraised_points is None


def test_domain_agreement_confirms_how_many_leaves_it_sets(client, appraising, reviewer):
    page = client.get("/assessments/2025/00070/appraise/").content.decode()
    assert "Xác nhận nhất trí 6 tiêu chí" in page and 'name="expected" value="6"' in page
    services.appraise(reviewer, item_of(appraising, "1.5"), points="0.5")
    page = client.get("/assessments/2025/00070/appraise/").content.decode()
    assert "Xác nhận nhất trí 5 tiêu chí" in page

    stale = client.post("/assessments/2025/00070/agree/1/", {"expected": "6"}, follow=True)
    assert "nay là 5, bạn đã xác nhận 6" in stale.content.decode()
    assert item_of(appraising, "1.1.2").appraised_points is None

    done = client.post("/assessments/2025/00070/agree/1/", {"expected": "5"}, follow=True)
    assert "Đã nhất trí với tự đánh giá 5 tiêu chí của lĩnh vực 1." in done.content.decode()
    assert item_of(appraising, "1.5").appraised_points == Decimal("0.50")  # its decision stands
    assert item_of(appraising, "1.1.2").appraised_points == Decimal("1.00")
    events = AuditEvent.objects.filter(
        action="item.appraise", reason="Nhất trí với tự đánh giá lĩnh vực 1"
    )
    assert events.count() == 5 and {e.actor for e in events} == {reviewer}
    page = client.get("/assessments/2025/00070/appraise/").content.decode()
    assert 'data-testid="agree-preview-1">Không còn tiêu chí nào' in page


# --- the queue ---------------------------------------------------------------------------------


@pytest.fixture
def next_year(secretariat, reviewer, unit_a, open_cycle):
    """Cycle 2026, in self-assessment, the reviewer assigned to Unit A there too."""
    cycle = Cycle.objects.create(year=2026, title="Chỉ số CCHC năm 2026")
    Participation.objects.create(
        cycle=cycle, unit=unit_a, framework_kind=UnitKind.COMMUNE, ranking_group="Khối xã, phường"
    )
    save_specs(
        secretariat,
        cycle,
        UnitKind.COMMUNE,
        small_framework_specs(),
        source="test",
        target_total=SMALL_TOTAL,
    )
    open_phases(cycle, secretariat)
    transition(secretariat, cycle, "self_assessment")
    services.assign_reviewer(secretariat, cycle, reviewer, [unit_a])
    return cycle


def _rows(html):
    return re.findall(r'data-testid="queue-row-([^"]+)"', html)


def test_queue_opens_on_the_cycle_in_appraisal_not_the_newest(
    client, appraising, next_year, reviewer
):
    page = client.get("/assessments/review/").content.decode()
    assert 'data-testid="queue-cycle">năm 2025' in page
    assert re.search(r'<option value="2025" selected>', page)
    assert 'data-testid="pending-00070">9<' in page
    later = client.get("/assessments/review/?cycle=2026").content.decode()
    assert 'data-testid="queue-cycle">năm 2026' in later


def test_queue_opens_on_the_newest_cycle_when_none_is_in_appraisal(client, reviewer, next_year):
    client.force_login(reviewer)
    page = client.get("/assessments/review/").content.decode()
    assert 'data-testid="queue-cycle">năm 2026' in page


def test_queue_refuses_an_unknown_cycle_clearly(client, appraising):
    page = client.get("/assessments/review/?cycle=1999").content.decode()
    assert "Bạn không có việc thẩm định trong kỳ “1999”; đang hiển thị kỳ 2025." in page


def test_queue_filters_by_state_domain_and_unit(
    client, appraising, reviewer, secretariat, open_cycle, unit_b, officer_b
):
    services.assign_reviewer(secretariat, open_cycle, reviewer, [unit_b], domain_code="2")
    services.agree_with_domain(reviewer, appraising, "1")
    services.appraise(
        reviewer, item_of(appraising, "2.1"), points="0", comment="Chưa có", needs_explanation=True
    )
    page = client.get("/assessments/review/").content.decode()
    assert _rows(page) == ["00070", "S02"]
    # Unit A: 9 leaves it scores (2.2 and 2.3 come from data); Unit B: domain 2 only, i.e. 2.1.
    assert 'data-testid="appraised-00070">7/9<' in page and 'data-testid="explain-00070">1<' in page
    assert 'data-testid="appraised-S02">0/1<' in page

    assert _rows(client.get("/assessments/review/?state=pending").content.decode()) == [
        "00070",
        "S02",
    ]
    assert _rows(client.get("/assessments/review/?state=explain").content.decode()) == ["00070"]
    one = client.get("/assessments/review/?domain=1").content.decode()
    assert _rows(one) == ["00070"] and 'data-testid="appraised-00070">6/6<' in one
    assert _rows(client.get("/assessments/review/?domain=1&state=done").content.decode()) == [
        "00070"
    ]
    assert _rows(client.get("/assessments/review/?unit=S02").content.decode()) == ["S02"]
    bad = client.get("/assessments/review/?state=everything").content.decode()
    assert 'role="alert"' in bad and _rows(bad) == ["00070", "S02"]
