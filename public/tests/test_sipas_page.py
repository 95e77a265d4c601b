"""The public SIPAS page and its open data: 404 before publication, the figures after."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from results.services import publish
from results.tests.test_api_sipas import finalised  # noqa: F401  (the fixture)

PAGE = "/cong-khai/sipas/2025/"
FILES = [f"{PAGE}du-lieu/sipas.{fmt}" for fmt in ("csv", "xlsx", "json")]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", [PAGE, *FILES, "/cong-khai/sipas/2024/"])
def test_nothing_before_publication(client, finalised, url):  # noqa: F811
    assert client.get(url).status_code == 404


@pytest.fixture
def published(secretariat, finalised):  # noqa: F811
    publish(secretariat, finalised)
    return finalised


def test_the_page_per_family_and_unit_with_intervals_and_weights(client, published):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "73,54\xa0%" in html  # the city, weighted
    assert 'data-testid="sipas-units"' in html and "Sở Tư pháp" in html
    assert "Sở, ban, ngành" in html and "2.500" in html  # a family; the weight N/n of Hoàn Kiếm
    assert "Tiếp cận dịch vụ" in html
    year = client.get("/cong-khai/2025/").content.decode()
    assert 'data-testid="sipas-link"' in year and PAGE in year
    assert client.get("/cong-khai/sipas/abc/").status_code == 404
    assert client.get(f"{PAGE}du-lieu/sipas.pdf").status_code == 404


def test_the_open_data(client, published):
    rows = list(csv.reader(io.StringIO(client.get(FILES[0]).content.decode("utf-8-sig"))))
    header = rows[0]
    city = [r for r in rows[1:] if r[1] == "city" and r[5] == "index"]
    assert header[:3] == ["year", "scope", "family"] and city[0][8] == "73.54"
    assert any(r[1] == "unit" and r[3] == "S02" for r in rows)
    book = load_workbook(io.BytesIO(client.get(FILES[1]).content))
    assert book.sheetnames == ["sipas", "trong_so", "gioi_thieu"]
    weights = list(book["trong_so"].values)
    assert ("00070", "Hoàn Kiếm", "communes", 10000, 0, 4, 2500) in weights
    data = json.loads(client.get(FILES[2]).content)
    assert data["index"]["value"] == 73.54 and len(data["units"]) == 2
