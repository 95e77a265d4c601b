"""Benchmark harness: a fresh PostgreSQL database per run (dropped at the end), Django set up on it.

BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import contextlib
import json
import math
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def arguments(description: str, flags: dict[str, str] | None = None) -> argparse.Namespace:
    """--quick, and the bench's own switches (`flags`: name → help)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a small run")
    for name, text in (flags or {}).items():
        parser.add_argument(f"--{name}", action="store_true", help=text)
    return parser.parse_args()


@contextlib.contextmanager
def fresh_database():
    import psycopg

    server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"parindex_bench_{os.getpid()}_{int(time.time())}"
    admin = psycopg.connect(server, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlparse(server)
    os.environ["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{name}"))
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    os.environ["DB_CONN_MAX_AGE"] = "0"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield name
    finally:
        from django.db import connections

        connections.close_all()
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        try:
            admin.execute(drop)
        except psycopg.OperationalError:
            # The server restarted during the run (bench/load_fault.py): a new connection.
            admin = psycopg.connect(server, autocommit=True)
            admin.execute(drop)
        admin.close()


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    """COPY the rows into the table through a psycopg cursor; how many were written."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (`share` 0.99 for p99); NaN when there is nothing to rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report(figures: dict) -> None:
    """Human lines first, then the figures as one JSON object on the last line."""
    for key, value in figures.items():
        print(f"{key:>24}: {value}")
    print(json.dumps(figures))
