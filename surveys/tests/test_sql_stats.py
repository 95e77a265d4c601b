"""Counts in the database (surveys.sql_stats) give exactly the figures of the Python reference
(surveys.stats.aggregate over the stored answers), on SQLite and on PostgreSQL."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import services, sql_stats
from surveys.aggregates import dimensions, unit_figures, wave_figures
from surveys.leaves import leaf_index
from surveys.models import Response
from surveys.stats import aggregate, likert_weight, valid_likert
from units.models import Unit, UnitKind

from .conftest import good_answers, tsv

QUESTION_NAMES = ["svc_1", "svc_5", "pol_1"]  # three of the wave's nine 5-point questions

# What a stored answer may look like: numbers (whole or not, in and out of range), digit strings
# with leading zeros and whitespace around (valid), and strings, booleans, lists that are not.
answer_values = st.one_of(
    st.integers(min_value=-2, max_value=8),
    st.sampled_from([1.0, 3.0, 4.0, 5.0, 4.5, 0.0, 6.0, 2**70, True, False, None, [4], {"v": 4}]),
    st.sampled_from(["1", "2", "3", "4", "5", "04", " 5", "3\n", "\u00a04\u3000", "0", "6"]),
    st.text(alphabet="0123456789 \t\n.-+ax\u00a0\x1c", max_size=4),
)
answer_sets = st.dictionaries(
    st.sampled_from(QUESTION_NAMES + ["svc_2", "pol_9", "sex"]), answer_values, max_size=6
)
stored_responses = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c"]), answer_sets, st.booleans()), max_size=25
)


def store(wave, unit, answers, excluded=False):
    return Response.objects.create(
        wave=wave,
        unit=unit,
        submission_id=uuid.uuid4(),
        channel="link",
        answers=answers,
        excluded=excluded,
    )


def reference(wave, unit) -> dict:
    """The former path: every kept response's answers, as stored, through stats.aggregate."""
    answers = wave.responses.filter(unit=unit, excluded=False).values_list("answers", flat=True)
    result = aggregate(list(answers), dimensions(wave))
    result["n"] = wave.responses.filter(unit=unit, excluded=False).count()
    return result


def reference_weight(wave, unit, names) -> float | None:
    weights = [
        likert_weight(value)
        for answers in wave.responses.filter(unit=unit, excluded=False).values_list(
            "answers", flat=True
        )
        for name in names
        if (value := valid_likert(answers.get(name))) is not None
    ]
    return sum(weights) / len(weights) if weights else None


def without_labels(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if k != "labels"}


@pytest.fixture
def unit_c(db):
    return Unit.objects.create(code="C03", name="Phường C", kind=UnitKind.COMMUNE)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stored=stored_responses)
def test_sql_counts_give_the_figures_of_the_python_reference(wave, unit_a, unit_b, unit_c, stored):
    units = {"a": unit_a, "b": unit_b, "c": unit_c}
    with transaction.atomic():
        for key, answers, excluded in stored:
            store(wave, units[key], answers, excluded)
        all_units = wave_figures(wave)
        for unit in units.values():
            expected = reference(wave, unit)
            assert without_labels(unit_figures(wave, unit)) == expected
            if unit.pk in all_units:
                assert without_labels(all_units[unit.pk]) == expected
            else:  # no target and nothing kept: nothing to show
                assert expected["n"] == 0 and unit is unit_c
            unit_counts = sql_stats.counts(wave.pk, QUESTION_NAMES, unit_id=unit.pk).get(unit.pk)
            weight = sql_stats.weight_index(unit_counts, QUESTION_NAMES) if unit_counts else None
            assert weight == reference_weight(wave, unit, QUESTION_NAMES)
        transaction.set_rollback(True)


def test_answers_as_the_intake_stores_them(wave, unit_a, unit_b):
    """Submitted through the service (ints): figures, n and the excluded response left out."""
    for level in ("5", "4", "2"):
        services.submit_response(
            wave=wave,
            unit=unit_a,
            submission_id=uuid.uuid4(),
            answers=good_answers(level) | {"svc_1": level},
            channel="link",
        )
    store(wave, unit_a, good_answers("1") | {"svc_1": 1}, excluded=True)
    figures = unit_figures(wave, unit_a)
    assert figures["n"] == 3
    svc_1 = figures["items"]["svc_1"]
    assert (svc_1.n, svc_1.successes, svc_1.mean) == (3, 2, 11 / 3)
    assert figures["overall"].share == pytest.approx(2 / 3)
    assert figures["labels"]["svc_1"] == "Mức độ hài lòng 1"
    assert without_labels(figures) == reference(wave, unit_a)


