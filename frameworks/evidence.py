"""When a leaf's self-score needs evidence: always, only when points are claimed, or never."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoring import READ_ONLY_RULES


class EvidenceRule(models.TextChoices):
    ALWAYS = "always", _("Luôn bắt buộc")
    WHEN_CLAIMED = "when_claimed", _("Bắt buộc khi tự chấm có điểm (điểm trừ: khi có trừ)")
    NEVER = "never", _("Không bắt buộc")


def evidence_needed(
    evidence_rule: str, scoring_rule: str, points: Decimal | None, *, not_applicable: bool = False
) -> bool:
    """Whether a leaf scored `points` by the unit (None: not scored yet) must carry evidence.

    "When claimed" means points above 0, or, for a penalty (points in [-max, 0]), any penalty at all: a
    leaf left at 0 claims nothing, so there is nothing for the working group to check. A leaf declared
    not applicable, or whose points come from the survey or system data, never asks the unit for any.
    """
    if not_applicable or scoring_rule in READ_ONLY_RULES:
        return False
    if evidence_rule == EvidenceRule.ALWAYS:
        return True
    if evidence_rule == EvidenceRule.WHEN_CLAIMED:
        return points is not None and points != 0
    return False
