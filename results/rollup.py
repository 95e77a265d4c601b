"""Roll-up: a lower level's published index feeds an upper level's `automatic` leaf (docs/results.md,
"Chỉ số cấp dưới lên tiêu chí cấp trên"). A department's or a commune's leaf in the city's index may read
the index that unit published for its own offices or divisions in the same year: the share rated good, or
their mean. parindex/apps.py registers `internal_measure` in assessments.automatic.SOURCES."""

from decimal import Decimal

from cycles.models import CycleState, IndexFamily

from .models import Publication

# An internal index's unit counts as good from this index (the city's band B: 80 % and up) unless the
# leaf's rule params say otherwise ({"good_from": 85}).
GOOD_FROM = Decimal("80")
SHARE = Decimal("0.0001")


def _share_good(indices: list[Decimal], params: dict) -> Decimal:
    good_from = Decimal(str(params.get("good_from", GOOD_FROM)))
    return Decimal(sum(1 for i in indices if i >= good_from)) / len(indices)


def _mean(indices: list[Decimal], params: dict) -> Decimal:
    return sum(indices, Decimal(0)) / len(indices) / 100


# The measures a leaf may name as its `source` (docs/framework-excel.md): each a share in [0, 1].
MEASURES = {
    "internal_share_good": _share_good,
    "internal_index_mean": _mean,
}


def published_internal_indices(unit, year: int) -> list[Decimal] | None:
    """The indices of the units ranked in the latest publication of the internal index `unit`
    organised in `year`; None when it has published none."""
    units = (
        Publication.objects.filter(
            cycle__organiser=unit,
            cycle__family=IndexFamily.INTERNAL,
            cycle__year=year,
            cycle__state=CycleState.PUBLISHED,
        )
        .order_by("-published_at", "-version")
        .values_list("snapshot__units", flat=True)
        .first()
    )
    if units is None:
        return None
    return [Decimal(str(u["index"])) for u in units if u.get("index") is not None]


def internal_measure(unit, cycle, node) -> Decimal | None:
    """The leaf's measure of `unit`'s published internal index of the cycle's year, or None (no such
    measure named, nothing published, or no unit ranked in it)."""
    measure = MEASURES.get(node.rule_params.get("source", ""))
    if measure is None:
        return None
    indices = published_internal_indices(unit, cycle.year)
    if not indices:
        return None
    return min(Decimal(1), measure(indices, node.rule_params)).quantize(SHARE)
