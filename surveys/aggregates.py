"""Figures of a wave for a unit: every kept response streamed once through surveys.stats."""

from .models import Wave
from .stats import aggregate


def dimensions(wave: Wave) -> dict[str, str]:
    return {
        q.name: q.dimension
        for q in wave.version.parsed()
        if q.type == "likert5" and q.dimension.count("/") == 1
    }


def unit_figures(wave: Wave, unit) -> dict:
    answers = (
        wave.responses.filter(unit=unit, excluded=False)
        .values_list("answers", flat=True)
        .iterator(chunk_size=2000)
    )
    labels = {q.name: q.label for q in wave.version.parsed()}
    result = aggregate(answers, dimensions(wave))
    result["labels"] = labels
    result["n"] = wave.responses.filter(unit=unit, excluded=False).count()
    return result
