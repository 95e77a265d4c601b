"""SIPAS of a published year for the public (API, site, open data, reports) and against the plan's
target (docs/surveys.md, "Chỉ số SIPAS"; docs/public.md).

A year's SIPAS is public once one of the city's cycles of that year is published (a publication exists
and the cycle is in the published state, as for the results): only the SIPAS waves of those cycles
count. Before, nothing is shown and the API answers 404 as for a year that does not exist. The figures
are computed (surveys.sipas_index) from the counts each cycle's latest publication froze (decision 41):
a response excluded after publication changes nothing public until a correction is published. A
publication made before the counts were kept is counted from the live responses."""

from __future__ import annotations

from decimal import Decimal

from cycles.models import Cycle, CycleState, IndexFamily
from plans.models import Target
from surveys.sipas_index import SERVICE_ELEMENTS, SipasYear, sipas_waves, year_index
from surveys.stats import Share

from .models import Publication

TARGET_WORD = "SIPAS"


def published_cycles(year: int) -> list[Cycle]:
    """The city's cycles of `year` that are published (organiser none)."""
    published = Publication.objects.filter(
        cycle__year=year, cycle__organiser=None, cycle__state=CycleState.PUBLISHED
    ).values_list("cycle_id", flat=True)
    return list(Cycle.objects.filter(pk__in=set(published)).order_by("key"))


def published_sipas(year: int) -> SipasYear | None:
    """The year's SIPAS when it is public and has responses; None otherwise."""
    cycles = published_cycles(year)
    if not cycles:
        return None
    frozen = {}
    for cycle in cycles:
        latest = cycle.publications.order_by("-version").first()
        if latest is not None and "sipas_counts" in latest.snapshot:
            # None: the cycle had no SIPAS wave when published, and a wave added since is not public.
            frozen[cycle.pk] = latest.snapshot["sipas_counts"] or {"units": []}
    sipas = year_index(year, cycles, frozen)
    return None if sipas.empty else sipas


def has_sipas(year: int) -> bool:
    """Whether a published city cycle of `year` has a SIPAS wave (the public page's link)."""
    cycles = published_cycles(year)
    return bool(cycles) and bool(sipas_waves(cycles))


def published_years() -> list[int]:
    """Years with a published city cycle, newest first (whether or not they ran SIPAS)."""
    return sorted(
        set(
            Publication.objects.filter(
                cycle__organiser=None, cycle__state=CycleState.PUBLISHED
            ).values_list("cycle__year", flat=True)
        ),
        reverse=True,
    )


def plan_target(year: int) -> Target | None:
    """The plan's SIPAS target of `year` ("Chỉ số SIPAS của Thành phố", 85 %), found by its metric or
    text naming SIPAS and carrying a value; None when the year's plan has none."""
    for target in Target.objects.filter(plan__year=year, target_value__isnull=False):
        if TARGET_WORD in target.metric.upper() or TARGET_WORD in target.text.upper():
            return target
    return None


def tracking(sipas: SipasYear) -> dict | None:
    """{"target" (percent), "actual" (percent), "met", "low_met" (the interval's lower bound meets
    it too), "text"} against the plan's target; None without a target or a city index."""
    target = plan_target(sipas.year)
    index = sipas.city["index"]
    if target is None or index is None or index.share is None:
        return None
    value = Decimal(target.target_value)
    actual = Decimal(str(round(index.percent, 2)))
    return {
        "target": value,
        "actual": actual,
        "met": actual >= value,
        "low_met": Decimal(str(round(100 * index.low, 2))) >= value,
        "text": target.text,
    }


def figure(share: Share | None, code: str = "", name: str = "") -> dict | None:
    """A share as the API and the open data give it: percent, interval, n, reliable."""
    if share is None:
        return None
    percent = None if share.share is None else round(100 * share.share, 2)
    return {
        "code": code,
        "name": name,
        "value": percent,
        "low": round(100 * share.low, 2),
        "high": round(100 * share.high, 2),
        "n": share.n,
        "reliable": share.reliable,
    }


def _named(shares: dict[str, Share], labels: dict[str, str], keys=None) -> list[dict]:
    keys = keys if keys is not None else list(shares)
    return [figure(shares[k], k, labels.get(k, k)) for k in keys if k in shares]


def _block(figures: dict, labels: dict[str, str]) -> dict:
    elements = figures["elements"]
    return {
        "index": figure(figures["index"], "overall", labels.get("overall", "")),
        "parts": _named(figures["parts"], labels),
        "elements": _named(elements, labels, [k for k in SERVICE_ELEMENTS if k in elements]),
        "policy_elements": _named(
            elements, labels, [k for k in elements if not k.startswith("service/")]
        ),
        "expectations": _named(figures["expectations"], labels),
        "indicators": _named(figures["indicators"], labels),
        "n": figures["n"],
    }


def as_data(sipas: SipasYear) -> dict:
    """The year's SIPAS as plain data (the API's body, the open data's JSON)."""
    labels = sipas.plan.labels
    families = []
    for family, figures in sipas.families.items():
        block = _block(figures, labels)
        block.update(
            family=family,
            family_name=str(IndexFamily(family).label),
            units=figures["units"],
            effective_n=round(figures["n_eff"], 1),
        )
        families.append(block)
    units = []
    for row in sipas.units:
        weight = row["weight"]
        block = _block(row["figures"], labels)
        block.update(
            code=row["unit"].code,
            name=row["unit"].name,
            family=row["family"],
            population=None if weight is None else round(weight.population),
            population_assumed=bool(weight and weight.assumed),
            weight=None if weight is None else round(weight.weight, 4),
        )
        units.append(block)
    city = _block(sipas.city, labels)
    track = tracking(sipas)
    return {
        "year": sipas.year,
        "cycles": [c.key for c in sipas.cycles],
        **city,
        "effective_n": round(sipas.city["n_eff"], 1),
        "target": None
        if track is None
        else {
            "value": float(track["target"]),
            "met": track["met"],
            "text": track["text"],
        },
        "families": families,
        "units": units,
    }
