"""Option weights per questionnaire (DOMAIN.md §5.1: A 100 / B 60 / C 20 / D 0 by default), used in
the officials' figures through stats.option_weight_index."""

import uuid
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys import services
from surveys.leaves import leaf_index
from surveys.services.questionnaires import parse_option_weights, weights_text
from surveys.stats import DEFAULT_OPTION_WEIGHTS, option_weight_index

from .test_roster import officials_wave  # noqa: F401  (fixture)

LEAF = SimpleNamespace(code="5.1", rule_params={"source": "officials", "dimension": "criterion/5"})
ITEMS = ["c5_attitude", "c5_competence", "c5_discipline", "c5_integrity", "c5_recruitment"]


def _answer(wave, unit, level, group="council_deputy"):
    answers = {"respondent_group": group}
    for question in wave.version.parsed():
        if question.type == "likert5":
            answers[question.name] = str(level)
    services.submit_response(
        wave=wave, unit=unit, submission_id=uuid.uuid4(), answers=answers, channel="link"
    )


def test_default_and_configured_weights(secretariat, officials_wave, unit_b):  # noqa: F811
    for level in (5, 4, 2):
        _answer(officials_wave, unit_b, level)
    default = leaf_index(unit_b, officials_wave.cycle, LEAF)
    expected = option_weight_index(["5", "4", "2"] * len(ITEMS))
    assert float(default) == pytest.approx(expected, abs=1e-4)  # (1 + 0.75 + 0.25) / 3
    questionnaire = officials_wave.version.questionnaire
    services.set_option_weights(secretariat, questionnaire, "5=100|4=60|3=20|2=0|1=0")
    officials_wave.version.questionnaire.refresh_from_db()
    configured = leaf_index(unit_b, officials_wave.cycle, LEAF)
    assert float(configured) == pytest.approx((1 + 0.6 + 0) / 3, abs=1e-4)
    # The groups of a leaf still count only their answers.
    _answer(officials_wave, unit_b, 1, group="commune_chair")
    grouped = SimpleNamespace(
        code="5.1", rule_params=LEAF.rule_params | {"groups": ["council_deputy"]}
    )
    assert leaf_index(unit_b, officials_wave.cycle, grouped) == configured


def test_weights_are_parsed_with_vietnamese_errors():
    assert parse_option_weights("a=100; B = 60,5\nC=20|D=0") == {
        "A": 1.0,
        "B": 0.605,
        "C": 0.2,
        "D": 0.0,
    }
    assert parse_option_weights("  ") == {}
    with pytest.raises(services.SurveyError) as caught:
        parse_option_weights("A=120|Z=5|B|A=1|A=2")
    assert len(caught.value.problems) == 4
    assert "hai lần" in caught.value.problems[-1]


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from("ABCDEFGH12345"), st.integers(0, 100), min_size=1))
def test_weights_survive_the_form(weights):
    parsed = parse_option_weights("|".join(f"{k}={v}" for k, v in weights.items()))
    assert parse_option_weights(weights_text(parsed)) == parsed
    assert all(0 <= w <= 1 for w in parsed.values())


def test_the_default_is_the_documented_one():
    assert dict(DEFAULT_OPTION_WEIGHTS) == {"A": 1.0, "B": 0.6, "C": 0.2, "D": 0.0}


def test_the_questionnaires_page_sets_weights(client, secretariat, officials_wave):  # noqa: F811
    client.force_login(secretariat)
    client.post("/surveys/questionnaires/officials/weights/", {"weights": "A=90|B=50"})
    officials_wave.version.questionnaire.refresh_from_db()
    assert officials_wave.version.questionnaire.option_weights == {"A": 0.9, "B": 0.5}
    page = client.get("/surveys/questionnaires/").content.decode()
    assert 'value="A=90|B=50"' in page
    wrong = client.post(
        "/surveys/questionnaires/officials/weights/", {"weights": "A=x"}, follow=True
    )
    assert "A=x" in wrong.content.decode()
