"""The results API: public once published (from the publication), 404 before, versions readable."""

from decimal import Decimal

import pytest

from results.api import group_slug
from results.compute import recompute
from results.models import Publication, UnitResult
from results.services import publish
from results.tests.published import SHARES, extra_units, finalise, make_cycle

BASE = "/api/v1/results"
NOT_FOUND = {"detail": "Không tìm thấy."}


@pytest.fixture
def finalised(secretariat, unit_a, unit_b):
    return finalise(
        secretariat, make_cycle(secretariat, 2025, [unit_a, unit_b, *extra_units()]), SHARES
    )


@pytest.fixture
def published(secretariat, finalised):
    publish(secretariat, finalised)
    return finalised


URLS = [
    f"{BASE}/2025",
    f"{BASE}/2025?version=1",
    f"{BASE}/2025/groups/khoi-xa-phuong",
    f"{BASE}/2025/groups/khoi-so",
    f"{BASE}/2025/units/00070",
    f"{BASE}/2025/units/S02",
]


@pytest.mark.parametrize("url", URLS)
def test_nothing_before_publication(client, finalised, url):
    assert UnitResult.objects.filter(cycle=finalised).exists()
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("url", URLS)
def test_public_after_publication_without_a_token(client, published, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["publication"]["version"] == 1


def test_a_staff_token_sees_no_more_before_publication(client, finalised, secretariat):
    from accounts.tokens import create_token

    _token, key = create_token(secretariat, "test")
    response = client.get(f"{BASE}/2025", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 404


def test_cycle_results_are_the_snapshots(client, published):
    snapshot = Publication.objects.get(cycle=published).snapshot
    body = client.get(f"{BASE}/2025").json()
    assert body["publication"]["year"] == 2025
    assert body["publication"]["latest_version"] == 1
    assert body["publication"]["notice"] == ""
    assert [g["slug"] for g in body["groups"]] == ["khoi-so", "khoi-xa-phuong"]
    assert [(u["code"], u["rank"], u["index"]) for u in body["units"]] == [
        (u["code"], u["rank"], u["index"]) for u in snapshot["units"]
    ]
    s01 = body["units"][0]
    assert s01["code"] == "S01" and s01["index"] == 95.0 and s01["band"] == "A"
    assert s01["comparison"] == "new" and s01["domains"][0]["index"] == 95.0
    assert "leaves" not in s01


def test_group_results(client, published):
    body = client.get(f"{BASE}/2025/groups/khoi-xa-phuong").json()
    assert body["group"]["name"] == "Khối xã, phường" and body["group"]["size"] == 3
    assert body["group"]["mean_index"] == 75.0
    assert [(u["code"], u["rank"]) for u in body["units"]] == [
        ("00070", 1),
        ("00073", 2),
        ("00076", 3),
    ]


def test_unit_results(client, published):
    body = client.get(f"{BASE}/2025/units/00076").json()
    assert body["unit"]["index"] == 60.0 and body["unit"]["rank"] == 3
    domain = body["domains_vs_group"][0]
    assert (domain["value"], domain["group_mean"], domain["group_best"]) == (60.0, 75.0, 90.0)
    assert len(body["biggest_losses"]) == 9 and body["biggest_losses"][0]["code"] == "2.3"
    assert {leaf["code"]: leaf["points"] for leaf in body["leaves"]}["2.3"] == 1.2


def test_a_correction_is_the_current_result_and_the_first_stays_readable(
    client, published, secretariat
):
    from assessments.models import Item

    Item.objects.filter(assessment__cycle=published, assessment__unit__code="00076").exclude(
        node__rule__in=["bonus", "penalty"]
    ).update(final_points=Decimal("0"))
    recompute(published)
    publish(secretariat, published, notice="Sửa điểm của Phường Ba Đình")
    current = client.get(f"{BASE}/2025/units/00076").json()
    assert current["unit"]["index"] == 0.0
    assert current["publication"]["version"] == 2
    assert current["publication"]["notice"] == "Sửa điểm của Phường Ba Đình"
    first = client.get(f"{BASE}/2025/units/00076?version=1").json()
    assert first["unit"]["index"] == 60.0
    meta = first["publication"]
    assert (meta["version"], meta["latest_version"], meta["notice"]) == (1, 2, "")


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}/1999",
        f"{BASE}/2025?version=7",
        f"{BASE}/2025/groups/khong-co",
        f"{BASE}/2025/units/XXXX",
        f"{BASE}/99999999999/units/00070",
    ],
)
def test_unknown_things_answer_404_in_json(client, published, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_malformed_version_answers_422(client, published):
    assert client.get(f"{BASE}/2025?version=0").status_code == 422
    assert client.get(f"{BASE}/2025?version=abc").status_code == 422


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/results/{key}",
        "/results/{key}/groups/{slug}",
        "/results/{key}/units/{code}",
    ):
        operation = schema["paths"][f"/api/v1{path}"]["get"]
        assert "security" not in operation or operation["security"] == []


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Khối xã, phường", "khoi-xa-phuong"),
        ("Khối sở, ban, ngành", "khoi-so-ban-nganh"),
        ("Đơn vị sự nghiệp", "don-vi-su-nghiep"),
        ("!!!", "khoi"),
    ],
)
def test_group_slugs(name, slug):
    assert group_slug(name) == slug
