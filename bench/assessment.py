"""The self-assessment screens under load: a unit's 120-leaf form with 3 evidence files per leaf,
one domain of it opened, saving one leaf through htmx, and the council's summary (board) of 150 units.

The form's first response is the domain list with the counters; a domain's leaves (15 here, with their
45 files) come when it is opened, as a fragment (docs/ui.md, "Phiếu tự đánh giá nhẹ"): `form_*` is that
first response, `domain_*` the fragment of domain 1.

Real HTTP-level requests through django.test.Client (every middleware, session, template), after
warm-up; SQL queries per request counted once per screen. Targets on the 2-core machine:
form p95 < 150 ms and < 150 KB, domain p95 < 150 ms, save p95 < 50 ms, summary < 500 ms.
Last line: {"form_p95_ms": …, "form_kb": …, "domain_p95_ms": …, "save_p95_ms": …, "summary_ms": …, …}
"""

import os
import re
import shutil
import statistics
import tempfile
import time
import warnings
from collections import Counter

from _harness import arguments, fresh_database, percentile, report

YEAR = 2025
UNITS = 150
DOMAINS = 8
CRITERIA_PER_DOMAIN = 5
LEAVES_PER_CRITERION = 3  # 8 × 5 × 3 = 120 leaves
FILES_PER_LEAF = 3
TARGETS = {
    "form_p95_ms": 150,
    "form_kb": 150,
    "domain_p95_ms": 150,
    "save_p95_ms": 50,
    "summary_ms": 500,
}

# Domains 1–7 cycle through every rule the unit fills or reads; domain 8 is the bonus/penalty part.
SCORED_RULES = [
    ("manual", {"step": 0.25}),
    ("yes_no", {}),
    ("ratio", {"mode": "proportional", "min": 0.8}),
    ("checklist", {"items": ["Trang tin", "Hội nghị", "Pa-nô", "Tờ rơi"], "per_item": 0.25}),
    ("deadline", {"tiers": [["2025-01-31", 1], ["2025-02-28", 0.5]]}),
    ("deduction", {"per_item": 0.25}),
    ("ratio", {"tiers": [[0.3, 1.0], [0.2, 0.5], [0, 0]], "allow_na": True}),
    ("ratio", {"mode": "proportional", "parts": {"resolved": 1, "handled": 0.5}}),
    ("manual", {"step": 0.25, "allow_na": True}),
    ("survey", {"source": "sipas", "dimension": "overall"}),
    ("automatic", {"mode": "proportional", "source": "dossiers_on_time"}),
]
EXTRA_RULES = [("bonus", {"step": 0.25}), ("penalty", {"step": 0.25})]


def configure_environment() -> str:
    """Before Django is set up: uploads to a temporary MEDIA_ROOT, plain static files, no DEBUG."""
    media = tempfile.mkdtemp(prefix="parindex-bench-media-")
    os.environ["MEDIA_ROOT"] = media
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DEBUG", None)
    # WhiteNoise warns that STATIC_ROOT is absent: static files are not what is measured here.
    warnings.filterwarnings("ignore", message="No directory at")
    return media


def small_pdf(text: str) -> bytes:
    """A valid one-page PDF (catalog, pages, page, content stream, font, xref) of about 600 bytes."""
    content = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def framework_specs():
    from decimal import Decimal

    from frameworks.evidence import EvidenceRule
    from frameworks.excel import NodeSpec

    specs, n = [], 0
    leaf_points = Decimal("1.00")
    for d in range(1, DOMAINS + 1):
        extra = d == DOMAINS
        domain_points = leaf_points * CRITERIA_PER_DOMAIN * LEAVES_PER_CRITERION
        title = "Điểm thưởng, điểm trừ" if extra else f"Lĩnh vực {d}: cải cách hành chính"
        specs.append(NodeSpec(code=str(d), title=title, max_points=domain_points))
        for c in range(1, CRITERIA_PER_DOMAIN + 1):
            specs.append(
                NodeSpec(
                    code=f"{d}.{c}",
                    title=f"Tiêu chí {d}.{c}",
                    max_points=leaf_points * LEAVES_PER_CRITERION,
                )
            )
            for s in range(1, LEAVES_PER_CRITERION + 1):
                if extra:
                    rule, params = EXTRA_RULES[s % 2]
                else:
                    rule, params = SCORED_RULES[n % len(SCORED_RULES)]
                    n += 1
                specs.append(
                    NodeSpec(
                        code=f"{d}.{c}.{s}",
                        title=f"Tiêu chí thành phần {d}.{c}.{s}: nội dung đánh giá chi tiết",
                        max_points=leaf_points,
                        rule=rule,
                        rule_params=dict(params),
                        evidence_rule=(
                            EvidenceRule.WHEN_CLAIMED
                            if rule not in ("survey", "automatic") and s != 3
                            else EvidenceRule.NEVER
                        ),
                        guidance="Tài liệu kiểm chứng: quyết định, kế hoạch, báo cáo của đơn vị.",
                    )
                )
    return specs


