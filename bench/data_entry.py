"""Paper data entry under load: 2,000 paper forms of the built-in SIPAS questionnaire (82 questions) keyed
twice through the clerks' screen (POST /surveys/<wave>/phieu-giay/nhap/ as the browser sends it: through
htmx, answered with the blank form for the next one), with the app under gunicorn against PostgreSQL.

A fresh database holds one open wave over UNITS units and two clerks (the `survey_clerk` group), who
log in through the login form. Two phases, each CLIENTS concurrent clients (a lean asyncio HTTP/1.1
client in this process, the clerks' cookies and CSRF token): the first clerk keys every form (the first
keying waits), then the second keys them again (the second keying compares, and stores the response
when both agree; MISMATCH_EVERY-th form has one answer different and waits for a supervisor). A form
keyed = one POST, answered with the blank form for the next one; `p95_ms` is the p95 of that, per form and
keying, over both phases. The baseline, measured in the same run with the same clients on the same
server: a small static file (whitenoise, through the same middleware); `ratio` = p95 of a keyed form /
p95 of the static file. At the end the stored responses are counted: one per agreeing form, none for
the others. The machine is shared: the load average before and after is printed.
Target on the 2-core machine: p95 < 100 ms per form.
Last line: {"forms": …, "keyings": …, "p95_ms": …, "p50_ms": …, "baseline_p95_ms": …,
"ratio": …, …}
"""

import asyncio
import os
import re
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from _harness import percentile
from _server import Connection, Gunicorn

FORMS = 2000
UNITS = 20
CLIENTS = int(os.environ.get("ENTRY_CLIENTS", 4))
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
THREADS = int(os.environ.get("BENCH_THREADS", 4))
MISMATCH_EVERY = 50
PASSWORD = "bench-only-Password-1"
STATIC = "/static/parindex/site.css"
TARGETS = {"p95_ms": 100}
HIDDEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def build() -> dict:
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import Role, User
    from cycles.services import add_participants, create_cycle
    from surveys import services
    from surveys.permissions import CLERK_GROUP
    from units.models import Unit, UnitKind

    secretariat = User.objects.create_user("bench.thuky", password=PASSWORD, role=Role.SECRETARIAT)
    cycle = create_cycle(secretariat, 2025, "Chỉ số CCHC năm 2025")
    units = Unit.objects.bulk_create(
        Unit(code=f"X{n:03d}", name=f"Phường {n}", kind=UnitKind.COMMUNE, sub_kind="phuong")
        for n in range(1, UNITS + 1)
    )
    add_participants(secretariat, cycle, units)
    sipas = settings.BASE_DIR / "surveys" / "data" / "sipas.tsv"
    version = services.import_questionnaire(
        secretariat, "sipas", "SIPAS", sipas.read_bytes(), sipas.name
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat, cycle, version, "SIPAS 2025", now - timedelta(hours=1), now + timedelta(days=9)
    )
    services.set_targets(secretariat, wave, dict.fromkeys(units, 1000))
    clerks = []
    for n in (1, 2):
        clerk = User.objects.create_user(
            f"bench.nhap{n}", password=PASSWORD, role=Role.UNIT_OFFICER
        )
        clerk.groups.add(Group.objects.get_or_create(name=CLERK_GROUP)[0])
        clerks.append(clerk.username)
    return {"wave": wave.pk, "units": [u.code for u in units], "clerks": clerks, "version": version}


def keyed_forms(version) -> tuple[dict, dict]:
    """What a clerk types for a form (option 2 everywhere it applies; the required texts and numbers
    typed), and the same with one answer different."""
    from surveys import questionnaire as q
    from surveys.services import paper

    questions = version.parsed()
    keyed, raw = {}, {}
    for question in paper.keyable(questions):
        if not q.shown(question, q.validate_answers(questions, raw)[0]):
            continue
        if question.type in paper.OPTION_TYPES:
            digit = "2" if len(question.options) >= 2 else "1"
            value = question.options[int(digit) - 1][0]
            raw[question.name] = [value] if question.type == "multiple" else value
            keyed[question.name] = digit
        elif question.required:
            keyed[question.name] = raw[question.name] = "2" if question.type == "number" else "ok"
    likert = next(x.name for x in questions if x.type == "likert5" and x.name in keyed)
    return keyed, keyed | {likert: "4"}


