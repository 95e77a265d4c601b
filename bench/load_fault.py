"""Load and faults: survey submissions at peak with a PostgreSQL restart and a Redis restart in the middle,
then the public ranking page under load while the results are recomputed.

1. Intake: concurrent clients ramp up to PEAK (200) over the first seconds, each sending new responses to the
   citizen app's endpoint (POST /api/v1/surveys/<wave>/<unit>/responses) through gunicorn, as a phone would:
   on any error or timeout it retries the same submission id (the API is idempotent) with a growing pause,
   until acknowledged (201, or 200 "already stored"). A third of the way in, PostgreSQL is restarted
   (pg_ctlcluster … restart); two thirds of the way in, Redis (shutdown, start). Afterwards the database is
   compared with what the clients were told: every acknowledged submission must be stored, exactly once.
   recovery_s: from the start of a restart to the first acknowledgement after it (the worse of the two).
2. Public pages during a recomputation: a published cycle of 400 units; 50 clients read the public ranking
   page while the cycle is recomputed twice in this process; requests per second, p95 and errors.

It restarts the machine's PostgreSQL and Redis: run it alone. Knobs: LOAD_PEAK, LOAD_SECONDS, LOAD_FAULTS.
Last line: {"acknowledged": …, "stored": …, "duplicates": …, "client_errors": …, "recovery_s": …, …}
"""

import asyncio
import json
import os
import random
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from _harness import arguments, fresh_database, percentile, report
from _server import Connection
from survey_intake import Server, answers, build, server_environment

PEAK = int(os.environ.get("LOAD_PEAK", 200))
PUBLIC_CLIENTS = 50
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip
"""As the machine starts it (the env notes of this workplace)."""


FAULTS = os.environ.get("LOAD_FAULTS", "1") != "0"
"""LOAD_FAULTS=0 runs the same load without restarting anything (to try the bench beside other work)."""


def restart_postgresql() -> None:
    if not FAULTS:
        return
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
    )


def restart_redis() -> None:
    if not FAULTS:
        return
    subprocess.run(["redis-cli", "shutdown", "nosave"], capture_output=True)
    time.sleep(0.5)
    subprocess.run(REDIS_START, check=True, capture_output=True)


class Tally:
    def __init__(self):
        self.acknowledged: dict[str, float] = {}  # submission id → when acknowledged
        self.abandoned: set[str] = set()
        self.client_errors = 0
        self.errors_by_kind: dict[str, int] = {}
        self.latencies: list[float] = []

    def error(self, kind: str) -> None:
        self.client_errors += 1
        self.errors_by_kind[kind] = self.errors_by_kind.get(kind, 0) + 1


