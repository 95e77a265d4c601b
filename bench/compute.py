"""The results computation at national scale: 4,000 units, 120 leaves, 1,000,000 survey responses.

Loads (not timed) a finalised cycle through COPY: units in 4 ranking groups, one framework of 120 leaves
(8 domains × 5 criteria × 3 leaves; 10 of them survey leaves, domain 8 bonus and penalty), every
unit's final points, and a SIPAS wave of 1,000,000 responses (30 answers each). Then times:
- recompute_s: results.compute.recompute (read every point, sum per node, index, ranks, bands,
  change, the survey sample sizes, 1,000 Monte Carlo draws per group, write every row);
- rank_interval_s: the Monte Carlo alone for the 4,000 units as one group, 1,000 draws;
- baseline_s: one SQL query summing the final points per unit (the floor of reading the data).
Targets on the 2-core machine: recompute under 10 s, rank intervals under 3 s.
Last line: {"recompute_s": …, "rank_interval_s": …, "peak_mb": …, …}

With --levels, the indices at every level instead (issue 17; bench/levels.py): every open and
published cycle of a province recomputed, and a scoped reviewer's queue among 5,000 accounts
(the scene: bench/_levels.py). Targets: recompute_s under 15 s, queue_p95_ms under 200 ms.
"""

import json
import os
import random
import resource
import statistics
import time
import uuid
from decimal import Decimal

from _harness import arguments, copy_rows, fresh_database, percentile, report, timed
from _levels import ITEM_COLUMNS, item_row, leaf_points

GROUPS = 4
LEAVES_PER_CRITERION = 3
CRITERIA = 5
DOMAINS = 8
SURVEY_LEAVES = {
    "1.1.1",
    "2.1.1",
    "3.1.1",
    "3.2.1",
    "4.1.1",
    "5.1.1",
    "6.1.1",
    "7.1.1",
    "7.2.1",
    "7.3.1",
}
ANSWERS = 30


def framework_specs():
    from frameworks.excel import NodeSpec

    specs = []
    for d in range(1, DOMAINS + 1):
        extra = d == DOMAINS
        specs.append(
            NodeSpec(
                code=str(d),
                title=f"Lĩnh vực {d}",
                max_points=Decimal("15.00" if extra else "14.25"),
                rule="",
                rule_params={},
            )
        )
        for c in range(1, CRITERIA + 1):
            specs.append(
                NodeSpec(
                    code=f"{d}.{c}",
                    title=f"Tiêu chí {d}.{c}",
                    max_points=Decimal("3.00" if extra else "2.85"),
                    rule="",
                    rule_params={},
                )
            )
            for leaf in range(1, LEAVES_PER_CRITERION + 1):
                code = f"{d}.{c}.{leaf}"
                if extra:
                    rule, params, points = (
                        ("bonus", {"step": 0.25}, "1.00")
                        if leaf < 3
                        else ("penalty", {"step": 0.25}, "1.00")
                    )
                elif code in SURVEY_LEAVES:
                    rule, params, points = (
                        "survey",
                        {"source": "sipas", "dimension": "overall"},
                        "0.95",
                    )
                else:
                    rule, params, points = "manual", {"step": 0.05}, "0.95"
                specs.append(
                    NodeSpec(
                        code=code,
                        title=f"Tiêu chí thành phần {code}",
                        max_points=Decimal(points),
                        rule=rule,
                        rule_params=params,
                    )
                )
    return specs


