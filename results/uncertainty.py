"""Rank intervals from the survey sampling error (DOMAIN.md §8), vectorised with numpy.

The nominal result stays the official one. Here each unit's survey points (Σ max × p over its survey
leaves, each p answered by n people) are redrawn many times from their sampling distribution, the index
is recomputed linearly (fixed points + survey points*), and the units of a ranking group are re-ranked in
every draw. The 5th and
95th percentiles of a unit's ranks give its 90 % rank interval; the share of draws in which a unit
stays ahead of the next one says whether that difference is real. Seeded, so a recomputation gives the
same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_DRAWS = 1000
DEFAULT_SEED = 20250101
CHUNK = 250  # draws per block: bounds memory at units × CHUNK
LEVEL = 0.90
MEANINGFUL = 0.95


@dataclass(frozen=True)
class GroupInput:
    """A ranking group's units: fixed points, survey leaves (max points, index p, answers n), maximum."""

    fixed: np.ndarray  # (U,) points that carry no sampling error
    survey_max: np.ndarray  # (U, L) max points of each survey leaf (0 where the unit has none)
    survey_p: np.ndarray  # (U, L) observed index in [0, 1]
    survey_n: np.ndarray  # (U, L) answers behind it (0: no sampling error known)
    maximum: np.ndarray  # (U,) applicable maximum
    previous: np.ndarray | None = None  # (U,) last year's index (nan where none)


@dataclass(frozen=True)
class GroupIntervals:
    rank_low: np.ndarray  # (U,) 5th percentile rank
    rank_high: np.ndarray  # (U,) 95th percentile rank
    p_ahead_of_next: (
        np.ndarray
    )  # (U,) P(index > index of the next unit in nominal order); nan for the last
    p_gain: np.ndarray  # (U,) P(index > last year's); nan without a previous year
    index_sd: np.ndarray  # (U,) standard deviation of the drawn index


def _standard_errors(p: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Agresti–Coull standard error: never nil at 0 % or 100 %, zero where nobody answered."""
    with np.errstate(divide="ignore", invalid="ignore"):
        adjusted = (p * n + 2.0) / (n + 4.0)
        se = np.sqrt(adjusted * (1.0 - adjusted) / (n + 4.0))
    return np.where(n > 0, se, 0.0)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Competition ranks of each column's values, highest first: (U, D) → (U, D) ints (ties share
    the best rank)."""
    units, draws = values.shape
    order = np.argsort(-values, axis=0, kind="stable")
    ordered = np.take_along_axis(values, order, axis=0)
    positions = np.arange(units)[:, None]
    new_value = np.ones(values.shape, dtype=bool)
    new_value[1:] = ordered[1:] != ordered[:-1]
    first = np.maximum.accumulate(np.where(new_value, positions, 0), axis=0)
    ranks = np.empty(values.shape, dtype=np.int32)
    np.put_along_axis(ranks, order, (first + 1).astype(np.int32), axis=0)
    return ranks


def group_intervals(
    group: GroupInput,
    nominal_order: np.ndarray,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    level: float = LEVEL,
) -> GroupIntervals:
    """Rank intervals of one ranking group; `nominal_order` lists unit positions by nominal rank."""
    units = group.fixed.shape[0]
    rng = np.random.default_rng(seed)
    se = _standard_errors(group.survey_p, group.survey_n)
    ranks = np.empty((units, draws), dtype=np.int32)
    ahead = np.zeros(units)
    gains = np.zeros(units)
    sums = np.zeros(units)
    squares = np.zeros(units)
    safe_max = np.where(group.maximum > 0, group.maximum, 1.0)
    following = np.roll(nominal_order, -1)
    # The survey leaves of one unit are answered by the same respondents: their errors are taken as
    # fully correlated (conservative), so a unit's survey points move by one normal draw scaled by
    # Σ max × se, and stay within [0, Σ max].
    points_sd = (group.survey_max * se).sum(axis=1)
    survey_points = (group.survey_max * group.survey_p).sum(axis=1)
    survey_top = group.survey_max.sum(axis=1)
    for start in range(0, draws, CHUNK):
        size = min(CHUNK, draws - start)
        noise = rng.standard_normal((units, size))
        drawn = np.clip(
            survey_points[:, None] + noise * points_sd[:, None], 0.0, survey_top[:, None]
        )
        index = (group.fixed[:, None] + drawn) / safe_max[:, None] * 100.0  # (U, size)
        ranks[:, start : start + size] = _ranks(index)
        ahead[nominal_order] += (index[nominal_order] > index[following]).sum(axis=1)
        if group.previous is not None:
            gains += (index > group.previous[:, None]).sum(axis=1)
        sums += index.sum(axis=1)
        squares += (index * index).sum(axis=1)
    tail = (1.0 - level) / 2.0
    low = np.floor(np.quantile(ranks, tail, axis=1, method="lower")).astype(int)
    high = np.ceil(np.quantile(ranks, 1.0 - tail, axis=1, method="higher")).astype(int)
    p_ahead = ahead / draws
    if units:
        p_ahead[nominal_order[-1]] = np.nan
    if group.previous is not None:
        p_gain = np.where(np.isnan(group.previous), np.nan, gains / draws)
    else:
        p_gain = np.full(units, np.nan)
    mean = sums / draws
    sd = np.sqrt(np.maximum(squares / draws - mean * mean, 0.0))
    return GroupIntervals(low, high, p_ahead, p_gain, sd)