async def phone(
    index: int, port: int, scene: dict, stop_at: float, give_up_at: float, tally: Tally
):
    rng = random.Random(index)
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-Client": f"iHanoi/3.2 {index:04d}",
    }
    connection = Connection(port)
    loop = asyncio.get_running_loop()
    while loop.time() < stop_at:
        submission = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        unit = rng.choice(scene["units"])
        body = json.dumps(
            {"submission_id": submission, "channel": "api", "answers": answers(rng)}
        ).encode()
        pause = 0.05
        began = time.perf_counter()
        while True:
            try:
                status, _, _, content = await asyncio.wait_for(
                    connection.request(
                        "POST", f"/api/v1/surveys/{scene['wave']}/{unit}/responses", headers, body
                    ),
                    timeout=10,
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                tally.error(type(exc).__name__)
                connection.close()
                connection = Connection(port)
            else:
                if status in (200, 201):
                    tally.acknowledged[submission] = time.monotonic()
                    tally.latencies.append(time.perf_counter() - began)
                    break
                tally.error(f"HTTP {status}")
                if status == 400:  # refused for good (a validation problem): not a fault to retry
                    raise RuntimeError(content[:300])
            if loop.time() > give_up_at:
                tally.abandoned.add(submission)
                connection.close()
                return
            await asyncio.sleep(pause)
            pause = min(1.0, pause * 2)
    connection.close()


async def intake(
    port: int, scene: dict, seconds: float, tally: Tally
) -> list[tuple[str, float, float]]:
    loop = asyncio.get_running_loop()
    start = loop.time()
    stop_at, give_up_at = start + seconds, start + seconds + 60
    ramp = seconds / 6
    faults: list[tuple[str, float, float]] = []

    async def fault(name: str, at: float, action) -> None:
        await asyncio.sleep(at)
        began = time.monotonic()
        await asyncio.to_thread(action)
        faults.append((name, began, time.monotonic()))

    tasks = []
    for index in range(PEAK):
        tasks.append(asyncio.create_task(phone(index, port, scene, stop_at, give_up_at, tally)))
        await asyncio.sleep(ramp / PEAK)
    faulting = [
        asyncio.create_task(
            fault("postgresql", seconds / 3 - (loop.time() - start), restart_postgresql)
        ),
        asyncio.create_task(fault("redis", 2 * seconds / 3 - (loop.time() - start), restart_redis)),
    ]
    await asyncio.gather(*tasks, *faulting)
    return faults


def recovery(faults, tally: Tally) -> dict[str, float]:
    times = sorted(tally.acknowledged.values())
    result = {}
    for name, began, ended in faults:
        after = next((t for t in times if t > ended), None)
        result[name] = round((after if after is not None else float("inf")) - began, 2)
    return result


def check_storage(wave: int, tally: Tally) -> dict:
    from django.db import connections

    connections.close_all()  # the restart broke this process's connection too
    from surveys.models import Response

    ids = [
        str(s)
        for s in Response.objects.filter(wave_id=wave).values_list("submission_id", flat=True)
    ]
    stored = set(ids)
    acknowledged = set(tally.acknowledged)
    return {
        "rows": len(ids),
        "duplicates": len(ids) - len(stored),
        "stored": len(acknowledged & stored),
        "lost": len(acknowledged - stored),
        "stored_not_acknowledged": len(stored - acknowledged),
    }


def public_under_recompute(env: dict, work: Path, seconds: float) -> dict:
    """A published cycle of 400 units; 50 clients read its ranking while it is recomputed twice."""
    from compute import load

    from accounts.models import User
    from results.compute import recompute
    from results.services import publish

    cycle = load(400, 0, year=2024)
    recompute(cycle)
    publish(User.objects.get(username="bench"), cycle)
    server = Server("parindex.wsgi:application", env, work / "public.log")
    path = f"/cong-khai/{cycle.year}/"
    latencies, errors, done = [], [0], threading.Event()

    def recompute_twice():
        for _ in range(2):
            recompute(cycle)
        done.set()

    async def reader(index: int, stop_at: float):
        connection = Connection(server.port)
        loop = asyncio.get_running_loop()
        while loop.time() < stop_at:
            began = time.perf_counter()
            try:
                status, _, _, _ = await connection.request("GET", path, {})
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors[0] += 1
                connection.close()
                connection = Connection(server.port)
                continue
            if status != 200:
                errors[0] += 1
            latencies.append(time.perf_counter() - began)
        connection.close()

    async def run():
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(reader(i, loop.time() + 2) for i in range(PUBLIC_CLIENTS)))  # warm
        latencies.clear()
        worker = threading.Thread(target=recompute_twice)
        began = loop.time()
        worker.start()
        await asyncio.gather(*(reader(i, began + seconds) for i in range(PUBLIC_CLIENTS)))
        worker.join()
        return loop.time() - began

    try:
        elapsed = asyncio.run(run())
    finally:
        server.stop()
    return {
        "public_requests_per_s": round(len(latencies) / elapsed, 1),
        "public_p95_ms": round(1000 * percentile(latencies, 0.95), 1),
        "public_errors": errors[0],
        "recomputed_during_load": done.is_set(),
    }


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    seconds = float(os.environ.get("LOAD_SECONDS", 15 if args.quick else 45))
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    work = Path(tempfile.mkdtemp(prefix="parindex-load-"))
    with fresh_database():
        scene = build()
        env = server_environment(os.environ["DATABASE_URL"], work) | {
            "CACHE_URL": "redis://127.0.0.1:6379/14",
            # each simulated phone sends many responses: the per-source limits are not what is tested
            "SURVEY_MAX_PER_SOURCE_PER_HOUR": "1000000",
            "SURVEY_BURST_PER_10_MINUTES": "1000000",
        }
        server = Server("parindex.wsgi:application", env, work / "intake.log")
        tally = Tally()
        try:
            faults = asyncio.run(intake(server.port, scene, seconds, tally))
        finally:
            server.stop()
        storage = check_storage(scene["wave"], tally)
        recoveries = recovery(faults, tally)
        public = public_under_recompute(env, work, 15 if args.quick else 30)
        report(
            {
                "peak_clients": PEAK,
                "seconds": seconds,
                "acknowledged_per_s": round(len(tally.acknowledged) / seconds, 1),
                "p99_ms_with_retries": round(1000 * percentile(tally.latencies, 0.99), 1),
                "errors_by_kind": tally.errors_by_kind,
                "recovery_by_fault_s": recoveries,
                "abandoned": len(tally.abandoned),
                "lost": storage["lost"],
                "stored_not_acknowledged": storage["stored_not_acknowledged"],
                **public,
                "acknowledged": len(tally.acknowledged),
                "stored": storage["stored"],
                "duplicates": storage["duplicates"],
                "client_errors": tally.client_errors,
                "recovery_s": max(recoveries.values()) if recoveries else None,
            }
        )


if __name__ == "__main__":
    main()
