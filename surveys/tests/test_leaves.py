"""Survey figures reach the framework's `survey` leaves (points = max × index), read-only for the unit."""

import uuid
from decimal import Decimal

from conftest import item_of
from cycles.services import transition
from surveys import services

from .conftest import good_answers


def test_sipas_index_fills_the_survey_leaf_when_appraisal_opens(
    secretariat, open_cycle, assessment_a, wave, unit_a
):
    # 2 of 3 respondents satisfied on every item: the SIPAS index is 2/3
    for level in ("5", "4", "2"):
        answers = good_answers(level) | {"svc_1": level}
        services.submit_response(
            wave=wave, unit=unit_a, submission_id=uuid.uuid4(), answers=answers, channel="link"
        )
    excluded, _ = services.submit_response(
        wave=wave,
        unit=unit_a,
        submission_id=uuid.uuid4(),
        answers=good_answers("1") | {"svc_1": "1"},
        channel="link",
    )
    services.set_excluded(secretariat, excluded, True, "Phiếu thử")  # excluded answers do not count
    transition(secretariat, open_cycle, "appraisal")
    item = item_of(assessment_a, "2.3")  # survey leaf, max 2.00, {"source": "sipas"}
    assert item.inputs == {"index": "0.6667", "source": "sipas"}
    assert item.self_points == Decimal("1.33")


def test_no_wave_leaves_the_leaf_empty(secretariat, open_cycle, assessment_a):
    transition(secretariat, open_cycle, "appraisal")
    assert item_of(assessment_a, "2.3").self_points is None
