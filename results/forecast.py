"""Next year's index of each unit, with an interval: pure functions over numbers (docs/results.md,
"Dự báo"; the decision in docs/decisions.md).

The point is last year's index shrunk toward its group's mean of last year, moved by this year's
partial signal (the unit's self-assessed points so far as a share of the maximum of what it has
answered, against its group's mean share). A unit with no history (through lineage) gets its group's
figure. The interval is the point ± z × the back-test's root-mean-square error, widened while the
year's data is incomplete and doubled for a unit with no history; it is then clipped to 0–100.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .ranking import DEFAULT_BANDS, band_of

# How much of last year's distance from its group's mean a unit keeps (regression to the mean).
PERSISTENCE = 0.7
# How much of the unit's lead in self-assessed share over its group carries into the index: units
# claim more than the appraisal grants, so only part of the lead is believed.
PARTIAL_WEIGHT = 0.3
# A 90 % interval under a normal error.
Z90 = 1.645
# The spread used when no back-test is possible (no two published years): points of the index.
DEFAULT_SPREAD = 5.0
# A unit with no history: its interval is this many times wider.
NO_HISTORY_WIDENING = 2.0
# Extra width while the year's data is missing: at completeness 0 the interval is this much wider.
INCOMPLETE_WIDENING = 0.5


@dataclass(frozen=True)
class Inputs:
    """What is known of a unit. Indices and shares in percent (0–100); completeness 0–1."""

    group: str
    last: float | None = None  # last year's index, through lineage
    partial: float | None = None  # self-assessed points so far / maximum of what is answered × 100
    completeness: float = (
        0.0  # how much of this year's data is in (answered share, survey coverage)
    )


@dataclass(frozen=True)
class Forecast:
    point: float
    low: float
    high: float
    half_width: float  # before clipping to 0–100
    has_history: bool


def _clip(value: float) -> float:
    return min(100.0, max(0.0, value))


def _mean(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return math.fsum(found) / len(found) if found else None


def group_means(rows: Iterable[Inputs]) -> tuple[dict[str, float], dict[str, float]]:
    """The groups' mean of last year's index and of this year's partial share (where any unit has
    one)."""
    last, partial = defaultdict(list), defaultdict(list)
    for row in rows:
        last[row.group].append(row.last)
        partial[row.group].append(row.partial)
    return (
        {g: m for g, values in last.items() if (m := _mean(values)) is not None},
        {g: m for g, values in partial.items() if (m := _mean(values)) is not None},
    )


def forecast(
    row: Inputs,
    group_last: float | None,
    group_partial: float | None,
    spread: float,
    fallback: float,
) -> Forecast:
    """One unit's forecast. `group_last` is its group's mean of last year (`fallback`, the mean of
    every group, when the group has none); `spread` is the back-test's RMSE."""
    anchor = group_last if group_last is not None else fallback
    completeness = min(1.0, max(0.0, row.completeness))
    half = Z90 * max(spread, 0.0) * (1 + INCOMPLETE_WIDENING * (1 - completeness))
    if row.last is None:
        point = _clip(anchor)
        half *= NO_HISTORY_WIDENING
    else:
        point = anchor + PERSISTENCE * (row.last - anchor)
        if row.partial is not None and group_partial is not None:
            point += PARTIAL_WEIGHT * (row.partial - group_partial)
        point = _clip(point)
    return Forecast(
        point=round(point, 2),
        low=round(_clip(point - half), 2),
        high=round(_clip(point + half), 2),
        half_width=half,
        has_history=row.last is not None,
    )


def forecast_all(rows: Sequence[Inputs], spread: float) -> list[Forecast]:
    """Every unit's forecast, the group means taken over the same rows."""
    last, partial = group_means(rows)
    fallback = _mean(last.values())
    if fallback is None:
        fallback = _mean(partial.values()) or 0.0
    return [
        forecast(row, last.get(row.group), partial.get(row.group), spread, fallback) for row in rows
    ]


@dataclass(frozen=True)
class BacktestError:
    n: int
    mae: float
    rmse: float


def backtest(rows: Sequence[Inputs], actual: Sequence[float]) -> BacktestError | None:
    """The error of forecasting a published year from the one before (its points only): the rows are
    that year's units as they were known (last year's index, the self-assessed share), `actual` their
    published index. None when no unit had history."""
    forecasts = forecast_all(rows, spread=0.0)
    errors = [f.point - a for f, a in zip(forecasts, actual, strict=True) if f.has_history]
    if not errors:
        return None
    return BacktestError(
        n=len(errors),
        mae=round(math.fsum(abs(e) for e in errors) / len(errors), 2),
        rmse=round(math.sqrt(math.fsum(e * e for e in errors) / len(errors)), 2),
    )


RISK_BAND, RISK_FALLING = "band", "falling"


def risk(
    result: Forecast,
    last: float | None,
    bands: Sequence[tuple[str, Decimal]] = DEFAULT_BANDS,
) -> str:
    """Why a unit is at risk: its forecast falls to a lower band than last year's ("band"), or even
    the top of its interval is below last year's index ("falling"); "" otherwise, and for a unit
    with no history."""
    if last is None or not result.has_history:
        return ""
    order = [code for code, _ in bands]
    before = band_of(Decimal(str(last)), bands)
    after = band_of(Decimal(str(result.point)), bands)
    if before in order and (after not in order or order.index(after) > order.index(before)):
        return RISK_BAND
    if result.high < last:
        return RISK_FALLING
    return ""
