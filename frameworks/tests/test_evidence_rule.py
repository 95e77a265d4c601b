"""When a leaf's claim needs evidence, for each of the three rules."""

from decimal import Decimal

import pytest

from frameworks.evidence import EvidenceRule, evidence_needed

D = Decimal


@pytest.mark.parametrize(
    ("rule", "scoring", "points", "needed"),
    [
        (EvidenceRule.WHEN_CLAIMED, "manual", D("0.25"), True),
        (EvidenceRule.WHEN_CLAIMED, "manual", D("0.00"), False),
        (EvidenceRule.WHEN_CLAIMED, "manual", None, False),
        (EvidenceRule.WHEN_CLAIMED, "bonus", D("0.00"), False),
        (EvidenceRule.WHEN_CLAIMED, "bonus", D("0.50"), True),
        (EvidenceRule.WHEN_CLAIMED, "penalty", D("0.00"), False),
        (EvidenceRule.WHEN_CLAIMED, "penalty", D("-0.50"), True),
        (EvidenceRule.WHEN_CLAIMED, "deduction", D("1.00"), True),
        (EvidenceRule.ALWAYS, "manual", D("0.00"), True),
        (EvidenceRule.ALWAYS, "penalty", D("0.00"), True),
        (EvidenceRule.ALWAYS, "yes_no", None, True),
        (EvidenceRule.NEVER, "manual", D("1.00"), False),
        (EvidenceRule.NEVER, "penalty", D("-1.00"), False),
        (EvidenceRule.ALWAYS, "survey", D("1.00"), False),
        (EvidenceRule.WHEN_CLAIMED, "automatic", D("1.00"), False),
    ],
)
def test_evidence_needed(rule, scoring, points, needed):
    assert evidence_needed(rule, scoring, points) is needed


def test_a_leaf_declared_not_applicable_needs_none_even_when_always():
    assert evidence_needed(EvidenceRule.ALWAYS, "manual", None, not_applicable=True) is False
