"""The overview page (results/overview.py, results/overview_city.py, results/views_overview.py)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from conftest import _user
from cycles.models import Cycle, IndexFamily, Participation
from plans.models import Plan, Target, Task
from reporting.models import Period, ReportState, ReportTemplate, UnitReport
from results.compute import previous_results
from results.history import import_history
from results.models import UnitResult
from units.models import Unit, UnitKind

from .conftest import GROUP, make_units, moved_cycle

pytestmark = pytest.mark.django_db

URL = "/results/overview/"


def table(*rows: str) -> bytes:
    return ("ma_don_vi,khoi,chi_so\n" + "\n".join(rows) + "\n").encode()


def cycle_in_self_assessment(actor, units, year=2025, **fields) -> Cycle:
    return moved_cycle(actor, units, ("self_assessment",), year, **fields)


@pytest.fixture
def year(secretariat):
    """2024 imported (high 91, low 60, middle 75); 2025 in self-assessment with a fourth, new unit."""
    high, low, middle, new = make_units(4)
    import_history(
        secretariat,
        2024,
        table(
            f'{high.code},"{GROUP}",91', f'{low.code},"{GROUP}",60', f'{middle.code},"{GROUP}",75'
        ),
        "2024.csv",
    )
    cycle = cycle_in_self_assessment(secretariat, [high, low, middle, new])
    return {"cycle": cycle, "high": high, "low": low, "new": new}


def test_leader_sees_each_index_its_stage_progress_and_units_at_risk(client, leader, year):
    client.force_login(leader)
    page = client.get(URL).content.decode()
    cycle, high = year["cycle"], year["high"]
    assert f'href="/cycles/{cycle.key}/"' in page
    assert "Tự đánh giá: 0/4 đơn vị đã nộp" in page
    # The progress as a bar the browser draws under the figure (sharp on a phone), hidden from
    # screen readers, which read the figure.
    assert '0/4 đơn vị đã nộp</a><progress max="100" value="0" aria-hidden="true">' in page
    assert f'href="/assessments/{cycle.key}/board/"' in page
    # The unit at 91 (band A) is forecast below 90: listed, linked to last year's result.
    assert "Dự báo: 1 đơn vị có nguy cơ" in page
    assert f'href="/results/2024/units/{high.code}/"' in page
    assert "Xuống xếp loại" in page
    assert 'src="data:image/svg+xml;base64,' in page
    # No two published years yet: the interval's width is the default, and the page says so.
    assert "Chưa có hai năm công bố liên tiếp" in page


def test_forecasts_use_history_through_the_same_index_and_give_a_new_unit_the_groups_figure(
    leader, year
):
    from results.overview import indices

    (entry,), error = indices(leader)
    assert error is None
    by_code = {f.code: f for f in entry.forecasts}
    assert by_code[year["high"].code].last == 91
    new = by_code[year["new"].code]
    assert new.last is None and not new.result.has_history
    assert new.result.point == pytest.approx((91 + 60 + 75) / 3, abs=0.01)
    assert [f.code for f in entry.at_risk] == [year["high"].code]


def test_the_page_reads_in_the_same_number_of_queries_whatever_the_number_of_units(
    client, leader, secretariat, year
):
    client.force_login(leader)
    client.get(URL)  # charts drawn and cached
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for unit in make_units(25, prefix="7"):
        Participation.objects.create(
            cycle=year["cycle"], unit=unit, framework_kind=UnitKind.COMMUNE, ranking_group=GROUP
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few) <= 25


def test_organiser_staff_see_only_their_own_index_and_none_of_the_citys_parts(client, unit_b, year):
    own_secretariat = _user("thuky.so", Role.SECRETARIAT, unit=unit_b)
    own = cycle_in_self_assessment(
        own_secretariat,
        make_units(2, prefix="6"),
        year=2026,
        organiser=unit_b,
        family=IndexFamily.INTERNAL,
    )
    client.force_login(own_secretariat)
    page = client.get(URL).content.decode()
    assert own.title in page
    assert year["cycle"].title not in page
    assert "Nhiệm vụ quá hạn" not in page and "SIPAS" not in page


def test_city_staff_see_sipas_target_overdue_tasks_and_reports_not_sent(
    client, council, unit_a, unit_b, year
):
    today = timezone.localdate()
    plan = Plan.objects.create(
        year=today.year, decision_number="1/QĐ", decision_date=date(today.year, 1, 5), title="KH"
    )
    Target.objects.create(plan=plan, area="1", text="SIPAS", metric="Chỉ số SIPAS", target_value=90)
    late = Task.objects.create(
        plan=plan,
        number="1",
        title="Số hoá",
        leader="Đ/c Phó Chủ tịch A",
        due=today - timedelta(days=3),
    )
    late.lead_units.add(unit_b)
    Task.objects.create(
        plan=plan, number="2", title="Xong", due=today - timedelta(days=3), status="done"
    )
    period = Period.objects.create(
        year=today.year,
        kind="year",
        template=ReportTemplate.objects.create(title="Mẫu"),
        due_at=timezone.now() + timedelta(days=5),
    )
    UnitReport.objects.create(period=period, unit=unit_a, state=ReportState.SUBMITTED)
    # A one-off request due sooner, to one unit, is not the regime's period (its own board counts it).
    request = Period.objects.create(
        year=today.year,
        kind="adhoc",
        title="Đề cương tổng kết",
        template=period.template,
        due_at=timezone.now() + timedelta(days=1),
    )
    request.recipients.set([unit_b])
    expected = Unit.objects.filter(kind__in=[UnitKind.COMMUNE, UnitKind.DEPARTMENT]).count()
    client.force_login(council)
    page = client.get(URL).content.decode()
    assert "Chưa có phiếu khảo sát SIPAS (chỉ tiêu 90 %)" in page
    assert f'href="/plans/{today.year}/?state=overdue"' in page
    assert "1 nhiệm vụ quá hạn" in page
    assert "Đ/c Phó Chủ tịch A: 1" in page
    assert f'?state=overdue&amp;unit={unit_b.pk}">Sở Tư pháp: 1' in page
    assert f"{expected - 1}/{expected} đơn vị chưa gửi" in page


def test_previous_results_read_last_year_of_the_same_index_family(secretariat, year):
    """Another index of last year (here the central agencies') is not the unit's last year."""
    high = year["high"]
    other = Cycle.objects.create(year=2024, title="Ngành dọc", family=IndexFamily.CENTRAL_AGENCIES)
    UnitResult.objects.create(
        cycle=other,
        unit=high,
        ranking_group="x",
        total=10,
        maximum=100,
        index=10,
        appraisal_points=0,
        appraisal_maximum=0,
        survey_points=0,
        survey_maximum=0,
        extra_points=0,
        domains=[],
        leaves={},
    )
    previous = previous_results(year["cycle"], [high.pk])
    assert previous[high.pk].index == 91


def test_home_links_the_overview_for_leaders_not_for_units(client, leader, officer_a):
    client.force_login(leader)
    assert URL in client.get("/").content.decode()
    client.force_login(officer_a)
    assert URL not in client.get("/").content.decode()
