import pytest
from django.urls import reverse

from results.compute import recompute
from results.models import Publication

from .conftest import FULL, make_units, set_points

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(cycle_factory):
    units = make_units(3)
    cycle = cycle_factory(units)
    for unit, low in zip(units, ("1", "0.5", "0.5"), strict=True):
        set_points(cycle, unit, dict(FULL, **{"1.5": low}))
    recompute(cycle)
    return cycle, units


def test_results_screen_lists_ranks_and_ties(client, council, computed):
    cycle, units = computed
    client.force_login(council)
    page = client.get(reverse("results:cycle", args=[cycle.year])).content.decode()
    assert units[0].name in page and "100,00" in page and "95,00" in page
    assert page.count("<td>2</td>") == 2  # the tie
    assert page.count('data-testid="not-distinct"') == 1  # tied units are not distinct
    assert "Công bố kết quả" not in page  # council reads, does not publish


def test_the_results_pages_never_count_the_sipas_responses(client, council, computed, monkeypatch):
    """Counting SIPAS reads every response of the cycle's waves: done when publishing, not per view."""
    from results import snapshot

    def counted(_cycle):
        raise AssertionError("a results page counted the SIPAS responses")

    monkeypatch.setattr(snapshot, "frozen_counts", counted)
    cycle, units = computed
    client.force_login(council)
    assert client.get(reverse("results:cycle", args=[cycle.year])).status_code == 200
    unit_page = reverse("results:unit", args=[cycle.year, units[0].code])
    assert client.get(unit_page).status_code == 200


def test_secretariat_publishes_from_the_screen(client, secretariat, computed):
    cycle, _ = computed
    client.force_login(secretariat)
    page = client.get(reverse("results:cycle", args=[cycle.year])).content.decode()
    assert "Công bố kết quả" in page
    response = client.post(reverse("results:publish", args=[cycle.year]), follow=True)
    assert "Đã công bố kết quả năm 2025 (lần 1)." in response.content.decode()
    assert Publication.objects.filter(cycle=cycle, version=1).exists()
    # a second click without a notice is refused with the reason, nothing new
    response = client.post(reverse("results:publish", args=[cycle.year]), follow=True)
    assert "cần thông báo" in response.content.decode()
    assert Publication.objects.count() == 1


def test_unknown_job_kind_is_a_message_not_an_error(client, secretariat, computed):
    cycle, _ = computed
    client.force_login(secretariat)
    response = client.post(
        reverse("results:request_job", args=[cycle.year]), {"kind": "exe"}, follow=True
    )
    assert response.status_code == 200 and "Không có loại công việc" in response.content.decode()


def test_unit_profile_shows_domains_and_losses(client, secretariat, computed):
    cycle, units = computed
    client.force_login(secretariat)
    page = client.get(reverse("results:unit", args=[cycle.year, units[1].code])).content.decode()
    assert "Công tác chỉ đạo, điều hành" in page
    assert "1.5" in page  # the leaf where it lost half a point against the group


def test_awards_export_is_a_real_workbook(client, secretariat, computed):
    from io import BytesIO

    from openpyxl import load_workbook

    cycle, units = computed
    client.force_login(secretariat)
    response = client.get(reverse("results:awards", args=[cycle.year]))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert {r[1] for r in rows} == {u.code for u in units}  # top 3 with the tie
    assert rows[0][4] == "Dẫn đầu khối" and rows[0][6] == 1


def test_unknown_unit_or_year_is_404(client, secretariat, computed):
    cycle, _ = computed
    client.force_login(secretariat)
    assert client.get(reverse("results:unit", args=[cycle.year, "NOPE"])).status_code == 404
    assert client.get(reverse("results:cycle", args=[1999])).status_code == 404


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_reading_the_results_screens_writes_nothing(client, secretariat, computed):
    from results.models import ResultSettings

    cycle, units = computed
    client.force_login(secretariat)
    before = _row_counts()
    for url in (
        reverse("results:list"),
        reverse("results:cycle", args=[cycle.year]),
        reverse("results:jobs", args=[cycle.year]),
        reverse("results:unit", args=[cycle.year, units[0].code]),
        reverse("results:awards", args=[cycle.year]),
    ):
        assert client.get(url).status_code == 200, url
    assert _row_counts() == before
    assert not ResultSettings.objects.exists()  # the defaults are shown, not stored
