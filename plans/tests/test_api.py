"""The JSON API for plans (/api/v1/plans/): every persona on every endpoint, the filters, the
rules and messages of `services.update_task`, and the OpenAPI schema."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, User
from accounts.tokens import create_token
from plans.models import Plan, Task, TaskStatus

LIST = "/api/v1/plans/2025/tasks"


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


@pytest.fixture
def tasks(unit_a, unit_b):
    """Plan 2025: task 1 led by Unit B with Unit A coordinating, overdue; its milestone 1.1 led by
    Unit A; task 2 led by Unit A, done; task 3 with no unit and no deadline."""
    today = timezone.localdate()
    plan = Plan.objects.create(
        year=2025, decision_number="6830/QĐ-UBND", decision_date=date(2024, 12, 31), title="KH"
    )
    one = Task.objects.create(
        plan=plan,
        number="1",
        area="Cải cách thể chế",
        title="Ban hành kế hoạch rà soát văn bản",
        product="Kế hoạch",
        leader="Phó Chủ tịch Nguyễn Văn A",
        lead_text="Sở Tư pháp",
        coordinating_text="UBND phường Hoàn Kiếm",
        deadline_text="Tháng 3/2025",
        deadline_kind="date",
        due=today - timedelta(days=10),
        status=TaskStatus.IN_PROGRESS,
        order=0,
    )
    one.lead_units.add(unit_b)
    one.coordinating_units.add(unit_a)
    milestone = Task.objects.create(
        plan=plan,
        parent=one,
        number="1.1",
        area="Cải cách thể chế",
        title="Rà soát văn bản của phường",
        due=today + timedelta(days=20),
        deadline_kind="date",
        order=1,
    )
    milestone.lead_units.add(unit_a)
    two = Task.objects.create(
        plan=plan,
        number="2",
        area="Cải cách TTHC",
        title="Công bố thủ tục",
        due=today - timedelta(days=5),
        deadline_kind="date",
        status=TaskStatus.DONE,
        progress_note="Đã công bố",
        order=2,
    )
    two.lead_units.add(unit_a)
    three = Task.objects.create(
        plan=plan, number="3", title="Tuyên truyền CCHC", deadline_text="Thường xuyên", order=3
    )
    return {"1": one, "1.1": milestone, "2": two, "3": three}


def task_url(task):
    return f"/api/v1/plans/tasks/{task.pk}"


def numbers(response):
    assert response.status_code == 200, response.content
    return [t["number"] for t in response.json()]


# ------------------------------------------------------------------ role matrix

READ = {
    "secretariat": 200,
    "officer_a": 200,
    "head_a": 200,
    "officer_b": 200,
    "reviewer": 200,
    "council": 200,
    "leader": 200,
    "anonymous": 401,
}
# Task 1 is led by Unit B: its members and the secretariat update it; coordinating Unit A may not.
UPDATE = {
    "secretariat": 200,
    "officer_a": 403,
    "head_a": 403,
    "officer_b": 200,
    "reviewer": 403,
    "council": 403,
    "leader": 403,
    "anonymous": 401,
}


@pytest.mark.parametrize(("persona", "status"), READ.items())
def test_list_matrix(client, tasks, keys, persona, status):
    response = call(client, "get", LIST, keys[persona])
    assert response.status_code == status, response.content
    if status == 200:
        assert [t["number"] for t in response.json()] == ["1", "1.1", "2", "3"]
    else:
        assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("persona", "status"), UPDATE.items())
def test_update_matrix(client, tasks, keys, persona, status):
    body = {"status": "done", "progress_note": "Đã ban hành"}
    response = call(client, "patch", task_url(tasks["1"]), keys[persona], body)
    assert response.status_code == status, response.content
    task = Task.objects.get(pk=tasks["1"].pk)
    assert task.status == ("done" if status == 200 else "in_progress")
    assert AuditEvent.objects.filter(action="task.update").exists() == (status == 200)
    if status == 403:
        assert response.json() == {
            "detail": "Chỉ đơn vị chủ trì (hoặc Sở Nội vụ) cập nhật tiến độ nhiệm vụ."
        }


def test_a_user_without_a_role_may_not_read_the_plan(client, tasks, db):
    _, key = create_token(User.objects.create_user("norole"), "t")
    response = call(client, "get", LIST, key)
    assert response.status_code == 403 and "vai trò" in response.json()["detail"]
    response = call(client, "patch", task_url(tasks["1"]), key, {"status": "done"})
    assert response.status_code == 403


def test_the_lead_unit_of_a_milestone_updates_it(client, tasks, keys):
    # Unit A leads milestone 1.1 (but only coordinates its parent task 1).
    response = call(
        client, "patch", task_url(tasks["1.1"]), keys["head_a"], {"status": "in_progress"}
    )
    assert response.status_code == 200, response.content
    assert call(client, "patch", task_url(tasks["1.1"]), keys["officer_b"], {}).status_code == 403


# ------------------------------------------------------------------ reading


def test_a_task_has_every_field(client, tasks, keys):
    data = call(client, "get", LIST, keys["council"]).json()
    today = timezone.localdate()
    assert data[0] == {
        "id": tasks["1"].pk,
        "number": "1",
        "parent_number": None,
        "area": "Cải cách thể chế",
        "title": "Ban hành kế hoạch rà soát văn bản",
        "product": "Kế hoạch",
        "leader": "Phó Chủ tịch Nguyễn Văn A",
        "lead_units": ["S02"],
        "coordinating_units": ["00070"],
        "deadline_text": "Tháng 3/2025",
        "due": (today - timedelta(days=10)).isoformat(),
        "status": "in_progress",
        "done_on": None,
        "overdue": True,
        "progress_note": "",
        "product_link": "",
        "lead_statuses": [],
    }
    assert (data[1]["parent_number"], data[1]["lead_units"], data[1]["overdue"]) == (
        "1",
        ["00070"],
        False,
    )
    # done before its due date passed: not overdue
    assert (data[2]["status"], data[2]["overdue"]) == ("done", False)
    assert (data[3]["due"], data[3]["lead_units"], data[3]["overdue"]) == (None, [], False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("unit=S02", ["1"]),
        ("unit=00070", ["1", "1.1", "2"]),  # led or coordinated, each task once
        ("unit=99999", []),
        ("status=overdue", ["1"]),
        ("status=done", ["2"]),
        ("status=not_started", ["1.1", "3"]),
        ("status=in_progress", ["1"]),
        ("unit=00070&status=not_started", ["1.1"]),
        ("unit=00070&status=overdue", ["1"]),
        ("unit=", ["1", "1.1", "2", "3"]),
    ],
)
def test_filters(client, tasks, keys, query, expected):
    assert numbers(call(client, "get", f"{LIST}?{query}", keys["officer_a"])) == expected


def test_an_unknown_status_filter_is_422(client, tasks, keys):
    response = call(client, "get", f"{LIST}?status=late", keys["officer_a"])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "status"]


def test_an_unknown_year_is_404(client, tasks, keys):
    response = call(client, "get", "/api/v1/plans/2024/tasks", keys["secretariat"])
    assert response.status_code == 404 and response.json() == {"detail": "Không tìm thấy."}


def test_the_plan_of_another_year_is_not_mixed_in(client, tasks, keys):
    other = Plan.objects.create(
        year=2026, decision_number="1/QĐ", decision_date=date(2025, 12, 31), title="KH 2026"
    )
    Task.objects.create(plan=other, number="9", title="Khác")
    assert numbers(call(client, "get", LIST, keys["leader"])) == ["1", "1.1", "2", "3"]
    assert numbers(call(client, "get", "/api/v1/plans/2026/tasks", keys["leader"])) == ["9"]


# ------------------------------------------------------------------ updating


def test_the_lead_unit_reports_progress(client, tasks, keys, officer_b):
    body = {
        "status": "done",
        "progress_note": "  Đã ban hành Kế hoạch 12/KH-STP ",
        "product_link": "https://stp.hanoi.gov.vn/kh-12",
    }
    response = call(client, "patch", task_url(tasks["1"]), keys["officer_b"], body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["overdue"]) == ("done", False)
    assert data["progress_note"] == "Đã ban hành Kế hoạch 12/KH-STP"
    assert data["product_link"] == "https://stp.hanoi.gov.vn/kh-12"
    task = Task.objects.get(pk=tasks["1"].pk)
    assert (task.status, task.updated_by) == ("done", officer_b)
    event = AuditEvent.objects.for_object(task).get(action="task.update")
    assert event.actor == officer_b
    assert event.before["status"] == "in_progress" and event.after["status"] == "done"
    # the list shows it at once, and it is no longer overdue
    assert numbers(call(client, "get", f"{LIST}?status=overdue", keys["officer_b"])) == []


def test_a_patch_keeps_what_it_does_not_send(client, tasks, keys):
    url = task_url(tasks["2"])
    response = call(client, "patch", url, keys["officer_a"], {"product_link": "http://x.vn/a"})
    assert response.status_code == 200, response.content
    task = Task.objects.get(pk=tasks["2"].pk)
    assert (task.status, task.progress_note, task.product_link) == (
        "done",
        "Đã công bố",
        "http://x.vn/a",
    )
    # an empty string clears a field
    response = call(client, "patch", url, keys["officer_a"], {"product_link": ""})
    assert response.status_code == 200 and response.json()["product_link"] == ""


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"status": "finished"}, "Trạng thái “finished” không hợp lệ."),
        ({"status": ""}, "Trạng thái “” không hợp lệ."),
        (
            {"status": "in_progress", "product_link": "ftp://stp.hanoi.gov.vn/kh"},
            "Đường dẫn sản phẩm phải bắt đầu bằng http:// hoặc https://.",
        ),
        (
            {"status": "done", "progress_note": "   "},
            "Nhiệm vụ hoàn thành cần nêu kết quả hoặc đường dẫn sản phẩm.",
        ),
    ],
)
def test_bad_values_are_400_with_the_services_message(client, tasks, keys, body, detail):
    response = call(client, "patch", task_url(tasks["1"]), keys["officer_b"], body)
    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    task = Task.objects.get(pk=tasks["1"].pk)
    assert (task.status, task.progress_note, task.product_link) == ("in_progress", "", "")
    assert not AuditEvent.objects.filter(action="task.update").exists()


@pytest.mark.parametrize(
    "raw",
    [
        "{oops",
        "",
        json.dumps([1, 2]),
        json.dumps({"status": 5}),
        json.dumps({"status": ["done"]}),
        json.dumps({"progress_note": {"a": 1}}),
        json.dumps({"product_link": "https://x.vn/" + "a" * 500}),
        json.dumps({"statuss": "done"}),  # a misspelt field is not an empty update
        "null",
        '"done"',
        "1",
    ],
)
def test_malformed_bodies_are_refused_not_500(client, tasks, keys, raw):
    response = call(client, "patch", task_url(tasks["1"]), keys["officer_b"], raw=raw)
    assert response.status_code in (400, 422), response.content
    assert "detail" in response.json()
    assert Task.objects.get(pk=tasks["1"].pk).status == "in_progress"
    assert not AuditEvent.objects.filter(action="task.update").exists()


def test_an_unknown_task_is_404(client, tasks, keys):
    response = call(client, "patch", "/api/v1/plans/tasks/999999", keys["secretariat"], {})
    assert response.status_code == 404 and response.json() == {"detail": "Không tìm thấy."}
    assert call(
        client, "patch", "/api/v1/plans/tasks/abc", keys["secretariat"], {}
    ).status_code in (
        404,
        422,
    )


# ------------------------------------------------------------------ schema


def test_the_openapi_schema_lists_the_plan_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    listing = schema["paths"]["/api/v1/plans/{year}/tasks"]["get"]
    update = schema["paths"]["/api/v1/plans/tasks/{task_id}"]["patch"]
    for op in (listing, update):
        assert op["security"] == [{"BearerToken": []}]
        assert {"200", "401", "403", "404"} <= set(op["responses"])
    assert "400" in update["responses"]
    assert {p["name"] for p in listing["parameters"]} >= {"year", "unit", "status"}
    status = next(p for p in listing["parameters"] if p["name"] == "status")
    assert set(TaskStatus.values) | {"overdue"} <= set(json.dumps(status["schema"]).split('"'))
