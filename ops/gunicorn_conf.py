"""gunicorn settings for `parindex serve` (production). Every value can be overridden on the command line.

Workers are processes sharing nothing but PostgreSQL, Redis and the file storage (docs/scaling.md).
"""

import multiprocessing
import os

bind = os.environ.get("PARINDEX_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))  # report generation runs in the worker, not here
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then, with jitter so they do not restart together
max_requests_jitter = 500
# Heartbeat files in memory, not on a possibly slow disk (gunicorn docs).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Requests are logged by the app (JSON lines with a request id, ops/observability.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
# Addresses of the reverse proxy whose X-Forwarded-* headers are trusted.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def child_exit(server, worker):
    """Prometheus multiprocess mode: forget the metrics of a worker that exited."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
