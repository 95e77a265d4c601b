"""SIPAS as an index (DOMAIN.md §5.2): the per-unit figures combined into a family's and the city's,
weighted by the sampling design. Pure Python, no Django; `surveys.sipas_index` reads the database.

Every unit is a stratum: its population is N, the dossiers it handled in the period
(`WaveTarget.dossiers`), and n of them answered (its kept responses). Each response of the unit stands
for **w = N / n** dossiers. For one question and a set of units the weighted share is

    p = Σ_u w_u · x_u / Σ_u w_u · m_u

where m_u is the unit's valid answers to the question and x_u those that count (4–5, or the indicator's
value): the share of the population of dossiers, not of the responses. Its interval is the Wilson
interval at Kish's effective sample size n_eff = (Σ w_u m_u)² / Σ w_u² m_u (equal weights give back
n_eff = Σ m_u). Elements, parts and the overall index are then made from the weighted item shares by
the same rule as for a unit (`stats.mean_index`: mean of items, mean of elements, mean of the parts).

A unit with no dossier count takes the median N of the units that have one (all weights 1 when none
has: the pooled, unweighted figure); its row says the population was assumed.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .sql_stats import ItemCounts, layout
from .stats import Share, _is_reliable, mean_index, wilson


@dataclass
class UnitInput:
    """One unit's counts for the year: `items` are the satisfaction questions (answers 4–5 count),
    `expectations` the expectation questions (answers 3–4 count), `indicators` the assessment
    indicators (keys as in INDICATOR_LABELS); `population` is N (None when unknown)."""

    unit_id: int
    family: str
    responses: int
    population: int | None = None
    items: dict[str, ItemCounts] = field(default_factory=dict)
    expectations: dict[str, ItemCounts] = field(default_factory=dict)
    indicators: dict[str, ItemCounts] = field(default_factory=dict)


@dataclass(frozen=True)
class Weight:
    """The design weight of a unit: population N (assumed when the dossiers were not counted),
    responses n, w = N / n."""

    population: float
    responses: int
    weight: float
    assumed: bool


def weights(units: Sequence[UnitInput]) -> dict[int, Weight]:
    """{unit id: Weight} for the units with at least one response (see the module's rule)."""
    known = [u.population for u in units if u.population and u.responses]
    fallback = statistics.median(known) if known else None
    result = {}
    for unit in units:
        if not unit.responses:
            continue
        assumed = not unit.population
        population = float(unit.population) if not assumed else fallback
        if population is None:  # no unit has a count: every response weighs 1
            population = float(unit.responses)
        result[unit.unit_id] = Weight(
            population, unit.responses, population / unit.responses, assumed
        )
    return result


def weighted_share(parts: Iterable[tuple[float, ItemCounts]]) -> Share:
    """The weighted share of (weight, counts) pairs with its Wilson interval at n_eff.

    `n` of the Share is n_eff rounded (at least 1), `successes` the share of it rounded, both for
    display; the interval is Wilson's at the exact share and the unrounded n_eff (rounding first made
    it jump when p·n_eff fell on a half), widened if need be to contain the share itself."""
    x = m = m2 = total = 0.0
    for w, c in parts:
        if w <= 0 or c.n <= 0:
            continue
        x += w * c.successes
        m += w * c.n
        m2 += w * w * c.n
        total += w * c.total
    if m <= 0:
        return Share.empty()
    p = min(1.0, max(0.0, x / m))
    n_eff = m * m / m2
    n = max(1, math.floor(n_eff + 0.5))
    successes = min(n, max(0, math.floor(p * n + 0.5)))
    low, high = wilson(min(n_eff, p * n_eff), n_eff)
    low, high = min(low, p), max(high, p)
    return Share(
        n=n,
        successes=successes,
        share=p,
        low=low,
        high=high,
        mean=total / m,
        reliable=_is_reliable(n, low, high),
    )


def effective_n(parts: Iterable[tuple[float, int]]) -> float:
    """Kish's effective sample size of (weight, count) pairs: (Σ w m)² / Σ w² m."""
    s1 = s2 = 0.0
    for w, m in parts:
        s1 += w * m
        s2 += w * w * m
    return s1 * s1 / s2 if s2 else 0.0


def rollup(items: Mapping[str, Share], dimension_of: Mapping[str, str], plan=None) -> dict:
    """Elements, parts and the overall index from item shares, by the rule of `stats.aggregate`:
    {"elements", "parts", "index" (None unless every part has a share)}."""
    elements: dict[str, Share] = {}
    parts: dict[str, Share] = {}
    for group, group_elements in plan if plan is not None else layout(dimension_of):
        for key, names in group_elements:
            elements[key] = mean_index([items.get(name) for name in names])
        parts[group] = mean_index([elements[key] for key, _ in group_elements])
    index = None
    if parts and all(part.share is not None for part in parts.values()):
        index = mean_index(list(parts.values()))
    return {"elements": elements, "parts": parts, "index": index}


def figures(
    units: Sequence[UnitInput],
    weight_of: Mapping[int, Weight],
    dimension_of: Mapping[str, str],
    expectations: Sequence[str] = (),
    indicators: Sequence[str] = (),
    plan=None,
) -> dict:
    """The weighted figures of a set of units: {"index", "parts", "elements", "items",
    "expectations", "indicators", "n" (responses), "n_eff" (of the responses), "units",
    "population"}."""
    used = [u for u in units if u.unit_id in weight_of]
    nothing = ItemCounts()

    def share(attr: str, name: str) -> Share:
        return weighted_share(
            (weight_of[u.unit_id].weight, getattr(u, attr).get(name, nothing)) for u in used
        )

    items = {name: share("items", name) for name in dimension_of}
    result = rollup(items, dimension_of, plan)
    result["items"] = items
    result["expectations"] = {name: share("expectations", name) for name in expectations}
    result["indicators"] = {key: share("indicators", key) for key in indicators}
    result["n"] = sum(u.responses for u in used)
    result["n_eff"] = effective_n((weight_of[u.unit_id].weight, u.responses) for u in used)
    result["units"] = len(used)
    result["population"] = math.fsum(weight_of[u.unit_id].population for u in used)
    return result


@dataclass(frozen=True, slots=True)
class _ItemShare:
    """What `mean_index` reads of an item (share, n, mean): a unit's items are not published one by
    one, so their Wilson intervals are not computed (a third of the work for 4,000 units)."""

    n: int
    share: float | None
    mean: float | None


def _item(counts: ItemCounts) -> _ItemShare:
    if not counts.n:
        return _ItemShare(0, None, None)
    return _ItemShare(counts.n, counts.successes / counts.n, counts.total / counts.n)


def unit_figures(
    unit: UnitInput,
    dimension_of: Mapping[str, str],
    expectations: Sequence[str] = (),
    indicators: Sequence[str] = (),
    plan=None,
) -> dict:
    """One unit's figures, unweighted (every response of a unit weighs the same): the index, parts
    and elements as `sql_stats.figures` gives them (its items are left out), the expectations and
    indicators, and n."""
    nothing = ItemCounts()
    items = {name: _item(unit.items.get(name, nothing)) for name in dimension_of}
    result = rollup(items, dimension_of, plan)
    result["expectations"] = {
        name: unit.expectations.get(name, ItemCounts()).share() for name in expectations
    }
    result["indicators"] = {
        key: unit.indicators.get(key, ItemCounts()).share() for key in indicators
    }
    result["n"] = unit.responses
    return result


def merge(a: ItemCounts, b: ItemCounts) -> ItemCounts:
    return ItemCounts(a.n + b.n, a.successes + b.successes, a.total + b.total)
