"""Evidence rules per leaf at submission: always, only when points are claimed, or never."""

import pytest

from assessments import services
from assessments.models import AssessmentState
from conftest import item_of
from frameworks.evidence import EvidenceRule

from .helpers import PDF, upload

# Full marks everywhere except the leaves named in `zero`, which claim nothing.
FULL = {
    "1.1.1": {"date": "2025-01-10"},
    "1.1.2": {"numerator": 10, "denominator": 10},
    "1.2": {"numerator": 3, "denominator": 10},
    "1.3": {"count": 0},
    "1.4": {"ticked": [0, 1, 2]},
    "1.5": {"points": "1"},
    "2.1": {"done": True},
    "3.1": {"points": "0.5"},
    "3.2": {"points": "0.5"},
}
ZERO = {
    "1.1.1": {"date": None},
    "1.5": {"points": "0"},
    "3.1": {"points": "0"},
    "3.2": {"points": "0"},
}


def fill(officer, assessment, *, zero=(), bare=()):
    """Answer every fillable leaf; attach evidence where the rule asks for it, except on `bare`."""
    for code, inputs in FULL.items():
        item = services.save_self(
            officer, item_of(assessment, code), inputs=ZERO[code] if code in zero else inputs
        )
        if item.needs_evidence and code not in bare:
            services.add_evidence_file(officer, item, upload(PDF, f"{code}.pdf"))


def set_rule(assessment, code, rule):
    assessment.framework.nodes.filter(code=code).update(evidence_rule=rule)


def test_bonus_and_penalty_at_zero_and_a_zero_scored_leaf_need_no_evidence(
    head_a, officer_a, assessment_a
):
    fill(officer_a, assessment_a, zero=("1.1.1", "1.5", "3.1", "3.2"))
    for code in ("1.1.1", "1.5", "3.1", "3.2"):
        item = item_of(assessment_a, code)
        assert item.self_points == 0 and not item.has_evidence and not item.needs_evidence
    assert services.submission_problems(assessment_a)["no_evidence"] == []
    services.submit(head_a, assessment_a)
    assessment_a.refresh_from_db()
    assert assessment_a.state == AssessmentState.SUBMITTED


@pytest.mark.parametrize("code", ["1.5", "3.1", "3.2", "1.3"])
def test_a_leaf_claiming_points_without_evidence_blocks_submission(
    head_a, officer_a, assessment_a, code
):
    fill(officer_a, assessment_a, bare=(code,))
    item = item_of(assessment_a, code)
    assert item.self_points != 0  # a penalty claims a negative number of points
    with pytest.raises(services.AssessmentError) as refused:
        services.submit(head_a, assessment_a)
    assert str(refused.value) == (f"Chưa nộp được; các tiêu chí thiếu tài liệu kiểm chứng: {code}.")
    assessment_a.refresh_from_db()
    assert assessment_a.state == AssessmentState.DRAFT


def test_always_blocks_even_at_zero_points(head_a, officer_a, assessment_a):
    set_rule(assessment_a, "1.5", EvidenceRule.ALWAYS)
    set_rule(assessment_a, "3.2", EvidenceRule.ALWAYS)
    fill(officer_a, assessment_a, zero=("1.5", "3.2"), bare=("1.5", "3.2"))
    with pytest.raises(services.AssessmentError, match="thiếu tài liệu kiểm chứng: 1.5, 3.2"):
        services.submit(head_a, assessment_a)
    item = item_of(assessment_a, "1.5")
    services.add_evidence_file(officer_a, item, upload(PDF, "1.5.pdf"))
    services.add_evidence_file(officer_a, item_of(assessment_a, "3.2"), upload(PDF, "3.2.pdf"))
    services.submit(head_a, assessment_a)


def test_always_does_not_ask_a_leaf_declared_not_applicable(head_a, officer_a, assessment_a):
    set_rule(assessment_a, "1.2", EvidenceRule.ALWAYS)
    fill(officer_a, assessment_a)
    item = item_of(assessment_a, "1.2")
    for evidence in item.evidence.all():
        services.remove_evidence(officer_a, evidence)
    services.save_self(
        officer_a, item, inputs={}, not_applicable=True, na_reason="Không có đơn vị trực thuộc"
    )
    services.submit(head_a, assessment_a)


def test_never_lets_points_through_without_evidence(head_a, officer_a, assessment_a):
    set_rule(assessment_a, "1.5", EvidenceRule.NEVER)
    fill(officer_a, assessment_a, bare=("1.5",))
    assert item_of(assessment_a, "1.5").self_points == 1
    services.submit(head_a, assessment_a)


def test_an_unanswered_always_leaf_is_listed_twice(head_a, officer_a, assessment_a):
    """Unanswered, and without the evidence it needs whatever the answer."""
    set_rule(assessment_a, "1.5", EvidenceRule.ALWAYS)
    problems = services.submission_problems(assessment_a)
    assert "1.5" in [i.node.code for i in problems["unanswered"]]
    assert [i.node.code for i in problems["no_evidence"]] == ["1.5"]
