"""The JSON API for periodic reports (/api/v1/reports/): every persona on both endpoints, a system
filling in and submitting a unit's report, the services' rules and messages (nothing saved when
refused), and the OpenAPI schema."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from accounts.tokens import create_token
from reporting import services
from reporting.consolidation import consolidate
from reporting.models import IndicatorValue, NarrativeText, PeriodKind, ReportState, UnitReport

URL = "/api/v1/reports/2025/q1/00070"
INDICATORS = (
    "dossiers_on_time; Tỷ lệ hồ sơ giải quyết đúng hạn; rate; %\n"
    "meetings; Số cuộc họp giao ban CCHC; number; cuộc"
)
SECTIONS = "direction; Công tác chỉ đạo, điều hành\nprocedures; Cải cách thủ tục hành chính"


@pytest.fixture
def keys(personas):
    """A bearer key for every persona (none for the anonymous visitor)."""
    return {
        name: (create_token(user, f"test {name}")[1] if user else None)
        for name, user in personas.items()
    }


@pytest.fixture
def period(secretariat, unit_a, unit_b):
    indicators, sections = services.parse_definition(INDICATORS, SECTIONS)
    template = services.save_template(secretariat, "Báo cáo CCHC định kỳ", indicators, sections)
    return services.open_period(
        secretariat, 2025, PeriodKind.Q1, template, timezone.now() + timedelta(days=5)
    )


def call(client, method, url, key=None, body=None, raw=None):
    """One request with the persona's key; `body` is sent as JSON, `raw` exactly as given."""
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def body(numerator=95, denominator=100, meetings=3, submit=False, **narratives):
    return {
        "figures": {
            "dossiers_on_time": {"numerator": numerator, "denominator": denominator},
            "meetings": {"value": meetings},
        },
        "narratives": narratives or {"direction": "Đã ban hành kế hoạch CCHC năm."},
        "submit": submit,
    }


