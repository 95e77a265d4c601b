"""SIPAS as an index: the design weights (hypothesis) and the year's figures from the database."""

import math
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys import services
from surveys import sipas_weights as sw
from surveys.models import Response
from surveys.sipas_index import SERVICE_ELEMENTS, year_index
from surveys.sql_stats import ItemCounts

DATA = Path(__file__).resolve().parent.parent / "data"

counts = st.integers(min_value=1, max_value=400).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(min_value=0, max_value=n))
)
units = st.lists(
    st.tuples(counts, st.integers(min_value=1, max_value=50_000)), min_size=1, max_size=12
)


def _inputs(rows):
    return [
        sw.UnitInput(
            i,
            "communes",
            n,
            population,
            items={"q": ItemCounts(n, x, 4 * n)},
        )
        for i, ((n, x), population) in enumerate(rows)
    ]


def _share(inputs, weight_of=None):
    weight_of = weight_of or sw.weights(inputs)
    return sw.figures(inputs, weight_of, {"q": "service/access"})["items"]["q"]


@settings(max_examples=150, deadline=None)
@given(units)
def test_equal_weights_give_the_pooled_share(rows):
    # Every unit's N/n the same: the weighted share is the unweighted (pooled) share.
    inputs = _inputs([((n, x), 7 * n) for (n, x), _ in rows])
    got = _share(inputs)
    pooled = sum(x for (n, x), _ in rows) / sum(n for (n, x), _ in rows)
    assert math.isclose(got.share, pooled, abs_tol=1e-12)
    assert got.n == sum(n for (n, x), _ in rows)


@settings(max_examples=150, deadline=None)
@given(units, st.floats(min_value=0.001, max_value=1000))
def test_weights_are_invariant_to_scaling(rows, factor):
    inputs = _inputs(rows)
    weight_of = sw.weights(inputs)
    scaled = {
        k: sw.Weight(w.population * factor, w.responses, w.weight * factor, w.assumed)
        for k, w in weight_of.items()
    }
    a, b = _share(inputs, weight_of), _share(inputs, scaled)
    assert math.isclose(a.share, b.share, abs_tol=1e-9)
    assert abs(a.n - b.n) <= 1
    assert math.isclose(a.low, b.low, abs_tol=1e-3)
    assert math.isclose(a.high, b.high, abs_tol=1e-3)


@settings(max_examples=150, deadline=None)
@given(units)
def test_the_interval_contains_the_point_and_the_point_lies_among_the_units(rows):
    inputs = _inputs(rows)
    got = _share(inputs)
    assert 0.0 <= got.low <= got.share <= got.high <= 1.0
    shares = [x / n for (n, x), _ in rows]
    assert min(shares) - 1e-12 <= got.share <= max(shares) + 1e-12
    assert 1 <= got.n <= sum(n for (n, _), _ in rows)


