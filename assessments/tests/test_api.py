"""The JSON API (/api/v1/assessments/): bearer tokens acting as their user, every role on every
endpoint, the services' rules and messages, the OpenAPI schema."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Role, User
from accounts.tokens import create_token, revoke
from assessments import services
from assessments.models import Evidence
from conftest import PASSWORD, item_of
from cycles.services import transition

BASE = "/api/v1/assessments/2025/00070"
ITEM = f"{BASE}/items/1.1.2"
EVIDENCE = f"{ITEM}/evidence"


@pytest.fixture
def keys(personas):
    """A bearer key for every persona (none for the anonymous visitor)."""
    return {
        name: (create_token(user, f"test {name}")[1] if user else None)
        for name, user in personas.items()
    }


def call(client, method, url, key=None, body=None, raw=None):
    """One request with the persona's key; `body` is sent as JSON, `raw` exactly as given."""
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def put_item(client, key, url=ITEM, **body):
    return call(client, "put", url, key, body)


# ------------------------------------------------------------------ role matrix

READ = {
    "secretariat": 200,
    "officer_a": 200,
    "head_a": 200,
    "officer_b": 404,
    "reviewer": 200,
    "council": 200,
    "leader": 200,
    "anonymous": 401,
}
# Writing is the unit's: city staff see the assessment but may not fill it in for the unit.
WRITE = {
    "secretariat": 403,
    "officer_a": 200,
    "head_a": 200,
    "officer_b": 404,
    "reviewer": 403,
    "council": 403,
    "leader": 403,
    "anonymous": 401,
}
ADD_REFERENCE = {**WRITE, "officer_a": 201, "head_a": 201}


@pytest.mark.parametrize(("persona", "status"), READ.items())
def test_read_matrix(client, assessment_a, keys, persona, status):
    response = call(client, "get", BASE, keys[persona])
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["unit"] == {"code": "00070", "name": "Hoàn Kiếm"}


@pytest.mark.parametrize(("persona", "status"), WRITE.items())
def test_write_matrix(client, assessment_a, keys, persona, status):
    response = put_item(
        client, keys[persona], inputs={"numerator": 9, "denominator": 10}, version=1
    )
    assert response.status_code == status, response.content
    item = item_of(assessment_a, "1.1.2")
    assert item.version == (2 if status == 200 else 1)
    if status in (403, 404, 401):
        assert set(response.json()) == {"detail"}
    if status == 403:
        assert response.json()["detail"] == "Chỉ cán bộ của đơn vị được tự đánh giá."


@pytest.mark.parametrize(("persona", "status"), ADD_REFERENCE.items())
def test_add_reference_matrix(client, assessment_a, keys, persona, status):
    response = call(client, "post", EVIDENCE, keys[persona], {"doc_number": "12/KH-UBND"})
    assert response.status_code == status, response.content
    count = Evidence.objects.filter(item=item_of(assessment_a, "1.1.2")).count()
    assert count == (1 if status == 201 else 0)
    if status == 403:
        assert "Chỉ cán bộ của đơn vị" in response.json()["detail"]


def test_every_endpoint_refuses_a_missing_token_with_a_bearer_challenge(client, assessment_a):
    body = {"inputs": {}, "version": 1, "doc_number": "1"}
    for method, url, data in (("get", BASE, None), ("put", ITEM, body), ("post", EVIDENCE, body)):
        response = call(client, method, url, body=data)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert "khoá API" in response.json()["detail"]


@pytest.mark.parametrize(
    "header", ["Bearer not-a-key", "Token abc", "Bearer ", "Basic Zm9vOmJhcg=="]
)
def test_a_wrong_key_or_scheme_is_401(client, assessment_a, header):
    assert client.get(BASE, HTTP_AUTHORIZATION=header).status_code == 401


def test_a_logged_in_browser_session_is_not_a_token(client, assessment_a, officer_a):
    client.login(username=officer_a.username, password=PASSWORD)
    assert client.get(BASE).status_code == 401


def test_a_revoked_token_is_401(client, assessment_a, officer_a, secretariat):
    token, key = create_token(officer_a, "Hệ thống văn bản")
    assert call(client, "get", BASE, key).status_code == 200
    revoke(token, secretariat)
    assert call(client, "get", BASE, key).status_code == 401
    response = put_item(client, key, inputs={"numerator": 9, "denominator": 10}, version=1)
    assert response.status_code == 401
    assert item_of(assessment_a, "1.1.2").version == 1


def test_the_token_of_a_deactivated_user_is_401(client, assessment_a, officer_a):
    _, key = create_token(officer_a, "Hệ thống văn bản")
    officer_a.is_active = False
    officer_a.save()
    assert call(client, "get", BASE, key).status_code == 401


