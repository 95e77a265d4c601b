"""Survey intake under load: the citizen app's submit endpoint (POST /api/v1/surveys/<wave>/<unit>/responses)
and the web respondent path, with the app under gunicorn (gthread workers, settings from the environment as
in production, persistent database connections) over loopback against PostgreSQL.

A fresh database holds one open SIPAS-like wave over UNITS units with a 30-question questionnaire. Three
phases, each a closed loop of concurrent clients (a lean asyncio HTTP/1.1 client in this process):

1. the API: each request a new response (its own submission id) from a simulated phone;
2. the web path as a browser takes it, a fresh browser (new connection, no cookies) per respondent: GET the
   30-question page, POST the answers with the CSRF token and cookie, follow the redirect to the thank-you
   page; `web_p99_ms` is the p99 of those page requests;
3. the ceiling: a minimal WSGI endpoint (`ceiling_app`) served by the same gunicorn configuration that parses
   the same JSON and inserts the same row with plain psycopg; ratio = API / ceiling. The API and the
   ceiling are measured in ROUNDS alternating rounds (both servers up), so that a drift in the shared
   machine's speed weighs on both alike.

The intake limits (docs/decisions.md §17–18) stay on, set through the server's environment and printed:
each simulated phone has its own loopback source address (127.x.y.z) and device (X-Client, or user agent),
as citizens' phones do, so no submission is refused. Beside the rates it prints the CPU time that the
server's workers, their database backends and the load generator spent per submission. The machine is
shared: the load average before and after is printed too. Knobs: INTAKE_WORKERS, INTAKE_THREADS,
INTAKE_CLIENTS, INTAKE_DATABASE_OPTIONS (query parameters for the app's DATABASE_URL).
Targets on the 2-core machine: ≥ 300 submissions/s, p99 < 200 ms, ratio ≥ 0.5, web ≥ 150 responses/s.
Last line: {"submissions_per_s": …, "p50_ms": …, "p99_ms": …, "ceiling_per_s": …, "ratio": …,
"web_responses_per_s": …, "web_p99_ms": …}
"""

import asyncio
import itertools
import json
import os
import random
import re
import shutil
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from _harness import percentile
from _server import Connection, Gunicorn

UNITS = 50
WORKERS = int(os.environ.get("INTAKE_WORKERS", 2))
THREADS = int(os.environ.get("INTAKE_THREADS", 4))
API_CLIENTS = int(os.environ.get("INTAKE_CLIENTS", 8))
ROUNDS = 4
"""The API and the ceiling are measured in this many alternating rounds."""
WEB_CLIENTS = API_CLIENTS
LIMITS = {"SURVEY_MAX_PER_SOURCE_PER_HOUR": 30, "SURVEY_BURST_PER_10_MINUTES": 5}
"""The intake limits for the run, given to the server through its environment (the defaults)."""
PER_PHONE = 20
"""Submissions an app installation (address and X-Client) sends before the client moves to another:
under the per-source limit, so none is refused; every one of them after the fifth is flagged."""


def addresses():
    """Loopback source addresses, one per simulated phone (Linux routes all of 127/8 to lo)."""
    for a in range(1, 255):
        for b in range(0, 256):
            for c in range(1, 255):
                yield f"127.{a}.{b}.{c}"


PHONES = addresses()
SEEDS = itertools.count(1)

TARGETS = {"submissions_per_s": 300, "p99_ms": 200, "ratio": 0.5, "web_responses_per_s": 150}

SERVICE = ["access", "procedures", "officials", "results"]
POLICY = ["participation", "transparency", "accountability", "results"]


