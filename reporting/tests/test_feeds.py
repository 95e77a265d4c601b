"""Indicator feeds: values per unit and period imported from CSV/XLSX (preview, confirm, all or nothing
with row and column errors) or pushed by another system through the API; a unit's report opens
prefilled from them, each value marked as coming from the data source."""

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import AuditEvent
from accounts.tokens import create_token
from core.tabular import ImportFailed, read_table
from reporting import services
from reporting.feeds import parse_feed
from reporting.models import FedValue, IndicatorValue, PeriodKind, ReportState

INDICATORS = (
    "dossiers_on_time; Tỷ lệ hồ sơ giải quyết đúng hạn; rate; %\n"
    "meetings; Số cuộc họp giao ban CCHC; number; cuộc"
)
HEADER = "Mã đơn vị,Kỳ báo cáo,Mã chỉ tiêu,Giá trị,Tử số,Mẫu số\n"
GOOD = (
    HEADER
    + "00070,2025-q1,dossiers_on_time,,95,100\n00070,2025-q1,meetings,3,,\nS02,2025-q1,meetings,5,,\n"
)


@pytest.fixture
def period(secretariat, unit_a, unit_b):
    indicators, sections = services.parse_definition(INDICATORS, "direction; Chỉ đạo, điều hành")
    template = services.save_template(secretariat, "Báo cáo CCHC định kỳ", indicators, sections)
    return services.open_period(
        secretariat, 2025, PeriodKind.Q1, template, timezone.now() + timedelta(days=5)
    )


def parse(text: str):
    return parse_feed(read_table(text.encode(), "feed.csv"))


def problems_of(text: str) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        parse(text)
    return [str(p) for p in failed.value.problems]


def test_a_good_file_gives_one_row_per_figure(period, unit_a):
    rows = parse(GOOD)
    assert len(rows) == 3
    rate = rows[0]
    assert (rate.unit, rate.period, rate.indicator.code) == (unit_a, period, "dossiers_on_time")
    assert (rate.numerator, rate.denominator, rate.value) == (Decimal(95), Decimal(100), None)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("99999,2025-q1,meetings,3,,", "Dòng 2, cột A (Mã đơn vị): không có đơn vị mã “99999”."),
        ("00070,2025-q3,meetings,3,,", "Dòng 2, cột B (Kỳ báo cáo): không có kỳ báo cáo “2025-q3”"),
        ("00070,2025-q1,staff,3,,", "Dòng 2, cột C (Mã chỉ tiêu): mẫu báo cáo của kỳ này không có"),
        ("00070,2025-q1,meetings,ba,,", "Dòng 2, cột D (Giá trị): “ba” không phải là số."),
        ("00070,2025-q1,meetings,-2,,", "Dòng 2, cột D (Giá trị): Giá trị không được âm."),
        ("00070,2025-q1,meetings,1.555,,", "Dòng 2, cột D (Giá trị): Giá trị có tối đa 2 chữ số"),
        ("00070,2025-q1,meetings,,,", "Dòng 2, cột D (Giá trị): thiếu giá trị."),
        ("00070,2025-q1,dossiers_on_time,,95,", "Dòng 2, cột F (Mẫu số): chỉ tiêu tỷ lệ cần cả"),
        ("00070,2025-q1,dossiers_on_time,,101,100", "Dòng 2, cột E (Tử số): tử số lớn hơn mẫu số."),
        ("00070,2025-q1,dossiers_on_time,95,,", "Dòng 2, cột D (Giá trị): chỉ tiêu tỷ lệ"),
    ],
)
def test_bad_rows_are_named_by_row_and_column(period, row, expected):
    assert any(p.startswith(expected) for p in problems_of(HEADER + row + "\n")), problems_of(
        HEADER + row + "\n"
    )


def test_a_missing_column_is_named(period):
    problems = problems_of("Mã đơn vị,Mã chỉ tiêu,Giá trị\n00070,meetings,3\n")
    assert problems[0].startswith("Thiếu cột: “kỳ báo cáo”")


def test_a_repeated_row_is_refused(period):
    problems = problems_of(HEADER + "00070,2025-q1,meetings,3,,\n00070,2025-q1,meetings,4,,\n")
    assert problems == ["Dòng 3: trùng đơn vị, kỳ và chỉ tiêu với dòng 2."]