# ------------------------------------------------------------------ visibility


def test_a_unit_officer_cannot_read_another_units_assessment(client, open_cycle, officer_a):
    _, key = create_token(officer_a, "t")
    response = call(client, "get", "/api/v1/assessments/2025/S02", key)
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
    # ... nor write to it: the same 404, not a 403 that would confirm it exists
    url = "/api/v1/assessments/2025/S02/items/1.1.2"
    assert put_item(client, key, url, inputs={}, version=1).status_code == 404
    body = {"doc_number": "1/QĐ"}
    assert call(client, "post", f"{url}/evidence", key, body).status_code == 404


def test_an_unassigned_reviewer_gets_404(client, assessment_a):
    other = User.objects.create_user(username="thamdinh2", password=PASSWORD, role=Role.REVIEWER)
    _, key = create_token(other, "t")
    assert call(client, "get", BASE, key).status_code == 404
    assert put_item(client, key, inputs={}, version=1).status_code == 404


def test_the_assigned_reviewer_cannot_read_unit_b(client, open_cycle, reviewer):
    _, key = create_token(reviewer, "t")
    assert call(client, "get", "/api/v1/assessments/2025/S02", key).status_code == 404


def test_unknown_year_unit_or_item_is_404(client, assessment_a, secretariat, officer_a):
    _, staff = create_token(secretariat, "t")
    _, unit = create_token(officer_a, "t")
    assert call(client, "get", "/api/v1/assessments/2024/00070", staff).status_code == 404
    assert call(client, "get", "/api/v1/assessments/2025/99999", staff).status_code == 404
    for code in ("9.9", "1.1"):  # unknown, and a parent node (only leaves are items)
        url = f"{BASE}/items/{code}"
        assert put_item(client, unit, url, inputs={}, version=1).status_code == 404
        body = {"doc_number": "1"}
        assert call(client, "post", f"{url}/evidence", unit, body).status_code == 404


# ------------------------------------------------------------------ happy paths


def test_read_returns_every_leaf_with_its_values(client, assessment_a, officer_a):
    item = item_of(assessment_a, "1.1.2")
    services.save_self(officer_a, item, inputs={"numerator": 9, "denominator": 10}, note="9/10")
    services.add_evidence_reference(
        officer_a, item, doc_number="12/KH-UBND", doc_date=timezone.localdate(), issuer="UBND"
    )
    removed = services.add_evidence_reference(officer_a, item, doc_number="13/KH-UBND")
    services.remove_evidence(officer_a, removed)
    _, key = create_token(officer_a, "t")

    data = call(client, "get", BASE, key).json()

    assert data["cycle"] == {"year": 2025, "key": "2025", "state": "self_assessment"}
    assert data["state"] == "draft"
    codes = [i["code"] for i in data["items"]]
    assert codes == [
        "1.1.1",
        "1.1.2",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
    ]
    leaf = data["items"][1]
    assert leaf == {
        "code": "1.1.2",
        "title": "Mức độ hoàn thành kế hoạch",
        "rule": "ratio",
        "rule_params": {"mode": "proportional", "min": 0.8},
        "max_points": "1.00",
        "evidence_rule": "when_claimed",
        "evidence_required": True,
        "inputs": {"numerator": 9, "denominator": 10},
        "self_points": "0.90",
        "not_applicable": False,
        "na_reason": "",
        "note": "9/10",
        "appraised_points": None,
        "final_points": None,
        "version": 2,  # evidence leaves the version as it is
        "evidence": [
            {
                "id": leaf["evidence"][0]["id"],
                "kind": "reference",
                "stage": "self",
                "name": "12/KH-UBND",
                "doc_number": "12/KH-UBND",
                "doc_date": timezone.localdate().isoformat(),
                "issuer": "UBND",
                "link": "",
            }
        ],
    }
    assert data["items"][0]["self_points"] is None and data["items"][0]["version"] == 1


def test_writing_inputs_computes_the_points(client, assessment_a, officer_a):
    _, key = create_token(officer_a, "t")
    response = put_item(
        client, key, inputs={"numerator": 9, "denominator": 10}, note=" 9 trên 10 ", version=1
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["self_points"], body["note"], body["version"]) == ("0.90", "9 trên 10", 2)
    item = item_of(assessment_a, "1.1.2")
    assert str(item.self_points) == "0.90" and item.updated_by == officer_a


def test_an_api_write_is_audited_as_the_tokens_user(client, assessment_a, head_a):
    _, key = create_token(head_a, "Hệ thống văn bản")
    put_item(client, key, inputs={"numerator": 9, "denominator": 10}, version=1)
    item = item_of(assessment_a, "1.1.2")
    event = AuditEvent.objects.for_object(item).get(action="item.self_assess")
    assert event.actor == head_a
    assert event.after["self_points"] == "0.90" and event.before["self_points"] is None


