"""One-off report requests: sent to chosen units with a deadline, answered, consolidated and exported with
the periodic regime's code; who has not sent and who is late; reminders (docs/reporting.md)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from accounts.models import AuditEvent, Notification, Role
from conftest import _user
from reporting import services
from reporting.models import Period, ReportState
from reporting.requests import request_report, send_request_reminders
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

INDICATORS = "trainings; Số lớp bồi dưỡng CCHC 2021-2025; number; lớp"
SECTIONS = "results; Kết quả nổi bật giai đoạn 2021-2025\nproposals; Đề xuất nhiệm vụ 2026-2030"


@pytest.fixture
def template(secretariat):
    indicators, sections = services.parse_definition(INDICATORS, SECTIONS)
    return services.save_template(secretariat, "Báo cáo tổng kết CCHC", indicators, sections)


@pytest.fixture
def unit_c(db):
    return Unit.objects.create(code="S04", name="Sở Công Thương", kind=UnitKind.DEPARTMENT)


@pytest.fixture
def officer_c(unit_c):
    return _user("canbo.c", Role.UNIT_OFFICER, unit_c)


def _answer(client, user, request, unit, trainings, results):
    client.force_login(user)
    url = reverse("reporting:request_report", args=[request.pk, unit.code])
    data = {
        "trainings__value": trainings,
        "results__text": results,
        "proposals__text": "",
        "submit": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == url


def test_a_request_answered_by_two_units_is_consolidated_exported_and_shows_the_late_one(
    client, secretariat, template, unit_a, unit_b, unit_c, officer_a, officer_b, officer_c
):
    client.force_login(secretariat)
    due = timezone.localtime(timezone.now() + timedelta(days=10))
    response = client.post(
        reverse("reporting:request_create"),
        {
            "title": "Báo cáo tổng kết CCHC giai đoạn 2021-2025",
            "template": template.pk,
            "due_at": due.strftime("%Y-%m-%dT%H:%M"),
            "units": [unit_a.pk, unit_b.pk, unit_c.pk],
        },
    )
    request = Period.objects.requests().get()
    assert response.url == reverse("reporting:request_board", args=[request.pk])
    assert AuditEvent.objects.filter(action="report_request.create").exists()
    # Each unit asked is told, with the address of its own report.
    told = Notification.objects.get(user=officer_c)
    assert told.link == reverse("reporting:request_report", args=[request.pk, unit_c.code])

    _answer(client, officer_a, request, unit_a, "12", "Phường đã số hóa 100% hồ sơ.")
    _answer(client, officer_b, request, unit_b, "30", "Sở đã rà soát 120 văn bản.")
    # Time passes: both sent two hours ago, and the deadline was an hour ago.
    now = timezone.now()
    request.reports.update(submitted_at=now - timedelta(hours=2))
    services.set_due(secretariat, request, now - timedelta(hours=1))

    client.force_login(secretariat)
    page = client.get(reverse("reporting:request_board", args=[request.pk])).content.decode()
    assert 'data-testid="submitted-count">Đã gửi 2/3' in page
    assert 'data-testid="late-count">1<' in page
    late_row = page.split('data-testid="row-S04"')[1].split("</tr>")[0]
    assert "Quá hạn, chưa gửi" in late_row
    assert "Quá hạn" not in page.split('data-testid="row-S02"')[1].split("</tr>")[0]

    response = client.get(reverse("reporting:request_word", args=[request.pk]))
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Báo cáo tổng kết CCHC giai đoạn 2021-2025" in text
    assert "tổng hợp từ 2/3 báo cáo" in text and "Số liệu từ ngày" not in text
    assert f"{unit_a.display_name}: Phường đã số hóa 100% hồ sơ." in text
    assert f"{unit_b.display_name}: Sở đã rà soát 120 văn bản." in text
    figures = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["1", "Số lớp bồi dưỡng CCHC 2021-2025", "42\xa0lớp", "—", "—"] in figures


def test_a_late_report_is_still_taken_and_marked_late(secretariat, template, unit_a, officer_a):
    request = request_report(
        secretariat, "Đề cương", template, timezone.now() + timedelta(days=1), [unit_a]
    )
    services.set_due(secretariat, request, timezone.now() - timedelta(minutes=5))
    report = services.report_for(request, unit_a)
    services.save_report(officer_a, report, {"trainings": {"value": "3"}}, {"results": "Xong."})
    services.submit_report(officer_a, report)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.is_late


def test_a_unit_not_asked_can_neither_write_nor_open_the_request(
    client, secretariat, template, unit_a, unit_b, officer_b
):
    request = request_report(
        secretariat, "Chuyên đề", template, timezone.now() + timedelta(days=3), [unit_a]
    )
    report = services.report_for(request, unit_b)
    with pytest.raises(services.ReportingError, match="không gửi đến đơn vị"):
        services.save_report(officer_b, report, {"trainings": {"value": "1"}}, {})
    client.force_login(officer_b)
    url = reverse("reporting:request_report", args=[request.pk, unit_b.code])
    assert client.get(url).status_code == 404
    assert "Chuyên đề" not in client.get(reverse("reporting:list")).content.decode()


def test_only_the_secretariat_sends_a_request_and_it_needs_units(
    secretariat, council, template, unit_a
):
    due = timezone.now() + timedelta(days=3)
    with pytest.raises(services.PermissionDenied):
        request_report(council, "X", template, due, [unit_a])
    with pytest.raises(services.ReportingError, match="ít nhất một đơn vị"):
        request_report(secretariat, "X", template, due, [])


def test_reminders_go_to_units_that_have_not_sent_once_near_and_once_past_the_deadline(
    secretariat, template, unit_a, unit_b, officer_a, officer_b, settings
):
    settings.DEADLINE_REMINDER_DAYS = 3
    request = request_report(
        secretariat,
        "Báo cáo chuyên đề",
        template,
        timezone.now() + timedelta(days=2),
        [unit_a, unit_b],
    )
    report = services.report_for(request, unit_b)
    services.save_report(officer_b, report, {"trainings": {"value": "1"}}, {})
    services.submit_report(officer_b, report)
    Notification.objects.all().delete()

    assert send_request_reminders() == 1
    assert send_request_reminders() == 0  # once per unit and kind
    (reminder,) = Notification.objects.filter(user=officer_a)
    assert reminder.text.startswith("Sắp đến hạn: báo cáo “Báo cáo chuyên đề”")
    assert not Notification.objects.filter(user=officer_b).exists()

    services.set_due(secretariat, request, timezone.now() - timedelta(hours=1))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 về yêu cầu báo cáo" in out.getvalue()
    assert Notification.objects.filter(user=officer_a, text__startswith="Quá hạn").exists()


def test_issue_19_done_when_through_the_services(
    secretariat, template, unit_a, unit_b, unit_c, officer_a, officer_b, officer_c
):
    """Issue 19: a one-off request with its deadline is sent, answered by two units, consolidated and
    exported; the unit that has not sent is late on the board once the deadline passes."""
    from openpyxl import load_workbook

    from reporting.consolidation import consolidate
    from reporting.documents import excel_report, word_report
    from reporting.requests import board

    request = request_report(
        secretariat,
        "Báo cáo chuyên đề giai đoạn 2021-2025",
        template,
        timezone.now() + timedelta(days=5),
        [unit_a, unit_b, unit_c],
    )
    assert not any(row.late for row in board(request))  # nobody is late before the deadline
    for officer, unit, figure in ((officer_a, unit_a, "7"), (officer_b, unit_b, "5")):
        report = services.report_for(request, unit)
        services.save_report(
            officer, report, {"trainings": {"value": figure}}, {"results": f"Kết quả {unit.code}"}
        )
        services.submit_report(officer, report)
    # Time passes: the two sent an hour ago, and the deadline was a minute ago.
    request.reports.update(submitted_at=timezone.now() - timedelta(hours=1))
    services.set_due(secretariat, request, timezone.now() - timedelta(minutes=1))

    rows = {row.unit.code: row for row in board(request)}
    assert [code for code, row in rows.items() if row.late] == [unit_c.code]
    assert rows[unit_a.code].sent and not rows[unit_a.code].late  # sent before the deadline
    assert not rows[unit_c.code].sent

    result = consolidate(request)
    assert (result.submitted, result.expected) == (2, 3)
    (trainings,) = result.totals
    assert (trainings.reports, trainings.figure) == (2, 12)
    book = load_workbook(io.BytesIO(excel_report(result)))
    sheet = list(book["tong-hop"].iter_rows(values_only=True))
    assert sheet[1][0] == "Báo cáo đã gửi: 2/3"
    assert sheet[3][:5] == ("trainings", "Số lớp bồi dưỡng CCHC 2021-2025", "lớp", 2, 12)
    narratives = {row[1]: row[2] for row in book["noi-dung"].iter_rows(min_row=2, values_only=True)}
    assert narratives == {
        str(unit_a): f"Kết quả {unit_a.code}",
        str(unit_b): f"Kết quả {unit_b.code}",
    }
    text = "\n".join(p.text for p in Document(io.BytesIO(word_report(result))).paragraphs)
    assert "Báo cáo chuyên đề giai đoạn 2021-2025" in text and "tổng hợp từ 2/3 báo cáo" in text
