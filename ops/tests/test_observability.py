"""Health endpoint, request ids and JSON logs, Prometheus metrics (docs/observability.md)."""

import json
import logging
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from ops import health
from ops.observability import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-test-token-0123456789"


# ── /health ──


def test_health_answers_every_check_without_login_and_leaks_nothing(client, db, settings):
    response = client.get("/health")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "task_queue"}
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    assert body["checks"]["task_queue"]["queued"] == 0
    text = response.content.decode()
    for secret in (settings.SECRET_KEY, str(settings.MEDIA_ROOT), "0.1.0", "Django", "Python"):
        assert secret not in text
    # The storage probe cleans up after itself.
    assert not list((Path(settings.MEDIA_ROOT) / health.PROBE_PREFIX).glob("*"))


class BrokenStorage:
    def save(self, name, content):
        raise OSError("No space left on device: /srv/secret-mount/evidence")


def test_a_failing_check_makes_health_503_and_names_it(client, db, monkeypatch):
    monkeypatch.setattr(health, "default_storage", BrokenStorage())
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["storage"] == {
        "status": "fail",
        "error": "OSError",
        "duration_ms": body["checks"]["storage"]["duration_ms"],
    }
    assert body["checks"]["database"]["status"] == "ok"
    assert "secret-mount" not in response.content.decode()


class HangingStorage:
    def save(self, name, content):
        time.sleep(2)  # an S3 endpoint that accepts the connection and never answers


def test_a_hanging_check_is_given_up_quickly(client, db, settings, monkeypatch):
    settings.HEALTH_CHECK_TIMEOUT = 0.2
    monkeypatch.setattr(health, "default_storage", HangingStorage())
    started = time.monotonic()
    response = client.get("/health")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["error"] == "timeout"


def test_a_task_waiting_too_long_makes_health_503(client, db, settings, draft_cycle):
    from django_tasks_db.models import DBTaskResult

    from results.models import Job, JobKind
    from results.tasks import run_job

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTH_TASK_QUEUE_MAX_AGE = 600
    job = Job.objects.create(cycle=draft_cycle, kind=JobKind.RECOMPUTE)
    run_job.enqueue(job.pk)  # queued in the database; no worker runs in this test
    assert client.get("/health").status_code == 200  # just queued: fine

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=15))
    response = client.get("/health")
    assert response.status_code == 503
    queue = response.json()["checks"]["task_queue"]
    assert queue["status"] == "fail" and queue["queued"] == 1 and queue["oldest_age_s"] >= 900


def test_probes_are_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


# ── request ids and logs ──


def test_a_sane_request_id_is_kept_and_echoed(client, db):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-7f3a.2:abc_DEF")
    assert response["X-Request-ID"] == "lb-7f3a.2:abc_DEF"


@pytest.mark.parametrize("given", [None, "", "two words", "x" * 101, 'a"}\n{"level":"ERROR"', "é"])
def test_an_insane_or_missing_request_id_is_replaced(client, db, given):
    headers = {} if given is None else {"HTTP_X_REQUEST_ID": given}
    first = client.get("/accounts/login/", **headers)["X-Request-ID"]
    second = client.get("/accounts/login/", **headers)["X-Request-ID"]
    assert first != given and len(first) == 32 and int(first, 16) >= 0
    assert first != second


