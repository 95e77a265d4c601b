"""How the respondent's page lays a questionnaire out: its steps (one per section), the questions'
numbers, a plain title for the respondent and the time it takes. Pure Python; the page's script
(surveys/static/surveys/steps.js) only shows one step at a time and renumbers what it hides.

The respondent pages are Vietnamese only (docs/decisions.md, 19): the words here are not translated.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

PLAIN_TITLES = {
    "sipas": "Ý kiến của người dân về dịch vụ hành chính công",
    "officials": "Ý kiến của cán bộ, công chức về công tác cải cách hành chính",
}
"""What a respondent reads as the page's title, by questionnaire code; the wave's own title (with its
legal reference, "Khảo sát SIPAS (Quyết định 1001/QĐ-BNV)") stays under it in small print."""

PUBLIC_LINK_QUESTIONNAIRES = frozenset({"sipas"})
"""Questionnaires answered through the public link of a unit (the QR poster at the one-stop desk),
which the public site lists while a wave is open; the officials' survey is answered with invitation
codes handed to each official, so it is not advertised."""

SECONDS = {"likert5": 8, "scale4": 8, "single": 10, "multiple": 15, "number": 10, "text": 40}
"""A respondent's time per question on a phone, by type (read, choose; a text answer is short)."""


@dataclass
class Step:
    """A section heading (or several in a row: "PHẦN B" and its "I.") and the questions under it, each
    with its number in the whole form (conditional questions included: the script renumbers the
    questions that show)."""

    headings: list = field(default_factory=list)
    questions: list = field(default_factory=list)  # (number, question)

    @property
    def title(self) -> str:
        return self.headings[-1].label if self.headings else ""


def steps(questions) -> list[Step]:
    """The questions in steps: a new step at every section heading that follows a question, so
    headings in a row open one step; questions before any heading make a first step of their own."""
    found: list[Step] = []
    number = 0
    for question in questions:
        if question.type == "section":
            if not found or found[-1].questions:
                found.append(Step())
            found[-1].headings.append(question)
            continue
        if not found:
            found.append(Step())
        number += 1
        found[-1].questions.append((number, question))
    return [step for step in found if step.questions]


def estimated_minutes(questions) -> int:
    """Minutes to answer every question that is always asked, rounded up (at least one); a
    conditional question counts half, as about half of the respondents are asked it."""
    seconds = sum(
        SECONDS.get(question.type, 10) * (0.5 if question.relevant else 1)
        for question in questions
        if question.type != "section"
    )
    return max(1, math.ceil(seconds / 60))


def plain_title(questionnaire_code: str, wave_title: str) -> str:
    return PLAIN_TITLES.get(questionnaire_code, wave_title)


def is_public_link(questionnaire_code: str) -> bool:
    return questionnaire_code in PUBLIC_LINK_QUESTIONNAIRES


RESULTS_PAGES: list[Callable[[str], str | None]] = []
"""Where the public site shows a unit's latest published results (the code → its address, or None):
the public site is a room above the surveys, so parindex/apps.py puts its function here."""


def results_page(unit_code: str) -> str | None:
    """The public page of the unit's latest published results, for the thank-you page; None when
    none is published (or the public site is not wired in)."""
    for find in RESULTS_PAGES:
        if url := find(unit_code):
            return url
    return None


def open_surveys(at=None) -> list[dict]:
    """The waves open now whose questionnaire is answered through the public link, each with its plain
    title, closing time and the units taking part with the address of their form (the public site
    lists them). Two queries; read on every visit of the public home (its cache key)."""
    from django.urls import reverse
    from django.utils import timezone

    from .models import Wave, WaveTarget

    at = at or timezone.now()
    waves = list(
        Wave.objects.filter(
            opens_at__lte=at,
            closes_at__gt=at,
            version__questionnaire__code__in=PUBLIC_LINK_QUESTIONNAIRES,
        )
        .order_by("closes_at", "pk")
        .values("pk", "title", "closes_at", "version__questionnaire__code")
    )
    units: dict[int, list] = {}
    for target in (
        WaveTarget.objects.filter(wave__in=[w["pk"] for w in waves])
        .select_related("unit")
        .order_by("unit__name", "unit__code")
    ):
        units.setdefault(target.wave_id, []).append(
            {
                "name": target.unit.display_name,
                "url": reverse("surveys:respond", args=[target.wave_id, target.unit.code]),
            }
        )
    return [
        {
            "title": plain_title(w["version__questionnaire__code"], w["title"]),
            "wave_title": w["title"],
            "closes_at": w["closes_at"],
            "units": units.get(w["pk"], []),
        }
        for w in waves
        if units.get(w["pk"])
    ]
