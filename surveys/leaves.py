"""A framework `survey` leaf's index in [0, 1] for a unit, from the cycle's survey waves.

A leaf names what it reads (frameworks/survey_binding.py; docs/surveys.md, "Tiêu chí khảo sát gắn với
thành phần đo"). `{"source": "sipas", "dimension": …}`: the unit's SIPAS index (share satisfied,
DOMAIN.md §5.2) with `"overall"`, one part (`"service"`) or element (`"service/results"`), or an
assessment indicator `"indicator/<question>"`: the share of the respondents who answered "none" to that
single-choice question (no harassment, no unofficial payment). `{"source": "officials"}`: the officials'
survey, each answer weighted (very dissatisfied 0 … very satisfied 1, DOMAIN.md §5.1) over the items of
`"dimension"` (`criterion/<domain>`). A leaf stored before the import required a dimension reads what it
read then: the overall SIPAS index, or the officials' items of its own domain.

A wave marked "figures from the institute" (`Wave.figures_source`) gives the institute's published
figure instead (`_published`).

`"groups": ["council_deputy", …]` counts only the answers of those respondent groups (the points of a
survey sub-criterion come from the groups mapped to it, DOMAIN.md §5.1): the responses whose answer to
the single-choice question `"group_question"` (default `respondent_group`) is one of them. A group no
one answered gives None, as a unit without responses does; so do groups that are not a list of texts
and a group question the wave's questionnaire does not have as a single choice.
"""

from decimal import Decimal

from frameworks.survey_binding import OVERALL

from .aggregates import dimensions
from .models import PublishedFigure, Response, Wave
from .sql_stats import counts, empty, figures, weight_index
from .stats import DEFAULT_OPTION_WEIGHTS, option_weight_index

GROUP_QUESTION = "respondent_group"
INDICATOR = "indicator/"
NO_PROBLEM = "none"
_UNUSABLE = object()


def _wave(cycle, source: str) -> Wave | None:
    return (
        Wave.objects.filter(cycle=cycle, version__questionnaire__code=source)
        .order_by("-opens_at")
        .first()
    )


def _four_places(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


def _single(wave: Wave, name) -> list[str] | None:
    """The values of the wave's single-choice question `name`, None when it has no such question."""
    for question in wave.version.parsed():
        if question.name == name and question.type == "single":
            return [value for value, _label in question.choices]
    return None


def _indicator(wave: Wave, unit, question: str) -> Decimal | None:
    """The share of the unit's kept responses that answered "none" to `question`, among those that
    answered it with one of its values (two counting queries, no answers read into Python)."""
    values = _single(wave, question)
    if not values or NO_PROBLEM not in values:
        return None
    answered = counts(wave.pk, [], unit_id=unit.pk, where_answer=(question, values)).get(unit.pk)
    if answered is None:
        return None
    clear = counts(wave.pk, [], unit_id=unit.pk, where_answer=(question, [NO_PROBLEM])).get(unit.pk)
    return _four_places((clear.responses if clear else 0) / answered.responses)


def _where_answer(wave: Wave, params):
    """counts()' where_answer for the leaf's "groups": None without groups, _UNUSABLE when they
    cannot be applied (not a list of texts, no such single-choice question in the wave)."""
    if "groups" not in params:
        return None
    groups = params["groups"]
    question = params.get("group_question", GROUP_QUESTION)
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        return _UNUSABLE
    if not isinstance(question, str) or _single(wave, question) is None:
        return _UNUSABLE
    return (question, groups)


def _published(wave: Wave, unit, node) -> Decimal | None:
    """A wave whose figures come from an institute: the unit's published figure for the leaf's
    dimension (the overall index when a SIPAS leaf names none, its own domain for an officials' leaf),
    never the responses' figures, not even for a dimension the institute did not publish (the leaf
    stays empty then). Published figures have no respondent groups: a leaf with groups stays empty."""
    params = node.rule_params
    if "groups" in params:
        return None
    dimension = params.get("dimension") or (
        OVERALL if params.get("source") == "sipas" else f"criterion/{node.code.split('.')[0]}"
    )
    value = (
        PublishedFigure.objects.filter(wave=wave, unit=unit, dimension=dimension)
        .values_list("value", flat=True)
        .first()
    )
    return None if value is None else _four_places(float(value))


def leaf_index(unit, cycle, node) -> Decimal | None:
    params = node.rule_params
    source = params.get("source", "")
    wave = _wave(cycle, source)
    if wave is None:
        return None
    if wave.figures_source == "institute":
        return _published(wave, unit, node)
    where_answer = _where_answer(wave, params)
    if where_answer is _UNUSABLE:
        return None
    dimension = params.get("dimension") or ""
    if not isinstance(dimension, str):
        return None
    if source == "sipas" and dimension.startswith(INDICATOR):
        if where_answer is not None:
            return None  # an indicator counts every respondent; SIPAS has no groups
        return _indicator(wave, unit, dimension.removeprefix(INDICATOR))
    dimension_of = dimensions(wave)
    if source == "sipas":
        unit_counts = counts(
            wave.pk, list(dimension_of), unit_id=unit.pk, where_answer=where_answer
        ).get(unit.pk)
        result = figures(unit_counts or empty(dimension_of), dimension_of)
        share = (
            result["elements"].get(dimension) or result["parts"].get(dimension)
            if dimension and dimension != OVERALL
            else result["overall"]
        )
        return None if share is None or share.share is None else _four_places(share.share)
    dimension = dimension or f"criterion/{node.code.split('.')[0]}"
    names = [name for name, dim in dimension_of.items() if dim == dimension]
    if not names:
        return None
    weights = wave.version.questionnaire.option_weights
    if weights:
        index = _weighted(wave, unit, names, where_answer, weights)
    else:
        # The documented default, counted in the database: equal to stats.option_weight_index with
        # DEFAULT_OPTION_WEIGHTS (5-point answers linear, tests/test_option_weights.py).
        unit_counts = counts(wave.pk, names, unit_id=unit.pk, where_answer=where_answer).get(
            unit.pk
        )
        index = weight_index(unit_counts, names) if unit_counts else None
    return None if index is None else _four_places(index)


def _weighted(wave: Wave, unit, names, where_answer, weights) -> float | None:
    """The mean option weight (stats.option_weight_index) of the unit's kept answers to `names`, with
    the questionnaire's own weights over the default (Questionnaire.option_weights): read into Python,
    an officials' wave holds some fifty responses a unit."""
    question, groups = where_answer or (None, None)
    values = []
    for answers in Response.objects.filter(wave=wave, unit=unit, excluded=False).values_list(
        "answers", flat=True
    ):
        if question is not None and answers.get(question) not in groups:
            continue
        values.extend(
            str(answers[name]) if isinstance(answers.get(name), int) else answers.get(name)
            for name in names
        )
    return option_weight_index(values, {**DEFAULT_OPTION_WEIGHTS, **weights})
