"""Survey aggregation with honest statistics (DOMAIN.md §5 and §8); pure Python, no Django.

SIPAS (§5.2, the configurable default):

* per item, the share of answers 4–5 among valid answers (1..5);
* an element index = mean of its items' shares;
* the service part and the policy part = mean of their elements;
* overall = mean of the two parts (Hà Nội 2024: 86.51 % and 86.49 % → 86.50 %).

Every figure carries n and a 95 % Wilson interval, and is flagged unreliable when n < 30 or the
interval is wider than 20 points (§8).

The officials' survey (§5.1) default rule: options weigh A = 100 %, B = 60 %, C = 20 %, D = 0 %
and item points = item maximum × mean option weight (`option_weight_index`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

Z95 = 1.959964
"""Two-sided 95 % normal quantile."""

MIN_RELIABLE_N = 30
MAX_RELIABLE_WIDTH = 0.20
LIKERT_MIN, LIKERT_MAX = 1, 5
SATISFIED = (4, 5)
DEFAULT_OPTION_WEIGHTS: Mapping[str, float] = {"A": 1.0, "B": 0.6, "C": 0.2, "D": 0.0}

_EPS = 1e-12


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for the proportion successes / n, clipped to [0, 1].

    With no observations nothing is known: (0.0, 1.0). The bound at an observed 0 % (or 100 %) is
    exactly 0.0 (or 1.0), so the interval always contains the observed share.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = (z / denom) * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    low = 0.0 if successes == 0 else max(0.0, min(p, centre - half))
    high = 1.0 if successes == n else min(1.0, max(p, centre + half))
    return (low, high)


def _is_reliable(n: int, low: float, high: float) -> bool:
    return n >= MIN_RELIABLE_N and (high - low) <= MAX_RELIABLE_WIDTH + _EPS


@dataclass(frozen=True)
class Share:
    """A share with its sample: n valid answers, of which `successes` count.

    `share` is None when n == 0; (low, high) is the 95 % Wilson interval; `mean` is the mean of
    the valid answers (None when there are none); `reliable` is n >= 30 and an interval no wider
    than 20 points.
    """

    n: int
    successes: int
    share: float | None
    low: float
    high: float
    mean: float | None
    reliable: bool

    @classmethod
    def from_counts(cls, successes: int, n: int, mean: float | None = None) -> Share:
        low, high = wilson(successes, n)
        return cls(
            n=n,
            successes=successes,
            share=successes / n if n else None,
            low=low,
            high=high,
            mean=mean if n else None,
            reliable=_is_reliable(n, low, high),
        )

    @classmethod
    def empty(cls) -> Share:
        return cls.from_counts(0, 0)

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def percent(self) -> float | None:
        """The share in percent (None when there is no share)."""
        return None if self.share is None else 100.0 * self.share


def valid_likert(value: object) -> int | None:
    """The answer as an integer 1..5, or None when it is missing or out of range.

    Accepts ints, integral floats and digit strings ("4", as form data comes); booleans are not
    answers.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit()):  # "²" and "٤" are not answers
            return None
        value = int(value)
    elif isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    elif not isinstance(value, int):
        return None
    return value if LIKERT_MIN <= value <= LIKERT_MAX else None


class _Counter:
    """Running counts for one 5-point question: valid answers, satisfied answers, sum."""

    __slots__ = ("n", "successes", "total", "satisfied")

    def __init__(self, satisfied: Iterable[int] = SATISFIED) -> None:
        self.n = 0
        self.successes = 0
        self.total = 0
        self.satisfied = frozenset(satisfied)

    def add(self, value: object) -> None:
        v = valid_likert(value)
        if v is None:
            return
        self.n += 1
        self.total += v
        if v in self.satisfied:
            self.successes += 1

    def share(self) -> Share:
        return Share.from_counts(self.successes, self.n, self.total / self.n if self.n else None)


def likert_share(values: Iterable[int | None], satisfied: Iterable[int] = SATISFIED) -> Share:
    """The share of answers in `satisfied` (4–5) among valid answers (1..5).

    None and out-of-range answers are ignored; `mean` is the mean of the valid answers.
    """
    counter = _Counter(satisfied)
    for value in values:
        counter.add(value)
    return counter.share()


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def mean_index(shares: Iterable[Share | None]) -> Share:
    """The mean of the shares that have one (None shares and shares with n == 0 are skipped).

    Used for an element (mean of its items), a part (mean of its elements) and the overall index
    (mean of the parts). `share` is the exact mean and `mean` the mean of the components' means
    (the average answer, when the components carry one).

    The interval is a conservative approximation, since the components are answered by
    overlapping, correlated samples whose joint distribution is not kept: the index is treated
    as a single proportion with n = the smallest n among its components and
    successes = round(index × n) (half up), and given that proportion's Wilson interval (widened
    if need be to contain the index itself). Using the smallest n never claims more precision
    than the least-answered component has, and `reliable` follows from that n and interval.
    With no component that has a share the result is an empty Share (n = 0, share None).
    """
    used = [s for s in shares if s is not None and s.share is not None and s.n > 0]
    if not used:
        return Share.empty()
    index = math.fsum(s.share for s in used) / len(used)  # type: ignore[misc]
    n = min(s.n for s in used)
    successes = min(n, max(0, math.floor(index * n + 0.5)))
    low, high = wilson(successes, n)
    low, high = min(low, index), max(high, index)
    return Share(
        n=n,
        successes=successes,
        share=index,
        low=low,
        high=high,
        mean=_mean([s.mean for s in used if s.mean is not None]),
        reliable=_is_reliable(n, low, high),
    )


