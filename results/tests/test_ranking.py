from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from results import ranking, uncertainty

indexes = st.lists(
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)), max_size=40
)


@given(indexes)
def test_competition_ranks_follow_the_definition(values):
    ranks = ranking.competition_ranks(values)
    for value, rank in zip(values, ranks, strict=True):
        if value is None:
            assert rank is None
        else:
            assert rank == 1 + sum(1 for other in values if other is not None and other > value)


def test_competition_ranks_example():
    values = [Decimal("90"), Decimal("85"), Decimal("85"), Decimal("70")]
    assert ranking.competition_ranks(values) == [1, 2, 2, 4]


@given(
    st.decimals(min_value=0, max_value=1000, places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2),
)
def test_index_is_rounded_half_up_to_two_places(total, maximum):
    index = ranking.index_of(total, maximum)
    assert abs(index - total * 100 / maximum) <= Decimal("0.005")
    assert index == index.quantize(Decimal("0.01"))


def test_index_without_maximum_is_none_and_half_rounds_up():
    assert ranking.index_of(Decimal("1"), Decimal("0")) is None
    assert ranking.index_of(Decimal("0.86505"), Decimal("1")) == Decimal("86.51")


@pytest.mark.parametrize(
    ("index", "band"),
    [("95", "A"), ("90", "A"), ("89.99", "B"), ("80", "B"), ("70", "C"), ("10", "D")],
)
def test_default_bands(index, band):
    assert ranking.band_of(Decimal(index)) == band


def test_bands_from_settings_are_validated():
    assert ranking.parse_bands([{"code": "X", "min": 50}, {"code": "Y", "min": 75}])[0] == (
        "Y",
        Decimal("75"),
    )
    with pytest.raises(ValueError, match="ngưỡng"):
        ranking.parse_bands([{"code": "X", "min": 150}])
    with pytest.raises(ValueError, match="không phải là số"):
        ranking.parse_bands([{"code": "X", "min": "cao"}])


def test_outstanding_progress_needs_certainty_and_a_standout_change():
    changes = {i: Decimal("1.0") + Decimal(i % 3) / 10 for i in range(20)}
    changes[99] = Decimal("9.0")
    changes[98] = Decimal("9.5")
    sure = dict.fromkeys(changes, 0.99) | {98: 0.5}
    labels = {p.unit_id: p.label for p in ranking.progress_labels(changes, {}, sure)}
    assert labels[99] == "outstanding"
    assert labels[98] == ""  # a big change that may be sampling noise
    assert all(labels[i] == "" for i in range(20))


@given(st.lists(st.floats(min_value=-50, max_value=50), min_size=1, max_size=30))
def test_robust_z_is_zero_at_the_median_and_keeps_order(values):
    scores = ranking.robust_z_scores(values)
    for a, b in zip(values, scores, strict=True):
        for c, d in zip(values, scores, strict=True):
            if a < c:
                assert b <= d


def group(n_units, survey_n, p=None):
    p = np.linspace(0.95, 0.70, n_units) if p is None else p
    return uncertainty.GroupInput(
        fixed=np.full(n_units, 70.0),
        survey_max=np.full((n_units, 1), 30.0),
        survey_p=p.reshape(-1, 1),
        survey_n=np.full((n_units, 1), survey_n),
        maximum=np.full(n_units, 100.0),
    )


@given(st.integers(min_value=2, max_value=15), st.integers(min_value=1, max_value=5000))
def test_rank_intervals_contain_the_nominal_rank_and_stay_in_range(n_units, n_answers):
    found = uncertainty.group_intervals(
        group(n_units, n_answers), np.arange(n_units), draws=200, seed=7
    )
    for u in range(n_units):
        assert 1 <= found.rank_low[u] <= u + 1 <= found.rank_high[u] <= n_units
        assert 0 <= found.p_ahead_of_next[u] <= 1 or u == n_units - 1


def test_rank_intervals_are_seeded():
    a = uncertainty.group_intervals(group(8, 50), np.arange(8), draws=300, seed=1)
    b = uncertainty.group_intervals(group(8, 50), np.arange(8), draws=300, seed=1)
    assert (a.rank_low == b.rank_low).all()
    assert np.array_equal(a.p_ahead_of_next, b.p_ahead_of_next, equal_nan=True)


def test_without_sampling_error_ranks_are_exact():
    found = uncertainty.group_intervals(group(5, 0), np.arange(5), draws=100)
    assert list(found.rank_low) == list(found.rank_high) == [1, 2, 3, 4, 5]
    assert list(found.index_sd) == [0.0] * 5


@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=5), min_size=3, max_size=3),
        min_size=1,
        max_size=12,
    )
)
def test_vectorised_ranks_are_competition_ranks_per_draw(rows):
    values = np.array(rows, dtype=float)  # (units, 3 draws), many ties
    ranks = uncertainty._ranks(values)
    for d in range(values.shape[1]):
        column = [Decimal(int(v)) for v in values[:, d]]
        assert list(ranks[:, d]) == ranking.competition_ranks(column)