def test_each_request_writes_one_json_access_line(client, officer_a, caplog):
    client.force_login(officer_a)
    with caplog.at_level(logging.INFO, logger="parindex.request"):
        response = client.get("/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 200
    lines = [r for r in caplog.records if r.name == "parindex.request"]
    assert len(lines) == 1
    entry = json.loads(JsonFormatter().format(lines[0]))
    assert "\n" not in JsonFormatter().format(lines[0])
    assert entry["level"] == "INFO" and entry["logger"] == "parindex.request"
    assert entry["request_id"] == "req-42"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/", 200)
    assert entry["view"] == "home"
    assert entry["user_id"] == officer_a.pk
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert entry["message"].startswith("GET / 200 ")
    assert entry["time"].endswith("+00:00")


def test_lines_logged_during_a_request_carry_its_id(client, db, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    django_line = next(r for r in caplog.records if r.name == "django.request")
    entry = json.loads(JsonFormatter().format(django_line))
    assert entry["request_id"] == "req-404"
    assert entry["message"] == "Not Found: /no-such-page/"
    assert "request" not in entry  # the request object itself is not dumped
    access = next(r for r in caplog.records if r.name == "parindex.request")
    assert json.loads(JsonFormatter().format(access))["user_id"] is None


def test_exceptions_are_one_json_line_with_the_traceback():
    try:
        raise ValueError("hỏng")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "lỗi %s", ("A",), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "lỗi A" and "ValueError: hỏng" in entry["exception"]


def test_logs_are_json_outside_debug(settings):
    assert settings.LOG_FORMAT == "json"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"


# ── /metrics ──


def scrape(client) -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []


def test_metrics_are_refused_without_the_token(client, db, token):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 403
    refused = client.get("/metrics")
    assert "parindex_" not in refused.content.decode()
    assert "METRICS_TOKEN" in refused.content.decode()
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_metrics_from_an_allowed_address_but_not_through_the_proxy(client, db, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 403  # the test client is 127.0.0.1
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "::1"]
    assert client.get("/metrics").status_code == 200
    # nginx on the same machine also connects from 127.0.0.1: what it passes on is refused.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403


def test_request_metrics_count_by_view_and_status(client, db, token):
    before = scrape(client)
    client.get("/health")
    client.get("/health")
    client.get("/no-such-page/")
    after = scrape(client)
    labels = {"view": "health", "method": "GET", "status": "200"}
    assert value(after, "parindex_http_requests_total", **labels) == (
        value(before, "parindex_http_requests_total", **labels) + 2
    )
    assert (
        value(after, "parindex_http_request_duration_seconds_count", view="health", status="200")
        == value(
            before, "parindex_http_request_duration_seconds_count", view="health", status="200"
        )
        + 2
    )
    # An unknown path is counted under one label, never under its own path.
    unmatched = {"view": "unmatched", "method": "GET", "status": "404"}
    assert value(after, "parindex_http_requests_total", **unmatched) == (
        value(before, "parindex_http_requests_total", **unmatched) + 1
    )
    assert "parindex_task_queue_length" in {name for name, _ in after}


def test_survey_submissions_are_counted_by_channel_and_outcome(
    client, token, secretariat, draft_cycle, unit_a
):
    from surveys import services as surveys
    from surveys.tests.conftest import good_answers, tsv

    version = surveys.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")
    now = timezone.now()
    wave = surveys.create_wave(
        secretariat, draft_cycle, version, "SIPAS", now - timedelta(days=1), now + timedelta(days=9)
    )
    surveys.set_targets(secretariat, wave, {unit_a: 100})
    before = scrape(client)
    submission = uuid.uuid4()
    for _ in range(
        2
    ):  # the second is the same submission again: a duplicate, not a second response
        surveys.submit_response(
            wave=wave, unit=unit_a, submission_id=submission, answers=good_answers(), channel="link"
        )
    with pytest.raises(surveys.SurveyError):
        surveys.submit_response(
            wave=wave, unit=unit_a, submission_id=uuid.uuid4(), answers={}, channel="code", code="X"
        )
    after = scrape(client)
    for channel, outcome in (("link", "stored"), ("link", "duplicate"), ("code", "refused")):
        labels = {"channel": channel, "outcome": outcome}
        assert value(after, "parindex_survey_submissions_total", **labels) == (
            value(before, "parindex_survey_submissions_total", **labels) + 1
        ), labels


def test_background_task_durations_are_observed(client, token, draft_cycle):
    from results.models import Job, JobKind, JobState
    from results.tasks import run_job

    labels = {"task": "results.tasks.run_job", "status": "successful"}
    before = value(scrape(client), "parindex_task_duration_seconds_count", **labels)
    job = Job.objects.create(cycle=draft_cycle, kind=JobKind.RECOMPUTE, state=JobState.DONE)
    run_job.enqueue(job.pk)  # the tests' backend runs it at once (TASKS_BACKEND=immediate)
    assert value(scrape(client), "parindex_task_duration_seconds_count", **labels) == before + 1


def test_several_processes_add_up_in_multiprocess_mode(tmp_path):
    """Two gunicorn workers each answer a request; /metrics (a third process) shows both."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR")
    } | {
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "parindex.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    worker = (
        "from ops.metrics import observe_request; observe_request('public:index', 'GET', 200, 0.2)"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", worker], cwd=ROOT, env=env, check=True, timeout=60)
    scraper = "import django; django.setup(); from ops.metrics import exposition; " + (
        "import sys; sys.stdout.write(exposition().decode())"
    )
    out = subprocess.run(
        [sys.executable, "-c", scraper],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(out)
        for s in family.samples
    }
    labels = {"view": "public:index", "method": "GET", "status": "200"}
    assert value(samples, "parindex_http_requests_total", **labels) == 2
    assert (
        value(
            samples,
            "parindex_http_request_duration_seconds_count",
            view="public:index",
            status="200",
        )
        == 2
    )
