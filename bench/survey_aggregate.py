"""Survey figures of a whole wave from PostgreSQL: 1,000,000 SIPAS responses of 30 answers over
4,000 units, aggregated per unit, item, element, part and overall (surveys.aggregates.wave_figures).

The responses are loaded into the real table (migrations applied) with COPY, not timed. Timed: the
full aggregation of the wave for every unit (one query, counts turned into figures with their Wilson
intervals), best of a few runs; the process's peak memory (ru_maxrss) is read at the end, loading
included. Baselines in the same run: a raw `count(*) GROUP BY unit` scan of the same rows (the floor
of any SQL aggregation) and the former path (every response's answers streamed into Python through
surveys.stats.aggregate, unit by unit) on a sample of units, extrapolated to the wave. The figures of
the sample are checked equal between the two paths. Also timed: SIPAS as an index
(surveys.sipas_index.year_index: every unit's figures, the two families (every tenth unit a department)
and the city, weighted by N/n from the units' dossier counts, each with its interval), best of a few
runs, checked against a weighted mean computed here from the per-unit counts. Targets on the 2-core
machine: under 10 s each, under 1 GiB. Last line: {"responses": …, "seconds": …, "peak_mb": …,
"sipas_seconds": …, …}
"""

import os
import resource
import time
from datetime import timedelta

import numpy as np
from _harness import arguments, fresh_database, report, timed

UNITS = 4000
RESPONSES = 1_000_000
QUICK_RESPONSES = 50_000
QUICK_UNITS = 400
QUESTIONS = 30  # the first 30 satisfaction items of the built-in SIPAS questionnaire
MISSING = 0.02  # share of answers left out of a response
AS_TEXT = 0.01  # share of answers stored as digit strings ("4"), as an import may keep them
EXCLUDED = 0.02  # share of responses excluded by the secretariat
CHUNK_ROWS = 20_000
SAMPLE_UNITS = 40  # units streamed through the former Python path
RUNS = 3
TARGET_SECONDS = 10.0
TARGET_MB = 1024.0