def stored(unit_code="00070"):
    """The figures stored for the unit, code → (value, numerator, denominator)."""
    return {
        v.indicator.code: (v.value, v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(report__unit__code=unit_code).select_related(
            "indicator"
        )
    }


# ------------------------------------------------------------------ role matrix

READ = {
    "secretariat": 200,
    "officer_a": 200,
    "head_a": 200,
    "officer_b": 403,
    "reviewer": 403,
    "council": 200,
    "leader": 200,
    "anonymous": 401,
}
# Only the unit's own members fill in its report; city readers may not do it for the unit.
WRITE = {
    "secretariat": 403,
    "officer_a": 200,
    "head_a": 200,
    "officer_b": 403,
    "reviewer": 403,
    "council": 403,
    "leader": 403,
    "anonymous": 401,
}


@pytest.mark.parametrize(("persona", "status"), READ.items())
def test_read_matrix(client, period, keys, persona, status):
    response = call(client, "get", URL, keys[persona])
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["unit"] == {"code": "00070", "name": "Hoàn Kiếm"}
    else:
        assert set(response.json()) == {"detail"}
    if status == 401:
        assert response["WWW-Authenticate"] == "Bearer"
    # reading never creates a report
    assert not UnitReport.objects.exists()


@pytest.mark.parametrize(("persona", "status"), WRITE.items())
def test_write_matrix(client, period, keys, persona, status):
    response = call(client, "put", URL, keys[persona], body())
    assert response.status_code == status, response.content
    assert UnitReport.objects.exists() == (status == 200)
    assert AuditEvent.objects.filter(action="report.save").exists() == (status == 200)
    if status == 403:
        assert response.json() == {"detail": "Chỉ cán bộ của đơn vị được lập báo cáo của đơn vị."}


@pytest.mark.parametrize(("persona", "status"), WRITE.items())
def test_submit_matrix(client, period, keys, persona, status):
    response = call(client, "put", URL, keys[persona], body(submit=True))
    assert response.status_code == status, response.content
    submitted = UnitReport.objects.filter(state=ReportState.SUBMITTED).exists()
    assert submitted == (status == 200)


def test_unit_b_reads_and_writes_its_own_report(client, period, keys):
    url = "/api/v1/reports/2025/q1/S02"
    assert call(client, "put", url, keys["officer_b"], body()).status_code == 200
    assert call(client, "get", url, keys["officer_b"]).json()["state"] == "draft"
    # ... and Unit A's people may not see it
    assert call(client, "get", url, keys["officer_a"]).status_code == 403
    assert call(client, "put", url, keys["head_a"], body()).status_code == 403
    assert stored("S02")["meetings"] == (Decimal("3.00"), None, None)


@pytest.mark.parametrize(
    ("path", "persona"),
    [
        ("/api/v1/reports/2024/q1/00070", "officer_a"),  # no period that year
        ("/api/v1/reports/2025/h1/00070", "officer_a"),  # no period of that kind
        ("/api/v1/reports/2025/quy1/00070", "officer_a"),
        ("/api/v1/reports/2025/q1/99999", "secretariat"),  # no such unit
        ("/api/v1/reports/2025/q1/99999", "officer_a"),
    ],
)
def test_an_unknown_period_or_unit_is_404(client, period, keys, path, persona):
    for method, data in (("get", None), ("put", body())):
        response = call(client, method, path, keys[persona], data)
        assert response.status_code == 404, (method, response.content)
        assert response.json() == {"detail": "Không tìm thấy."}
    assert not UnitReport.objects.exists()


# ------------------------------------------------------------------ happy paths


def test_a_system_fills_in_then_submits_the_report(client, period, keys, officer_a):
    response = call(
        client,
        "put",
        URL,
        keys["officer_a"],
        body(numerator="95", denominator=100, meetings=3, procedures=" Rà soát 12 thủ tục. "),
    )
    assert response.status_code == 200, response.content
    data = response.json()
    start, end = period.window
    assert data["period"] == {
        "year": 2025,
        "kind": "q1",
        "label": "Quý I",
        "data_from": start.isoformat(),
        "data_to": end.isoformat(),
        "due_at": data["period"]["due_at"],
        "open": True,
    }
    assert (data["state"], data["submitted_at"]) == ("draft", None)
    assert data["figures"] == [
        {
            "code": "dossiers_on_time",
            "label": "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "is_rate": True,
            "unit_of_measure": "%",
            "value": None,
            "numerator": "95.00",
            "denominator": "100.00",
        },
        {
            "code": "meetings",
            "label": "Số cuộc họp giao ban CCHC",
            "is_rate": False,
            "unit_of_measure": "cuộc",
            "value": "3.00",
            "numerator": None,
            "denominator": None,
        },
    ]
    assert data["narratives"] == [
        {"code": "direction", "title": "Công tác chỉ đạo, điều hành", "text": ""},
        {
            "code": "procedures",
            "title": "Cải cách thủ tục hành chính",
            "text": "Rà soát 12 thủ tục.",
        },
    ]
    # the same as a GET, by the unit and by a city reader
    assert call(client, "get", URL, keys["head_a"]).json() == data
    assert call(client, "get", URL, keys["leader"]).json()["figures"] == data["figures"]
    assert AuditEvent.objects.get(action="report.save").actor == officer_a
    assert not consolidate(period).submitted  # a draft is not in the city report

    response = call(client, "put", URL, keys["head_a"], body(numerator=96, submit=True))
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted" and response.json()["submitted_at"]
    report = UnitReport.objects.get()
    assert report.state == ReportState.SUBMITTED and report.submitted_by.username == "thutruong.a"
    assert AuditEvent.objects.get(action="report.submit").actor == report.submitted_by
    assert Notification.objects.filter(user__username="thuky", text__contains="đã gửi").exists()
    # the submitted figures go into the city's consolidated report
    result = consolidate(period)
    assert result.submitted == 1
    totals = {t.indicator.code: t for t in result.totals}
    assert (totals["dossiers_on_time"].numerator, totals["dossiers_on_time"].denominator) == (
        Decimal("96"),
        Decimal("100"),
    )
    assert totals["meetings"].value == Decimal("3")


def test_a_report_not_started_reads_as_empty(client, period, keys):
    data = call(client, "get", URL, keys["council"]).json()
    assert (data["state"], data["submitted_at"]) == ("not_started", None)
    assert {f["code"]: (f["value"], f["numerator"]) for f in data["figures"]} == {
        "dossiers_on_time": (None, None),
        "meetings": (None, None),
    }
    assert [n["text"] for n in data["narratives"]] == ["", ""]
    assert not UnitReport.objects.exists()


def test_a_put_replaces_the_whole_report(client, period, keys):
    call(client, "put", URL, keys["officer_a"], body())
    response = call(client, "put", URL, keys["officer_a"], {"figures": {"meetings": {"value": 4}}})
    assert response.status_code == 200, response.content
    assert stored() == {
        "dossiers_on_time": (None, None, None),
        "meetings": (Decimal("4.00"), None, None),
    }
    assert set(NarrativeText.objects.values_list("text", flat=True)) == {""}


def test_numbers_as_strings_with_a_comma_are_read_as_the_screen_does(client, period, keys):
    response = call(
        client, "put", URL, keys["officer_a"], body(numerator="95,5", denominator="1 000")
    )
    assert response.status_code == 200, response.content
    assert stored()["dossiers_on_time"] == (None, Decimal("95.50"), Decimal("1000.00"))


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        (body(numerator="abc"), "“abc” không phải là số"),
        (body(meetings="ba"), "“ba” không phải là số"),
        (body(numerator=120, denominator=100), "tử số (120) lớn hơn mẫu số (100)"),
        (body(numerator=1, denominator=None), "cần cả tử số và mẫu số"),
        (body(meetings=-3), "không được âm"),
        (body(meetings=1.234), "tối đa 2 chữ số thập phân"),
        (body(meetings="NaN"), "không phải là số"),
        (body(meetings=10**12), "Số cuộc họp giao ban CCHC: số liệu quá lớn."),
        (body(meetings="1e40"), "số liệu quá lớn"),
        (
            {"figures": {"meeting": {"value": 3}}},
            "Mẫu báo cáo của kỳ này không có chỉ tiêu “meeting”.",
        ),
        ({"narratives": {"other": "x"}}, "Mẫu báo cáo của kỳ này không có nội dung “other”."),
        (
            {"figures": {"dossiers_on_time": {"value": 95}}},
            "Tỷ lệ hồ sơ giải quyết đúng hạn: là chỉ tiêu tỷ lệ",
        ),
        ({"figures": {"meetings": {"numerator": 1, "denominator": 2}}}, "hãy gửi value"),
        # submitting needs every figure; the save that came with it is not kept either
        ({"figures": {"meetings": {"value": 3}}, "submit": True}, "còn thiếu số liệu"),
    ],
)
def test_bad_figures_are_400_and_nothing_is_saved(client, period, keys, given, fragment):
    call(client, "put", URL, keys["officer_a"], body(numerator=5, denominator=10, meetings=2))
    before = stored()
    response = call(client, "put", URL, keys["officer_a"], given)
    assert response.status_code == 400, response.content
    assert fragment in response.json()["detail"]
    assert stored() == before
    assert UnitReport.objects.get().state == ReportState.DRAFT
    assert AuditEvent.objects.filter(action="report.save").count() == 1


