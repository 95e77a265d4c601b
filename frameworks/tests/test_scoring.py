"""Scoring rules: bounds, monotonicity and exactness (hypothesis), and the documented examples."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frameworks.scoring import points_bounds, score, validate_params

quarter_maxima = st.integers(min_value=1, max_value=40).map(lambda n: Decimal(n) * Decimal("0.25"))
rates = st.decimals(min_value=0, max_value=1, places=4)
counts = st.integers(min_value=0, max_value=1000)


def two_places(value: Decimal) -> bool:
    return value == value.quantize(Decimal("0.01"))


# ------------------------------------------------------------------ examples from the issue


def test_manual_snaps_down_to_its_step():
    assert score("manual", {"step": 0.25}, Decimal("1.00"), {"points": "0.6"}) == Decimal("0.50")
    assert score("manual", {"step": 0.25}, Decimal("1.00"), {"points": "0.75"}) == Decimal("0.75")


def test_yes_no_gives_max_or_nothing():
    assert score("yes_no", {}, Decimal("1.50"), {"done": True}) == Decimal("1.50")
    assert score("yes_no", {}, Decimal("1.50"), {"done": False}) == Decimal("0.00")
    assert score("yes_no", {}, Decimal("1.50"), {}) == Decimal("0.00")


def test_ratio_proportional_with_floor():
    params = {"mode": "proportional", "min": 0.8}
    assert score("ratio", params, Decimal("2.00"), {"numerator": 9, "denominator": 10}) == Decimal(
        "1.80"
    )
    assert score("ratio", params, Decimal("2.00"), {"numerator": 7, "denominator": 10}) == Decimal(
        "0.00"
    )


def test_ratio_tiers_first_threshold_reached_wins():
    params = {"tiers": [[1.0, 2], [0.9, 1], [0, 0]]}
    assert score("ratio", params, Decimal("2"), {"numerator": 10, "denominator": 10}) == Decimal(
        "2.00"
    )
    assert score("ratio", params, Decimal("2"), {"numerator": 95, "denominator": 100}) == Decimal(
        "1.00"
    )
    assert score("ratio", params, Decimal("2"), {"numerator": 50, "denominator": 100}) == Decimal(
        "0.00"
    )


def test_ratio_weighted_parts():
    params = {"parts": {"resolved": 1, "handled": 0.5}, "mode": "proportional"}
    inputs = {"parts": {"resolved": 6, "handled": 4}, "denominator": 10}
    # (6 + 0.5 × 4) / 10 = 0.8 of 1.00
    assert score("ratio", params, Decimal("1.00"), inputs) == Decimal("0.80")


def test_ratio_without_denominator_earns_nothing():
    assert (
        score("ratio", {"mode": "proportional"}, Decimal("1"), {"numerator": 3, "denominator": 0})
        == 0
    )


def test_checklist_counts_distinct_valid_ticks_up_to_max():
    params = {"items": ["a", "b", "c", "d"], "per_item": 0.1}
    assert score("checklist", params, Decimal("0.30"), {"ticked": [0, 1]}) == Decimal("0.20")
    assert score("checklist", params, Decimal("0.30"), {"ticked": [0, 1, 2, 3]}) == Decimal("0.30")
    assert score("checklist", params, Decimal("0.30"), {"ticked": [0, 0, 9, -1]}) == Decimal("0.10")


def test_deadline_tiers_by_date():
    params = {"tiers": [["2025-01-31", 0.2], ["2025-02-28", 0.1]]}
    assert score("deadline", params, Decimal("0.2"), {"date": "2025-01-31"}) == Decimal("0.20")
    assert score("deadline", params, Decimal("0.2"), {"date": "2025-02-01"}) == Decimal("0.10")
    assert score("deadline", params, Decimal("0.2"), {"date": "2025-03-01"}) == Decimal("0.00")
    assert score("deadline", params, Decimal("0.2"), {"date": None}) == Decimal("0.00")


def test_deduction_never_below_zero():
    assert score("deduction", {"per_item": 0.5}, Decimal("1.00"), {"count": 1}) == Decimal("0.50")
    assert score("deduction", {"per_item": 0.5}, Decimal("1.00"), {"count": 5}) == Decimal("0.00")
    assert score("deduction", {"per_item": 0.5}, Decimal("1.00"), {}) == Decimal("1.00")


def test_survey_and_automatic():
    assert score("survey", {}, Decimal("3.00"), {"index": "0.8651"}) == Decimal("2.60")
    assert score("automatic", {"mode": "proportional"}, Decimal("2"), {"value": 0.995}) == Decimal(
        "1.99"
    )


def test_penalty_is_negative_and_bonus_positive():
    assert score("penalty", {"step": 0.25}, Decimal("2"), {"points": 0.5}) == Decimal("-0.50")
    assert score("bonus", {"step": 0.25}, Decimal("2"), {"points": 3}) == Decimal("2.00")


# ------------------------------------------------------------------ properties


@given(max_points=quarter_maxima, points=st.decimals(min_value=-100, max_value=100, places=3))
def test_stepped_rules_stay_in_bounds_and_on_steps(max_points, points):
    for rule in ("manual", "bonus", "penalty"):
        value = score(rule, {"step": 0.25}, max_points, {"points": points})
        low, high = points_bounds(rule, max_points)
        assert low <= value <= high
        assert (value / Decimal("0.25")) == (value / Decimal("0.25")).to_integral_value()


@given(max_points=quarter_maxima, a=rates, b=rates, floor=st.sampled_from([None, 0.5, 0.8]))
def test_proportional_ratio_is_bounded_monotone_and_exact(max_points, a, b, floor):
    params = {"mode": "proportional"} | ({"min": floor} if floor is not None else {})
    low, high = sorted((a, b))
    points_low = score("automatic", params, max_points, {"value": low})
    points_high = score("automatic", params, max_points, {"value": high})
    assert Decimal(0) <= points_low <= points_high <= max_points
    assert two_places(points_low) and two_places(points_high)


@given(a=counts, b=counts, den=st.integers(min_value=1, max_value=1000))
def test_tiered_ratio_is_monotone_in_the_numerator(a, b, den):
    params = {"tiers": [[1.0, 2], [0.9, 1], [0.5, 0.5], [0, 0]]}
    low, high = sorted((a, b))
    assert (
        Decimal(0)
        <= score("ratio", params, Decimal(2), {"numerator": low, "denominator": den})
        <= score("ratio", params, Decimal(2), {"numerator": high, "denominator": den})
        <= Decimal(2)
    )


@given(max_points=quarter_maxima, a=counts, b=counts)
def test_deduction_is_bounded_and_decreasing_in_the_count(max_points, a, b):
    low, high = sorted((a, b))
    more = score("deduction", {"per_item": 0.25}, max_points, {"count": high})
    fewer = score("deduction", {"per_item": 0.25}, max_points, {"count": low})
    assert Decimal(0) <= more <= fewer <= max_points


@given(
    ticks=st.lists(st.integers(min_value=0, max_value=5)),
    extra=st.integers(min_value=0, max_value=5),
)
def test_checklist_is_bounded_and_monotone_in_ticks(ticks, extra):
    params = {"items": list("abcdef"), "per_item": 0.1}
    fewer = score("checklist", params, Decimal("0.4"), {"ticked": ticks})
    more = score("checklist", params, Decimal("0.4"), {"ticked": [*ticks, extra]})
    assert Decimal(0) <= fewer <= more <= Decimal("0.40")


@given(
    days_a=st.integers(min_value=-60, max_value=120),
    days_b=st.integers(min_value=-60, max_value=120),
)
def test_deadline_earlier_is_never_worse(days_a, days_b):
    params = {"tiers": [["2025-01-31", 0.5], ["2025-02-28", 0.25]]}
    start = date(2025, 1, 1)
    early, late = sorted((days_a, days_b))
    early_points = score(
        "deadline", params, Decimal("0.5"), {"date": (start + timedelta(early)).isoformat()}
    )
    late_points = score(
        "deadline", params, Decimal("0.5"), {"date": (start + timedelta(late)).isoformat()}
    )
    assert Decimal("0.5") >= early_points >= late_points >= 0


@given(max_points=quarter_maxima, index=st.decimals(min_value=-1, max_value=2, places=4))
def test_survey_points_stay_within_max(max_points, index):
    assert Decimal(0) <= score("survey", {}, max_points, {"index": index}) <= max_points


@given(parts=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=30))
def test_quarter_point_leaves_add_up_exactly(parts):
    """Summing many 0.25-step leaves gives an exact total, as the council's table must."""
    total = sum(
        (
            score("manual", {"step": 0.25}, Decimal("10"), {"points": Decimal(n) / 4})
            for n, _ in parts
        ),
        Decimal(0),
    )
    assert total == sum((min(Decimal(n) / 4, Decimal(10)) for n, _ in parts), Decimal(0))