def test_wave_figures_lists_every_target_unit_and_every_unit_with_answers(
    wave, unit_a, unit_b, unit_c
):
    store(wave, unit_c, good_answers("4"))  # answered without a target
    figures = wave_figures(wave)
    assert set(figures) == {unit_a.pk, unit_b.pk, unit_c.pk}
    assert figures[unit_a.pk]["n"] == 0 and figures[unit_a.pk]["overall"] is None
    assert figures[unit_a.pk]["items"]["svc_1"].n == 0  # every item present, empty
    assert figures[unit_c.pk]["n"] == 1
    assert figures[unit_c.pk]["overall"].share == 1.0


def test_wave_figures_costs_the_same_queries_for_any_number_of_units(wave, unit_a, unit_b):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            wave_figures(wave)
        return len(captured)

    store(wave, unit_a, good_answers("4"))
    few = queries()
    for n in range(30):
        unit = Unit.objects.create(code=f"Q{n:03d}", name=f"Xã {n}", kind=UnitKind.COMMUNE)
        store(wave, unit, good_answers("3"))
    assert len(wave_figures(wave)) == 32
    assert queries() == few


def test_other_waves_do_not_count(wave, unit_a, secretariat, draft_cycle, version):
    now = timezone.now()
    other = services.create_wave(
        secretariat, draft_cycle, version, "Đợt khác", now - timedelta(days=1), now
    )
    store(other, unit_a, good_answers("1", svc_1="1"))
    store(wave, unit_a, good_answers("5"))
    assert unit_figures(wave, unit_a)["n"] == 1
    assert unit_figures(wave, unit_a)["overall"].share == 1.0
    assert unit_figures(other, unit_a)["overall"].share == 0.0


OFFICIALS = [
    ("type", "name", "label", "choices", "required", "relevant", "dimension"),
    ("likert5", "c1_a", "Công khai", "", "1", "", "criterion/1"),
    ("likert5", "c1_b", "Minh bạch", "", "1", "", "criterion/1"),
    ("likert5", "c3_a", "Thủ tục", "", "1", "", "criterion/3"),
]


def test_officials_leaf_takes_the_mean_weight_of_its_domain(
    secretariat, draft_cycle, unit_a, unit_b
):
    version = services.import_questionnaire(
        secretariat, "officials", "Điều tra xã hội học", tsv(OFFICIALS), "officials.tsv"
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat, draft_cycle, version, "Cán bộ 2025", now - timedelta(days=1), now
    )
    store(wave, unit_a, {"c1_a": 5, "c1_b": "4", "c3_a": 1})  # weights 1, 0.75
    store(wave, unit_a, {"c1_a": 2, "c1_b": 9, "c3_a": 1})  # weight 0.25; 9 is not an answer
    store(wave, unit_a, {"c1_a": 1, "c1_b": 1}, excluded=True)
    store(wave, unit_b, {"c3_a": 3})
    leaf = SimpleNamespace(code="1.4", rule_params={"source": "officials"})
    assert str(leaf_index(unit_a, draft_cycle, leaf)) == "0.6667"  # (1 + 0.75 + 0.25) / 3
    assert leaf_index(unit_b, draft_cycle, leaf) is None  # nothing on domain 1
    named = SimpleNamespace(
        code="1.4", rule_params={"source": "officials", "dimension": "criterion/3"}
    )
    assert str(leaf_index(unit_a, draft_cycle, named)) == "0.0"
    assert str(leaf_index(unit_b, draft_cycle, named)) == "0.5"


def test_sipas_leaf_takes_an_element_or_a_part(wave, unit_a, draft_cycle):
    store(wave, unit_a, good_answers("4") | {"svc_5": 2, "pol_1": 2})
    overall = SimpleNamespace(code="2.3", rule_params={"source": "sipas"})
    element = SimpleNamespace(
        code="2.3", rule_params={"source": "sipas", "dimension": "service/access"}
    )
    part = SimpleNamespace(code="2.3", rule_params={"source": "sipas", "dimension": "policy"})
    assert str(leaf_index(unit_a, draft_cycle, element)) == "1.0"  # svc_1–4 answered 5, 4, 4, 4
    assert str(leaf_index(unit_a, draft_cycle, part)) == "0.0"
    # service: (access 1.0 + results 3/4) / 2 = 0.875; overall (0.875 + 0) / 2
    assert str(leaf_index(unit_a, draft_cycle, overall)) == "0.4375"


def test_whitespace_is_what_python_strips():
    assert set(sql_stats.WHITESPACE) == {c for c in map(chr, range(0x110000)) if c.isspace()}


def test_packed_sums_unpack_into_their_counts():
    n, successes, total = 12_000_000, 9_000_000, 55_000_000
    packed = n + (successes << sql_stats.BITS) + (total << 2 * sql_stats.BITS)
    unit = sql_stats._unpack("postgresql", [7, n, packed, None], ["q1", "q2"])
    assert unit.items["q1"] == sql_stats.ItemCounts(n, successes, total)
    assert unit.items["q2"] == sql_stats.ItemCounts(0, 0, 0)
    with pytest.raises(OverflowError):
        sql_stats._unpack("postgresql", [7, 1 << sql_stats.BITS, packed], ["q1"])
