"""Survey leaves take the answers of the respondent groups mapped to them (DOMAIN.md §5.1):
`sql_stats.counts(where_answer=…)` equals the Python reference over the filtered responses, on SQLite
and PostgreSQL, and a leaf's `"groups"` picks its groups."""

import csv
import json
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks.scoring import validate_params
from surveys import services, sql_stats
from surveys.aggregates import dimensions
from surveys.leaves import leaf_index
from surveys.stats import aggregate, likert_weight, valid_likert

from .conftest import tsv
from .test_sql_stats import QUESTION_NAMES, answer_sets, reference_weight, store

ROOT = Path(__file__).resolve().parents[2]

# What may be stored as the answer to the single-choice question "sex": its values, other texts,
# and forms that are not texts (never a match, although PostgreSQL's ->> would give "1" for 1).
group_values = st.sampled_from(["m", "f", "x", "M", " m", "1", 1, 1.0, ["m"], {"m": 1}, None, True])
grouped_answers = st.tuples(answer_sets, group_values, st.booleans()).map(
    lambda t: (t[0] | {"sex": t[1]}) if t[2] else t[0]
)
grouped_responses = st.lists(
    st.tuples(st.sampled_from(["a", "b"]), grouped_answers, st.booleans()), max_size=20
)
filters = st.lists(st.sampled_from(["m", "f", "1", "x", 'it\'s "odd"']), max_size=3)


def matches(answers: dict, values) -> bool:
    value = answers.get("sex")
    return isinstance(value, str) and value in values


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stored=grouped_responses, values=filters)
def test_filtered_sql_counts_equal_the_python_reference_of_the_filtered_responses(
    wave, unit_a, unit_b, stored, values
):
    units = {"a": unit_a, "b": unit_b}
    dimension_of = dimensions(wave)
    with transaction.atomic():
        for key, answers, excluded in stored:
            store(wave, units[key], answers, excluded)
        where = ("sex", values)
        by_unit = sql_stats.counts(wave.pk, list(dimension_of), where_answer=where)
        for unit in units.values():
            kept = [
                answers
                for answers in wave.responses.filter(unit=unit, excluded=False).values_list(
                    "answers", flat=True
                )
                if matches(answers, values)
            ]
            one = sql_stats.counts(
                wave.pk, list(dimension_of), unit_id=unit.pk, where_answer=where
            ).get(unit.pk)
            assert one == by_unit.get(unit.pk)
            if not kept:
                assert one is None
                continue
            assert one.responses == len(kept)
            expected = aggregate(kept, dimension_of)
            assert sql_stats.figures(one, dimension_of) == expected
            weights = sql_stats.counts(
                wave.pk, QUESTION_NAMES, unit_id=unit.pk, where_answer=where
            ).get(unit.pk)
            assert sql_stats.weight_index(weights, QUESTION_NAMES) == _weight(kept)
        transaction.set_rollback(True)


def _weight(responses) -> float | None:
    weights = [
        likert_weight(value)
        for answers in responses
        for name in QUESTION_NAMES
        if (value := valid_likert(answers.get(name))) is not None
    ]
    return sum(weights) / len(weights) if weights else None


def test_no_filter_counts_as_before(wave, unit_a):
    store(wave, unit_a, {"sex": "m", "svc_1": 5})
    store(wave, unit_a, {"sex": "f", "svc_1": 1})
    unfiltered = sql_stats.counts(wave.pk, QUESTION_NAMES, unit_id=unit_a.pk)[unit_a.pk]
    assert unfiltered.responses == 2
    assert sql_stats.weight_index(unfiltered, QUESTION_NAMES) == reference_weight(
        wave, unit_a, QUESTION_NAMES
    )
    males = sql_stats.counts(wave.pk, ["svc_1"], where_answer=("sex", ["m"]))[unit_a.pk]
    assert (males.responses, males.items["svc_1"]) == (1, sql_stats.ItemCounts(1, 1, 5))
    assert sql_stats.counts(wave.pk, ["svc_1"], where_answer=("sex", [])) == {}
    with pytest.raises(TypeError):
        sql_stats.counts(wave.pk, ["svc_1"], where_answer=("sex", [1]))


