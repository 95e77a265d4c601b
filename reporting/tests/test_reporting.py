"""Periodic reports: windows, templates and versions, a unit's report, due dates, consolidation, exports."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.models import AuditEvent
from core.tests.charts import description, svgs_in
from reporting import services
from reporting.consolidation import consolidate, rate
from reporting.documents import excel_report, word_report
from reporting.models import (
    IndicatorValue,
    Period,
    PeriodKind,
    ReportState,
    UnitReport,
    data_window,
)

INDICATORS = "dossiers_on_time; Tỷ lệ hồ sơ giải quyết đúng hạn; rate; %\nmeetings; Số cuộc họp giao ban CCHC; number; cuộc"
SECTIONS = "direction; Công tác chỉ đạo, điều hành\nprocedures; Cải cách thủ tục hành chính"


@pytest.mark.parametrize(
    ("kind", "end"),
    [
        (PeriodKind.Q1, date(2025, 3, 14)),
        (PeriodKind.HALF_YEAR, date(2025, 6, 14)),
        (PeriodKind.NINE_MONTHS, date(2025, 9, 14)),
        (PeriodKind.YEAR, date(2025, 12, 14)),
    ],
)
def test_data_windows_follow_the_regime(kind, end):
    assert data_window(2025, kind) == (date(2024, 12, 15), end)


@pytest.fixture
def template(secretariat):
    indicators, sections = services.parse_definition(INDICATORS, SECTIONS)
    return services.save_template(secretariat, "Báo cáo CCHC định kỳ", indicators, sections)


@pytest.fixture
def period(secretariat, template):
    return services.open_period(
        secretariat, 2025, PeriodKind.Q1, template, timezone.now() + timedelta(days=5)
    )


def figures(numerator, denominator, meetings):
    return {
        "dossiers_on_time": {"numerator": numerator, "denominator": denominator},
        "meetings": {"value": meetings},
    }


def test_definition_errors_are_named():
    with pytest.raises(services.ReportingError, match="dòng 1: cần"):
        services.parse_definition("x; y", "")
    with pytest.raises(services.ReportingError, match="bị trùng"):
        services.parse_definition("a; A; number\na; B; rate", "")
    with pytest.raises(services.ReportingError, match="ít nhất một"):
        services.parse_definition("", "")


def test_a_template_is_versioned_not_edited(secretariat, template):
    again = services.save_template(
        secretariat,
        template.title,
        [{"code": "x", "label": "X", "is_rate": False, "unit_of_measure": ""}],
        [],
    )
    assert (template.version, again.version) == (1, 2)
    assert template.indicators.count() == 2 and again.indicators.count() == 1


def test_unit_fills_and_submits_and_cannot_change_after(officer_a, unit_a, period):
    report = services.report_for(period, unit_a)
    services.save_report(
        officer_a, report, figures("95", "100", "3"), {"direction": "Đã ban hành kế hoạch."}
    )
    services.submit_report(officer_a, report)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.submitted_by == officer_a
    with pytest.raises(services.ReportingError, match="đã gửi"):
        services.save_report(officer_a, report, figures("1", "2", "1"), {})
    assert AuditEvent.objects.filter(action="report.submit").exists()


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        (figures("120", "100", "1"), "tử số (120) lớn hơn mẫu số (100)"),
        (figures("abc", "100", "1"), "“abc” không phải là số"),
        (figures("1", "", "1"), "cần cả tử số và mẫu số"),
        (figures("1", "2", "-3"), "không được âm"),
        (figures("1", "2", "1,234"), "tối đa 2 chữ số thập phân"),
    ],
)
def test_bad_figures_are_refused_and_nothing_saved(officer_a, unit_a, period, given, fragment):
    report = services.report_for(period, unit_a)
    services.save_report(officer_a, report, figures("5", "10", "2"), {})
    with pytest.raises(services.ReportingError, match=re.escape(fragment)):
        services.save_report(officer_a, report, given, {"direction": "mới"})
    assert (
        IndicatorValue.objects.get(report=report, indicator__code="dossiers_on_time").numerator == 5
    )
    assert not report.narratives.filter(text="mới").exists()


def test_submission_needs_every_figure(officer_a, unit_a, period):
    report = services.report_for(period, unit_a)
    services.save_report(officer_a, report, {"meetings": {"value": "2"}}, {})
    with pytest.raises(services.ReportingError, match="còn thiếu số liệu: Tỷ lệ hồ sơ"):
        services.submit_report(officer_a, report)


def test_after_the_due_date_nothing_is_accepted(officer_a, unit_a, period, secretariat):
    report = services.report_for(period, unit_a)
    services.set_due(secretariat, period, timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.ReportingError, match="Đã quá hạn nộp"):
        services.save_report(officer_a, report, figures("1", "2", "1"), {})


def test_another_unit_cannot_fill(officer_b, unit_a, period, reviewer):
    report = services.report_for(period, unit_a)
    for user in (officer_b, reviewer):
        with pytest.raises(PermissionDenied):
            services.save_report(user, report, figures("1", "2", "1"), {})


def submit(period, unit, user, numerator, denominator, meetings, text=""):
    report = services.report_for(period, unit)
    services.save_report(
        user, report, figures(numerator, denominator, meetings), {"direction": text}
    )
    services.submit_report(user, report)


def test_only_the_citys_secretariat_is_told_of_a_submitted_report(
    secretariat, officer_a, unit_a, unit_b, period
):
    from accounts.models import Notification, Role, User

    commune_secretariat = User.objects.create_user(
        "thuky.hoankiem", role=Role.SECRETARIAT, unit=unit_a
    )
    submit(period, unit_a, officer_a, "9", "10", "2")
    told = set(Notification.objects.filter(text__contains="đã gửi").values_list("user", flat=True))
    assert told == {secretariat.pk}
    assert commune_secretariat.pk not in told


def test_consolidation_sums_and_recomputes_rates(officer_a, officer_b, unit_a, unit_b, period):
    submit(period, unit_a, officer_a, "9", "10", "2", "Phường đã ban hành kế hoạch.")
    submit(period, unit_b, officer_b, "50", "100", "5", "Sở đã ban hành kế hoạch.")
    result = consolidate(period)
    rates, meetings = result.totals
    # (9 + 50) / (10 + 100) = 53.64 %, not the mean of 90 % and 50 %
    assert rates.rate == Decimal("53.64") and rates.reports == 2
    assert meetings.value == Decimal("7")
    assert [unit.code for unit, _ in result.narratives[next(iter(result.narratives))]] == [
        "S02",
        "00070",
    ]


def test_drafts_are_left_out_of_the_city_report(officer_a, unit_a, period):
    services.save_report(
        officer_a, services.report_for(period, unit_a), figures("9", "10", "2"), {}
    )
    assert consolidate(period).totals[0].rate is None


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=st.lists(st.tuples(st.integers(0, 500), st.integers(1, 500)), min_size=1, max_size=8))
def test_city_rate_is_summed_numerators_over_summed_denominators(pairs, secretariat, template, db):
    from units.models import Unit, UnitKind

    Period.objects.all().delete()
    period = services.open_period(
        secretariat, 2031, PeriodKind.Q1, template, timezone.now() + timedelta(days=1)
    )
    for index, (numerator, denominator) in enumerate(pairs):
        unit = Unit.objects.get_or_create(
            code=f"H{index}", defaults={"name": f"Đơn vị {index}", "kind": UnitKind.COMMUNE}
        )[0]
        report = UnitReport.objects.create(period=period, unit=unit, state=ReportState.SUBMITTED)
        IndicatorValue.objects.create(
            report=report,
            indicator=template.indicators.get(code="dossiers_on_time"),
            numerator=min(numerator, denominator),
            denominator=denominator,
        )
    total = consolidate(period).totals[0]
    expected = rate(sum(min(n, d) for n, d in pairs), sum(d for _, d in pairs))
    assert total.rate == expected


def test_comparison_with_the_previous_period(secretariat, officer_a, unit_a, template, period):
    submit(period, unit_a, officer_a, "8", "10", "2")
    half = services.open_period(
        secretariat, 2025, PeriodKind.HALF_YEAR, template, timezone.now() + timedelta(days=9)
    )
    submit(half, unit_a, officer_a, "19", "20", "5")
    rates, meetings = consolidate(half).totals
    assert rates.previous.rate == Decimal("80.00") and rates.change == Decimal("15.00")
    assert meetings.change == Decimal("3")


def test_word_and_excel_exports_carry_the_figures(officer_a, unit_a, period):
    submit(period, unit_a, officer_a, "9", "10", "2", "Phường đã ban hành kế hoạch.")
    result = consolidate(period)
    document = Document(io.BytesIO(word_report(result)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "Kết quả cải cách hành chính quý I năm 2025" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in document.tables[0].rows[0].cells[1].text
    figures_table = document.tables[1]
    assert figures_table.rows[1].cells[1].text == "Tỷ lệ hồ sơ giải quyết đúng hạn"
    assert figures_table.rows[1].cells[2].text.startswith("90,00\u00a0%")
    assert "Phường đã ban hành kế hoạch." in text
    sheet = load_workbook(io.BytesIO(excel_report(result)))["tong-hop"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][0] == "dossiers_on_time" and rows[0][7] == 90.0 and rows[1][4] == 2.0


def test_screens(client, secretariat, officer_a, unit_a, unit_b, period, leader):
    client.force_login(officer_a)
    response = client.post(
        "/reports/2025/q1/00070/",
        {
            "dossiers_on_time__numerator": "120",
            "dossiers_on_time__denominator": "100",
            "meetings__value": "1",
            "submit": "1",
        },
    )
    assert (
        "lớn hơn mẫu số" in response.content.decode() and 'value="120"' in response.content.decode()
    )
    client.post(
        "/reports/2025/q1/00070/",
        {
            "dossiers_on_time__numerator": "90",
            "dossiers_on_time__denominator": "100",
            "meetings__value": "1",
            "direction__text": "Tốt",
            "submit": "1",
        },
    )
    assert UnitReport.objects.get(unit=unit_a).state == ReportState.SUBMITTED
    assert client.get("/reports/2025/q1/S02/").status_code == 403
    client.force_login(leader)
    board = client.get("/reports/2025/q1/").content.decode()
    assert 'data-testid="submitted-count">Đã gửi 1/' in board
    city = client.get("/reports/2025/q1/city/").content.decode()
    assert 'data-testid="figure-dossiers_on_time">90,00\u00a0%' in city
    assert client.get("/reports/2025/q1/city.docx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


@pytest.mark.parametrize("huge", ["1e40", "1000000000000"])
def test_figures_too_large_to_store_are_refused(officer_a, unit_a, period, huge):
    report = services.report_for(period, unit_a)
    with pytest.raises(services.ReportingError, match="quá lớn|không phải là số"):
        services.save_report(officer_a, report, figures("1", "2", huge), {})


def test_board_charts_submission_per_kind_of_unit(
    client, secretariat, officer_a, unit_a, unit_b, period
):
    submit(period, unit_a, officer_a, "9", "10", "2")
    client.force_login(secretariat)
    board = client.get("/reports/2025/q1/").content.decode()
    (chart,) = svgs_in(board)
    assert '<span class="status-badge status-success">Đã gửi</span>' in board
    assert '<span class="status-badge status-neutral">Chưa bắt đầu</span>' in board
    text = description(chart)
    assert "Báo cáo đã gửi theo loại đơn vị" in chart
    assert f"{unit_a.get_kind_display()}: đã gửi 1, đang soạn 0 trên tổng 1 đơn vị" in text
    assert f"{unit_b.get_kind_display()}: đã gửi 0, đang soạn 0 trên tổng 1 đơn vị" in text


def test_a_period_is_named_without_a_doubled_year(secretariat, template):
    due = timezone.now() + timedelta(days=5)
    annual = services.open_period(secretariat, 2026, PeriodKind.YEAR, template, due)
    half = services.open_period(secretariat, 2026, PeriodKind.HALF_YEAR, template, due)
    assert str(annual) == "Báo cáo CCHC năm 2026"
    assert str(half) == "Báo cáo CCHC 6 tháng năm 2026"