def test_not_applicable_through_the_api(client, assessment_a, officer_a):
    _, key = create_token(officer_a, "t")
    url = f"{BASE}/items/1.2"
    response = put_item(
        client, key, url, not_applicable=True, na_reason="Không có đơn vị trực thuộc", version=1
    )
    assert response.status_code == 200, response.content
    assert response.json()["not_applicable"] is True and response.json()["self_points"] is None
    response = put_item(client, key, url, not_applicable=True, na_reason="  ", version=2)
    assert response.status_code == 400
    assert response.json() == {"detail": "Hãy nêu lý do tiêu chí không áp dụng với đơn vị."}


def test_adding_a_reference(client, assessment_a, officer_a):
    _, key = create_token(officer_a, "Hệ thống văn bản")
    body = {
        "doc_number": " 45/BC-UBND ",
        "doc_date": "2025-03-01",
        "issuer": "UBND phường Hoàn Kiếm",
        "link": "https://vanban.hanoi.gov.vn/45-bc-ubnd",
    }
    response = call(client, "post", EVIDENCE, key, body)
    assert response.status_code == 201, response.content
    data = response.json()
    evidence = Evidence.objects.get()
    assert data == {
        "id": evidence.pk,
        "kind": "reference",
        "stage": "self",
        "name": "45/BC-UBND",
        "doc_number": "45/BC-UBND",
        "doc_date": "2025-03-01",
        "issuer": "UBND phường Hoàn Kiếm",
        "link": "https://vanban.hanoi.gov.vn/45-bc-ubnd",
    }
    assert evidence.uploaded_by == officer_a and evidence.item == item_of(assessment_a, "1.1.2")
    assert AuditEvent.objects.filter(action="evidence.add", actor=officer_a).exists()
    # the reference appears when the assessment is read
    leaf = call(client, "get", BASE, key).json()["items"][1]
    assert [e["id"] for e in leaf["evidence"]] == [evidence.pk]


# ------------------------------------------------------------------ bad input


def test_out_of_range_points_are_400_and_nothing_is_saved(client, assessment_a, officer_a):
    _, key = create_token(officer_a, "t")
    response = put_item(client, key, f"{BASE}/items/1.5", inputs={"points": 5}, version=1)
    assert response.status_code == 400
    assert response.json() == {"detail": "Tiêu chí 1.5: điểm phải từ 0 đến 1,00."}
    item = item_of(assessment_a, "1.5")
    assert (item.self_points, item.inputs, item.version) == (None, {}, 1)
    assert not AuditEvent.objects.filter(action="item.self_assess").exists()


@pytest.mark.parametrize(
    ("code", "inputs", "fragment"),
    [
        ("1.1.2", {"numerator": 11, "denominator": 10}, "tử số không được lớn hơn mẫu số"),
        ("1.5", {"points": 0.3}, "bội số của 0,25"),
        ("2.2", {"value": 1}, "đơn vị không nhập"),
        ("1.1.1", {"date": "31/13/2025"}, "ngày thực hiện không hợp lệ"),
        ("1.1.1", {"date": "2025-01-10"}, None),
    ],
)
def test_the_rules_of_the_services_apply(client, assessment_a, officer_a, code, inputs, fragment):
    _, key = create_token(officer_a, "t")
    response = put_item(client, key, f"{BASE}/items/{code}", inputs=inputs, version=1)
    if fragment is None:
        assert response.status_code == 200 and response.json()["self_points"] == "1.00"
    else:
        assert response.status_code == 400
        assert fragment in response.json()["detail"]


def test_a_stale_version_is_409_with_the_current_item(client, assessment_a, officer_a, head_a):
    services.save_self(
        head_a, item_of(assessment_a, "1.1.2"), inputs={"numerator": 8, "denominator": 10}
    )
    _, key = create_token(officer_a, "t")
    response = put_item(client, key, inputs={"numerator": 9, "denominator": 10}, version=1)
    assert response.status_code == 409
    body = response.json()
    assert "vừa được" in body["detail"] and "thutruong.a" in body["detail"]
    assert (body["item"]["version"], body["item"]["self_points"]) == (2, "0.80")
    assert str(item_of(assessment_a, "1.1.2").self_points) == "0.80"


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        json.dumps({"inputs": "9/10", "version": 1}),
        json.dumps({"inputs": {}, "version": "abc"}),
        json.dumps({"inputs": {}}),  # the version is required
        json.dumps({"inputs": {}, "version": 0}),
        json.dumps({"inputs": {}, "note": ["a"], "version": 1}),
        json.dumps([1, 2]),
        "",
    ],
)
def test_malformed_bodies_are_refused_not_500(client, assessment_a, officer_a, raw):
    _, key = create_token(officer_a, "t")
    response = call(client, "put", ITEM, key, raw=raw)
    assert response.status_code in (400, 422), response.content
    assert "detail" in response.json()
    assert item_of(assessment_a, "1.1.2").version == 1