def peak_mb() -> float:
    """Peak resident memory of this process in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def questionnaire() -> list[dict]:
    """The first QUESTIONS satisfaction items (likert5 with a dimension) of the built-in SIPAS."""
    from pathlib import Path

    from core.tabular import read_table
    from surveys import questionnaire as q

    path = Path(q.__file__).parent / "data" / "sipas.tsv"
    questions = q.parse(read_table(path.read_bytes(), path.name))
    items = [x for x in questions if x.type == "likert5" and x.dimension][:QUESTIONS]
    assert len(items) == QUESTIONS, len(items)
    return [x.as_dict() for x in items]


def build(response_count: int, unit_count: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Role, User
    from cycles.services import create_cycle
    from surveys.models import Questionnaire, QuestionnaireVersion, Response, Wave, WaveTarget
    from units.models import Unit, UnitKind

    secretariat = User.objects.create(username="thuky", role=Role.SECRETARIAT, is_staff=True)
    cycle = create_cycle(secretariat, 2025, "Chỉ số CCHC năm 2025")
    units = Unit.objects.bulk_create(
        (
            Unit(
                code=f"X{n:05d}",
                name=f"{'Phường' if n % 3 == 0 else 'Xã'} số {n}",
                kind=UnitKind.COMMUNE,
                sub_kind="phuong" if n % 3 == 0 else "xa",
            )
            if n % 10
            else Unit(code=f"S{n:05d}", name=f"Sở số {n}", kind=UnitKind.DEPARTMENT)
            for n in range(1, unit_count + 1)
        ),
        batch_size=5000,
    )
    questions = questionnaire()
    sipas = Questionnaire.objects.create(code="sipas", title="SIPAS")
    version = QuestionnaireVersion.objects.create(
        questionnaire=sipas, number=1, questions=questions
    )
    now = timezone.now()
    wave = Wave.objects.create(
        cycle=cycle,
        version=version,
        title="SIPAS 2025",
        opens_at=now - timedelta(days=60),
        closes_at=now + timedelta(days=1),
    )

    rng = np.random.default_rng(20250101)
    unit_ids = np.array([u.pk for u in units])
    # The dossiers each unit handled (its population N, the SIPAS weights N/n).
    WaveTarget.objects.bulk_create(
        WaveTarget(wave=wave, unit=u, dossiers=int(d), sample=385)
        for u, d in zip(units, rng.integers(300, 20_000, size=unit_count), strict=True)
    )
    # Each unit has its own level of satisfaction: answers centred between 3 and 4.6.
    centre = rng.uniform(3.0, 4.6, size=unit_count)
    names = [q["name"] for q in questions]
    as_int = [[f'"{name}": {v}' for v in range(6)] for name in names]
    as_text = [[f'"{name}": "{v}"' for v in range(6)] for name in names]
    hashes = [rng.bytes(32).hex() for _ in range(20_000)]
    opened = wave.opens_at.timestamp()
    table = Response._meta.db_table
    columns = (
        "wave_id, unit_id, submission_id, channel, answers, started_at, submitted_at, duration_s, "
        "ip_hash, device_hash, dossier_hash, flags, excluded, exclusion_reason"
    )
    loaded = kept = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if cursor.fetchone()[0]:
            # Foreign-key triggers fire per row; the references are checked once below instead.
            cursor.execute("SET LOCAL session_replication_role = replica")
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            while loaded < response_count:
                rows = min(CHUNK_ROWS, response_count - loaded)
                which = rng.integers(0, unit_count, size=rows)
                values = np.clip(
                    np.rint(rng.normal(centre[which][:, None], 0.9, size=(rows, QUESTIONS))), 1, 5
                ).astype(np.int64)
                values[rng.random((rows, QUESTIONS)) < MISSING] = 0
                text = rng.random((rows, QUESTIONS)) < AS_TEXT
                excluded = rng.random(rows) < EXCLUDED
                seconds = rng.integers(90, 900, size=rows)
                offsets = rng.uniform(0, 59 * 86400, size=rows)
                uuids = rng.bytes(16 * rows).hex()
                picks = rng.integers(0, len(hashes), size=(rows, 2))
                lines = []
                for i in range(rows):
                    row_values, row_text = values[i].tolist(), text[i].tolist()
                    answers = ", ".join(
                        (as_text if row_text[k] else as_int)[k][v]
                        for k, v in enumerate(row_values)
                        if v
                    )
                    submitted = opened + offsets[i]
                    u = uuids[32 * i : 32 * i + 32]
                    lines.append(
                        f"{wave.pk}\t{unit_ids[which[i]]}\t{u}\tlink\t{{{answers}}}\t"
                        f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(submitted - seconds[i]))}+00\t"
                        f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(submitted))}+00\t"
                        f"{seconds[i]}\t{hashes[picks[i, 0]]}\t{hashes[picks[i, 1]]}\t\t[]\t"
                        f"{'t' if excluded[i] else 'f'}\t{'Phiếu thử' if excluded[i] else ''}\n"
                    )
                copy.write("".join(lines))
                loaded += rows
                kept += rows - int(excluded.sum())
        cursor.execute(
            f"""SELECT count(*) FROM {table} r
                LEFT JOIN {Unit._meta.db_table} u ON u.id = r.unit_id
                LEFT JOIN {Wave._meta.db_table} w ON w.id = r.wave_id
                WHERE u.id IS NULL OR w.id IS NULL"""
        )
        assert cursor.fetchone()[0] == 0, "dangling references"
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(f"SELECT pg_total_relation_size('{table}'), pg_relation_size('{table}')")
        total, heap = cursor.fetchone()
    return {
        "wave": wave,
        "cycle": cycle,
        "units": units,
        "responses": loaded,
        "kept": kept,
        "table_mb": round(total / 2**20, 1),
        "heap_mb": round(heap / 2**20, 1),
    }


def python_path(wave, unit) -> dict:
    """The former surveys.aggregates.unit_figures: every kept response's answers streamed into
    Python through surveys.stats.aggregate (the baseline)."""
    from surveys.aggregates import dimensions
    from surveys.stats import aggregate

    kept = wave.responses.filter(unit=unit, excluded=False)
    result = aggregate(
        kept.values_list("answers", flat=True).iterator(chunk_size=2000), dimensions(wave)
    )
    result["n"] = kept.count()
    return result


def raw_scan(wave) -> int:
    """count(*) of the kept responses per unit: the scan every SQL aggregation of the wave pays."""
    from django.db import connection

    from surveys.models import Response

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit_id, count(*) FROM {Response._meta.db_table} "
            "WHERE wave_id = %s AND NOT excluded GROUP BY unit_id",
            [wave.pk],
        )
        return len(cursor.fetchall())


def explain(wave) -> list[str]:
    """EXPLAIN ANALYZE of the wave's aggregation query, under the settings it runs with."""
    from django.db import connection, transaction

    from surveys import sql_stats
    from surveys.aggregates import dimensions

    sql, params = sql_stats._query("postgresql", list(dimensions(wave)), sql_stats.SATISFIED, False)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql_stats._SETTINGS, [*sql_stats.SETTINGS.values()])
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, [*params, wave.pk])
        return [line for (line,) in cursor.fetchall() if "Worker " not in line]


def sipas_index(cycle):
    from surveys.sipas_index import year_index

    return year_index(cycle.year, [cycle])


def check_sipas(sipas, wave, by_unit) -> None:
    """The city's first item, weighted by N/n, recomputed here from the per-unit counts."""
    name = next(iter(sipas.plan.dimension_of))
    population = dict(wave.targets.values_list("unit_id", "dossiers"))
    x = m = 0.0
    for unit_id, unit in by_unit.items():
        w = population[unit_id] / unit.responses
        x += w * unit.items[name].successes
        m += w * unit.items[name].n
    got = sipas.city["items"][name]
    assert abs(got.share - x / m) < 1e-9 and got.low <= got.share <= got.high, (got, x / m)
    assert len(sipas.units) == len(by_unit) and len(sipas.families) == 2


