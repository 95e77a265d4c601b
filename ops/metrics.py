"""Prometheus metrics: requests, latencies, background tasks, survey submissions (docs/observability.md;
the survey counter itself is surveys/metrics.py).

With PROMETHEUS_MULTIPROC_DIR set (before the process starts), every process (each gunicorn worker,
`parindex worker`) writes its figures to files in that folder and /metrics adds them up; without it,
/metrics shows the figures of the process that answers.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)
# The `*_created` series (when each label set first appeared) double the output and serve no alert.
disable_created_metrics()

REQUESTS = Counter(
    "parindex_http_requests",
    "HTTP requests answered, by URL pattern name, method and status.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "parindex_http_request_duration_seconds",
    "Time to answer an HTTP request (until the response is handed to the server), by URL pattern name "
    "and status.",
    ["view", "status"],
)
TASK_DURATION = Histogram(
    "parindex_task_duration_seconds",
    "Run time of background tasks (recomputation, reports), by task and final status.",
    ["task", "status"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)


def observe_request(view: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view, method, str(status)).inc()
    LATENCY.labels(view, str(status)).observe(seconds)


def task_finished(sender, task_result, **kwargs) -> None:
    """django_tasks' task_finished signal (wired in parindex/apps.py): the task's run time."""
    started, finished = task_result.started_at, task_result.finished_at
    if started is None or finished is None:
        return
    TASK_DURATION.labels(
        task_result.task.module_path, str(task_result.status.name).lower()
    ).observe(max((finished - started).total_seconds(), 0.0))


class TaskQueueCollector:
    """Read at each scrape from django_tasks_db's table: tasks waiting and the oldest one's age."""

    def describe(self):
        return []

    def collect(self):
        from .health import task_queue_state

        try:
            queued, oldest = task_queue_state()
        except Exception:
            log.warning("metrics: the task queue could not be read", exc_info=True)
            return
        waiting = GaugeMetricFamily(
            "parindex_task_queue_length", "Background tasks waiting for a worker."
        )
        waiting.add_metric([], queued)
        yield waiting
        age = GaugeMetricFamily(
            "parindex_task_queue_oldest_age_seconds",
            "How long the oldest waiting task has waited (0 when none waits).",
        )
        age.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0.0)
        yield age


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        text = generate_latest(processes)
    else:
        text = generate_latest(REGISTRY)
    queue = CollectorRegistry()
    queue.register(TaskQueueCollector())
    return text + generate_latest(queue)


@functools.lru_cache(maxsize=8)
def _networks(addresses: tuple[str, ...]):
    return [ipaddress.ip_network(address, strict=False) for address in addresses]


PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def scrape_allowed(request) -> bool:
    """With the bearer token METRICS_TOKEN, or straight (not through the reverse proxy) from an address
    in METRICS_ALLOWED_IPS."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if (
        token
        and given.startswith("Bearer ")
        and hmac.compare_digest(given[len("Bearer ") :].strip().encode(), token.encode())
    ):
        return True
    if any(header in request.headers for header in PROXY_HEADERS):
        # Passed on by nginx: the peer address is the proxy's (often 127.0.0.1), not the client's.
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in net for net in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


@never_cache
@require_GET
def metrics_view(request):
    if not scrape_allowed(request):
        return HttpResponse(
            "Không được đọc số liệu giám sát: cần mã METRICS_TOKEN (Authorization: Bearer …) "
            "hoặc truy cập trực tiếp từ một địa chỉ trong METRICS_ALLOWED_IPS.\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
