"""Security finding (issue 15): the leaf history and history.xlsx showed a unit the working group's
appraisal before the explanation round, which the API and the explanation page hide. Replays the
requests as the unit's officer before and after the round opens, and as staff."""

import io

import pytest
from openpyxl import load_workbook

from assessments import services
from assessments.permissions import may_see_appraisal_of
from conftest import item_of
from cycles.models import CycleState
from cycles.services import transition

COMMENT = "Văn bản ban hành chậm so với kế hoạch"


@pytest.fixture
def appraised(assessment_a, officer_a, reviewer, secretariat):
    """Leaf 1.5 self-assessed at 1, appraised at 0,25 with a comment asking for an explanation."""
    reviewer.first_name, reviewer.last_name = "Thẩm", "Định Viên"
    reviewer.save()
    services.save_self(officer_a, item_of(assessment_a, "1.5"), inputs={"points": "1"})
    transition(secretariat, assessment_a.cycle, CycleState.APPRAISAL)
    services.appraise(
        reviewer,
        item_of(assessment_a, "1.5"),
        points="0.25",
        comment=COMMENT,
        needs_explanation=True,
    )
    return item_of(assessment_a, "1.5")


def _history_page(client, user, item) -> str:
    client.force_login(user)
    response = client.get(f"/assessments/items/{item.pk}/history/")
    assert response.status_code == 200
    return response.content.decode()


def _history_rows(client, user) -> list[tuple]:
    client.force_login(user)
    response = client.get("/assessments/2025/00070/history.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def _leaks(text: str) -> list[str]:
    signs = ["Thẩm định điểm", COMMENT, "Định Viên", "thamdinh", "Yêu cầu giải trình", "0.25"]
    return [s for s in signs if s in text]


def test_officer_history_page_hides_the_appraisal_before_the_explanation_round(
    client, appraised, officer_a
):
    page = _history_page(client, officer_a, appraised)
    assert _leaks(page) == []
    assert "Tự chấm điểm" in page  # the unit's own change is still there
    assert 'data-testid="appraisal-hidden"' in page


def test_officer_history_export_hides_the_appraisal_before_the_explanation_round(
    client, appraised, officer_a
):
    rows = _history_rows(client, officer_a)
    text = "\n".join(str(cell) for row in rows for cell in row if cell is not None)
    assert _leaks(text) == []
    actions = [row[2] for row in rows[1:]]
    assert "Tự chấm điểm" in actions and "Thẩm định điểm" not in actions


def test_unit_head_also_sees_only_its_side(client, appraised, head_a):
    assert _leaks(_history_page(client, head_a, appraised)) == []


def test_staff_see_the_appraisal_in_the_history_at_once(
    client, appraised, secretariat, reviewer, council
):
    for user in (secretariat, reviewer, council):
        page = _history_page(client, user, appraised)
        assert "Thẩm định điểm" in page and COMMENT in page and "Định Viên" in page
        assert 'data-testid="appraisal-hidden"' not in page
    actions = [row[2] for row in _history_rows(client, secretariat)[1:]]
    assert "Thẩm định điểm" in actions


def test_officer_sees_the_appraisal_once_the_explanation_round_opens(
    client, appraised, officer_a, secretariat
):
    transition(secretariat, appraised.assessment.cycle, CycleState.EXPLANATION)
    page = _history_page(client, officer_a, appraised)
    assert "Thẩm định điểm" in page and COMMENT in page and "Định Viên" in page
    actions = [row[2] for row in _history_rows(client, officer_a)[1:]]
    assert "Thẩm định điểm" in actions


def test_one_rule_for_the_api_the_explanation_page_and_the_history(
    client, appraised, officer_a, secretariat
):
    assessment = appraised.assessment
    assert not may_see_appraisal_of(officer_a, assessment)
    client.force_login(officer_a)
    assert COMMENT not in client.get("/assessments/2025/00070/explain/").content.decode()
    transition(secretariat, assessment.cycle, CycleState.EXPLANATION)
    assessment.cycle.refresh_from_db()
    assert may_see_appraisal_of(officer_a, assessment)
    assert COMMENT in client.get("/assessments/2025/00070/explain/").content.decode()