def element_index(item_shares: list[Share]) -> Share:
    """An element index = mean of its items' shares; see `mean_index` for n and the interval."""
    return mean_index(item_shares)


def _split_dimension(dimension: str) -> tuple[str, str]:
    group, sep, element = dimension.partition("/")
    if not sep or not group or not element:
        raise ValueError(f"dimension must read 'group/element', got {dimension!r}")
    return group, element


def aggregate(
    responses: Iterable[Mapping[str, object]],
    dimension_of: Mapping[str, str],
    satisfied: Iterable[int] = SATISFIED,
) -> dict:
    """Aggregate 5-point answers into items, elements, parts and the overall index.

    `responses` are answer dicts {question name: value}, read once as a stream (only counters per
    question are kept, so memory does not grow with the number of responses); `dimension_of`
    maps each 5-point question to "group/element" (e.g. "service/access"); other questions are
    ignored.

    Returns {"items": {name: Share}, "elements": {"group/element": Share},
    "parts": {group: Share}, "overall": Share | None}. Every item, element and part of the
    mapping is present (with n == 0 when nobody answered). The overall index is the mean of the
    parts, and None when some part of the mapping has no share: an overall figure without one of
    its parts would not be the index.
    """
    satisfied = tuple(satisfied)
    groups: dict[str, dict[str, list[str]]] = {}
    for name, dimension in dimension_of.items():
        group, element = _split_dimension(dimension)
        groups.setdefault(group, {}).setdefault(f"{group}/{element}", []).append(name)

    counters = {name: _Counter(satisfied) for name in dimension_of}
    for response in responses:
        if not response:
            continue
        for name, value in response.items():
            counter = counters.get(name)
            if counter is not None:
                counter.add(value)

    items = {name: counter.share() for name, counter in counters.items()}
    elements: dict[str, Share] = {}
    parts: dict[str, Share] = {}
    for group, group_elements in groups.items():
        for key, names in group_elements.items():
            elements[key] = element_index([items[name] for name in names])
        parts[group] = mean_index([elements[key] for key in group_elements])

    overall: Share | None = None
    if parts and all(part.share is not None for part in parts.values()):
        overall = mean_index(list(parts.values()))
    return {"items": items, "elements": elements, "parts": parts, "overall": overall}


def sample_size(population: int, margin: float = 0.05) -> int:
    """Slovin's sample size n = N / (1 + N·e²), rounded up; 0 when N <= 0.

    Computed in exact fractions of the margin as written (0.05 is 1/20), so that a whole result
    is not pushed up by a float rounding error.
    """
    if population <= 0:
        return 0
    if not 0 < margin < 1:
        raise ValueError(f"margin must lie in (0, 1), got {margin}")
    e = Fraction(repr(float(margin)))
    n = Fraction(population) / (1 + population * e * e)
    return math.ceil(n)


def likert_weight(value: int) -> float:
    """A 5-point answer as a weight: 1 → 0.0, 2 → 0.25, … 5 → 1.0."""
    return (value - 1) / 4


def option_weight(
    value: object, weights: Mapping[str, float] = DEFAULT_OPTION_WEIGHTS
) -> float | None:
    """The weight of one answer: an option letter (case and spaces ignored) or a 5-point answer.

    None when the answer is missing or is neither a known option nor a valid 5-point answer.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        key = value.strip()
        if key in weights:
            return float(weights[key])
        if key.upper() in weights:
            return float(weights[key.upper()])
    v = valid_likert(value)
    return None if v is None else likert_weight(v)


def option_weight_index(
    values: Iterable[object], weights: Mapping[str, float] = DEFAULT_OPTION_WEIGHTS
) -> float | None:
    """The mean option weight of the valid answers (§5.1 default: A 1.0, B 0.6, C 0.2, D 0.0).

    Item points = item maximum × this index. Option letters take their weight from `weights`;
    5-point answers 1..5 map linearly through `likert_weight`. Invalid answers are ignored;
    None when no answer is valid.
    """
    total = 0.0
    n = 0
    for value in values:
        w = option_weight(value, weights)
        if w is not None:
            total += w
            n += 1
    return total / n if n else None
