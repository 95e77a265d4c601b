"""surveys.api.SubmitResponseMiddleware: the app's well-formed submissions are answered ahead of the
API framework, exactly as the API operation answers them; what it cannot read goes on to the operation."""

import json
import logging

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, transaction
from django.test import Client
from django.urls import resolve
from ninja.operation import PathView
from prometheus_client import REGISTRY

from surveys.models import Response

from .conftest import good_answers
from .test_api import body, post, url

MIDDLEWARE = "surveys.api.SubmitResponseMiddleware"


class ReachedTheApi(AssertionError):
    pass


@pytest.fixture
def api_unreachable(monkeypatch):
    """Every request that gets as far as the ninja API raises (the test client re-raises it)."""

    def reached(self, request, *args, **kwargs):
        raise ReachedTheApi(request.path)

    monkeypatch.setattr(PathView, "_sync_view", reached)


def test_a_well_formed_submission_is_answered_without_the_api(
    client, wave, unit_a, api_unreachable
):
    data = body()
    first = post(client, url(wave), data)
    assert first.status_code == 201, first.content
    assert first.json() == {"submission_id": data["submission_id"], "stored": True}
    stored = Response.objects.get()
    assert str(stored.submission_id) == data["submission_id"]
    assert (stored.wave, stored.unit) == (wave, unit_a)
    again = post(client, url(wave), data)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert Response.objects.count() == 1


def test_what_the_middleware_cannot_read_goes_on_to_the_api(client, wave, api_unreachable):
    """Also shows that `api_unreachable` does stop a request that reaches the API."""
    for refused in (
        {"raw": "{oops"},
        {"data": body(answers={"sex": ["f", {"x": 1}]})},
        {"data": body(), "client_name": None},
    ):
        with pytest.raises(ReachedTheApi):
            post(client, url(wave), **refused)
    assert not Response.objects.exists()


def test_other_methods_and_paths_are_left_to_the_normal_stack(client, wave, api_unreachable):
    for request in (
        lambda: client.get(url(wave)),
        lambda: client.put(url(wave), "{}", content_type="application/json"),
        lambda: post(client, url(wave, what="figures"), body()),
    ):
        with pytest.raises(ReachedTheApi):
            request()
    assert post(client, url(wave) + "/", body()).status_code == 404  # no such URL
    assert not Response.objects.exists()


def sequence(wave) -> list[dict]:
    """One of each answer the endpoint gives: test_api.post's arguments, and the path if not url(wave)."""
    good = body()
    return [
        {"data": good},
        {"data": good},  # a retry
        {"data": body(answers=good_answers(sex="x"))},
        {"data": body(channel="link")},
        {"data": body(), "path": url(wave, "99999")},
        {"raw": "{oops"},
        {"data": body(answers={"sex": ["f", {"x": 1}]})},
        {"data": body(answers=good_answers(harassed="some", harassed_detail="x" * 70_000))},
        {"data": body(), "client_name": None},
    ]


def test_the_answers_are_the_same_with_the_middleware_and_without_it(wave, settings, monkeypatch):
    requests = sequence(wave)
    reached = []
    through_the_api = PathView._sync_view

    def counted(self, request, *args, **kwargs):
        reached.append(request)
        return through_the_api(self, request, *args, **kwargs)

    monkeypatch.setattr(PathView, "_sync_view", counted)

    def answers(middleware: list[str]) -> tuple[list, int, int]:
        settings.MIDDLEWARE = middleware
        client = Client()  # its handler loads the MIDDLEWARE of now
        reached.clear()
        with transaction.atomic():  # both start from the same database
            answered = []
            for request in requests:
                kwargs = {k: v for k, v in request.items() if k != "path"}
                response = post(client, request.get("path", url(wave)), **kwargs)
                answered.append((response.status_code, response["Content-Type"], response.content))
            stored = Response.objects.count()
            transaction.set_rollback(True)
        return answered, stored, len(reached)

    with_it, stored_with, reached_with = answers(list(django_settings.MIDDLEWARE))
    without_it, stored_without, reached_without = answers(
        [name for name in django_settings.MIDDLEWARE if name != MIDDLEWARE]
    )
    assert [status for status, _, _ in with_it] == [201, 200, 400, 400, 404, 400, 422, 413, 400]
    assert with_it == without_it
    assert stored_with == stored_without == 1
    # Without the middleware every request reaches the API; with it, only the four it cannot read.
    assert (reached_with, reached_without) == (4, len(requests))


def test_a_disallowed_host_is_400_and_nothing_is_stored(client, wave, api_unreachable):
    response = post(client, url(wave), body(), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_a_lost_database_is_503_with_retry_after(client, wave, monkeypatch, api_unreachable):
    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("surveys.services.submit_response", lost)
    response = post(client, url(wave), body())
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    # a keep-alive client reads the body by its length (without it, gunicorn sends it chunked)
    assert int(response["Content-Length"]) == len(response.content)
    assert response.json() == {
        "detail": "Hệ thống tạm thời không kết nối được cơ sở dữ liệu; vui lòng thử lại sau ít giây."
    }
    assert not Response.objects.exists()


def requests_counted(view: str, status: int) -> float:
    labels = {"view": view, "method": "POST", "status": str(status)}
    return REGISTRY.get_sample_value("parindex_http_requests_total", labels) or 0.0


def test_the_access_log_and_the_metrics_name_the_api_view(client, wave, caplog, api_unreachable):
    view = "api-1:submit_response"
    assert resolve(url(wave)).view_name == view  # the name the resolver gives the API's own answers
    counted = requests_counted(view, 201)
    with caplog.at_level(logging.INFO, logger="parindex.request"):
        assert post(client, url(wave), body()).status_code == 201
    [line] = [r for r in caplog.records if r.name == "parindex.request"]
    assert (line.view, line.status, line.path) == (view, 201, url(wave))
    assert requests_counted(view, 201) == counted + 1


@pytest.mark.parametrize(
    ("changes", "status"),
    [({}, 201), ({"channel": "link"}, 400), ({"answers": good_answers(sex="x")}, 400)],
)
def test_the_answer_is_json_with_its_length(client, wave, api_unreachable, changes, status):
    response = post(client, url(wave), body(**changes))
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert int(response["Content-Length"]) == len(response.content)
    assert json.loads(response.content)  # the whole body, as sent


def test_an_unknown_wave_is_404_without_the_api(client, wave, api_unreachable):
    response = post(client, url(wave.pk + 1000), body())
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
