"""GET /health: is this process able to serve? (docs/observability.md)

Checks the database, the cache (Redis when CACHE_URL names one), the file storage (a small file written,
read back and removed) and the task queue (the oldest waiting task in django_tasks_db's table must be
younger than HEALTH_TASK_QUEUE_MAX_AGE seconds, else no worker is taking tasks). 200 when every check
passes, 503 otherwise. No login; the answer names the checks and their state, never an address, a
password, an error text or a version.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)

# Files the storage check writes live here for a moment; backups skip the folder.
PROBE_PREFIX = ".health"


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache() -> dict:
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    kind = {"RedisCache": "redis", "LocMemCache": "local", "DummyCache": "none"}.get(
        backend, "other"
    )
    if kind == "none":
        return {"backend": kind}
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return the value just written")
    finally:
        cache.delete(key)
    return {"backend": kind}


def check_storage() -> dict:
    content = uuid.uuid4().hex.encode()
    name = default_storage.save(f"{PROBE_PREFIX}/{uuid.uuid4().hex}.txt", ContentFile(content))
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != content:
                raise RuntimeError("the storage did not return the file just written")
    finally:
        default_storage.delete(name)
    return {}


def task_queue_state():
    """(tasks waiting to run now, enqueue time of the oldest of them or None)."""
    from django.db.models import Count, Min
    from django_tasks_db.models import DBTaskResult

    figures = DBTaskResult.objects.ready().aggregate(queued=Count("id"), oldest=Min("enqueued_at"))
    return figures["queued"], figures["oldest"]


def check_task_queue() -> dict:
    queued, oldest = task_queue_state()
    age = round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0.0
    details = {"queued": queued, "oldest_age_s": age}
    if age > settings.HEALTH_TASK_QUEUE_MAX_AGE:
        raise CheckFailed(details)
    return details


class CheckFailed(Exception):
    def __init__(self, details: dict):
        self.details = details


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "task_queue": check_task_queue,
}


# The cache and the storage are reached over the network (Redis, S3) and may hang rather than fail: they
# are checked in a thread and given up after HEALTH_CHECK_TIMEOUT seconds. The database checks stay in
# the request's thread (its connection is per thread).
BOUNDED = {"cache", "storage"}
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None or _pool[0] != os.getpid():  # one per process: threads do not survive a fork
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=4, thread_name_prefix="health"))
    return _pool[1]


def run_checks() -> tuple[bool, dict]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            if name in BOUNDED:
                details = _executor().submit(check).result(timeout=settings.HEALTH_CHECK_TIMEOUT)
            else:
                details = check()
            ok = True
        except CheckFailed as failed:
            details, ok = failed.details, False
        except TimeoutError:
            log.warning(
                "health check %s gave no answer in %ss", name, settings.HEALTH_CHECK_TIMEOUT
            )
            details, ok = {"error": "timeout"}, False
        except Exception as error:
            # The error's text may carry host names or credentials: logged, never answered.
            log.warning("health check %s failed", name, exc_info=True)
            details, ok = {"error": type(error).__name__}, False
        results[name] = {
            "status": "ok" if ok else "fail",
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            **details,
        }
    healthy = all(result["status"] == "ok" for result in results.values())
    return healthy, results


@never_cache
@require_GET
def health_view(request):
    healthy, checks = run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks},
        status=200 if healthy else 503,
    )
