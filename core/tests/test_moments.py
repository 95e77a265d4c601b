"""Times typed on the staff forms lie within 2000–2100: a slip such as year 1 is refused on the form
(in Hà Nội time it is before year 1 in UTC, which no page could read back), never stored."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.moments import out_of_range, within_years
from cycles.models import Phase
from reporting.models import Period

MESSAGE = "Thời điểm phải trong các năm 2000–2100."


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_a_moment_is_refused_exactly_when_its_year_is_out_of_range(moment):
    inside = 2000 <= moment.year <= 2100
    assert (out_of_range(moment) is None) == inside
    if inside:
        within_years(moment)
    else:
        assert out_of_range(moment) == MESSAGE
        with pytest.raises(ValidationError):
            within_years(moment)


@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
def test_a_phase_in_year_one_is_refused_on_its_form(client, secretariat, draft_cycle, field):
    client.force_login(secretariat)
    data = {
        "kind": "self_assessment",
        "opens_at": "01/12/2025 08:00",
        "closes_at": "10/01/2026 17:00",
    }
    page = client.post(
        "/cycles/2025/phase/", data | {field: "01/01/0001 00:00"}, follow=True
    ).content.decode()
    assert MESSAGE in page
    assert not Phase.objects.exists()
    assert client.get("/cycles/2025/").status_code == 200


def test_a_report_deadline_in_year_one_is_refused_on_its_form(client, secretariat, db):
    from reporting import services
    from reporting.tests.test_reporting import INDICATORS, SECTIONS

    template = services.save_template(
        secretariat, "Báo cáo CCHC định kỳ", *services.parse_definition(INDICATORS, SECTIONS)
    )
    client.force_login(secretariat)
    data = {"year": 2026, "kind": "q1", "template": template.pk, "due_at": "2026-04-05T17:00"}
    response = client.post("/reports/periods/new/", data | {"due_at": "0001-01-01T00:00"})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Period.objects.exists()
    assert client.post("/reports/periods/new/", data).status_code == 302  # a real deadline is taken
    assert Period.objects.count() == 1
