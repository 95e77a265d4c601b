"""POST /api/v1/assistant/ask: as the token's user with a token, as the public without one; logged."""

import pytest
from django.urls import reverse

from accounts.tokens import create_token
from results.models import AssistantQuestion
from results.tests.test_assistant import reports, results, tasks  # noqa: F401 - fixtures

URL = "/api/v1/assistant/ask"


def _ask(client, question, user=None, **headers):
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {create_token(user, 'test')[1]}"
    return client.post(URL, {"question": question}, content_type="application/json", **headers)


@pytest.mark.usefixtures("results")
def test_without_a_token_a_published_year_is_answered_with_its_figures(client):
    response = _ask(client, "Xã nào có chỉ số thấp nhất năm 2025?")
    assert response.status_code == 200
    body = response.json()
    assert body["figures"] == [
        {
            "label": "Phường Cửa Nam",
            "value": "61,25",
            "url": reverse("public:unit", args=["2025", "00073"]),
        }
    ]
    assert "Phường Cửa Nam" in body["answer"]
    entry = AssistantQuestion.objects.get()
    assert entry.asker is None and entry.intent == "extreme"


@pytest.mark.usefixtures("results", "reports", "tasks")
def test_without_a_token_nothing_unpublished_is_answered(client):
    for question in (
        "Phường nào có chỉ số cao nhất năm 2026?",
        "Chỉ số của Phường Hoàn Kiếm năm 2026",
        "Sở nào chưa nộp báo cáo quý 3?",
        "Những nhiệm vụ nào do đồng chí Phó Chủ tịch phụ trách đang quá hạn?",
    ):
        body = _ask(client, question).json()
        assert body["figures"] == [], question
        assert "không có quyền" in body["answer"], question


@pytest.mark.usefixtures("results")
def test_a_session_without_a_token_is_still_the_public(client, leader):
    client.force_login(leader)
    body = _ask(client, "Phường nào có chỉ số cao nhất năm 2026?").json()
    assert body["figures"] == [] and "không có quyền" in body["answer"]


@pytest.mark.usefixtures("results")
def test_with_a_token_the_users_permissions(client, leader, officer_a, officer_b):
    assert _ask(client, "Phường nào có chỉ số cao nhất năm 2026?", leader).json()["figures"][0][
        "label"
    ] == ("Phường Cửa Nam")
    own = _ask(client, "Chỉ số của Phường Hoàn Kiếm năm 2026", officer_a).json()
    assert own["figures"][0]["value"] == "70,00"
    # A unit officer asking about another unit's unpublished assessment is refused.
    other = _ask(client, "Chi so cua phuong Hoan Kiem nam 2026", officer_b).json()
    assert other["figures"] == [] and "không có quyền" in other["answer"]
    assert AssistantQuestion.objects.filter(asker=officer_b).count() == 1


@pytest.mark.usefixtures("results")
def test_a_wrong_token_is_refused(client):
    response = _ask(client, "Xã nào có chỉ số thấp nhất năm 2025?", HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 401


@pytest.mark.parametrize("payload", [{}, {"question": ""}, {"question": "x" * 501}, {"q": 1}])
def test_a_bad_question_is_a_clear_422(client, payload):
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 422


def test_an_unanswerable_question_gives_examples(client, db):
    body = _ask(client, "Thời tiết hôm nay thế nào?").json()
    assert body["answer"].startswith("Tôi chưa trả lời được") and "SIPAS" in body["answer"]


def test_the_operation_is_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/assistant/ask"]["post"]
    assert "200" in operation["responses"]
