"""The city's series in the national indices (PAR Index, SIPAS, PAPI): entered and corrected by the
secretariat with the published source, audited, and shown on the results list."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from results.models import ProvincialValue

pytestmark = pytest.mark.django_db

URL = "/results/provincial/"


def entry(**changes):
    data = {
        "series": "sipas",
        "year": "2023",
        "value": "86,15",
        "rank": "",
        "source": "Báo cáo kết quả SIPAS 2023 của Bộ Nội vụ",
        "link": "",
    }
    return data | changes


def test_the_secretariat_enters_and_corrects_a_value_and_every_change_is_audited(
    client, secretariat
):
    client.force_login(secretariat)
    assert client.post(URL, entry()).status_code == 302
    assert client.post(URL, entry(value="87,02", rank="5")).status_code == 302
    row = ProvincialValue.objects.get()
    assert (str(row.value), row.rank, row.updated_by) == ("87.02", 5, secretariat)
    events = AuditEvent.objects.filter(action="results.provincial_value").order_by("pk")
    assert [e.before for e in events][0] is None
    assert events[1].before["value"] == "86.15" and events[1].after["value"] == "87.02"
    page = client.get(reverse("results:list")).content.decode()
    assert "87,02" in page and "Báo cáo kết quả SIPAS 2023 của Bộ Nội vụ" in page
    # The table's "Sửa" link opens the form prefilled with the stored value.
    form = client.get(URL, {"series": "sipas", "year": "2023"}).content.decode()
    assert 'value="87,02"' in form


def test_a_value_without_its_source_is_refused_and_nothing_is_saved(client, secretariat):
    client.force_login(secretariat)
    response = client.post(URL, entry(source=""))
    assert response.status_code == 200 and "Trường này là bắt buộc" in response.content.decode()
    assert not ProvincialValue.objects.exists()


def test_readers_see_the_series_but_only_the_secretariat_enters(client, council, officer_a):
    client.force_login(council)
    page = client.get(URL).content.decode()
    assert 'data-testid="provincial"' in page and "<form" not in page.split("</nav>")[1]
    assert client.post(URL, entry()).status_code == 403
    assert not ProvincialValue.objects.exists()
    client.force_login(officer_a)
    assert client.get(URL).status_code == 403