def questionnaire_rows() -> list[tuple]:
    """30 questions: 5 profile questions (one shown only on a condition), 20 service and 4 policy satisfaction items, 1 expectation."""
    rows = [
        ("type", "name", "label", "choices", "required", "relevant", "dimension"),
        ("section", "", "Thông tin chung", "", "", "", ""),
        ("single", "sex", "Giới tính", "m=Nam|f=Nữ", "1", "", ""),
        (
            "single",
            "harassed",
            "Ông/Bà có bị gây phiền hà không?",
            "none=Không|some=Có",
            "1",
            "",
            "",
        ),
        ("text", "harassed_detail", "Xin cho biết cụ thể", "", "1", "${harassed} = 'some'", ""),
        ("number", "visits", "Số lần phải đi lại", "min=1|max=20", "0", "", ""),
        (
            "multiple",
            "channels",
            "Ông/Bà biết thông tin về thủ tục qua kênh nào?",
            "web=Trang web|tv=Truyền hình|friend=Người quen|desk=Bộ phận một cửa",
            "0",
            "",
            "",
        ),
        ("section", "", "Mức độ hài lòng về dịch vụ", "", "", "", ""),
    ]
    for i in range(20):
        element = SERVICE[i // 5]
        rows.append(
            (
                "likert5",
                f"svc_{i + 1}",
                f"Mức độ hài lòng về {element}, khía cạnh {i % 5 + 1}",
                "",
                "1",
                "",
                f"service/{element}",
            )
        )
    rows.append(("section", "", "Mức độ hài lòng về chính sách", "", "", "", ""))
    for i, element in enumerate(POLICY):
        rows.append(
            ("likert5", f"pol_{i + 1}", f"Chính sách: {element}", "", "1", "", f"policy/{element}")
        )
    rows.append(
        (
            "scale4",
            "expect",
            "Ông/Bà mong muốn điều gì nhất?",
            "1=Rút ngắn thời gian|2=Giảm giấy tờ|3=Thái độ tốt hơn|4=Trực tuyến",
            "0",
            "",
            "",
        )
    )
    return rows


def answers(rng: random.Random) -> dict:
    """A respondent's answers as the app sends them (levels as numbers, not a straight line)."""
    data = {
        "sex": rng.choice("mf"),
        "harassed": "none" if rng.random() < 0.9 else "some",
        "visits": rng.randint(1, 3),
        "channels": rng.sample(["web", "tv", "friend", "desk"], rng.randint(1, 2)),
        "expect": str(rng.randint(1, 4)),
    }
    if data["harassed"] == "some":
        data["harassed_detail"] = "Phải bổ sung giấy tờ nhiều lần"
    for i in range(1, 21):
        data[f"svc_{i}"] = rng.choice((3, 4, 4, 5, 5))
    for i in range(1, 5):
        data[f"pol_{i}"] = rng.choice((2, 3, 4, 4, 5))
    data["svc_1"] = 1 if data["svc_2"] != 1 else 2  # never one level throughout
    return data


def build() -> dict:
    """The open wave, its units and targets in the fresh database."""
    from django.utils import timezone

    from accounts.models import Role, User
    from cycles.services import add_participants, create_cycle
    from surveys import services
    from units.models import Unit, UnitKind

    secretariat = User.objects.create(username="thuky", role=Role.SECRETARIAT, is_staff=True)
    cycle = create_cycle(secretariat, 2025, "Chỉ số CCHC năm 2025")
    units = Unit.objects.bulk_create(
        Unit(code=f"X{n:05d}", name=f"Số {n}", kind=UnitKind.COMMUNE, sub_kind="phuong")
        for n in range(1, UNITS + 1)
    )
    add_participants(secretariat, cycle, units)
    table = "\n".join("\t".join(row) for row in questionnaire_rows()).encode()
    version = services.import_questionnaire(secretariat, "sipas", "SIPAS", table, "sipas.tsv")
    answered = [q for q in version.parsed() if q.type != "section"]
    assert len(answered) == 30, len(answered)
    now = timezone.now()
    wave = services.create_wave(
        secretariat, cycle, version, "SIPAS 2025", now - timedelta(days=1), now + timedelta(days=30)
    )
    services.set_targets(secretariat, wave, dict.fromkeys(units, 5000))
    return {"wave": wave.pk, "units": [u.code for u in units]}


# ------------------------------------------------------------------ the ceiling: plain psycopg

CEILING_INSERT = """
INSERT INTO surveys_response (wave_id, unit_id, submission_id, channel, answers, started_at,
    submitted_at, duration_s, ip_hash, device_hash, dossier_hash, flags, excluded, exclusion_reason)
SELECT %(wave)s, u.id, %(submission)s, 'api', %(answers)s, %(started)s, %(now)s, %(duration)s,
    %(ip)s, %(device)s, '', '[]', false, ''
FROM units_unit u WHERE u.code = %(unit)s
ON CONFLICT (submission_id) DO NOTHING
"""
_local = threading.local()
_CEILING_PATH = re.compile(r"^/api/v1/surveys/(\d+)/([^/]+)/responses$")


def ceiling_app(environ, start_response):
    """The least a submit endpoint can do: parse the JSON and insert the row, with the address and the
    device hashed by the app's own function (it needs Django's settings only, not its apps)."""
    import psycopg
    from psycopg.types.json import Jsonb

    from surveys.hashing import keyed_hash

    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        connection = _local.connection = psycopg.connect(
            os.environ["CEILING_DATABASE_URL"], autocommit=True
        )
    match = _CEILING_PATH.match(environ.get("PATH_INFO", ""))
    length = int(environ.get("CONTENT_LENGTH") or 0)
    payload = json.loads(environ["wsgi.input"].read(length))
    now = datetime.now(UTC)
    started = datetime.fromisoformat(payload["started_at"]) if payload.get("started_at") else None
    connection.execute(
        CEILING_INSERT,
        {
            "wave": int(match[1]),
            "unit": match[2],
            "submission": payload["submission_id"],
            "answers": Jsonb(payload["answers"]),
            "started": started,
            "now": now,
            "duration": int((now - started).total_seconds()) if started else None,
            "ip": keyed_hash("ip", environ.get("REMOTE_ADDR", "")),
            "device": keyed_hash("device", environ.get("HTTP_X_CLIENT", "")),
        },
    )
    body = json.dumps({"submission_id": payload["submission_id"], "stored": True}).encode()
    start_response(
        "201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


# ------------------------------------------------------------------ the server


class Server(Gunicorn):
    """The app (or the ceiling) under gunicorn with this bench's workers and threads."""

    def __init__(self, app: str, env: dict, log: Path):
        super().__init__(app, env, workers=WORKERS, threads=THREADS, log=log)

    def warm(self, make_client, rounds: int = 5) -> None:
        """The first requests of a worker import the views and build the API schema (seconds):
        a few rounds of concurrent requests before anything is measured."""

        async def run():
            clients = [make_client(1_000_000 + i) for i in range(WORKERS * THREADS)]
            for _ in range(rounds):
                await asyncio.gather(*(iteration() for iteration, _ in clients))
            for _, close in clients:
                close()

        asyncio.run(run())

    def warm_pages(self, wave: int, units: list[str], times: int = 6) -> None:
        """Each worker renders a unit's blank form once, then serves its copy: every unit's page is
        asked for a few times first, so that the measured phase sees the steady state."""

        async def run():
            pending = [f"/khao-sat/{wave}/{unit}/" for unit in units for _ in range(times)]

            async def fetch():
                connection = Connection(self.port)
                while pending:
                    await connection.request("GET", pending.pop(), {"Connection": "close"})
                    connection.close()

            await asyncio.gather(*(fetch() for _ in range(WORKERS * THREADS)))

        asyncio.run(run())


async def closed_loop(clients: int, warmup: float, seconds: float, make_client):
    """`clients` loops of `iteration()` (each returns a list of request latencies in seconds); counts the
    iterations finished inside the measured window after the warm-up."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    window = (start + warmup, start + warmup + seconds)
    completed, latencies, totals, errors = [0], [], [], []

    async def client(index: int) -> None:
        iteration, close = make_client(index)
        try:
            while loop.time() < window[1]:
                began = loop.time()
                try:
                    parts = await iteration()
                except Exception as exc:  # noqa: BLE001  (an error is counted and shown, not fatal)
                    errors.append(repr(exc))
                    close()
                    await asyncio.sleep(0.01)
                    continue
                ended = loop.time()
                if window[0] <= began and ended <= window[1]:
                    completed[0] += 1
                    latencies.extend(parts)
                    totals.append(ended - began)
        finally:
            close()

    await asyncio.gather(*(client(i) for i in range(clients)))
    return completed[0] / seconds, latencies, totals, errors


def api_client_factory(port: int, wave: int, units: list[str], expect: int = 201):
    def make(index: int):
        rng = random.Random(next(SEEDS))  # every client of every round its own phones and ids
        phone = {"connection": Connection(port), "sent": PER_PHONE, "headers": {}}

        def close():
            phone["connection"].close()

        async def iteration():
            if phone["sent"] >= PER_PHONE:
                # Another phone: its own address and installation id (X-Client).
                close()
                phone["connection"] = Connection(port, next(PHONES))
                phone["sent"] = 0
                phone["headers"] = {
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "X-Client": f"iHanoi/3.2 {uuid.UUID(int=rng.getrandbits(128)).hex[:12]}",
                }
            phone["sent"] += 1
            connection, headers = phone["connection"], phone["headers"]
            unit = rng.choice(units)
            started = datetime.now(UTC) - timedelta(seconds=rng.randint(120, 600))
            body = json.dumps(
                {
                    "submission_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "channel": "api",
                    "started_at": started.isoformat(),
                    "answers": answers(rng),
                }
            ).encode()
            began = time.perf_counter()
            status, _, _, content = await connection.request(
                "POST", f"/api/v1/surveys/{wave}/{unit}/responses", headers, body
            )
            if status != expect:
                raise RuntimeError(f"{status}: {content[:300]!r}")
            return [time.perf_counter() - began]

        return iteration, close

    return make


HIDDEN = re.compile(rb'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def user_agent(rng: random.Random) -> str:
    """A phone's browser; the device fingerprint (user agent and languages) differs per respondent."""
    model = rng.choice(["SM-A546E", "Redmi Note 12", "CPH2591", "V2250", "SM-A155F", "RMX3834"])
    return (
        f"Mozilla/5.0 (Linux; Android {rng.randint(10, 14)}; {model}) AppleWebKit/537.36 "
        f"(KHTML, like Gecko) Chrome/{rng.randint(110, 126)}.0.{rng.randint(5000, 6500)}."
        f"{rng.randint(1, 200)} Mobile Safari/537.36"
    )


def form_fields(data: dict) -> list[tuple[str, str]]:
    fields = []
    for name, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            fields.append((name, str(v)))
    return fields


def web_client_factory(port: int, wave: int, units: list[str]):
    """A browser per respondent: a new connection and no cookies; three pages on that connection."""

    def make(index: int):
        rng = random.Random(10_000 + index)
        state = {"connection": None}

        def close():
            if state["connection"] is not None:
                state["connection"].close()
                state["connection"] = None

        async def iteration():
            close()
            connection = state["connection"] = Connection(port, next(PHONES))
            unit = rng.choice(units)
            page = f"/khao-sat/{wave}/{unit}/"
            browser = {
                "User-Agent": user_agent(rng),
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "vi-VN,vi;q=0.9",
            }
            timings = []
            began = time.perf_counter()
            status, _, cookies, content = await connection.request("GET", page, browser)
            timings.append(time.perf_counter() - began)
            if status != 200:
                raise RuntimeError(f"GET {status}")
            hidden = {k.decode(): v.decode() for k, v in HIDDEN.findall(content)}
            fields = list(hidden.items()) + form_fields(answers(rng))
            jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
            began = time.perf_counter()
            status, received, cookies, content = await connection.request(
                "POST",
                page,
                browser
                | {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"http://127.0.0.1:{port}",
                    "Referer": f"http://127.0.0.1:{port}{page}",
                    "Cookie": jar,
                },
                urlencode(fields).encode(),
            )
            timings.append(time.perf_counter() - began)
            if status != 302:
                raise RuntimeError(f"POST {status}: {content[:300]!r}")
            began = time.perf_counter()
            status, _, _, content = await connection.request(
                "GET", received["location"], browser | {"Cookie": jar}
            )
            timings.append(time.perf_counter() - began)
            if status != 200 or b"data-thanks" not in content:
                raise RuntimeError(f"thanks {status}")
            close()
            return timings

        return iteration, close

    return make


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU time of each process (one that ended in between is left out)."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def used(start: dict[int, float], end: dict[int, float]) -> float:
    """CPU seconds used between two readings: a process that started in between counts from zero;
    one that ended in between (a database connection closed) counts nothing."""
    return sum(value - start.get(pid, 0.0) for pid, value in end.items())


def processes(matches) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if matches(int(stat.rsplit(")", 1)[1].split()[1]), command):
            found.append(int(entry.name))
    return found


def measure(clients: int, warmup: float, seconds: float, make_client, server, database) -> dict:
    """One closed loop. On the side, the CPU time that the server's workers, their database backends
    and this load generator used in the measured window."""
    marks = {}

    def cpu():
        workers = processes(lambda parent, _: parent == server.process.pid)
        backends = processes(lambda _, command: f": postgres {database} " in command)
        return cpu_seconds(workers), cpu_seconds(backends), time.process_time()

    async def run():
        loop = asyncio.get_running_loop()
        loop.call_later(warmup, lambda: marks.update(start=cpu()))
        loop.call_later(warmup + seconds, lambda: marks.update(end=cpu()))
        return await closed_loop(clients, warmup, seconds, make_client)

    rate, latencies, totals, errors = asyncio.run(run())
    return {
        "seconds": seconds,
        "done": rate * seconds,
        "latencies": latencies,
        "totals": totals,
        "errors": errors,
        "cpu": [
            used(marks["start"][0], marks["end"][0]),
            used(marks["start"][1], marks["end"][1]),
            marks["end"][2] - marks["start"][2],
        ],
    }


def summary(name: str, runs: list[dict]) -> dict:
    """The figures of one or more measured windows of the same phase, taken together."""
    seconds = sum(r["seconds"] for r in runs)
    done = sum(r["done"] for r in runs)
    latencies = [x for r in runs for x in r["latencies"]]
    totals = [x for r in runs for x in r["totals"]]
    errors = [e for r in runs for e in r["errors"]]
    if errors:
        print(f"  {name}: {len(errors)} failed iterations, first: {errors[0]}")
    app, db, load = (
        sum(r["cpu"][i] for r in runs) / done * 1000 if done else float("nan") for i in range(3)
    )
    return {
        "rate": done / seconds,
        "p50": percentile(latencies, 0.50) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "total_p99": percentile(totals, 0.99) * 1000,
        "errors": len(errors),
        "cpu": f"CPU per iteration: app {app:.2f} ms, database {db:.2f} ms, load generator {load:.2f} ms",
    }


def server_environment(database_url: str, work: Path) -> dict:
    """As production runs (settings from the environment, access log at INFO), on the bench's database;
    the harness's DB_CONN_MAX_AGE=0 is put back to the production default (persistent connections)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "parindex.settings",
        # INTAKE_DATABASE_OPTIONS: query parameters for the app's DATABASE_URL, to try connection
        # options (e.g. server_side_binding=true&prepare_threshold=5); none by default.
        "DATABASE_URL": database_url
        + (
            f"?{os.environ['INTAKE_DATABASE_OPTIONS']}"
            if os.environ.get("INTAKE_DATABASE_OPTIONS")
            else ""
        ),
        "CEILING_DATABASE_URL": database_url,
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_MANIFEST": "0",
        "STATIC_ROOT": str(work / "static"),
        "DB_CONN_MAX_AGE": "60",
    } | {name: str(value) for name, value in LIMITS.items()}
    return env


def stored_count() -> int:
    from surveys.models import Response

    return Response.objects.count()


def main() -> None:
    from _harness import arguments, fresh_database, report

    args = arguments(__doc__.splitlines()[0])
    warmup, seconds = (1.0, 3.0) if args.quick else (3.0, 20.0)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    with fresh_database() as database:
        from django.db import connection

        scene = build()
        connection.close()
        work = Path(tempfile.mkdtemp(prefix="parindex-intake-"))
        (work / "static").mkdir()
        log = work / "server.log"
        env = server_environment(os.environ["DATABASE_URL"], work)
        load_before = os.getloadavg()[0]
        print(
            f"gunicorn gthread: {WORKERS} workers × {THREADS} threads, persistent DB connections "
            f"(DB_CONN_MAX_AGE=60); {UNITS} units, 30 questions; {warmup:g} s warm-up, "
            f"{seconds:g} s measured per phase"
        )
        print(
            "intake limits on, set for the run through the server's environment: "
            + ", ".join(f"{k}={v}" for k, v in LIMITS.items())
            + f"; each simulated phone has its own loopback address (127.x.y.z) and device, and sends "
            f"at most {PER_PHONE} responses (API) or one (web)"
        )
        wave, units = scene["wave"], scene["units"]

        # The API and the ceiling are measured in alternating rounds, both servers up (an idle one
        # costs nothing): the machine is shared and its speed drifts, and the ratio should compare
        # like with like.
        server = Server("parindex.wsgi:application", env, log)
        ceiling_server = Server("survey_intake:ceiling_app", env, log)
        try:
            server.warm(api_client_factory(server.port, wave, units))
            server.warm(web_client_factory(server.port, wave, units))
            server.warm_pages(wave, units)
            ceiling_server.warm(api_client_factory(ceiling_server.port, wave, units))
            api_runs, ceiling_runs, stored_api = [], [], 0
            for _ in range(ROUNDS):
                before = stored_count()
                api_runs.append(
                    measure(
                        API_CLIENTS,
                        warmup / ROUNDS,
                        seconds / ROUNDS,
                        api_client_factory(server.port, wave, units),
                        server,
                        database,
                    )
                )
                stored_api += stored_count() - before
                ceiling_runs.append(
                    measure(
                        API_CLIENTS,
                        warmup / ROUNDS,
                        seconds / ROUNDS,
                        api_client_factory(ceiling_server.port, wave, units),
                        ceiling_server,
                        database,
                    )
                )
            api, ceiling = summary("api", api_runs), summary("ceiling", ceiling_runs)
            before = stored_count()
            web = summary(
                "web",
                [
                    measure(
                        WEB_CLIENTS,
                        warmup,
                        seconds,
                        web_client_factory(server.port, wave, units),
                        server,
                        database,
                    )
                ],
            )
            stored_web = stored_count() - before
        finally:
            server.stop()
            ceiling_server.stop()
        print(
            f"API: {API_CLIENTS} clients, {stored_api} responses stored in the run, "
            f"{api['errors']} errors; web: {WEB_CLIENTS} browsers, {stored_web} stored, "
            f"{web['errors']} errors; web full path (3 pages) p99 {web['total_p99']:.1f} ms"
        )
        print(
            f"ceiling (plain psycopg INSERT): p50 {ceiling['p50']:.1f} ms, "
            f"p99 {ceiling['p99']:.1f} ms"
        )
        for name, figures in (("API", api), ("web", web), ("ceiling", ceiling)):
            print(f"{name}: {figures['cpu']}")
        lines = log.read_text(errors="replace").splitlines()
        failed = sum(1 for line in lines if '"level": "ERROR"' in line or "Traceback" in line)
        print(f"server log (LOG_LEVEL as in production): {len(lines)} lines, {failed} errors")
        shutil.rmtree(work, ignore_errors=True)
        figures = {
            "submissions_per_s": round(api["rate"], 1),
            "p50_ms": round(api["p50"], 1),
            "p99_ms": round(api["p99"], 1),
            "ceiling_per_s": round(ceiling["rate"], 1),
            "ratio": round(api["rate"] / ceiling["rate"], 3) if ceiling["rate"] else 0.0,
            "web_responses_per_s": round(web["rate"], 1),
            "web_p99_ms": round(web["p99"], 1),
        }
        missed = [
            key
            for key, target in TARGETS.items()
            if (figures[key] < target if key != "p99_ms" else figures[key] >= target)
        ]
        print(
            f"load average (the machine is shared): {load_before:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after"
        )
        print("targets: " + ("all met" if not missed else "missed " + ", ".join(missed)))
        report(figures)


if __name__ == "__main__":
    main()
