"""Figures of a wave per unit, counted in the database (surveys.sql_stats) and turned into shares with
their Wilson intervals by surveys.stats: one query for a unit, one query for every unit of a wave."""

from django.db.models import Count, Q

from .models import CodeRefusal, Wave
from .sql_stats import counts, empty, figures, layout


def dimensions(wave: Wave) -> dict[str, str]:
    return {
        q.name: q.dimension
        for q in wave.version.parsed()
        if q.type == "likert5" and q.dimension.count("/") == 1
    }


def _labels(wave: Wave) -> dict[str, str]:
    return {q.name: q.label for q in wave.version.parsed()}


def _figures(unit_counts, dimension_of: dict, labels: dict, plan=None) -> dict:
    result = figures(unit_counts, dimension_of, plan)
    result["labels"] = labels
    result["n"] = unit_counts.responses
    return result


def unit_figures(wave: Wave, unit) -> dict:
    """{"items", "elements", "parts", "overall"} as stats.aggregate gives them, "labels" of the
    questions and "n", the unit's kept responses."""
    dimension_of = dimensions(wave)
    unit_counts = counts(wave.pk, list(dimension_of), unit_id=unit.pk).get(unit.pk)
    return _figures(unit_counts or empty(dimension_of), dimension_of, _labels(wave))


def wave_figures(wave: Wave) -> dict[int, dict]:
    """{unit id: unit_figures(wave, unit)} for every unit with a target or a kept response in the
    wave, in one aggregation query (plus one for the targets); the labels dict is shared."""
    dimension_of = dimensions(wave)
    labels = _labels(wave)
    plan = layout(dimension_of)
    by_unit = counts(wave.pk, list(dimension_of))
    for unit_id in wave.targets.values_list("unit_id", flat=True):
        by_unit.setdefault(unit_id, empty(dimension_of))
    return {
        unit_id: _figures(unit_counts, dimension_of, labels, plan)
        for unit_id, unit_counts in by_unit.items()
    }


def code_refusals(wave: Wave) -> dict[int, dict]:
    """Refused invitation and dossier codes per unit of the wave: {"total", "sources" (devices apart;
    a device hash includes the address) and a count per reason}."""
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
