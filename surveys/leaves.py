"""A framework `survey` leaf's index in [0, 1] for a unit, from the cycle's survey waves.

`{"source": "sipas"}`: the unit's SIPAS index (share satisfied, DOMAIN.md §5.2), or one element or part
with `"dimension": "service/access"`. `{"source": "officials"}`: the officials' survey, each answer weighted
(very dissatisfied 0 … very satisfied 1, DOMAIN.md §5.1) over the items of the leaf's domain
(`criterion/<domain>`), or of `"dimension"` when the leaf names one.

`"groups": ["council_deputy", …]` counts only the answers of those respondent groups (the points of a
survey sub-criterion come from the groups mapped to it, DOMAIN.md §5.1): the responses whose answer to
the single-choice question `"group_question"` (default `respondent_group`) is one of them. A group no
one answered gives None, as a unit without responses does; so do groups that are not a list of texts
and a group question the wave's questionnaire does not have as a single choice.
"""

from decimal import Decimal

from .aggregates import dimensions
from .models import Wave
from .sql_stats import counts, empty, figures, weight_index

GROUP_QUESTION = "respondent_group"
_UNUSABLE = object()


def _wave(cycle, source: str) -> Wave | None:
    return (
        Wave.objects.filter(cycle=cycle, version__questionnaire__code=source)
        .order_by("-opens_at")
        .first()
    )


def _four_places(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


def _where_answer(wave: Wave, params):
    """counts()' where_answer for the leaf's "groups": None without groups, _UNUSABLE when they
    cannot be applied (not a list of texts, no such single-choice question in the wave)."""
    if "groups" not in params:
        return None
    groups = params["groups"]
    question = params.get("group_question", GROUP_QUESTION)
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        return _UNUSABLE
    if not isinstance(question, str) or not any(
        q.name == question and q.type == "single" for q in wave.version.parsed()
    ):
        return _UNUSABLE
    return (question, groups)


def leaf_index(unit, cycle, node) -> Decimal | None:
    params = node.rule_params
    source = params.get("source", "")
    wave = _wave(cycle, source)
    if wave is None:
        return None
    where_answer = _where_answer(wave, params)
    if where_answer is _UNUSABLE:
        return None
    dimension_of = dimensions(wave)
    if source == "sipas":
        unit_counts = counts(
            wave.pk, list(dimension_of), unit_id=unit.pk, where_answer=where_answer
        ).get(unit.pk)
        result = figures(unit_counts or empty(dimension_of), dimension_of)
        dimension = params.get("dimension", "")
        share = (
            result["elements"].get(dimension) or result["parts"].get(dimension)
            if dimension
            else result["overall"]
        )
        return None if share is None or share.share is None else _four_places(share.share)
    dimension = params.get("dimension") or f"criterion/{node.code.split('.')[0]}"
    names = [name for name, dim in dimension_of.items() if dim == dimension]
    if not names:
        return None
    unit_counts = counts(wave.pk, names, unit_id=unit.pk, where_answer=where_answer).get(unit.pk)
    index = weight_index(unit_counts, names) if unit_counts else None
    return None if index is None else _four_places(index)
