"""Once acknowledged, a response is never lost, and a retry never makes a second one (issue 4).

A real server (gunicorn, gthread workers, persistent database connections as in production) takes a
burst of submissions from several clients that retry with the same submission id, as the API asks
them to, while another connection terminates the server's database connections again and again
(pg_terminate_backend). Every acknowledged submission must be stored exactly once, nothing else may
appear, and the server must recover: no client may give up.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from surveys.models import Channel, Response

from .conftest import good_answers

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs PostgreSQL: it terminates the server's database connections "
        "(pg_terminate_backend); CI runs the suite on PostgreSQL too",
    ),
    pytest.mark.django_db(transaction=True),  # the server, another process, must see the wave
]

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = "parindex-durability"
"""The server's application_name in pg_stat_activity: only its connections are terminated."""
CLIENTS = 6
PER_CLIENT = 25
KILL_EVERY_S = 0.15
GIVE_UP_AFTER_S = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(**query) -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    address = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{credentials}@{address}/{db['NAME']}"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _request(port: int, method: str, path: str, body: bytes = b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


@pytest.fixture
def server(tmp_path):
    """gunicorn on the test database, configured as production is (DB_CONN_MAX_AGE=60)."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "parindex.settings",
        "DATABASE_URL": _database_url(application_name=APPLICATION),
        "DB_CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "ERROR",
        # Every client comes from 127.0.0.1: the per-address limit is raised for this server.
        "SURVEY_MAX_PER_SOURCE_PER_HOUR": "100000",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "parindex.wsgi:application"]
        + ["--chdir", str(ROOT), "--bind", f"127.0.0.1:{port}"]
        + ["--worker-class", "gthread", "--workers", "2", "--threads", "4"]
        + ["--graceful-timeout", "3", "--error-logfile", str(log), "--log-level", "warning"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn stopped: {log.read_text() if log.exists() else ''}")
            try:
                if _request(port, "GET", "/api/v1/surveys/waves")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # Its connections must be gone before pytest-django flushes or drops the database.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                [APPLICATION],
            )


class Outcome:
    def __init__(self):
        self.sent: dict[str, dict] = {}
        self.acknowledged: list[str] = []
        self.refused: list[tuple] = []
        self.gave_up: list[str] = []
        self.failures = Counter()  # answers that asked for a retry: 5xx or no answer at all


def _client(port: int, wave, number: int, outcome: Outcome) -> None:
    """Sends its responses one after the other; each is resent, same id, until it is acknowledged."""
    path = f"/api/v1/surveys/{wave.pk}/00070/responses"
    headers = {"Content-Type": "application/json", "X-Client": f"durability-test {number}"}
    for n in range(PER_CLIENT):
        submission = str(uuid.uuid4())
        answers = good_answers(visits=str(1 + n % 20))
        outcome.sent[submission] = answers
        body = json.dumps(
            {
                "submission_id": submission,
                "channel": "api",
                "answers": answers,
                "started_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
            }
        ).encode()
        give_up = time.monotonic() + GIVE_UP_AFTER_S
        while True:
            try:
                status, content = _request(port, "POST", path, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                status, content = None, repr(exc).encode()
            if status in (200, 201):
                assert json.loads(content) == {"submission_id": submission, "stored": True}
                outcome.acknowledged.append(submission)
                break
            if status is not None and status < 500:
                outcome.refused.append((submission, status, content[:300]))
                break
            outcome.failures[status or "no answer"] += 1
            if time.monotonic() > give_up:
                outcome.gave_up.append(submission)
                break
            time.sleep(0.05)


def _killer(stop: threading.Event, terminated: list[int]) -> None:
    import psycopg

    with psycopg.connect(_database_url(), autocommit=True) as admin:
        while not stop.wait(KILL_EVERY_S):
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [APPLICATION],
            ).fetchall()
            terminated.append(sum(1 for (done,) in rows if done))


def test_acknowledged_submissions_survive_killed_connections(server, wave, unit_a):
    outcome, terminated, stop = Outcome(), [], threading.Event()
    clients = [
        threading.Thread(target=_client, args=(server, wave, number, outcome))
        for number in range(CLIENTS)
    ]
    killer = threading.Thread(target=_killer, args=(stop, terminated))
    for thread in clients:
        thread.start()
    killer.start()
    for thread in clients:
        thread.join(CLIENTS * PER_CLIENT * GIVE_UP_AFTER_S)
    stop.set()
    killer.join()

    # The burst did lose its database connections, and the clients saw it.
    assert sum(terminated) > 0, "no connection of the server was terminated during the burst"
    # Nothing valid was refused, and the server recovered from every killed connection.
    assert outcome.refused == []
    assert outcome.gave_up == [], f"no acknowledgement after {GIVE_UP_AFTER_S} s of retries"
    assert len(outcome.acknowledged) == CLIENTS * PER_CLIENT == len(set(outcome.acknowledged))

    stored = Counter(str(s) for s in Response.objects.values_list("submission_id", flat=True))
    assert [s for s, times in stored.items() if times > 1] == []  # none stored twice
    assert set(stored) == set(outcome.acknowledged)  # every one stored, and nothing else
    for response in Response.objects.all():
        sent = outcome.sent[str(response.submission_id)]
        assert (response.wave, response.unit, response.channel) == (wave, unit_a, Channel.API)
        assert response.answers["visits"] == float(sent["visits"])
        assert response.answers["svc_1"] == int(sent["svc_1"])
    print(
        f"{len(outcome.acknowledged)} acknowledged and stored once; {sum(terminated)} server "
        f"connections terminated in {len(terminated)} rounds; retried answers: "
        f"{dict(outcome.failures)}"
    )
