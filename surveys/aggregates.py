"""Figures of a wave per unit, counted in the database (surveys.sql_stats) and turned into shares with
their Wilson intervals by surveys.stats: one query for a unit, one query for every unit of a wave."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks.models import Node
from frameworks.survey_binding import INDICATOR, OVERALL, SIPAS_DIMENSIONS

from .models import CodeRefusal, Wave
from .sql_stats import counts, empty, figures, layout


def dimensions(wave: Wave) -> dict[str, str]:
    """The satisfaction items counted, with their "group/element". The import now refuses what
    `questionnaire.dimension_problem` names; a version stored before that rule is counted as it was
    then (any "group/element"), so figures already published do not move, except that a dimension
    with an empty group or element, which used to fail the figures, is left out."""
    return {
        q.name: q.dimension
        for q in wave.version.parsed()
        if q.type == "likert5" and q.dimension.count("/") == 1 and all(q.dimension.split("/"))
    }


DIMENSION_LABELS = {
    # SIPAS (DOMAIN.md §5.2, surveys/data/README.md): the two parts and their elements, named as the
    # framework's survey leaves name them (frameworks/survey_binding.py).
    **{k: v for k, v in SIPAS_DIMENSIONS.items() if k != OVERALL and not k.startswith(INDICATOR)},
    "policy/transparency": gettext_lazy("Công khai, minh bạch"),
    # The officials' survey: criterion/<n> is domain n of the framework (DOMAIN.md §3).
    "criterion": gettext_lazy("Các lĩnh vực cải cách hành chính"),
}
CRITERION = "criterion/"


def _domain_titles(wave: Wave) -> dict[str, str]:
    """The titles of the framework domains ("3" → "Cải cách thủ tục hành chính, …") that every
    framework of the wave's cycle agrees on (the department and commune frameworks share them)."""
    titles: dict[str, set[str]] = {}
    for code, title in Node.objects.filter(
        framework__cycle_id=wave.cycle_id, parent=None
    ).values_list("code", "title"):
        titles.setdefault(code, set()).add(title)
    return {code: found.pop() for code, found in titles.items() if len(found) == 1}


def _dimension_labels(wave: Wave, dimension_of: dict[str, str]) -> dict[str, str]:
    """A Vietnamese label for every element and part the wave's questions name; a dimension without
    one (a questionnaire's own) has none, and the page shows its code."""
    keys = dict.fromkeys(
        key
        for dimension in dimension_of.values()
        for key in (dimension.partition("/")[0], dimension)
    )
    titles = _domain_titles(wave) if any(k.startswith(CRITERION) for k in keys) else {}
    labels = {}
    for key in keys:
        if key in DIMENSION_LABELS:
            labels[key] = str(DIMENSION_LABELS[key])
        elif key.startswith(CRITERION):
            number = key.removeprefix(CRITERION)
            title = titles.get(number)
            labels[key] = (
                _("Lĩnh vực %(number)s: %(title)s") % {"number": number, "title": title}
                if title
                else _("Lĩnh vực %(number)s") % {"number": number}
            )
    return labels


def _labels(wave: Wave, dimension_of: dict[str, str]) -> dict[str, str]:
    """Labels by key: every question's (by its name) and every element's and part's (by "group/element"
    and "group"). A question name never holds a "/", so only a part could share a key with a
    question; the question keeps its label then."""
    return _dimension_labels(wave, dimension_of) | {q.name: q.label for q in wave.version.parsed()}


def _figures(unit_counts, dimension_of: dict, labels: dict, plan=None) -> dict:
    result = figures(unit_counts, dimension_of, plan)
    result["labels"] = labels
    result["n"] = unit_counts.responses
    return result


def unit_figures(wave: Wave, unit) -> dict:
    """{"items", "elements", "parts", "overall"} as stats.aggregate gives them, "labels" of the
    questions, elements and parts (`_labels`) and "n", the unit's kept responses."""
    dimension_of = dimensions(wave)
    unit_counts = counts(wave.pk, list(dimension_of), unit_id=unit.pk).get(unit.pk)
    return _figures(unit_counts or empty(dimension_of), dimension_of, _labels(wave, dimension_of))


def wave_figures(wave: Wave) -> dict[int, dict]:
    """{unit id: unit_figures(wave, unit)} for every unit with a target or a kept response in the
    wave, in one aggregation query (plus one for the targets, and one for the domain titles when the
    questionnaire has criterion/<n> dimensions); the labels dict is shared."""
    dimension_of = dimensions(wave)
    labels = _labels(wave, dimension_of)
    plan = layout(dimension_of)
    by_unit = counts(wave.pk, list(dimension_of))
    for unit_id in wave.targets.values_list("unit_id", flat=True):
        by_unit.setdefault(unit_id, empty(dimension_of))
    return {
        unit_id: _figures(unit_counts, dimension_of, labels, plan)
        for unit_id, unit_counts in by_unit.items()
    }


def code_refusals(wave: Wave) -> dict[int, dict]:
    """Refused invitation and dossier codes per unit of the wave: {"total", "sources" (devices apart)
    and a count per reason}."""
    per_reason = {
        reason: Count("id", filter=Q(reason=reason)) for reason in CodeRefusal.Reason.values
    }
    return {
        row.pop("unit_id"): row
        for row in wave.code_refusals.values("unit_id").annotate(
            total=Count("id"), sources=Count("device_hash", distinct=True), **per_reason
        )
    }


def unplaced_code_refusals(wave: Wave) -> int:
    """Codes unknown everywhere typed on the code page while the wave was open (they name no wave)."""
    return CodeRefusal.objects.filter(
        wave=None, at__gte=wave.opens_at, at__lt=wave.closes_at
    ).count()