# ------------------------------------------------------------------ parameter checks


@pytest.mark.parametrize(
    ("rule", "params", "fragment"),
    [
        ("nonsense", {}, "không tồn tại"),
        ("manual", {"step": 0.3}, "không chia hết"),
        ("manual", {"step": -1}, "số dương"),
        ("ratio", {}, "proportional"),
        ("ratio", {"tiers": [[0.5, 1], [0.9, 0.5]]}, "giảm dần"),
        ("ratio", {"tiers": [[0.9, 0.5], [0.5, 1]]}, "không được tăng"),
        ("ratio", {"tiers": [[1.5, 1]]}, "0 đến 1"),
        ("ratio", {"tiers": [[1, 5]]}, "điểm tối đa"),
        ("ratio", {"mode": "proportional", "min": 2}, "“min”"),
        ("ratio", {"mode": "proportional", "parts": {"resolved": -1}}, "không âm"),
        ("checklist", {"items": [], "per_item": 0.1}, "items"),
        ("checklist", {"items": ["a"]}, "per_item"),
        ("deadline", {"tiers": [["31/01/2025", 1]]}, "yyyy-mm-dd"),
        ("deadline", {"tiers": [["2025-02-28", 0.5], ["2025-01-31", 0.25]]}, "tăng dần"),
        ("deduction", {}, "per_item"),
        ("manual", [], "đối tượng JSON"),
        ("yes_no", {"allow_na": "yes"}, "allow_na"),
        ("survey", {"source": "officials", "groups": "council_deputy"}, "“groups”"),
        ("survey", {"source": "officials", "groups": []}, "“groups”"),
        ("survey", {"source": "officials", "groups": [1]}, "“groups”"),
        ("survey", {"source": "officials", "group_question": 5}, "“group_question”"),
    ],
)
def test_bad_parameters_are_named(rule, params, fragment):
    problems = validate_params(rule, params, Decimal("1.00"))
    assert problems and any(fragment in p for p in problems), problems


