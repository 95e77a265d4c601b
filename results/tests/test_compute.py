from decimal import Decimal

import pytest

from cycles.models import Cycle, cycle_key
from results.compute import SURVEY_SAMPLES, recompute
from results.models import ResultSettings, UnitResult

from .conftest import FULL, make_units, set_points

pytestmark = pytest.mark.django_db


def result(cycle, unit) -> UnitResult:
    return UnitResult.objects.get(cycle=cycle, unit=unit)


def scaled(fraction: str) -> dict[str, str]:
    return {code: str(Decimal(v) * Decimal(fraction)) for code, v in FULL.items()}


def test_index_is_total_over_applicable_maximum_with_bonus_and_penalty(cycle_factory):
    (unit,) = make_units(1)
    cycle = cycle_factory([unit])
    points = dict(FULL, **{"1.5": "0.5", "2.3": "1.5", "3.1": "0.25", "3.2": "-0.5"})
    set_points(cycle, unit, points)
    recompute(cycle)
    r = result(cycle, unit)
    # 10 − 0.5 − 0.5 + 0.25 − 0.5 = 8.75 of 10
    assert r.total == Decimal("8.75") and r.maximum == Decimal("10.00")
    assert r.index == Decimal("87.50")
    assert r.appraisal_points == Decimal("7.50") and r.appraisal_maximum == Decimal("8.00")
    assert r.survey_points == Decimal("1.50") and r.survey_maximum == Decimal("2.00")
    assert r.extra_points == Decimal("-0.25")
    assert r.band == "B" and r.rank == 1
    domains = {d["code"]: d for d in r.domains}
    assert domains["1"]["points"] == "5.50" and domains["1"]["index"] == "91.67"
    assert domains["3"]["extra"] is True and domains["3"]["index"] is None


def test_accepted_not_applicable_leaf_leaves_the_maximum(cycle_factory):
    (unit,) = make_units(1)
    cycle = cycle_factory([unit])
    set_points(cycle, unit, dict(FULL, **{"1.2": None}), na=("1.2",))
    recompute(cycle)
    r = result(cycle, unit)
    assert r.maximum == Decimal("9.00") and r.total == Decimal("9.00")
    assert r.index == Decimal("100.00")
    assert r.leaves["1.2"][2] is False


def test_total_is_capped_at_the_maximum_unless_the_cycle_allows_more(cycle_factory):
    (unit,) = make_units(1)
    cycle = cycle_factory([unit])
    set_points(cycle, unit, dict(FULL, **{"3.1": "1"}))
    recompute(cycle)
    assert result(cycle, unit).index == Decimal("100.00")
    cycle.total_may_exceed_max = True
    cycle.save()
    recompute(cycle)
    assert result(cycle, unit).index == Decimal("110.00")


def test_ties_share_a_rank_and_the_next_rank_is_skipped(cycle_factory):
    units = make_units(4)
    cycle = cycle_factory(units)
    for unit, fraction in zip(units, ["0.9", "0.8", "0.8", "0.7"], strict=True):
        set_points(cycle, unit, scaled(fraction))
    recompute(cycle)
    assert [result(cycle, u).rank for u in units] == [1, 2, 2, 4]
    assert {result(cycle, u).group_size for u in units} == {4}


def test_ranks_are_within_each_ranking_group(secretariat, cycle_factory):
    units = make_units(3)
    cycle = cycle_factory(units)
    cycle.participations.filter(unit=units[2]).update(ranking_group="Khối sở")
    for unit, fraction in zip(units, ["0.9", "0.8", "0.5"], strict=True):
        set_points(cycle, unit, scaled(fraction))
    recompute(cycle)
    assert [result(cycle, u).rank for u in units] == [1, 2, 1]


def test_recomputing_twice_gives_identical_rows(cycle_factory):
    units = make_units(5)
    cycle = cycle_factory(units)
    for i, unit in enumerate(units):
        set_points(cycle, unit, scaled(str(Decimal("0.6") + Decimal(i) / 10)))

    def rows():
        return list(
            UnitResult.objects.filter(cycle=cycle)
            .order_by("unit__code")
            .values_list(
                "unit__code", "index", "rank", "rank_low", "rank_high", "p_ahead_of_next", "leaves"
            )
        )

    recompute(cycle)
    first = rows()
    recompute(cycle)
    assert rows() == first and len(first) == 5


