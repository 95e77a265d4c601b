"""How many answers stand behind each unit's survey leaves: the n of the rank-interval Monte Carlo.

The kept (not excluded) responses of the cycle's latest wave of the leaf's questionnaire, counted per
unit in one query per questionnaire. A response may skip a question, so this n is an upper bound of
the answers behind one item; the interval is then, if anything, slightly too narrow for units whose
respondents skipped many questions (docs/results.md).
"""

from django.db.models import Count

from cycles.models import Cycle
from frameworks.models import Node
from surveys.models import Response, Wave


def survey_samples(cycle: Cycle) -> dict[tuple[int, str], int]:
    leaves_by_source: dict[str, set[str]] = {}
    for code, params in Node.objects.filter(framework__cycle=cycle, rule="survey").values_list(
        "code", "rule_params"
    ):
        leaves_by_source.setdefault((params or {}).get("source", ""), set()).add(code)
    samples: dict[tuple[int, str], int] = {}
    for source, codes in leaves_by_source.items():
        wave = (
            Wave.objects.filter(cycle=cycle, version__questionnaire__code=source)
            .order_by("-opens_at")
            .first()
        )
        if wave is None:
            continue
        counts = (
            Response.objects.filter(wave=wave, excluded=False)
            .values_list("unit_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for unit_id, n in counts:
            for code in codes:
                samples[(unit_id, code)] = n
    return samples
