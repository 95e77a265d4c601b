"""A framework `survey` leaf's index in [0, 1] for a unit, from the cycle's survey waves.

`{"source": "sipas"}`: the unit's SIPAS index (share satisfied, DOMAIN.md §5.2), or one element or part
with `"dimension": "service/access"`. `{"source": "officials"}`: the officials' survey, each answer weighted
(very dissatisfied 0 … very satisfied 1, DOMAIN.md §5.1) over the items of the leaf's domain
(`criterion/<domain>`), or of `"dimension"` when the leaf names one.
"""

from decimal import Decimal

from .aggregates import dimensions
from .models import Wave
from .stats import aggregate, likert_weight, valid_likert


def _wave(cycle, source: str) -> Wave | None:
    return (
        Wave.objects.filter(cycle=cycle, version__questionnaire__code=source)
        .order_by("-opens_at")
        .first()
    )


def leaf_index(unit, cycle, node) -> Decimal | None:
    source = node.rule_params.get("source", "")
    wave = _wave(cycle, source)
    if wave is None:
        return None
    answers = wave.responses.filter(unit=unit, excluded=False).values_list("answers", flat=True)
    if source == "sipas":
        result = aggregate(answers.iterator(chunk_size=2000), dimensions(wave))
        dimension = node.rule_params.get("dimension", "")
        share = (
            result["elements"].get(dimension) or result["parts"].get(dimension)
            if dimension
            else result["overall"]
        )
        return None if share is None or share.share is None else Decimal(str(round(share.share, 4)))
    dimension = node.rule_params.get("dimension") or f"criterion/{node.code.split('.')[0]}"
    names = [name for name, dim in dimensions(wave).items() if dim == dimension]
    weights = [
        likert_weight(value)
        for response in answers.iterator(chunk_size=2000)
        for name in names
        if (value := valid_likert(response.get(name))) is not None
    ]
    return Decimal(str(round(sum(weights) / len(weights), 4))) if weights else None