def test_unit_without_previous_year_is_new_and_has_no_change(cycle_factory):
    (unit,) = make_units(1)
    cycle = cycle_factory([unit])
    set_points(cycle, unit, FULL)
    recompute(cycle)
    r = result(cycle, unit)
    assert r.comparison == "new" and r.change is None and r.previous_index is None


def test_change_from_last_year_for_the_same_unit_and_for_a_merged_unit(
    client, secretariat, cycle_factory
):
    old_a, old_b, kept = make_units(3, prefix="8")
    last = cycle_factory([old_a, old_b, kept], year=2024)
    for unit, fraction in ((old_a, "0.6"), (old_b, "0.8"), (kept, "0.9")):
        set_points(last, unit, scaled(fraction))
    recompute(last)
    (merged,) = make_units(1, prefix="7")
    merged.predecessors.set([old_a, old_b])
    this = cycle_factory([merged, kept], year=2025)
    set_points(this, merged, scaled("0.75"))
    set_points(this, kept, scaled("0.95"))
    recompute(this)
    r = result(this, merged)
    assert r.comparison == "lineage" and sorted(r.compared_with) == [old_a.code, old_b.code]
    assert r.previous_index == Decimal("70.00") and r.change == Decimal("5.00")
    assert r.rank_change is None  # the old units were ranked among others: no rank to compare
    k = result(this, kept)
    assert k.comparison == "same" and k.previous_rank == 1 and k.rank_change == 0
    assert k.change == Decimal("5.00")
    # The staff page names the predecessors, not their codes.
    client.force_login(secretariat)
    page = client.get(f"/results/2025/units/{merged.code}/").content.decode()
    assert f"các đơn vị tiền thân ({old_a.display_name}, {old_b.display_name})" in page or (
        f"các đơn vị tiền thân ({old_b.display_name}, {old_a.display_name})" in page
    )


def as_index(cycle, family, organiser=None):
    """Make a test cycle another index of its year: a family of the city's, or an organiser's own."""
    key = cycle_key(cycle.year, family, organiser.code if organiser else None)
    Cycle.objects.filter(pk=cycle.pk).update(family=family, organiser=organiser, key=key)
    cycle.refresh_from_db()
    return cycle


def test_last_year_is_the_same_family_of_the_city_and_never_the_provincial(cycle_factory):
    department, agency, ward = make_units(3, prefix="6")
    departments = as_index(cycle_factory([department, agency], year=2024), "departments")
    set_points(departments, department, scaled("0.6"))
    set_points(departments, agency, scaled("0.5"))
    recompute(departments)
    public_service = as_index(cycle_factory([agency], year=2024), "public_service")
    set_points(public_service, agency, scaled("0.8"))
    recompute(public_service)
    provincial = as_index(cycle_factory([ward], year=2024), "provincial")
    set_points(provincial, ward, scaled("0.7"))
    recompute(provincial)
    this = as_index(cycle_factory([department, agency], year=2025), "public_service")
    set_points(this, agency, scaled("0.9"))
    set_points(this, department, scaled("0.9"))
    combined = cycle_factory([ward], year=2025)
    set_points(combined, ward, scaled("0.9"))
    recompute(this)
    recompute(combined)
    assert result(this, agency).previous_index == Decimal("80.00")  # its family's, not 50.00
    assert result(this, department).previous_index == Decimal("60.00")  # another family's
    assert result(combined, ward).comparison == "new"  # the self-assessment is not an index of it


def test_an_organisers_index_compares_with_its_own_last_year(cycle_factory):
    organiser, other, ward = make_units(3, prefix="5")
    offices = make_units(2, prefix="4")
    own_last = as_index(cycle_factory(offices, year=2024), "internal", organiser)
    set_points(own_last, offices[0], scaled("0.6"))
    set_points(own_last, offices[1], scaled("0.8"))
    recompute(own_last)
    others_last = as_index(cycle_factory(offices[:1], year=2024), "internal", other)
    set_points(others_last, offices[0], scaled("0.2"))
    recompute(others_last)
    city_last = cycle_factory(
        [ward], year=2024
    )  # after the others: each is made a city cycle first
    set_points(city_last, ward, scaled("0.7"))
    recompute(city_last)
    this = as_index(cycle_factory(offices, year=2025), "internal", organiser)
    city = cycle_factory([ward], year=2025)
    for cycle, unit in ((this, offices[0]), (this, offices[1]), (city, ward)):
        set_points(cycle, unit, scaled("0.9"))
        recompute(cycle)
    first, second = result(this, offices[0]), result(this, offices[1])
    assert (first.previous_index, first.previous_rank) == (Decimal("60.00"), 2)
    assert first.rank_change == 1 and second.previous_index == Decimal("80.00")
    assert result(city, ward).previous_index == Decimal("70.00")


