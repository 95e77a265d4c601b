"""Scale-out (docs/scaling.md): two app processes sharing only PostgreSQL and Redis agree on a survey
rate limit and on a cache invalidation by a new publication.

PostgreSQL only (CI runs the suite on it too): two real gunicorn processes read the test database.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def two_processes(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL shared by two processes (the CI suite on PostgreSQL runs it)")
    with socket.socket() as s:
        if s.connect_ex(REDIS) != 0:
            pytest.skip("needs Redis on 127.0.0.1:6379")
    settings = connection.settings_dict
    database = (
        f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "CACHE_URL")
    } | {
        "DATABASE_URL": database,
        "CACHE_URL": "redis://127.0.0.1:6379/13",
        "CACHE_KEY_PREFIX": f"two-processes-{uuid.uuid4().hex[:8]}",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret-key-not-for-production"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",
        "SURVEY_MAX_PER_SOURCE_PER_HOUR": "3",
        "TASKS_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
    }
    ports, processes = [_free_port(), _free_port()], []
    for port in ports:
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "parindex.wsgi:application"]
                + ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(tmp_path / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
            )
        )
    deadline = time.monotonic() + 60
    while not all(_answers(p) for p in ports):
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            logs = "\n".join(f.read_text() for f in tmp_path.glob("gunicorn-*.log"))
            pytest.fail(f"the app processes did not start:\n{logs}")
        time.sleep(0.2)
    yield [f"http://127.0.0.1:{p}" for p in ports]
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def _request(url, data=None, headers=None):
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(
        url, data=body, headers=headers or {}, method="POST" if body else "GET"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_rate_limit_holds_across_both_processes(two_processes, secretariat, unit_a, draft_cycle):
    from surveys import services as surveys
    from surveys.tests.conftest import good_answers, tsv

    version = surveys.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")
    now = timezone.now()
    wave = surveys.create_wave(
        secretariat, draft_cycle, version, "SIPAS", now - timedelta(days=1), now + timedelta(days=9)
    )
    surveys.set_targets(secretariat, wave, {unit_a: 100})
    statuses = []
    for attempt in range(5):
        base = two_processes[attempt % 2]  # A, B, A, B, A
        status, body = _request(
            f"{base}/api/v1/surveys/{wave.pk}/{unit_a.code}/responses",
            {"submission_id": str(uuid.uuid4()), "channel": "api", "answers": good_answers()},
            {"Content-Type": "application/json", "X-Client": "ung-dung-thu"},
        )
        statuses.append(status)
        if status == 400:
            assert "quá nhiều phiếu" in json.loads(body)["detail"][0]
    assert statuses == [201, 201, 201, 400, 400]  # 3 per hour from one device, whichever process
    assert wave.responses.count() == 3


NOTICE = "Đính chính điểm của phường Ba Đình"


def test_a_new_publication_reaches_both_processes(two_processes, secretariat, unit_a, unit_b):
    from assessments.models import Item
    from results.compute import recompute
    from results.services import publish
    from results.tests.published import SHARES, extra_units, finalise, make_cycle

    cycle = finalise(
        secretariat, make_cycle(secretariat, 2025, [unit_a, unit_b, *extra_units()]), SHARES
    )
    publish(secretariat, cycle)
    for base in two_processes:  # both render and cache version 1
        status, page = _request(f"{base}/cong-khai/2025/")
        assert status == 200 and NOTICE not in page
    # A corrected appraisal: Ba Đình loses its points on one leaf.
    Item.objects.filter(
        assessment__cycle=cycle, assessment__unit__code="00076", node__code="1.5"
    ).update(final_points=0)
    recompute(cycle)
    publish(secretariat, cycle, notice=NOTICE)
    for base in two_processes:
        status, page = _request(f"{base}/cong-khai/2025/")
        assert status == 200 and NOTICE in page