def xlsx(text: str) -> bytes:
    book = Workbook()
    for line in text.strip().splitlines():
        book.active.append([cell or None for cell in line.split(",")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("reporting:feed_import"), {"file": SimpleUploadedFile(name, data)})


def test_the_secretariat_previews_then_confirms_an_xlsx_feed(client, secretariat, period):
    client.force_login(secretariat)
    preview = upload(client, xlsx(GOOD), "so-lieu.xlsx")
    assert preview.status_code == 200
    assert "3 số liệu của 2 đơn vị" in preview.content.decode()
    assert not FedValue.objects.exists()  # nothing saved before the confirmation
    done = client.post(reverse("reporting:feed_import"), {"confirm": "1"})
    assert done.status_code == 302
    assert FedValue.objects.count() == 3
    event = AuditEvent.objects.get(action="indicator_feed.receive")
    assert event.after == {"channel": "import", "rows": 3, "units": ["00070", "S02"]}


def test_one_bad_row_keeps_the_whole_file_out(client, secretariat, period):
    client.force_login(secretariat)
    response = upload(client, (GOOD + "00070,2025-q1,meetings,x,,\n").encode(), "so-lieu.csv")
    page = response.content.decode()
    assert "Dòng 5, cột D (Giá trị): “x” không phải là số." in page
    assert "Xác nhận nhập" not in page
    assert client.post(reverse("reporting:feed_import"), {"confirm": "1"}).status_code == 302
    assert not FedValue.objects.exists()


def test_a_new_feed_replaces_the_values_it_repeats(secretariat, period):
    services.receive_feed(secretariat, parse(GOOD), "import")
    services.receive_feed(secretariat, parse(HEADER + "00070,2025-q1,meetings,7,,\n"), "import")
    assert FedValue.objects.count() == 3
    assert FedValue.objects.get(unit__code="00070", indicator__code="meetings").value == 7


def test_the_units_report_opens_prefilled_and_marked(client, secretariat, officer_a, period):
    services.receive_feed(secretariat, parse(GOOD), "import")
    client.force_login(officer_a)
    url = reverse("reporting:report", args=[2025, "q1", "00070"])
    page = client.get(url).content.decode()
    assert 'value="95"' in page and 'value="100"' in page and 'value="3"' in page
    assert 'data-testid="fed-dossiers_on_time"' in page
    assert "Lấy từ nguồn dữ liệu" in page
    response = client.post(
        url,
        {
            "dossiers_on_time__numerator": "95,00",
            "dossiers_on_time__denominator": "100,00",
            "meetings__value": "3,00",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    report = period.reports.get(unit__code="00070")
    assert report.state == ReportState.SUBMITTED
    stored = IndicatorValue.objects.get(report=report, indicator__code="dossiers_on_time")
    assert (stored.numerator, stored.denominator) == (Decimal(95), Decimal(100))


def test_a_figure_the_unit_changed_is_no_longer_marked(client, secretariat, officer_a, period):
    services.receive_feed(secretariat, parse(GOOD), "import")
    client.force_login(officer_a)
    url = reverse("reporting:report", args=[2025, "q1", "00070"])
    client.post(
        url,
        {
            "dossiers_on_time__numerator": "95",
            "dossiers_on_time__denominator": "100",
            "meetings__value": "4",
        },
    )
    page = client.get(url).content.decode()
    assert 'data-testid="fed-dossiers_on_time"' in page
    assert 'data-testid="fed-meetings"' not in page


def test_the_import_page_is_the_secretariats(client, officer_a, period):
    client.force_login(officer_a)
    assert client.get(reverse("reporting:feed_import")).status_code == 403
    response = client.post(reverse("reporting:feed_import"), {"confirm": "1"})
    assert response.status_code == 403


FEED_URL = "/api/v1/reports/feeds/2025/q1/00070"


def push(client, user, body):
    key = create_token(user, "Hệ thống TTHC")[1]
    return client.put(
        FEED_URL,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_another_system_pushes_a_units_figures(client, secretariat, period):
    body = {"figures": {"dossiers_on_time": {"numerator": 97, "denominator": 100}}}
    response = push(client, secretariat, body)
    assert response.status_code == 200, response.content
    assert response.json() == {"received": 1}
    fed = FedValue.objects.get()
    assert (fed.unit.code, fed.numerator, fed.channel) == ("00070", Decimal(97), "api")


@pytest.mark.parametrize(
    ("figures", "fragment"),
    [
        ({"staff": {"value": 1}}, "không có chỉ tiêu “staff”"),
        ({"dossiers_on_time": {"value": 97}}, "chỉ tiêu tỷ lệ"),
        ({"meetings": {"value": -1}}, "không được âm"),
        ({}, "Không có số liệu nào"),
    ],
)
def test_a_bad_push_is_refused_whole(client, secretariat, period, figures, fragment):
    figures = figures and {**figures, "meetings": figures.get("meetings", {"value": 2})}
    response = push(client, secretariat, {"figures": figures})
    assert response.status_code == 400
    assert fragment in response.json()["detail"]
    assert not FedValue.objects.exists()


@pytest.mark.parametrize("persona", ["officer_a", "head_a", "reviewer", "council", "leader"])
def test_only_the_secretariat_pushes(client, personas, period, persona):
    body = {"figures": {"meetings": {"value": 2}}}
    assert push(client, personas[persona], body).status_code == 403
    assert not FedValue.objects.exists()


def test_a_push_for_an_unknown_unit_is_a_404(client, secretariat, period):
    key = create_token(secretariat, "x")[1]
    response = client.put(
        "/api/v1/reports/feeds/2025/q1/99999",
        data=json.dumps({"figures": {"meetings": {"value": 2}}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 404


def test_a_closed_period_does_not_show_fed_values_as_reported(
    client, secretariat, officer_a, period
):
    services.receive_feed(secretariat, parse(GOOD), "import")
    services.set_due(secretariat, period, timezone.now() - timedelta(minutes=1))
    client.force_login(officer_a)
    page = client.get(reverse("reporting:report", args=[2025, "q1", "00070"])).content.decode()
    assert 'value="95"' not in page
    assert "Lấy từ nguồn dữ liệu" not in page