def sample_inputs(node) -> dict:
    """What a unit would enter for the leaf, as the form posts it (numbers as text)."""
    rule, params = node.rule, node.rule_params
    if rule in ("manual", "bonus", "penalty"):
        return {"points": "0.75"}
    if rule == "yes_no":
        return {"done": True}
    if rule == "ratio":
        if "parts" in params:
            return {"denominator": "10", "parts": {"resolved": "6", "handled": "3"}}
        return {"numerator": "9", "denominator": "10"}
    if rule == "checklist":
        return {"ticked": [0, 2, 3]}
    if rule == "deadline":
        return {"date": "2025-01-20"}
    if rule == "deduction":
        return {"count": "1"}
    return {}


def build() -> dict:
    """The whole scene in the fresh database; returns what the measurements need."""
    from datetime import timedelta
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.models import Role, User
    from assessments import services
    from assessments.models import Item
    from cycles.models import PhaseKind
    from cycles.services import add_participants, create_cycle, set_phase, transition
    from frameworks.scoring import READ_ONLY_RULES
    from frameworks.services import save_specs
    from units.models import Unit, UnitKind

    secretariat = User.objects.create(username="thuky", role=Role.SECRETARIAT, is_staff=True)
    cycle = create_cycle(secretariat, YEAR, f"Chỉ số CCHC năm {YEAR}")
    units = Unit.objects.bulk_create(
        Unit(
            code=f"X{n:05d}",
            name=f"{'Phường' if n % 3 == 0 else 'Xã'} số {n}",
            kind=UnitKind.COMMUNE,
            sub_kind="phuong" if n % 3 == 0 else "xa",
        )
        for n in range(1, UNITS + 1)
    )
    add_participants(secretariat, cycle, units)
    specs = framework_specs()
    # Its scored total (the last domain is bonus and penalty) is the total it must reach to open.
    scored = sum(s.max_points for s in specs if s.code.isdigit() and s.code != str(DOMAINS))
    save_specs(secretariat, cycle, UnitKind.COMMUNE, specs, source="bench", target_total=scored)
    now = timezone.now()
    for kind in PhaseKind.values:
        set_phase(secretariat, cycle, kind, now - timedelta(days=1), now + timedelta(days=30))
    transition(secretariat, cycle, "self_assessment")

    unit = units[0]
    officer = User.objects.create(username="canbo", role=Role.UNIT_OFFICER, unit=unit)
    council = User.objects.create(username="hoidong", role=Role.COUNCIL)
    # The council logs in with a second factor (docs/security.md): enrolled, as the demo accounts are.
    from accounts.twofactor import enrol_with_secret

    enrol_with_secret(council, b"bench-council-secret")
    assessment = cycle.assessments.get(unit=unit)
    items = list(assessment.items.select_related("node").order_by("node__order", "node__id"))
    assert len(items) == DOMAINS * CRITERIA_PER_DOMAIN * LEAVES_PER_CRITERION

    started = time.perf_counter()
    files = 0
    for item in items:
        for k in range(1, FILES_PER_LEAF + 1):
            name = f"tai-lieu-{item.node.code}-{k}.pdf"
            data = small_pdf(f"Tai lieu kiem chung {item.node.code} so {k}")
            services.add_evidence_file(officer, item, SimpleUploadedFile(name, data))
            files += 1
    declared_na = False
    for item in items:
        if item.node.rule in READ_ONLY_RULES:
            continue
        if item.node.allows_not_applicable and not declared_na:
            services.save_self(
                officer, item, inputs={}, not_applicable=True, na_reason="Đơn vị không có"
            )
            declared_na = True
            continue
        services.save_self(
            officer, item, inputs=sample_inputs(item.node), note="Theo báo cáo số 12/BC-UBND"
        )
    others = Item.objects.filter(assessment__cycle=cycle).exclude(assessment__unit=unit)
    others.filter(node__rule="penalty").update(self_points=Decimal("-0.25"), version=2)
    others.exclude(node__rule__in=[*READ_ONLY_RULES, "penalty"]).update(
        self_points=Decimal("0.75"), version=2
    )
    setup_unit_seconds = time.perf_counter() - started

    manual = next(i for i in items if i.node.rule == "manual" and not i.node.allows_not_applicable)
    return {
        "cycle": cycle,
        "unit": unit,
        "officer": officer,
        "council": council,
        "manual_item_pk": manual.pk,
        "leaves": len(items),
        "files": files,
        "setup_unit_seconds": setup_unit_seconds,
    }


