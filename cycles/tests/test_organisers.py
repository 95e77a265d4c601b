"""A commune's index of its own offices takes its own offices only, never another commune's units."""

import pytest

from cycles.models import IndexFamily
from cycles.services import (
    CycleError,
    add_participants,
    create_cycle,
    participant_kinds,
    units_to_add,
)
from parindex.tests.levels import offices_of, second_commune, staff_of
from units.models import Unit, UnitKind


@pytest.fixture
def commune_index(unit_a):
    """Phường Hoàn Kiếm's 2025 index of its offices (a draft), and Phường Cửa Nam with an office."""
    boss = staff_of(unit_a, "hoankiem")["secretariat"]
    cua_nam = second_commune()
    stranger = Unit.objects.create(
        code="00082-VP", name="Văn phòng phường Cửa Nam", kind=UnitKind.OFFICE, parent=cua_nam
    )
    cycle = create_cycle(
        boss, 2025, "Chỉ số CCHC các phòng", organiser=unit_a, family=IndexFamily.INTERNAL
    )
    return {"boss": boss, "cycle": cycle, "own": offices_of(unit_a), "stranger": stranger}


def test_every_office_of_the_kind_means_the_communes_own(commune_index):
    units = units_to_add(commune_index["cycle"], UnitKind.OFFICE, [])
    assert sorted(u.code for u in units) == sorted(u.code for u in commune_index["own"])


def test_another_communes_office_is_unknown_by_code(commune_index):
    with pytest.raises(CycleError, match="00082-VP"):
        units_to_add(commune_index["cycle"], UnitKind.OFFICE, ["00070-VP", "00082-VP"])


def test_the_service_refuses_a_unit_outside_the_organiser(commune_index):
    cycle = commune_index["cycle"]
    with pytest.raises(CycleError, match="không thuộc: 00082-VP"):
        add_participants(commune_index["boss"], cycle, [commune_index["stranger"]])
    assert not cycle.participations.exists()
    assert add_participants(commune_index["boss"], cycle, commune_index["own"]) == 3


def test_a_commune_adds_offices_and_the_city_any_kind(commune_index, draft_cycle):
    assert participant_kinds(commune_index["cycle"]) == [UnitKind.OFFICE]
    assert set(participant_kinds(draft_cycle)) == set(UnitKind.values)


def test_the_participants_page_offers_the_communes_offices_only(client, commune_index):
    client.force_login(commune_index["boss"])
    key = commune_index["cycle"].key
    page = client.get(f"/cycles/{key}/units/").content.decode()
    assert 'value="office"' in page and 'value="department"' not in page
    response = client.post(f"/cycles/{key}/units/add/", {"kind": "commune", "codes": "00082"})
    assert response.status_code == 302
    assert not commune_index["cycle"].participations.exists()
    client.post(f"/cycles/{key}/units/add/", {"kind": "office", "codes": ""})
    assert commune_index["cycle"].participations.count() == 3


def test_the_framework_import_offers_the_communes_offices_only(client, commune_index):
    client.force_login(commune_index["boss"])
    page = client.get(f"/frameworks/import/{commune_index['cycle'].key}/").content.decode()
    assert 'value="office"' in page and 'value="commune"' not in page
