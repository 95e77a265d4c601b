"""A framework `survey` leaf's index in [0, 1] for a unit, from the cycle's survey waves.

`{"source": "sipas"}`: the unit's SIPAS index (share satisfied, DOMAIN.md §5.2), or one element or part
with `"dimension": "service/access"`. `{"source": "officials"}`: the officials' survey, each answer weighted
(very dissatisfied 0 … very satisfied 1, DOMAIN.md §5.1) over the items of the leaf's domain
(`criterion/<domain>`), or of `"dimension"` when the leaf names one.
"""

from decimal import Decimal

from .aggregates import dimensions
from .models import Wave
from .sql_stats import counts, empty, figures, weight_index


def _wave(cycle, source: str) -> Wave | None:
    return (
        Wave.objects.filter(cycle=cycle, version__questionnaire__code=source)
        .order_by("-opens_at")
        .first()
    )


def _four_places(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


def leaf_index(unit, cycle, node) -> Decimal | None:
    source = node.rule_params.get("source", "")
    wave = _wave(cycle, source)
    if wave is None:
        return None
    dimension_of = dimensions(wave)
    if source == "sipas":
        unit_counts = counts(wave.pk, list(dimension_of), unit_id=unit.pk).get(unit.pk)
        result = figures(unit_counts or empty(dimension_of), dimension_of)
        dimension = node.rule_params.get("dimension", "")
        share = (
            result["elements"].get(dimension) or result["parts"].get(dimension)
            if dimension
            else result["overall"]
        )
        return None if share is None or share.share is None else _four_places(share.share)
    dimension = node.rule_params.get("dimension") or f"criterion/{node.code.split('.')[0]}"
    names = [name for name, dim in dimension_of.items() if dim == dimension]
    if not names:
        return None
    unit_counts = counts(wave.pk, names, unit_id=unit.pk).get(unit.pk)
    index = weight_index(unit_counts, names) if unit_counts else None
    return None if index is None else _four_places(index)