def shape(sql: str) -> str:
    """A query with its literals taken out, to spot the same statement repeated (N+1)."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\((\?, )+\?\)", "(…)", sql)


def counted(request) -> tuple[int, float, int, list[tuple[int, str]]]:
    """One request with its SQL captured: queries, SQL milliseconds, response bytes, repeats."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = request()
    sql_ms = 1000 * sum(float(q["time"]) for q in captured.captured_queries)
    repeats = Counter(shape(q["sql"]) for q in captured.captured_queries)
    top = [(n, s[:160]) for s, n in repeats.most_common(3) if n > 1]
    return len(captured), sql_ms, len(response.content), top


def timed_runs(request, runs: int, before=None) -> tuple[list[float], list[float]]:
    """Wall-clock milliseconds per request, and this process's CPU milliseconds (which other
    processes on a busy machine do not inflate: the gap between the two is waiting)."""
    times, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        request()
        times.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
    return times, cpu


def measure(scene: dict, quick: bool) -> dict:
    from django.test import Client
    from django.urls import reverse

    from assessments.models import Item

    form_runs, save_runs, board_runs = (5, 10, 3) if quick else (30, 50, 10)
    domain_runs = form_runs
    cycle, unit = scene["cycle"], scene["unit"]
    form_url = reverse("assessments:form", args=[cycle.key, unit.code])
    domain_url = reverse("assessments:form_domain", args=[cycle.key, unit.code, "1"])
    save_url = reverse("assessments:save_self", args=[scene["manual_item_pk"]])
    board_url = reverse("assessments:board", args=[cycle.key])

    # secure=True: with DEBUG unset the settings redirect plain http to https.
    officer = Client()
    officer.force_login(scene["officer"])
    council = Client()
    council.force_login(scene["council"])

    def get_form():
        response = officer.get(form_url, secure=True)
        assert response.status_code == 200, response.status_code
        assert response.text.count('class="domain card') == DOMAINS
        return response

    def get_domain():
        response = officer.get(domain_url, secure=True, headers={"HX-Request": "true"})
        assert response.status_code == 200, response.status_code
        leaves = CRITERIA_PER_DOMAIN * LEAVES_PER_CRITERION
        assert response.text.count('class="card mb-2 item-card"') == leaves
        return response

    points = iter(["0.25", "0.5", "0.75", "1.00"] * 1000)
    payload = {}

    def next_save():
        # The version the user's page holds: read outside the timed request, fresh each time.
        version = Item.objects.values_list("version", flat=True).get(pk=scene["manual_item_pk"])
        payload.clear()
        payload.update({"version": str(version), "points": next(points), "note": "Đã có báo cáo"})

    def post_save():
        response = officer.post(save_url, payload, secure=True, headers={"HX-Request": "true"})
        assert response.status_code == 200, response.status_code
        assert "Đã lưu." in response.text and "alert-danger" not in response.text, response.text
        return response

    def get_board():
        response = council.get(board_url, secure=True)
        assert response.status_code == 200, response.status_code
        assert response.text.count("<tr>") >= UNITS
        return response

    figures = {}
    for name, request, before, runs in (
        ("form", get_form, None, form_runs),
        ("domain", get_domain, None, domain_runs),
        ("save", post_save, next_save, save_runs),
        ("summary", get_board, None, board_runs),
    ):
        start = time.perf_counter()
        if before:
            before()
        request()  # cold: templates compiled, caches filled
        figures[f"{name}_first_ms"] = round(1000 * (time.perf_counter() - start), 1)
        if before:
            before()
        queries, sql_ms, size, top = counted(request)
        times, cpu = timed_runs(request, runs, before)
        figures[f"{name}_median_ms"] = round(statistics.median(times), 1)
        figures[f"{name}_p95_ms"] = round(percentile(times, 0.95), 1)
        figures[f"{name}_cpu_median_ms"] = round(statistics.median(cpu), 1)
        figures[f"{name}_queries"] = queries
        figures[f"{name}_sql_ms"] = round(sql_ms, 1)
        figures[f"{name}_kb"] = round(size / 1024, 1)
        figures[f"{name}_runs"] = runs
        for count, statement in top:
            print(f"  {name}: {count}× {statement}")
    return figures


