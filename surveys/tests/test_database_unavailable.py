"""A lost database connection in a view answers 503 with Retry-After, never a 500 page
(ops.middleware.DatabaseUnavailableMiddleware, tried on the survey intake)."""

import uuid

import pytest
from django.db import OperationalError

from surveys.tests.conftest import good_answers


def _lost(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
def test_the_survey_api_answers_503_when_the_database_is_lost(client, wave, unit_a, monkeypatch):
    monkeypatch.setattr("surveys.services.submit_response", _lost)
    response = client.post(
        f"/api/v1/surveys/{wave.pk}/{unit_a.code}/responses",
        {"submission_id": str(uuid.uuid4()), "channel": "api", "answers": good_answers()},
        content_type="application/json",
        HTTP_X_CLIENT="thu",
    )
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "thử lại" in response.json()["detail"]


@pytest.mark.django_db
def test_a_respondent_page_says_try_again_when_the_database_is_lost(
    client, wave, unit_a, monkeypatch
):
    url = f"/khao-sat/{wave.pk}/{unit_a.code}/"
    page = client.get(url).content.decode()
    submission = page.split('name="submission_id" value="')[1].split('"')[0]
    monkeypatch.setattr("surveys.services.submit_response", _lost)
    response = client.post(url, good_answers() | {"submission_id": submission})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "không bị tính hai lần" in response.content.decode()


def test_other_errors_are_not_hidden(rf):
    from ops.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None
