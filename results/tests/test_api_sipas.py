"""GET /api/v1/sipas/{year}: public once the year is published, 404 before; the plan's target."""

import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from plans.models import Plan, Target
from results.services import publish
from results.tests.published import SHARES, extra_units, finalise, make_cycle
from surveys import services
from surveys.models import Response
from surveys.tests.test_sipas_index import _sipas_answers

DATA = Path(services.__file__).resolve().parent.parent / "data"
URL = "/api/v1/sipas/2025"


@pytest.fixture
def finalised(secretariat, unit_a, unit_b):
    cycle = finalise(
        secretariat, make_cycle(secretariat, 2025, [unit_a, unit_b, *extra_units()]), SHARES
    )
    version = services.import_questionnaire(
        secretariat, "sipas", "SIPAS", (DATA / "sipas.tsv").read_bytes(), "sipas.tsv"
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat, cycle, version, "SIPAS 2025", now - timedelta(days=9), now
    )
    services.set_targets(secretariat, wave, {unit_a: 10000, unit_b: 300})
    rows = [(unit_a, 5)] * 3 + [(unit_a, 2)] + [(unit_b, 4)] + [(unit_b, 2)] * 3
    Response.objects.bulk_create(
        Response(
            wave=wave,
            unit=unit,
            submission_id=uuid.uuid4(),
            channel="link",
            answers=_sipas_answers(level),
        )
        for unit, level in rows
    )
    return cycle


@pytest.fixture
def published(secretariat, finalised):
    publish(secretariat, finalised)
    return finalised


def test_nothing_before_publication(client, finalised):
    response = client.get(URL)
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


@pytest.mark.parametrize("year", ["2024", "0", "99999999999999999999"])
def test_a_year_never_published_is_404(client, published, year):
    assert client.get(f"/api/v1/sipas/{year}").status_code == 404


def test_public_after_publication_per_unit_family_and_city(client, published):
    response = client.get(URL)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["year"] == 2025 and body["cycles"] == ["2025"]
    assert [e["code"] for e in body["elements"]] == [
        "service/access",
        "service/procedures",
        "service/civil_servants",
        "service/results",
        "service/feedback",
    ]
    assert [p["code"] for p in body["parts"]] == ["service", "policy"]
    # City: (10,000 × 0.75 + 300 × 0.25) / 10,300 = 73.54 %.
    assert body["index"]["value"] == 73.54
    assert body["index"]["low"] <= 73.54 <= body["index"]["high"]
    assert {e["code"] for e in body["expectations"]} >= {"expect_fees", "expect_information"}
    assert "indicator/harassment" in {i["code"] for i in body["indicators"]}
    units = {u["code"]: u for u in body["units"]}
    assert set(units) == {"00070", "S02"}
    assert units["00070"]["index"]["value"] == 75.0 and units["00070"]["n"] == 4
    assert units["00070"]["weight"] == 2500 and units["S02"]["population"] == 300
    assert len(units["S02"]["elements"]) == 5
    assert {f["family"] for f in body["families"]} == {"communes", "departments"}
    assert body["target"] is None


def test_the_plan_target_is_tracked(client, published):
    plan = Plan.objects.create(
        year=2025, decision_number="1/KH-UBND", decision_date=date(2025, 1, 2), title="KH CCHC"
    )
    Target.objects.create(
        plan=plan,
        area="Chỉ đạo, điều hành",
        text="Phấn đấu Chỉ số SIPAS của Thành phố đạt tối thiểu 85%.",
        metric="Chỉ số SIPAS của Thành phố",
        target_value=85,
        unit_of_measure="%",
    )
    target = client.get(URL).json()["target"]
    assert target["value"] == 85.0 and target["met"] is False


def test_the_published_figures_stay_until_a_correction_is_published(client, secretariat, published):
    from django.core.cache import cache

    from surveys.services import set_excluded

    before = client.get(URL).json()
    # A low answer of unit B excluded after publication: nothing public moves (decision 41)...
    low = next(r for r in Response.objects.all() if r.answers == _sipas_answers(2))
    set_excluded(secretariat, low, True, "phiếu trùng")
    cache.clear()
    assert client.get(URL).json() == before
    # ...until the secretariat publishes a correction, which freezes the counts again.
    publish(secretariat, published, notice="Loại một phiếu trùng khỏi SIPAS.")
    cache.clear()
    after = client.get(URL).json()
    assert after["n"] == before["n"] - 1
    assert after["index"]["value"] > before["index"]["value"]


def test_a_publication_made_before_counts_were_kept_is_read_live(client, secretariat, published):
    from django.core.cache import cache

    from surveys.services import set_excluded

    publication = published.publications.get()
    del publication.snapshot["sipas_counts"]
    publication.save(update_fields=["snapshot"])
    before = client.get(URL).json()
    set_excluded(secretariat, Response.objects.first(), True, "thử")
    cache.clear()
    assert client.get(URL).json()["n"] == before["n"] - 1
