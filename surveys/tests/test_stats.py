"""Survey statistics: Wilson intervals, SIPAS aggregation, sample size, option weights (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.stats import (
    Share,
    aggregate,
    element_index,
    likert_share,
    likert_weight,
    mean_index,
    option_weight_index,
    sample_size,
    valid_likert,
    wilson,
)

# --- Wilson ---------------------------------------------------------------------------------


def test_wilson_known_value():
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.4902, abs=5e-4)
    assert high == pytest.approx(0.9433, abs=5e-4)


def test_wilson_empty_sample_knows_nothing():
    assert wilson(0, 0) == (0.0, 1.0)


def test_wilson_extremes_touch_the_bounds():
    assert wilson(0, 50)[0] == 0.0
    assert wilson(50, 50)[1] == 1.0
    assert 0.0 < wilson(0, 50)[1] < 0.1


@pytest.mark.parametrize("successes, n", [(-1, 5), (6, 5), (0, -1)])
def test_wilson_rejects_impossible_counts(successes, n):
    with pytest.raises(ValueError):
        wilson(successes, n)


@given(
    st.integers(min_value=1, max_value=100_000).flatmap(
        lambda n: st.tuples(st.integers(0, n), st.just(n))
    )
)
def test_wilson_contains_share_within_unit_interval(counts):
    successes, n = counts
    low, high = wilson(successes, n)
    assert 0.0 <= low <= successes / n <= high <= 1.0


@given(
    st.integers(min_value=0, max_value=20).flatmap(
        lambda k: st.tuples(st.integers(0, k), st.just(k))
    ),
    st.integers(min_value=2, max_value=50),
)
def test_wilson_narrows_as_n_grows_at_fixed_share(base, factor):
    k, m = base
    if m == 0:
        return
    low1, high1 = wilson(k, m)
    low2, high2 = wilson(k * factor, m * factor)
    assert high2 - low2 < high1 - low1


# --- Share and likert_share -----------------------------------------------------------------


def test_likert_share_ignores_invalid_values_and_counts_four_and_five():
    share = likert_share([5, 4, 3, None, 0, 6, 2, 1, 4, -3, True, "5", 3.5])
    # valid: 5, 4, 3, 2, 1, 4, "5" -> 7 answers, 4 satisfied
    assert share.n == 7
    assert share.successes == 4
    assert share.share == pytest.approx(4 / 7)
    assert share.mean == pytest.approx((5 + 4 + 3 + 2 + 1 + 4 + 5) / 7)
    assert share.low < share.share < share.high


def test_likert_share_with_no_valid_answers():
    share = likert_share([None, 0, 9])
    assert share.n == 0
    assert share.share is None
    assert share.mean is None
    assert (share.low, share.high) == (0.0, 1.0)
    assert not share.reliable


def test_likert_share_custom_satisfied_set():
    assert likert_share([5, 4, 5, 3], satisfied=(5,)).successes == 2


def test_reliability_flags():
    # n < 30 is unreliable whatever the share
    assert not likert_share([5] * 29).reliable
    # n >= 30 but the interval wider than 20 points (a share near 50 %)
    wide = likert_share([5] * 20 + [1] * 20)
    assert wide.n == 40 and wide.high - wide.low > 0.20
    assert not wide.reliable
    # a large sample with a narrow interval
    narrow = likert_share([5] * 300 + [1] * 100)
    assert narrow.high - narrow.low <= 0.20
    assert narrow.reliable
    # a high share narrows quickly: 30 of 30 is reliable
    assert likert_share([5] * 30).reliable


def test_share_from_counts_matches_wilson():
    share = Share.from_counts(8, 10)
    assert (share.low, share.high) == wilson(8, 10)
    assert share.share == 0.8
    assert share.percent == pytest.approx(80.0)


# --- element and mean indexes ---------------------------------------------------------------


def test_element_index_is_mean_of_items_with_conservative_interval():
    items = [Share.from_counts(90, 100, 4.5), Share.from_counts(35, 50, 3.9), Share.empty()]
    element = element_index(items)
    assert element.share == pytest.approx((0.9 + 0.7) / 2)
    assert element.n == 50  # the smallest n among items with a share
    assert element.successes == 40  # round(0.8 * 50)
    assert (element.low, element.high) == wilson(40, 50)
    assert element.mean == pytest.approx((4.5 + 3.9) / 2)


def test_mean_index_skips_missing_and_is_empty_without_data():
    assert mean_index([]).share is None
    assert mean_index([None, Share.empty()]).n == 0
    only = mean_index([None, Share.from_counts(3, 4)])
    assert only.share == pytest.approx(0.75)


@given(
    st.lists(
        st.integers(min_value=1, max_value=500).flatmap(
            lambda n: st.tuples(st.integers(0, n), st.just(n))
        ),
        min_size=1,
        max_size=8,
    )
)
def test_mean_index_interval_contains_index(counts):
    index = mean_index([Share.from_counts(k, n) for k, n in counts])
    assert 0.0 <= index.low <= index.share <= index.high <= 1.0
    assert index.n == min(n for _, n in counts)


def test_overall_reproduces_hanoi_2024():
    service = Share.from_counts(8651, 10000)
    policy = Share.from_counts(8649, 10000)
    overall = mean_index([service, policy])
    assert round(overall.percent, 2) == 86.50


# --- aggregate ------------------------------------------------------------------------------

DIMENSIONS = {
    "s_access_1": "service/access",
    "s_access_2": "service/access",
    "s_staff_1": "service/staff",
    "p_info_1": "policy/information",
    "p_impact_1": "policy/impact",
    "p_impact_2": "policy/impact",
}


def small_responses():
    return [
        {
            "s_access_1": 5,
            "s_access_2": 4,
            "s_staff_1": 3,
            "p_info_1": 5,
            "p_impact_1": 2,
            "p_impact_2": 4,
            "age": "25-34",
        },
        {
            "s_access_1": 4,
            "s_access_2": 2,
            "s_staff_1": 5,
            "p_info_1": 1,
            "p_impact_1": 4,
            "p_impact_2": None,
        },
        {
            "s_access_1": 1,
            "s_access_2": 5,
            "s_staff_1": 4,
            "p_info_1": 4,
            "p_impact_1": 5,
            "p_impact_2": 5,
        },
        {"s_access_1": 5, "s_access_2": None, "s_staff_1": 0, "p_info_1": 3, "p_impact_1": 4},
    ]


def test_aggregate_small_set_exact_shares():
    result = aggregate(iter(small_responses()), DIMENSIONS)
    items = result["items"]
    assert set(items) == set(DIMENSIONS)
    assert (items["s_access_1"].successes, items["s_access_1"].n) == (3, 4)
    assert (items["s_access_2"].successes, items["s_access_2"].n) == (2, 3)
    assert (items["s_staff_1"].successes, items["s_staff_1"].n) == (2, 3)  # 0 is not an answer
    assert (items["p_info_1"].successes, items["p_info_1"].n) == (2, 4)
    assert (items["p_impact_1"].successes, items["p_impact_1"].n) == (3, 4)
    assert (items["p_impact_2"].successes, items["p_impact_2"].n) == (2, 2)
    assert items["s_access_1"].mean == pytest.approx((5 + 4 + 1 + 5) / 4)

    elements = result["elements"]
    assert elements["service/access"].share == pytest.approx((3 / 4 + 2 / 3) / 2)
    assert elements["service/staff"].share == pytest.approx(2 / 3)
    assert elements["policy/information"].share == pytest.approx(1 / 2)
    assert elements["policy/impact"].share == pytest.approx((3 / 4 + 1) / 2)
    assert elements["service/access"].n == 3

    parts = result["parts"]
    service = ((3 / 4 + 2 / 3) / 2 + 2 / 3) / 2
    policy = (1 / 2 + (3 / 4 + 1) / 2) / 2
    assert parts["service"].share == pytest.approx(service)
    assert parts["policy"].share == pytest.approx(policy)
    assert result["overall"].share == pytest.approx((service + policy) / 2)
    # four respondents: nothing here is reliable
    assert not any(s.reliable for s in [*items.values(), *elements.values(), *parts.values()])
    assert not result["overall"].reliable


def test_aggregate_reproduces_hanoi_2024_from_answers():
    """Service part 86.51 %, policy part 86.49 % -> overall 86.50 % (DOMAIN.md §5.2)."""
    dims = {"svc": "service/access", "pol": "policy/information"}

    def responses():  # streamed: 10,000 answers, never held in a list
        for i in range(10_000):
            yield {"svc": 5 if i < 8651 else 2, "pol": 4 if i < 8649 else 1}

    result = aggregate(responses(), dims)
    assert result["parts"]["service"].percent == pytest.approx(86.51)
    assert result["parts"]["policy"].percent == pytest.approx(86.49)
    assert round(result["overall"].percent, 2) == 86.50
    assert result["overall"].n == 10_000
    assert result["overall"].reliable


def test_aggregate_overall_is_none_when_a_part_has_no_answers():
    result = aggregate([{"svc": 5}, {"pol": None}], {"svc": "service/access", "pol": "policy/x"})
    assert result["parts"]["service"].share == 1.0
    assert result["parts"]["policy"].share is None
    assert result["overall"] is None


def test_aggregate_no_responses():
    result = aggregate([], DIMENSIONS)
    assert all(s.n == 0 for s in result["items"].values())
    assert result["overall"] is None


def test_aggregate_rejects_malformed_dimension():
    with pytest.raises(ValueError):
        aggregate([], {"q": "service"})


# --- sample size ----------------------------------------------------------------------------


def test_sample_size_known_values():
    assert sample_size(10_000) == 385
    assert sample_size(100) == 80  # exactly 80, not pushed to 81 by float error
    assert sample_size(0) == 0
    assert sample_size(-5) == 0
    assert sample_size(1) == 1
    assert sample_size(1000, margin=0.1) == 91


@given(st.integers(min_value=0, max_value=10_000_000), st.integers(min_value=0, max_value=10_000))
def test_sample_size_is_monotone_and_bounded(population, extra):
    n = sample_size(population)
    assert n <= sample_size(population + extra)
    assert 0 <= n <= max(population, 0)
    assert n <= 400  # 1 / e² bounds the sample at e = 5 %


def test_sample_size_rejects_bad_margin():
    with pytest.raises(ValueError):
        sample_size(100, margin=0)


# --- option weights (officials' survey, §5.1) -----------------------------------------------


def test_option_weight_index_default_weights():
    assert option_weight_index(["A", "B", "C", "D"]) == pytest.approx((1 + 0.6 + 0.2 + 0) / 4)
    assert option_weight_index(["a", " B ", None, "Z"]) == pytest.approx(0.8)
    assert option_weight_index([]) is None
    assert option_weight_index([None, "X"]) is None


def test_option_weight_index_item_points():
    item_max = 2.0
    points = item_max * option_weight_index(["A"] * 6 + ["B"] * 3 + ["D"])
    assert points == pytest.approx(2.0 * (6 + 1.8) / 10)


def test_option_weight_index_custom_weights_and_likert():
    assert option_weight_index(["A", "B"], weights={"A": 1.0, "B": 0.5}) == pytest.approx(0.75)
    assert option_weight_index([1, 5, 3, 9]) == pytest.approx((0 + 1 + 0.5) / 3)
    assert [likert_weight(v) for v in range(1, 6)] == [0.0, 0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize("value", ["²", "٤", "4.0", "", " ", "-1", "6"])
def test_strings_that_are_not_plain_ascii_answers_are_invalid(value):
    assert valid_likert(value) is None