def test_malformed_json_is_400_and_wrong_types_422(client, assessment_a, officer_a):
    _, key = create_token(officer_a, "t")
    assert call(client, "put", ITEM, key, raw="{oops").status_code == 400
    response = call(client, "put", ITEM, key, {"inputs": [], "version": 1})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "inputs"]


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"doc_number": "   "}, 400, "Hãy nhập số, ký hiệu văn bản."),
        ({"doc_number": "1", "link": "javascript:alert(1)"}, 400, "http:// hoặc https://"),
        ({"doc_number": "1", "link": "vanban.hanoi.gov.vn"}, 400, "http:// hoặc https://"),
        ({"doc_number": "1", "doc_date": "2999-01-01"}, 400, "không được ở tương lai"),
        ({"doc_number": "1", "doc_date": "01/03/2025"}, 422, None),
        ({"doc_number": "x" * 101}, 422, None),
        ({"issuer": "UBND"}, 422, None),
        ({"doc_number": 12}, 422, None),
    ],
)
def test_bad_references_are_refused(client, assessment_a, officer_a, body, status, fragment):
    _, key = create_token(officer_a, "t")
    response = call(client, "post", EVIDENCE, key, body)
    assert response.status_code == status, response.content
    if fragment:
        assert fragment in response.json()["detail"]
    assert not Evidence.objects.exists()


def test_writes_are_refused_once_submitted_or_after_the_phase(
    client, assessment_a, officer_a, secretariat
):
    from cycles.models import PhaseKind
    from cycles.services import set_phase

    _, key = create_token(officer_a, "t")
    now = timezone.now()
    set_phase(
        secretariat, assessment_a.cycle, PhaseKind.SELF_ASSESSMENT, now - timedelta(days=9), now
    )
    response = put_item(client, key, inputs={"numerator": 9, "denominator": 10}, version=1)
    assert response.status_code == 400 and "đã đóng" in response.json()["detail"]
    response = call(client, "post", EVIDENCE, key, {"doc_number": "1"})
    assert response.status_code == 400 and "đã đóng" in response.json()["detail"]


# ------------------------------------------------------------------ appraisal visibility


def test_units_see_appraised_points_from_the_explanation_round(
    client, assessment_a, officer_a, reviewer, council, secretariat
):
    from cycles.models import CycleState

    item = item_of(assessment_a, "1.5")
    services.save_self(officer_a, item, inputs={"points": "1"})
    transition(secretariat, assessment_a.cycle, CycleState.APPRAISAL)
    services.appraise(reviewer, item_of(assessment_a, "1.5"), points="0.5")
    _, unit_key = create_token(officer_a, "t")
    _, council_key = create_token(council, "t")

    def appraised(key):
        items = call(client, "get", BASE, key).json()["items"]
        return next(i["appraised_points"] for i in items if i["code"] == "1.5")

    # the working group's work in progress is for city staff only
    assert appraised(council_key) == "0.50"
    assert appraised(unit_key) is None
    transition(secretariat, assessment_a.cycle, CycleState.EXPLANATION)
    assert appraised(unit_key) == "0.50"
    # and the self-assessment cannot be changed any more
    response = put_item(client, unit_key, f"{BASE}/items/1.5", inputs={"points": 1}, version=3)
    assert response.status_code == 400 and "đã nộp" in response.json()["detail"]


# ------------------------------------------------------------------ schema


def test_the_openapi_schema_loads_and_documents_the_bearer_auth(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) >= {
        "/api/v1/assessments/{key}/{unit_code}",
        "/api/v1/assessments/{key}/{unit_code}/items/{code}",
        "/api/v1/assessments/{key}/{unit_code}/items/{code}/evidence",
    }
    assert schema["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
    }
    operations = [
        (path, method, op)
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/assessments/")
        for method, op in methods.items()
    ]
    assert {(p.rsplit("/", 1)[-1], m) for p, m, _ in operations} == {
        ("{unit_code}", "get"),
        ("{code}", "put"),
        ("evidence", "post"),
    }
    for _, _, op in operations:
        assert op["security"] == [{"BearerToken": []}]
        assert "401" in op["responses"] and "404" in op["responses"]
    put = schema["paths"]["/api/v1/assessments/{key}/{unit_code}/items/{code}"]["put"]
    assert {"200", "400", "403", "409"} <= set(put["responses"])