def test_nothing_is_created_when_the_first_write_is_refused(client, period, keys):
    response = call(client, "put", URL, keys["officer_a"], body(numerator=12, denominator=10))
    assert response.status_code == 400
    assert not UnitReport.objects.exists()


def test_after_the_due_date_nothing_is_accepted(client, period, keys, secretariat):
    call(client, "put", URL, keys["officer_a"], body(meetings=2))
    services.set_due(secretariat, period, timezone.now() - timedelta(hours=1))
    for given in (body(meetings=5), body(meetings=5, submit=True)):
        response = call(client, "put", URL, keys["officer_a"], given)
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Đã quá hạn nộp Báo cáo CCHC quý I năm 2025")
    assert stored()["meetings"] == (Decimal("2.00"), None, None)
    assert UnitReport.objects.get().state == ReportState.DRAFT
    data = call(client, "get", URL, keys["officer_a"]).json()
    assert data["period"]["open"] is False
    # another unit still gets its 403, not the due-date message
    response = call(client, "put", URL, keys["officer_b"], body())
    assert response.status_code == 403


def test_a_submitted_report_cannot_be_changed(client, period, keys):
    assert call(client, "put", URL, keys["officer_a"], body(submit=True)).status_code == 200
    response = call(client, "put", URL, keys["officer_a"], body(meetings=9))
    assert response.status_code == 400
    assert response.json() == {"detail": "Báo cáo đã gửi: không sửa được nữa."}
    assert stored()["meetings"] == (Decimal("3.00"), None, None)


@pytest.mark.parametrize(
    "raw",
    [
        "{oops",
        "",
        "null",
        "[1, 2]",
        '"figures"',
        json.dumps({"figures": [1, 2]}),
        json.dumps({"figures": {"meetings": 3}}),
        json.dumps({"figures": {"meetings": {"value": True}}}),
        json.dumps({"figures": {"meetings": {"value": [3]}}}),
        json.dumps({"figures": {"meetings": {"valeu": 3}}}),
        json.dumps({"narratives": {"direction": 5}}),
        json.dumps({"narratives": ["x"]}),
        json.dumps({"submit": "soon"}),
        json.dumps({"figure": {}}),  # a misspelt field is not an empty report
    ],
)
def test_malformed_bodies_are_refused_not_500(client, period, keys, raw):
    call(client, "put", URL, keys["officer_a"], body(meetings=2))
    response = call(client, "put", URL, keys["officer_a"], raw=raw)
    assert response.status_code in (400, 422), response.content
    assert "detail" in response.json()
    assert stored()["meetings"] == (Decimal("2.00"), None, None)


def test_malformed_json_is_400_and_wrong_types_422(client, period, keys):
    assert call(client, "put", URL, keys["officer_a"], raw="{oops").status_code == 400
    response = call(client, "put", URL, keys["officer_a"], {"figures": {"meetings": []}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:4] == ["body", "payload", "figures", "meetings"]


# ------------------------------------------------------------------ schema


def test_the_openapi_schema_lists_the_report_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) >= {
        "/api/v1/assessments/{key}/{unit_code}",
        "/api/v1/plans/{year}/tasks",
        "/api/v1/plans/tasks/{task_id}",
        "/api/v1/reports/{year}/{kind}/{unit_code}",
    }
    methods = schema["paths"]["/api/v1/reports/{year}/{kind}/{unit_code}"]
    assert set(methods) == {"get", "put"}
    for op in methods.values():
        assert op["security"] == [{"BearerToken": []}]
        assert {"200", "401", "403", "404"} <= set(op["responses"])
    assert "400" in methods["put"]["responses"]
