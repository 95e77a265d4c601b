"""Unit lists in Vietnamese alphabetical order, in SQL (the vi_icu collation; a Python one on SQLite)."""

import pytest

from core.collation import by_name
from units.models import Unit, UnitKind

NAMES = [
    "Hoàng Mai",
    "Ứng Hòa",
    "Bạch Mai",
    "Ô Chợ Dừa",
    "Đống Đa",
    "Hà Đông",
    "Ba Đình",
    "Yên Hòa",
]
ORDERED = [
    "Ba Đình",
    "Bạch Mai",
    "Đống Đa",
    "Hà Đông",
    "Hoàng Mai",
    "Ô Chợ Dừa",
    "Ứng Hòa",
    "Yên Hòa",
]


@pytest.fixture
def communes(db):
    for number, name in enumerate(NAMES):
        Unit.objects.create(code=f"9{number:04d}", name=name, kind=UnitKind.COMMUNE)


def test_the_database_orders_names_in_the_vietnamese_alphabet(communes):
    assert list(Unit.objects.order_by(by_name()).values_list("name", flat=True)) == ORDERED
    # The default order of units (kind, then name) is the same.
    assert list(Unit.objects.values_list("name", flat=True)) == ORDERED


def test_the_unit_list_page_shows_units_in_vietnamese_order(communes, client, secretariat):
    client.force_login(secretariat)
    html = client.get("/units/?kind=commune").content.decode()
    positions = [html.index(f">{name}<") for name in ORDERED]
    assert positions == sorted(positions)