@settings(max_examples=100, deadline=None)
@given(counts, st.integers(min_value=1, max_value=50_000))
def test_one_unit_weighted_is_the_unit_itself(pair, population):
    (n, x) = pair
    [unit] = _inputs([((n, x), population)])
    weighted = _share([unit])
    own = ItemCounts(n, x, 4 * n).share()
    assert math.isclose(weighted.share, own.share)
    assert weighted.n == own.n
    # Its interval too, up to the float error of n_eff = (w·n)² / (w²·n).
    assert math.isclose(weighted.low, own.low, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(weighted.high, own.high, rel_tol=1e-9, abs_tol=1e-12)


def test_a_unit_without_a_dossier_count_takes_the_median():
    inputs = _inputs([((10, 5), 100), ((10, 5), 300), ((10, 5), 1000)])
    inputs.append(sw.UnitInput(9, "communes", 20, None))
    weight_of = sw.weights(inputs)
    assert weight_of[9].assumed and weight_of[9].population == 300
    assert weight_of[9].weight == 15
    assert not weight_of[0].assumed and weight_of[0].weight == 10


def _sipas_answers(level: int, harassment="none", channels=("tv_radio",)):
    answers = {
        "exp_procedure": "yes",
        "exp_feedback": "yes",
        "harassment": harassment,
        "unofficial_payment": "none",
        "consult_willing": "yes",
        "info_channels": list(channels),
        "submit_in_person": 3,
        "expect_fees": 4,
        "expect_information": 2,
    }
    for name in [
        "svc_access_signage",
        "svc_proc_posted",
        "svc_staff_polite",
        "svc_result_on_time",
        "svc_fb_easy",
        "pol_acc_information",
        "pol_part_opportunity",
        "pol_impl_health",
        "pol_result_health",
    ]:
        answers[name] = level
    return answers


@pytest.fixture
def sipas_wave(secretariat, draft_cycle, unit_a, unit_b):
    version = services.import_questionnaire(
        secretariat, "sipas", "SIPAS", (DATA / "sipas.tsv").read_bytes(), "sipas.tsv"
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat, draft_cycle, version, "SIPAS 2025", now - timedelta(days=9), now
    )
    # unit_a: 10,000 dossiers, 4 responses all satisfied; unit_b: 300 dossiers, 4 responses, 1 of 4.
    services.set_targets(secretariat, wave, {unit_a: 10000, unit_b: 300})
    rows = [(unit_a, 5, "none")] * 4 + [(unit_b, 4, "some")] + [(unit_b, 2, "many")] * 3
    Response.objects.bulk_create(
        Response(
            wave=wave,
            unit=unit,
            submission_id=uuid.uuid4(),
            channel="link",
            answers=_sipas_answers(level, harassment),
        )
        for unit, level, harassment in rows
    )
    Response.objects.create(
        wave=wave,
        unit=unit_b,
        submission_id=uuid.uuid4(),
        channel="link",
        answers=_sipas_answers(5),
        excluded=True,
    )
    return wave


def test_the_year_index_per_unit_family_and_city(sipas_wave, unit_a, unit_b):
    sipas = year_index(2025, [sipas_wave.cycle])
    rows = {row["unit"].code: row for row in sipas.units}
    assert [row["unit"].code for row in sipas.units] == ["00070", "S02"]  # Hoàn Kiếm, Sở Tư pháp
    a, b = rows["00070"]["figures"], rows["S02"]["figures"]
    assert (a["n"], b["n"]) == (4, 4)  # the excluded response does not count
    assert a["index"].share == 1.0 and b["index"].share == 0.25
    assert set(SERVICE_ELEMENTS) <= set(a["elements"])
    assert rows["00070"]["weight"].weight == 2500 and rows["S02"]["weight"].weight == 75
    # The city: (10,000 × 1 + 300 × 0.25) / 10,300.
    city = sipas.city
    assert math.isclose(city["index"].share, (10000 + 75) / 10300)
    assert city["index"].low <= city["index"].share <= city["index"].high
    assert city["n"] == 8 and city["units"] == 2
    assert set(sipas.families) == {"communes", "departments"}
    assert sipas.families["departments"]["index"].share == 0.25
    # Assessment indicators and expectations, weighted the same way.
    assert math.isclose(city["indicators"]["indicator/harassment"].share, 10000 / 10300)
    assert b["indicators"]["indicator/harassment"].share == 0.0
    assert city["indicators"]["channel/tv_radio"].share == 1.0
    assert city["indicators"]["channel/press"].share == 0.0
    assert city["indicators"]["suitability/submit_in_person"].share == 1.0
    assert city["expectations"]["expect_fees"].share == 1.0
    assert city["expectations"]["expect_information"].share == 0.0
    assert sipas.plan.labels["channel/tv_radio"] == "Truyền hình, phát thanh"


def test_frozen_counts_give_the_live_figures_and_stay_when_responses_change(sipas_wave):
    import json

    from results.sipas_public import as_data
    from surveys.sipas_index import frozen_counts

    cycle = sipas_wave.cycle
    live = as_data(year_index(2025, [cycle]))
    kept = json.loads(json.dumps(frozen_counts(cycle)))  # as a publication stores it
    assert as_data(year_index(2025, [cycle], {cycle.pk: kept})) == live
    Response.objects.filter(wave=sipas_wave).update(excluded=True)
    assert as_data(year_index(2025, [cycle], {cycle.pk: kept})) == live
    assert year_index(2025, [cycle]).empty is False  # the population still lists the units
    assert year_index(2025, [cycle]).city["n"] == 0


def test_a_year_without_sipas_waves_is_empty(draft_cycle):
    sipas = year_index(2025, [draft_cycle])
    assert sipas.empty and sipas.city["index"] is None


@settings(max_examples=60, deadline=None)
@given(st.lists(counts, min_size=3, max_size=3))
def test_a_unit_s_figures_are_those_of_the_wave_figures(pairs):
    from surveys.sql_stats import UnitCounts, figures

    dimension_of = {"a": "service/access", "b": "service/access", "c": "policy/results"}
    items = {name: ItemCounts(n, x, 4 * n) for name, (n, x) in zip("abc", pairs, strict=True)}
    unit = sw.UnitInput(1, "communes", 9, 100, items=items)
    got = sw.unit_figures(unit, dimension_of)
    expected = figures(UnitCounts(9, items), dimension_of)
    assert got["elements"] == expected["elements"] and got["parts"] == expected["parts"]
    assert got["index"] == expected["overall"]