def best(function, *args, runs: int = RUNS) -> tuple[float, list[float], object]:
    seconds, result = [], None
    for _ in range(runs):
        elapsed, result = timed(function, *args)
        seconds.append(elapsed)
    return min(seconds), seconds, result


def main():
    args = arguments(__doc__)
    response_count = QUICK_RESPONSES if args.quick else RESPONSES
    unit_count = QUICK_UNITS if args.quick else UNITS
    with fresh_database():
        load_seconds, scene = timed(build, response_count, unit_count)
        print(
            f"{'load_seconds':>24}: {load_seconds:.1f} ({scene['table_mb']} MB table with indexes)"
        )

        from surveys import sql_stats
        from surveys.aggregates import dimensions, wave_figures

        wave, units = scene["wave"], scene["units"]
        questions = list(dimensions(wave))
        print(f"{'load average':>24}: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        raw_seconds, _, groups = best(raw_scan, wave)
        assert groups == unit_count
        seconds, runs, figures = best(wave_figures, wave)
        query_seconds, _, by_unit = best(sql_stats.counts, wave.pk, questions)
        print(f"{'raw scan (count)':>24}: {raw_seconds:.3f} s")
        print(f"{'wave_figures runs':>24}: {', '.join(f'{x:.3f}' for x in runs)} s")
        print(f"{'of which the query':>24}: {query_seconds:.3f} s (best of {RUNS})")
        print(f"{'load average':>24}: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        assert len(figures) == unit_count
        assert sum(f["n"] for f in figures.values()) == scene["kept"]

        # The former Python path on a sample of units, extrapolated to the wave by responses.
        sample = units[:: max(1, unit_count // SAMPLE_UNITS)][:SAMPLE_UNITS]
        started = time.perf_counter()
        for unit in sample:
            expected = python_path(wave, unit)
            got = {k: v for k, v in figures[unit.pk].items() if k != "labels"}
            if got != expected:
                raise SystemExit(f"{unit.code}: figures differ from the Python path")
        python_sample = time.perf_counter() - started
        sampled = sum(by_unit[u.pk].responses for u in sample)
        python_seconds = python_sample * scene["kept"] / sampled
        print(
            f"{'python path':>24}: {python_sample:.3f} s for {len(sample)} units "
            f"({sampled} responses), same figures; {python_seconds:.1f} s for the wave"
        )
        sipas_seconds, sipas_runs, sipas = best(sipas_index, scene["cycle"])
        check_sipas(sipas, wave, by_unit)
        city = sipas.city["index"]
        print(f"{'sipas year_index runs':>24}: {', '.join(f'{x:.3f}' for x in sipas_runs)} s")
        print(
            f"{'sipas city':>24}: {city.percent:.2f} % ({100 * city.low:.2f}–{100 * city.high:.2f}),"
            f" n = {sipas.city['n']}, n_eff = {sipas.city['n_eff']:.0f}"
        )
        for family, figures in sipas.families.items():
            index = figures["index"]
            print(
                f"{'sipas ' + family:>24}: {index.percent:.2f} % "
                f"({100 * index.low:.2f}–{100 * index.high:.2f}), {figures['units']} units"
            )
        print(f"{'load average':>24}: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("EXPLAIN ANALYZE of the aggregation:")
        for line in explain(wave):
            print("    " + line)
    peak = peak_mb()
    result = {
        "responses": scene["responses"],
        "seconds": round(seconds, 3),
        "peak_mb": round(peak, 1),
        "units": unit_count,
        "answers_per_response": QUESTIONS,
        "kept_responses": scene["kept"],
        "query_seconds": round(query_seconds, 3),
        "raw_scan_seconds": round(raw_seconds, 3),
        "ratio_to_raw_scan": round(seconds / raw_seconds, 2),
        "python_path_seconds": round(python_seconds, 1),
        "speedup_vs_python_path": round(python_seconds / seconds, 1),
        "load_seconds": round(load_seconds, 1),
        "table_mb": scene["table_mb"],
        "sipas_seconds": round(sipas_seconds, 3),
        "sipas_units": len(sipas.units),
        "sipas_families": len(sipas.families),
        "sipas_city_index": round(sipas.city["index"].percent, 2),
    }
    if not args.quick:
        if seconds >= TARGET_SECONDS:
            print(f"WARNING: {seconds:.2f} s is over the {TARGET_SECONDS:.0f} s target")
        if sipas_seconds >= TARGET_SECONDS:
            print(f"WARNING: SIPAS {sipas_seconds:.2f} s is over the {TARGET_SECONDS:.0f} s target")
        if peak >= TARGET_MB:
            print(f"WARNING: {peak:.0f} MB is over the {TARGET_MB:.0f} MB target")
    report(result)


if __name__ == "__main__":
    main()
