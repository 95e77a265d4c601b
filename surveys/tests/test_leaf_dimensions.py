"""The bundled frameworks' survey leaves read what their titles name (docs/surveys.md, "Tiêu chí khảo sát
gắn với thành phần đo"): on the bundled SIPAS questionnaire, "time" and "attitude" leaves score
differently for the same unit, the unofficial-payment leaf reads its assessment question, and the
vocabulary the framework import accepts is the bundled questionnaires'."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from core.tabular import read_table
from frameworks.bundled import load_specs
from frameworks.survey_binding import GROUPS, OFFICIALS_DIMENSIONS, SIPAS_DIMENSIONS
from surveys import services
from surveys.leaves import leaf_index
from surveys.questionnaire import parse

from .test_sql_stats import store

DATA = Path(__file__).resolve().parents[1] / "data"


def questions(filename):
    return parse(read_table((DATA / filename).read_bytes(), filename))


@pytest.fixture
def sipas_wave(secretariat, draft_cycle):
    version = services.import_questionnaire(
        secretariat, "sipas", "SIPAS", (DATA / "sipas.tsv").read_bytes(), "sipas.tsv"
    )
    now = timezone.now()
    return services.create_wave(
        secretariat, draft_cycle, version, "SIPAS 2025", now - timedelta(days=1), now
    )


def answers(*, staff: str, on_time: str, payment: str = "none") -> dict:
    """Every 5-point item at 4, the civil servants' items at `staff`, "on time" at `on_time`."""
    given = {q.name: "4" for q in questions("sipas.tsv") if q.type == "likert5"}
    given |= {"svc_staff_polite": staff, "svc_staff_guidance": staff, "svc_staff_rules": staff}
    return given | {"svc_result_on_time": on_time, "unofficial_payment": payment}


def department_leaf(code):
    (spec,) = [s for s in load_specs("department") if s.code == code]
    return spec


def test_time_and_attitude_leaves_score_differently_for_the_same_unit(
    sipas_wave, draft_cycle, unit_a
):
    store(sipas_wave, unit_a, answers(staff="5", on_time="2"))
    store(sipas_wave, unit_a, answers(staff="4", on_time="1", payment="some"))
    time = department_leaf("3.6.2")  # thời gian giải quyết và trả kết quả đúng hẹn
    attitude = department_leaf("5.6.1")  # tinh thần, thái độ phục vụ của công chức
    overall = department_leaf("8.2.1")  # Chỉ số SIPAS
    # results: on time 0 of 2, accurate and fair 2 of 2 → 2/3; civil servants: all satisfied → 1
    assert leaf_index(unit_a, draft_cycle, time) == Decimal("0.6667")
    assert leaf_index(unit_a, draft_cycle, attitude) == Decimal("1.0")
    assert leaf_index(unit_a, draft_cycle, overall) not in (None, Decimal("0.6667"), Decimal("1.0"))


def test_the_unofficial_payment_leaf_is_the_share_that_paid_nothing(
    sipas_wave, draft_cycle, unit_a, unit_b
):
    for payment in ("none", "none", "none", "some", "many"):
        store(sipas_wave, unit_a, answers(staff="4", on_time="4", payment=payment))
    store(sipas_wave, unit_a, answers(staff="4", on_time="4", payment="none"), excluded=True)
    store(sipas_wave, unit_a, answers(staff="4", on_time="4", payment="nothing"))  # not a value
    leaf = department_leaf("8.3.2")  # không phát sinh chi phí không chính thức
    assert leaf.rule_params["dimension"] == "indicator/unofficial_payment"
    assert leaf_index(unit_a, draft_cycle, leaf) == Decimal("0.6")
    assert leaf_index(unit_b, draft_cycle, leaf) is None  # no responses


def test_the_vocabulary_the_import_accepts_is_the_bundled_questionnaires():
    sipas = {q.dimension for q in questions("sipas.tsv") if q.dimension}
    parts = {dimension.partition("/")[0] for dimension in sipas}
    indicators = {
        f"indicator/{q.name}"
        for q in questions("sipas.tsv")
        if q.type == "single" and "none" in dict(q.choices)
    }
    assert set(SIPAS_DIMENSIONS) == sipas | parts | indicators | {"overall"}
    officials = questions("officials.tsv")
    assert set(OFFICIALS_DIMENSIONS) == {q.dimension for q in officials if q.dimension}
    (group,) = [q for q in officials if q.name == "respondent_group"]
    assert set(GROUPS) == set(dict(group.choices))


def test_the_policy_areas_are_the_ministrys_nine():
    names = {q.name for q in questions("sipas.tsv")}
    expected = {
        "economy",
        "health",
        "education",
        "water",
        "electricity",
        "security",
        "transport",
        "social",
        "admin_reform",
    }
    for prefix in ("follow_", "pol_impl_", "pol_result_"):
        assert {n.removeprefix(prefix) for n in names if n.startswith(prefix)} - {
            "overall"
        } == expected, prefix