def main():
    args = arguments(__doc__)
    media = configure_environment()
    try:
        with fresh_database():
            started = time.perf_counter()
            scene = build()
            setup_seconds = time.perf_counter() - started
            figures = measure(scene, args.quick)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    summary_ms = figures["summary_median_ms"]
    result = {
        "form_p95_ms": figures["form_p95_ms"],
        "form_kb": figures["form_kb"],
        "domain_p95_ms": figures["domain_p95_ms"],
        "domain_kb": figures["domain_kb"],
        "save_p95_ms": figures["save_p95_ms"],
        "summary_ms": summary_ms,
        "form_median_ms": figures["form_median_ms"],
        "domain_median_ms": figures["domain_median_ms"],
        "save_median_ms": figures["save_median_ms"],
        "summary_p95_ms": figures["summary_p95_ms"],
        "form_cpu_median_ms": figures["form_cpu_median_ms"],
        "domain_cpu_median_ms": figures["domain_cpu_median_ms"],
        "save_cpu_median_ms": figures["save_cpu_median_ms"],
        "summary_cpu_median_ms": figures["summary_cpu_median_ms"],
        "form_queries": figures["form_queries"],
        "domain_queries": figures["domain_queries"],
        "save_queries": figures["save_queries"],
        "summary_queries": figures["summary_queries"],
        "form_sql_ms": figures["form_sql_ms"],
        "domain_sql_ms": figures["domain_sql_ms"],
        "save_sql_ms": figures["save_sql_ms"],
        "summary_sql_ms": figures["summary_sql_ms"],
        "summary_kb": figures["summary_kb"],
        "form_first_ms": figures["form_first_ms"],
        "domain_first_ms": figures["domain_first_ms"],
        "save_first_ms": figures["save_first_ms"],
        "summary_first_ms": figures["summary_first_ms"],
        "form_runs": figures["form_runs"],
        "domain_runs": figures["domain_runs"],
        "save_runs": figures["save_runs"],
        "summary_runs": figures["summary_runs"],
        "leaves": scene["leaves"],
        "units": UNITS,
        "evidence_files": scene["files"],
        "setup_seconds": round(setup_seconds, 2),
        "targets_met": figures["form_p95_ms"] < TARGETS["form_p95_ms"]
        and figures["form_kb"] < TARGETS["form_kb"]
        and figures["domain_p95_ms"] < TARGETS["domain_p95_ms"]
        and figures["save_p95_ms"] < TARGETS["save_p95_ms"]
        and summary_ms < TARGETS["summary_ms"],
    }
    report(result)


if __name__ == "__main__":
    main()