async def login(port: int, username: str) -> dict:
    connection = Connection(port)
    browser = {"User-Agent": "bench", "Accept": "text/html"}
    _, _, cookies, content = await connection.request("GET", "/accounts/login/", browser)
    token = HIDDEN.search(content).group(1).decode()
    jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    ).encode()
    status, received, more, _ = await connection.request(
        "POST",
        "/accounts/login/",
        browser
        | {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": jar,
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
        body,
    )
    if status != 302:
        raise RuntimeError(f"login {username}: {status}")
    cookies |= more
    connection.close()
    return cookies


async def key_phase(port: int, wave: int, units: list[str], cookies: dict, keyed, different):
    """Every form keyed once by CLIENTS clients sharing the clerk's session: per form the POST's and
    the whole keying's seconds."""
    numbers = iter(range(1, FORMS + 1))
    path = f"/surveys/{wave}/phieu-giay/nhap/"
    jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
    browser = {"User-Agent": "bench", "Accept": "text/html", "Cookie": jar}
    totals, errors = [], []

    async def client():
        connection = Connection(port)
        _, _, _, page = await connection.request("GET", path, browser)
        for number in numbers:
            token = HIDDEN.search(page).group(1).decode()
            unit = units[number % len(units)]
            typed = different if different is not None and number % MISMATCH_EVERY == 0 else keyed
            fields = {
                "csrfmiddlewaretoken": token,
                "submission_id": str(uuid.uuid4()),
                "ref": f"PX-{wave}-{unit}-{number}",
            } | {f"q-{k}": v for k, v in typed.items()}
            began = time.perf_counter()
            status, _, _, content = await connection.request(
                "POST",
                path,
                browser
                | {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{port}{path}",
                    # What htmx adds (paper.js saves through it).
                    "HX-Request": "true",
                    "HX-Target": "paper-entry",
                    "HX-Current-URL": f"http://127.0.0.1:{port}{path}",
                },
                urlencode(fields).encode(),
            )
            done = time.perf_counter()
            if status != 200 or b'data-testid="saved"' not in content:
                errors.append(f"{status}: {content[:200]!r}")
                continue
            page = content
            totals.append(done - began)
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return totals, errors, time.perf_counter() - started


async def baseline(port: int, requests: int) -> list[float]:
    seconds = []
    per_client = requests // CLIENTS

    async def client():
        connection = Connection(port)
        for _ in range(per_client):
            began = time.perf_counter()
            status, _, _, _ = await connection.request("GET", STATIC, {"User-Agent": "bench"})
            if status != 200:
                raise RuntimeError(f"static {status}")
            seconds.append(time.perf_counter() - began)
        connection.close()

    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return seconds


def server_environment(database_url: str, static_root: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "parindex.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": static_root,
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }


def main() -> None:
    from _harness import arguments, fresh_database, report

    global FORMS
    args = arguments(__doc__.splitlines()[0])
    if args.quick:
        FORMS = 200
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    with fresh_database():
        from django.db import connection

        scene = build()
        keyed, different = keyed_forms(scene["version"])
        connection.close()
        work = Path(tempfile.mkdtemp(prefix="parindex-entry-"))
        env = server_environment(os.environ["DATABASE_URL"], str(work))
        load_before = os.getloadavg()[0]
        print(
            f"gunicorn: {WORKERS} workers × {THREADS} threads; {FORMS} forms of {len(keyed)} "
            f"keyed answers over {UNITS} units, each keyed by two clerks, {CLIENTS} clients per phase"
        )
        server = Gunicorn(
            "parindex.wsgi:application", env, workers=WORKERS, threads=THREADS, log=work / "log"
        )
        try:
            first_clerk, second_clerk = (
                asyncio.run(login(server.port, name)) for name in scene["clerks"]
            )
            asyncio.run(baseline(server.port, 200))  # warm
            static_before = asyncio.run(baseline(server.port, 1000))
            phases = []
            for cookies, typed in ((first_clerk, None), (second_clerk, different)):
                phases.append(
                    asyncio.run(
                        key_phase(server.port, scene["wave"], scene["units"], cookies, keyed, typed)
                    )
                )
            static_after = asyncio.run(baseline(server.port, 1000))
        finally:
            server.stop()
        from django.db import connection as db

        db.connect()
        from django.db.models import Count

        from surveys.models import PaperForm, Response

        totals = [x for phase in phases for x in phase[0]]
        errors = [e for phase in phases for e in phase[1]]
        if errors:
            print(f"  {len(errors)} refused keyings, first: {errors[0]}")
        mismatched = FORMS // MISMATCH_EVERY
        stored = Response.objects.count()
        statuses = dict(PaperForm.objects.values_list("status").annotate(n=Count("id")).order_by())
        assert stored == FORMS - mismatched, (stored, statuses)
        static = static_before + static_after
        p95 = percentile(totals, 0.95) * 1000
        static_p95 = percentile(static, 0.95) * 1000
        figures = {
            "forms": FORMS,
            "keyings": len(totals),
            "errors": len(errors),
            "p50_ms": round(percentile(totals, 0.50) * 1000, 1),
            "p95_ms": round(p95, 1),
            "p99_ms": round(percentile(totals, 0.99) * 1000, 1),
            "keyings_per_s": round(len(totals) / sum(phase[2] for phase in phases), 1),
            "baseline_p95_ms": round(static_p95, 2),
            "ratio": round(p95 / static_p95, 1),
            "responses_stored": stored,
            "forms_by_status": statuses,
            "load_before": round(load_before, 2),
            "load_after": round(os.getloadavg()[0], 2),
            "meets_target": p95 < TARGETS["p95_ms"],
        }
    report(figures)


if __name__ == "__main__":
    main()
