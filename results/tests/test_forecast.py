"""The forecast's invariants (results/forecast.py)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results import forecast
from results.forecast import Inputs

index = st.floats(min_value=0, max_value=100, allow_nan=False)
maybe_index = st.none() | index
spread = st.floats(min_value=0, max_value=30, allow_nan=False)
row = st.builds(
    Inputs,
    group=st.sampled_from(["Khối sở", "Khối xã, phường"]),
    last=maybe_index,
    partial=maybe_index,
    completeness=st.floats(min_value=0, max_value=1, allow_nan=False),
)


@given(st.lists(row, min_size=1, max_size=30), spread)
def test_interval_contains_the_point_and_stays_within_0_and_100(rows, spread):
    for result in forecast.forecast_all(rows, spread):
        assert 0 <= result.low <= result.point <= result.high <= 100


@given(st.lists(row, min_size=1, max_size=30), index, maybe_index, spread)
def test_a_unit_with_no_history_gets_its_groups_figure_with_a_wider_interval(
    others, last, partial, spread
):
    group = others[0].group
    known = Inputs(group=group, last=last, partial=partial, completeness=0.5)
    new = Inputs(group=group, last=None, partial=partial, completeness=0.5)
    rows = [*others, known, new]
    results = forecast.forecast_all(rows, spread)
    group_last, _ = forecast.group_means(rows)
    assert results[-1].point == pytest.approx(group_last[group], abs=0.01)
    assert not results[-1].has_history
    if spread > 0:
        assert results[-1].half_width > results[-2].half_width


@given(spread, st.floats(min_value=0, max_value=0.99))
def test_the_interval_narrows_as_the_years_data_comes_in(spread, completeness):
    less = Inputs(group="g", last=80, completeness=completeness)
    more = Inputs(group="g", last=80, completeness=1.0)
    wide, narrow = forecast.forecast_all([less, more], spread)
    assert narrow.half_width <= wide.half_width


def test_a_unit_ahead_of_its_group_stays_ahead_but_closer_to_the_mean():
    rows = [Inputs("g", last=90), Inputs("g", last=70)]
    high, low = forecast.forecast_all(rows, spread=4)
    assert 80 < high.point < 90 and 70 < low.point < 80
    assert high.low == pytest.approx(high.point - forecast.Z90 * 4 * 1.5, abs=0.01)


def test_a_self_assessment_ahead_of_the_group_lifts_the_forecast():
    rows = [Inputs("g", last=80, partial=95), Inputs("g", last=80, partial=75)]
    ahead, behind = forecast.forecast_all(rows, spread=0)
    assert ahead.point == pytest.approx(80 + forecast.PARTIAL_WEIGHT * 10)
    assert behind.point == pytest.approx(80 - forecast.PARTIAL_WEIGHT * 10)


def test_backtest_measures_the_error_of_the_points_of_units_with_history():
    rows = [Inputs("g", last=90), Inputs("g", last=70), Inputs("g", last=None)]
    error = forecast.backtest(rows, [90, 70, 10])
    # Forecasts 87 and 73: errors 3 and 3; the unit with no history is not counted.
    assert error.n == 2
    assert error.mae == pytest.approx(3)
    assert error.rmse == pytest.approx(3)
    assert forecast.backtest([Inputs("g")], [50]) is None


@pytest.mark.parametrize(
    ("last", "point", "high", "expected"),
    [
        (91, 89, 93, forecast.RISK_BAND),  # A to B
        (88, 84, 86, forecast.RISK_FALLING),  # still B, but surely lower
        (88, 86, 90, ""),
        (None, 50, 60, ""),
    ],
)
def test_risk(last, point, high, expected):
    result = forecast.Forecast(point, point - 2, high, 2, last is not None)
    assert forecast.risk(result, last) == expected


def test_the_interval_uses_the_spread():
    (result,) = forecast.forecast_all([Inputs("g", last=50, completeness=1)], spread=10)
    assert result.half_width == pytest.approx(forecast.Z90 * 10)
    assert math.isclose(result.high - result.low, 2 * forecast.Z90 * 10, abs_tol=0.02)