@pytest.mark.parametrize(
    ("rule", "params"),
    [
        ("manual", {"step": 0.25}),
        ("yes_no", {"allow_na": True}),
        ("ratio", {"tiers": [[1.0, 1], [0.9, 0.5], [0, 0]]}),
        ("ratio", {"parts": {"resolved": 1, "handled": 0.5}, "mode": "proportional"}),
        ("checklist", {"items": ["a", "b"], "per_item": 0.5}),
        ("deadline", {"tiers": [["2025-01-31", 1], ["2025-02-28", 0.5]]}),
        ("deduction", {"per_item": 0.25}),
        ("survey", {"source": "sipas", "dimension": "overall"}),
        ("survey", {"source": "sipas", "dimension": "service/results"}),
        ("survey", {"source": "sipas", "dimension": "indicator/unofficial_payment"}),
        (
            "survey",
            {
                "source": "officials",
                "dimension": "criterion/1",
                "groups": ["council_deputy", "division_head"],
            },
        ),
        (
            "survey",
            {
                "source": "officials",
                "dimension": "criterion/5",
                "groups": ["m"],
                "group_question": "sex",
            },
        ),
        ("automatic", {"mode": "proportional", "source": "dossiers_on_time"}),
        ("bonus", {"step": 0.25}),
        ("penalty", {}),
    ],
)
def test_sound_parameters_pass(rule, params):
    assert validate_params(rule, params, Decimal("1.00")) == []
