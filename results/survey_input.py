"""How many answers stand behind each unit's survey leaves: the n of the rank-interval Monte Carlo.

The kept (not excluded) responses of the cycle's latest wave of the leaf's questionnaire, counted per
unit. Two queries whatever the number of questionnaires (the waves, then the counts), none when the
cycle has no survey leaf: a province recomputes hundreds of small cycles, where each query counts.
A response may skip a question, so this n is an upper bound of the answers behind one item; the
interval is then, if anything, slightly too narrow for units whose respondents skipped many questions
(docs/results.md).
"""

from django.db.models import Count

from cycles.models import Cycle
from frameworks.models import Node
from surveys.models import Response, Wave


def survey_leaves(cycle: Cycle) -> dict[str, set[str]]:
    """The codes of the cycle's survey leaves per questionnaire code (their `source`)."""
    leaves: dict[str, set[str]] = {}
    for code, params in Node.objects.filter(framework__cycle=cycle, rule="survey").values_list(
        "code", "rule_params"
    ):
        leaves.setdefault((params or {}).get("source", ""), set()).add(code)
    return leaves


def survey_samples(
    cycle: Cycle, leaves_by_source: dict[str, set[str]] | None = None
) -> dict[tuple[int, str], int]:
    """(unit id, leaf code) → kept responses; `leaves_by_source` as survey_leaves gives it (read from
    the framework when not given)."""
    if leaves_by_source is None:
        leaves_by_source = survey_leaves(cycle)
    if not leaves_by_source:
        return {}
    latest: dict[int, set[str]] = {}  # wave id → the leaf codes it answers
    seen: set[str] = set()
    for wave_id, source in (
        Wave.objects.filter(cycle=cycle, version__questionnaire__code__in=list(leaves_by_source))
        .order_by("-opens_at", "-pk")
        .values_list("pk", "version__questionnaire__code")
    ):
        if source not in seen:
            seen.add(source)
            latest[wave_id] = leaves_by_source[source]
    if not latest:
        return {}
    counts = (
        Response.objects.filter(wave_id__in=list(latest), excluded=False)
        .values_list("wave_id", "unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    samples: dict[tuple[int, str], int] = {}
    for wave_id, unit_id, n in counts:
        for code in latest[wave_id]:
            samples[(unit_id, code)] = n
    return samples