def load(units: int, responses: int, year: int = 2025) -> object:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Role, User
    from assessments.models import Assessment
    from cycles.models import Cycle, CycleState, Participation
    from frameworks.models import Node
    from frameworks.services import save_specs
    from surveys.models import Questionnaire, QuestionnaireVersion, Wave
    from units.models import Unit, UnitKind

    rng = random.Random(7)
    actor = User.objects.create(username="bench", role=Role.SECRETARIAT)
    unit_rows = Unit.objects.bulk_create(
        Unit(code=f"B{i:05d}", name=f"Đơn vị {i}", kind=UnitKind.COMMUNE) for i in range(units)
    )
    cycle = Cycle.objects.create(year=year, title="Bench", state=CycleState.DRAFT)
    Participation.objects.bulk_create(
        Participation(
            cycle=cycle,
            unit=u,
            framework_kind=UnitKind.COMMUNE,
            ranking_group=f"Khối {i % GROUPS + 1}",
        )
        for i, u in enumerate(unit_rows)
    )
    framework = save_specs(actor, cycle, UnitKind.COMMUNE, framework_specs(), source="bench")
    leaves = [n for n in Node.objects.filter(framework=framework) if not n.children.exists()]
    assessments = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, unit=u, framework=framework, state="finalised") for u in unit_rows
    )
    now = timezone.now()
    raw = connection.connection.cursor()

    def items():
        for a in assessments:
            quality = min(0.99, max(0.5, rng.gauss(0.85, 0.07)))
            for node in leaves:
                points = leaf_points(rng, node.rule, node.max_points, quality)
                final = None if node.rule == "survey" else points
                yield item_row(a.pk, node.pk, points, None, final, now)

    copy_rows(raw, "assessments_item", ITEM_COLUMNS, items())
    if responses:  # a SIPAS wave for the survey sample sizes
        questionnaire = Questionnaire.objects.create(code="sipas", title="SIPAS")
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire,
            number=1,
            questions=[
                {
                    "name": f"q{i}",
                    "type": "likert5",
                    "label": f"Câu {i}",
                    "dimension": "service/access",
                    "required": True,
                }
                for i in range(ANSWERS)
            ],
        )
        wave = Wave.objects.create(
            cycle=cycle, version=version, title="SIPAS", opens_at=now, closes_at=now
        )
        response_columns = [
            "wave_id",
            "unit_id",
            "submission_id",
            "channel",
            "answers",
            "submitted_at",
            "ip_hash",
            "device_hash",
            "dossier_hash",
            "flags",
            "excluded",
            "exclusion_reason",
        ]

        def answers():
            unit_ids = [u.pk for u in unit_rows]
            for _ in range(responses):
                body = json.dumps({f"q{i}": rng.choice((3, 4, 4, 5, 5)) for i in range(ANSWERS)})
                yield (
                    wave.pk,
                    rng.choice(unit_ids),
                    uuid.UUID(int=rng.getrandbits(128)),
                    "link",
                    body,
                    now,
                    "",
                    "",
                    "",
                    "[]",
                    False,
                    "",
                )

        copy_rows(raw, "surveys_response", response_columns, answers())
    raw.close()
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.FINALISED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cycle.refresh_from_db()
    return cycle


def _queue_times(user, runs: int) -> tuple[list[float], list[float], int, int]:
    """Wall-clock and CPU milliseconds of the queue page for `user` (after one warm-up), its queries
    and rows."""
    from assessment import timed_runs
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    url = reverse("assessments:queue")

    def get():
        response = client.get(url, secure=True)
        assert response.status_code == 200, response.status_code
        return response

    rows = get().text.count('data-testid="queue-row-')
    queries = []  # counted by a wrapper: each request starts by emptying connection.queries

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get()
    times, cpu = timed_runs(get, runs)
    return times, cpu, len(queries), rows


def levels(quick: bool) -> dict:
    """Indices at every level: build the scene, recompute every open and published cycle through the
    recompute job's function, then time the queue page of a scoped reviewer and of a city reviewer."""
    from _levels import build
    from django.db import connection

    from cycles.models import CycleState
    from results.compute import recompute

    start = time.perf_counter()
    scene = build(quick)
    load_s = time.perf_counter() - start
    cycles = [c for c in scene.cycles if c.state != CycleState.DRAFT]

    def recompute_all() -> int:
        return sum(recompute(cycle) for cycle in cycles)

    load_before = os.getloadavg()[0]
    first_s, results = timed(recompute_all)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx("recompute_all()", globals(), locals(), "/tmp/levels.prof")
        pstats.Stats("/tmp/levels.prof").sort_stats("cumtime").print_stats(30)
    statements = []  # the queries Django sends (not the COPY, BEGIN or COMMIT)

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    # The figure: the median of three passes after the first (which warms the caches), as the other
    # processes of a shared machine move any one pass by seconds; CPU and queries per pass.
    passes, cpu = [], time.process_time()
    with connection.execute_wrapper(count):
        for _ in range(3):
            passes.append(timed(recompute_all)[0])
    recompute_s = statistics.median(passes)
    recompute_cpu_s = (time.process_time() - cpu) / len(passes)
    runs = 20 if quick else 100
    scoped, scoped_cpu, scoped_queries, scoped_rows = _queue_times(scene.scoped_reviewer, runs)
    city, city_cpu, city_queries, city_rows = _queue_times(scene.city_reviewer, runs)
    assert scoped_rows == city_rows == scene.queue_units, (scoped_rows, city_rows)
    queue_p95 = percentile(scoped, 0.95)
    city_p95 = percentile(city, 0.95)
    return {
        "load_s": round(load_s, 1),
        "cycles_recomputed": len(cycles),
        "results": results,
        "items": scene.items,
        "accounts": scene.accounts,
        "queue_rows": scoped_rows,
        "queue_queries": scoped_queries,
        "city_queue_queries": city_queries,
        "first_recompute_s": round(first_s, 2),
        "per_cycle_ms": round(1000 * recompute_s / len(cycles), 1),
        "queries_per_cycle": round(len(statements) / len(passes) / len(cycles), 1),
        "recompute_passes_s": [round(p, 2) for p in passes],
        "queue_median_ms": round(statistics.median(scoped), 1),
        "city_queue_median_ms": round(statistics.median(city), 1),
        # This process's CPU alone: what other processes on a busy machine do not inflate.
        "recompute_cpu_s": round(recompute_cpu_s, 2),
        "queue_cpu_median_ms": round(statistics.median(scoped_cpu), 1),
        "city_queue_cpu_median_ms": round(statistics.median(city_cpu), 1),
        "load_average": f"{load_before:.1f} → {os.getloadavg()[0]:.1f}",
        "targets_met": recompute_s < 15 and queue_p95 < 200,
        "indices": len(scene.cycles),
        "units": scene.units,
        "recompute_s": round(recompute_s, 2),
        "queue_p95_ms": round(queue_p95, 1),
        "city_queue_p95_ms": round(city_p95, 1),
        "queue_ratio_to_city": round(queue_p95 / city_p95, 2),
    }