def test_unit_with_no_survey_responses_gets_no_survey_points_and_is_flagged(cycle_factory):
    units = make_units(2)
    cycle = cycle_factory(units)
    set_points(cycle, units[0], FULL)
    set_points(cycle, units[1], dict(FULL, **{"2.3": None}))
    SURVEY_SAMPLES.append(lambda c, sources: {(units[0].pk, "2.3"): 300})
    try:
        recompute(cycle)
    finally:
        SURVEY_SAMPLES.pop()
    missing = result(cycle, units[1])
    assert missing.survey_points == Decimal("0.00") and missing.survey_missing is True
    assert missing.index == Decimal("80.00")
    assert result(cycle, units[0]).survey_missing is False


def test_rank_interval_widens_with_small_samples_and_contains_the_rank(cycle_factory):
    units = make_units(6)
    cycle = cycle_factory(units)
    for i, unit in enumerate(units):
        set_points(cycle, unit, dict(FULL, **{"2.3": str(Decimal("1.90") - Decimal(i) / 100)}))
    samples = {(u.pk, "2.3"): 20 for u in units}
    SURVEY_SAMPLES.append(lambda c, sources: samples)
    try:
        recompute(cycle)
        small = {u.pk: result(cycle, u) for u in units}
        samples.update({(u.pk, "2.3"): 100000 for u in units})
        recompute(cycle)
        large = {u.pk: result(cycle, u) for u in units}
    finally:
        SURVEY_SAMPLES.pop()
    for unit in units:
        s, big = small[unit.pk], large[unit.pk]
        assert s.rank_low <= s.rank <= s.rank_high
        assert (s.rank_high - s.rank_low) >= (big.rank_high - big.rank_low)
    assert any(s.rank_high - s.rank_low >= 3 for s in small.values())
    # with 100,000 answers per unit a one-point gap is real
    assert all(r.rank_low == r.rank_high == r.rank for r in large.values())
    assert all(r.p_ahead_of_next > 0.95 for r in large.values() if r.rank < 6)


def test_bands_come_from_the_cycle_settings(cycle_factory):
    (unit,) = make_units(1)
    cycle = cycle_factory([unit])
    set_points(cycle, unit, scaled("0.85"))
    ResultSettings.objects.create(
        cycle=cycle, bands=[{"code": "Tốt", "min": 80}, {"code": "Khá", "min": 0}]
    )
    recompute(cycle)
    assert result(cycle, unit).band == "Tốt"


def test_survey_samples_count_the_kept_responses_of_the_latest_wave(secretariat, unit_a, unit_b):
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from conftest import small_framework_specs  # its leaf 2.3 is a SIPAS leaf
    from cycles.models import Cycle, Participation
    from frameworks.services import save_specs
    from results.survey_input import survey_samples
    from surveys import services as surveys
    from surveys.tests.conftest import good_answers, tsv
    from units.models import UnitKind

    cycle = Cycle.objects.create(year=2025, title="2025")
    Participation.objects.create(
        cycle=cycle, unit=unit_a, framework_kind=UnitKind.COMMUNE, ranking_group="X"
    )
    save_specs(secretariat, cycle, UnitKind.COMMUNE, small_framework_specs(), source="test")
    version = surveys.import_questionnaire(secretariat, "sipas", "SIPAS", tsv(), "sipas.tsv")
    now = timezone.now()
    wave = surveys.create_wave(
        secretariat, cycle, version, "SIPAS", now - timedelta(days=1), now + timedelta(days=9)
    )
    surveys.set_targets(secretariat, wave, {unit_a: 100, unit_b: 100})
    responses = [
        surveys.submit_response(
            wave=wave,
            unit=unit_a,
            submission_id=uuid.uuid4(),
            answers=good_answers(),
            channel="link",
        )[0]
        for _ in range(3)
    ]
    surveys.set_excluded(secretariat, responses[0], True, "thử")
    assert survey_samples(cycle) == {(unit_a.pk, "2.3"): 2}
