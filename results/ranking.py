"""Ranks, bands and progress: pure functions over numbers, no Django but gettext for the two messages
about a cycle's bands (DOMAIN.md §3, §6, §8)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

TWO_PLACES = Decimal("0.01")

# The national index's bands (DOMAIN.md §3); a cycle may configure its own.
DEFAULT_BANDS: tuple[tuple[str, Decimal], ...] = (
    ("A", Decimal("90")),
    ("B", Decimal("80")),
    ("C", Decimal("70")),
    ("D", Decimal("0")),
)


def index_of(total: Decimal, maximum: Decimal) -> Decimal | None:
    """Index = total / applicable maximum × 100, rounded half up to 2 decimals (None without a maximum)."""
    if maximum <= 0:
        return None
    return (Decimal(total) * 100 / Decimal(maximum)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def competition_ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """Standard competition ranking, highest first: equal value, equal rank (1, 2, 2, 4).

    A missing value (None) gets no rank and does not push others down.
    """
    ranked = sorted((v for v in values if v is not None), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ranked, start=1):
        first_position.setdefault(value, position)
    return [None if v is None else first_position[v] for v in values]


def parse_bands(config: Sequence[Mapping] | None) -> tuple[tuple[str, Decimal], ...]:
    """Bands from a cycle's setting [{"code": "A", "min": 90}, …], highest threshold first."""
    if not config:
        return DEFAULT_BANDS
    bands = []
    for entry in config:
        code = str(entry.get("code", "")).strip()
        try:
            minimum = Decimal(str(entry.get("min")))
        except ArithmeticError as exc:
            raise ValueError(
                gettext("Ngưỡng của xếp loại “%(code)s” không phải là số.") % {"code": code}
            ) from exc
        if not code or not 0 <= minimum <= 100:
            raise ValueError(gettext("Mỗi xếp loại cần một mã và một ngưỡng từ 0 đến 100."))
        bands.append((code, minimum))
    return tuple(sorted(bands, key=lambda band: band[1], reverse=True))


def band_of(index: Decimal | None, bands: Sequence[tuple[str, Decimal]] = DEFAULT_BANDS) -> str:
    """The first band whose threshold the index reaches ("" when none does or there is no index)."""
    if index is None:
        return ""
    for code, minimum in bands:
        if index >= minimum:
            return code
    return ""


@dataclass(frozen=True)
class Progress:
    unit_id: int
    change: Decimal
    rank_change: int | None
    robust_z: float
    label: str  # "outstanding", "notable" or ""


def robust_z_scores(changes: Sequence[float]) -> list[float]:
    """How far each change stands out: (x − median) / (1.4826 × MAD); 0 when the spread is nil."""
    if not changes:
        return []
    median = statistics.median(changes)
    mad = statistics.median(abs(x - median) for x in changes)
    scale = 1.4826 * mad
    if scale == 0:
        return [0.0 for _ in changes]
    return [(x - median) / scale for x in changes]


def progress_labels(
    changes: Mapping[int, Decimal],
    rank_changes: Mapping[int, int | None],
    p_positive: Mapping[int, float],
    *,
    outstanding_z: float = 3.0,
    notable_z: float = 2.0,
    min_probability: float = 0.95,
) -> list[Progress]:
    """Units' progress, largest gain first (DOMAIN.md §8).

    A change is "outstanding" when it is very likely above zero (P(Δ > 0) ≥ 0.95) and stands out
    from the other units' changes (robust z > 3); "notable" above 2 with the same certainty.
    """
    ids = list(changes)
    scores = robust_z_scores([float(changes[i]) for i in ids])
    result = []
    for unit_id, z in zip(ids, scores, strict=True):
        sure = p_positive.get(unit_id, 1.0 if changes[unit_id] > 0 else 0.0) >= min_probability
        label = ""
        if sure and changes[unit_id] > 0:
            if z > outstanding_z:
                label = "outstanding"
            elif z > notable_z:
                label = "notable"
        result.append(
            Progress(unit_id, changes[unit_id], rank_changes.get(unit_id), round(z, 2), label)
        )
    result.sort(key=lambda p: (-p.change, -(p.rank_change or 0)))
    return result