OFFICIALS = [
    ("type", "name", "label", "choices", "required", "relevant", "dimension"),
    (
        "single",
        "respondent_group",
        "Tư cách",
        "council_deputy=Đại biểu HĐND|division_head=Trưởng phòng|citizen=Người dân",
        "1",
        "",
        "",
    ),
    ("single", "sex", "Giới tính", "m=Nam|f=Nữ", "0", "", ""),
    ("likert5", "c1_a", "Chỉ đạo", "", "1", "", "criterion/1"),
    ("likert5", "c1_b", "Điều hành", "", "1", "", "criterion/1"),
]


@pytest.fixture
def officials_wave(secretariat, draft_cycle):
    version = services.import_questionnaire(
        secretariat, "officials", "Điều tra xã hội học", tsv(OFFICIALS), "officials.tsv"
    )
    now = timezone.now()
    return services.create_wave(
        secretariat, draft_cycle, version, "Cán bộ 2025", now - timedelta(days=1), now
    )


def leaf(**params):
    return SimpleNamespace(code="1.7.1", rule_params={"source": "officials"} | params)


def test_each_leaf_takes_its_own_groups(officials_wave, draft_cycle, unit_a, unit_b):
    for _ in range(2):
        store(officials_wave, unit_a, {"respondent_group": "council_deputy", "c1_a": 5, "c1_b": 5})
        store(officials_wave, unit_a, {"respondent_group": "division_head", "c1_a": 1, "c1_b": 1})
    store(officials_wave, unit_a, {"respondent_group": "council_deputy", "c1_a": 1}, excluded=True)
    store(officials_wave, unit_b, {"respondent_group": "division_head", "c1_a": 4})

    council = leaf(groups=["council_deputy"])
    division = leaf(groups=["division_head"])
    assert str(leaf_index(unit_a, draft_cycle, council)) == "1.0"
    assert str(leaf_index(unit_a, draft_cycle, division)) == "0.0"
    assert str(leaf_index(unit_a, draft_cycle, leaf())) == "0.5"  # no groups: every answer
    both = leaf(groups=["council_deputy", "division_head"])
    assert str(leaf_index(unit_a, draft_cycle, both)) == "0.5"

    assert leaf_index(unit_b, draft_cycle, council) is None  # no council deputy answered
    assert str(leaf_index(unit_b, draft_cycle, division)) == "0.75"
    assert leaf_index(unit_a, draft_cycle, leaf(groups=["citizen"])) is None
    assert leaf_index(unit_a, draft_cycle, leaf(groups=["no_such_group"])) is None
    assert leaf_index(unit_a, draft_cycle, leaf(groups=[])) is None


def test_group_question_and_unusable_groups(officials_wave, draft_cycle, unit_a):
    store(officials_wave, unit_a, {"respondent_group": "council_deputy", "sex": "f", "c1_a": 5})
    store(officials_wave, unit_a, {"respondent_group": "division_head", "sex": "m", "c1_a": 2})
    assert str(leaf_index(unit_a, draft_cycle, leaf(groups=["m"], group_question="sex"))) == "0.25"
    for params in (
        {"groups": "council_deputy"},  # not a list
        {"groups": [1]},
        {"groups": None},
        {"groups": ["council_deputy"], "group_question": "c1_a"},  # not a single choice
        {"groups": ["council_deputy"], "group_question": "nothing"},
        {"groups": ["council_deputy"], "group_question": ["respondent_group"]},
        {"groups": ["x'); DROP TABLE surveys_response; --", 'a"b']},
    ):
        assert leaf_index(unit_a, draft_cycle, leaf(**params)) is None, params
    assert (
        str(leaf_index(unit_a, draft_cycle, leaf(other_key=1))) == "0.625"
    )  # unknown keys ignored


@pytest.mark.parametrize("kind", ["commune", "department"])
def test_every_officials_leaf_of_the_frameworks_names_known_groups(kind):
    rows = (ROOT / "surveys" / "data" / "officials.tsv").read_text(encoding="utf-8").splitlines()
    (choices,) = [r.split("\t")[3] for r in rows if r.startswith("single\trespondent_group\t")]
    known = {choice.partition("=")[0] for choice in choices.split("|")}
    path = ROOT / "frameworks" / "data" / f"framework-{kind}.csv"
    leaves = [
        row
        for row in csv.DictReader(path.open(encoding="utf-8", newline=""))
        if row["rule"] == "survey" and json.loads(row["rule_params"]).get("source") == "officials"
    ]
    assert leaves
    for row in leaves:
        params = json.loads(row["rule_params"])
        assert params["groups"] and set(params["groups"]) <= known, row["code"]
        assert validate_params("survey", params, 1) == []