def main():
    args = arguments(
        __doc__.splitlines()[0],
        {"levels": "indices at every level: 305 cycles recomputed, a scoped reviewer's queue"},
    )
    if args.levels:
        import shutil

        from assessment import configure_environment

        media = configure_environment()  # before Django is set up: the test client's host
        try:
            with fresh_database():
                report(levels(args.quick))
        finally:
            shutil.rmtree(media, ignore_errors=True)
        return
    units, responses = (400, 50_000) if args.quick else (4000, 1_000_000)
    with fresh_database():
        import numpy as np
        from django.db import connection

        from results import uncertainty
        from results.compute import recompute
        from results.models import UnitResult

        start = time.perf_counter()
        cycle = load(units, responses)
        load_s = time.perf_counter() - start
        baseline_s, _ = timed(
            lambda: (
                connection.cursor()
                .execute(
                    "SELECT a.unit_id, sum(coalesce(i.final_points, i.self_points)) FROM assessments_item i "
                    "JOIN assessments_assessment a ON a.id = i.assessment_id WHERE a.cycle_id = %s GROUP BY a.unit_id",
                    [cycle.pk],
                )
                .fetchall()
            )
        )
        first_s, count = timed(recompute, cycle)
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            cProfile.runctx("recompute(cycle)", globals(), locals(), "/tmp/compute.prof")
            pstats.Stats("/tmp/compute.prof").sort_stats("tottime").print_stats(25)
        # The second run is the figure (the first warms caches).
        recompute_s, _ = timed(recompute, cycle)
        rng = np.random.default_rng(1)
        group = uncertainty.GroupInput(
            fixed=rng.uniform(50, 70, units),
            survey_max=np.full((units, len(SURVEY_LEAVES)), 0.95 * 30 / 9.5),
            survey_p=rng.uniform(0.6, 0.95, (units, len(SURVEY_LEAVES))),
            survey_n=np.full((units, len(SURVEY_LEAVES)), responses / units),
            maximum=np.full(units, 100.0),
            previous=rng.uniform(60, 95, units),
        )
        rank_interval_s, _ = timed(uncertainty.group_intervals, group, np.arange(units), draws=1000)
        sample = UnitResult.objects.filter(cycle=cycle).order_by("ranking_group", "rank").first()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        report(
            {
                "units": count,
                "leaves": 120,
                "responses": responses,
                "load_s": round(load_s, 1),
                "first_recompute_s": round(first_s, 2),
                "baseline_sql_s": round(baseline_s, 3),
                "ratio_to_baseline": round(recompute_s / baseline_s, 1),
                "example": f"{sample.unit.code} {sample.index} rank {sample.rank} ({sample.rank_low}–{sample.rank_high})",
                "recompute_s": round(recompute_s, 2),
                "rank_interval_s": round(rank_interval_s, 2),
                "peak_mb": round(peak_mb, 1),
            }
        )


if __name__ == "__main__":
    main()
