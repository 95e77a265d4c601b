"""Indices at every level: organisers, families, keys, scoped roles and framework variants."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from assessments.models import Assessment
from conftest import SMALL_TOTAL, _user, small_framework_specs
from cycles.models import Cycle, CycleState, IndexFamily
from cycles.permissions import can_manage_cycle, cycles_visible_to
from cycles.services import (
    CycleError,
    add_participants,
    choose_framework_variant,
    create_cycle,
    readiness_problems,
    transition,
)
from frameworks.services import save_specs
from units.models import Unit, UnitKind


@pytest.fixture
def offices(unit_a):
    return [
        Unit.objects.create(code=f"00070-P{n}", name=name, kind=UnitKind.OFFICE, parent=unit_a)
        for n, name in enumerate(("Văn phòng HĐND và UBND", "Phòng Kinh tế"), start=1)
    ]


@pytest.fixture
def commune_secretariat(unit_a):
    return _user("thuky.hoankiem", Role.SECRETARIAT, unit_a)


@pytest.fixture
def other_commune_secretariat(db):
    other = Unit.objects.create(code="00004", name="Cửa Nam", kind=UnitKind.COMMUNE)
    return _user("thuky.cuanam", Role.SECRETARIAT, other)


def test_keys_name_the_organiser_and_family_and_keep_the_bare_year_for_the_city(unit_a):
    assert Cycle.objects.create(year=2025, title="Thành phố").key == "2025"
    assert (
        Cycle.objects.create(year=2025, title="SN", family=IndexFamily.PUBLIC_SERVICE).key
        == "2025-su-nghiep"
    )
    internal = Cycle.objects.create(
        year=2025, title="Nội bộ", family=IndexFamily.INTERNAL, organiser=unit_a
    )
    assert internal.key == "2025-00070-noi-bo"


def test_several_cycles_a_year_but_one_per_organiser_and_family(
    secretariat, commune_secretariat, unit_a
):
    create_cycle(secretariat, 2025, "Thành phố")
    create_cycle(secretariat, 2025, "Sự nghiệp", family=IndexFamily.PUBLIC_SERVICE)
    create_cycle(commune_secretariat, 2025, "Nội bộ", organiser=unit_a, family=IndexFamily.INTERNAL)
    with pytest.raises(CycleError, match="Đã có kỳ đánh giá năm 2025"):
        create_cycle(secretariat, 2025, "Lần hai", family=IndexFamily.PUBLIC_SERVICE)
    with pytest.raises(CycleError, match="chỉ tổ chức chỉ số của các phòng"):
        create_cycle(
            commune_secretariat, 2026, "Sai", organiser=unit_a, family=IndexFamily.COMMUNES
        )
    assert Cycle.objects.filter(year=2025).count() == 3


def test_an_organisers_secretariat_runs_only_its_own_index(
    secretariat, commune_secretariat, other_commune_secretariat, unit_a
):
    city = create_cycle(secretariat, 2025, "Thành phố")
    internal = create_cycle(
        commune_secretariat, 2025, "Nội bộ", organiser=unit_a, family=IndexFamily.INTERNAL
    )
    with pytest.raises(PermissionDenied):
        create_cycle(commune_secretariat, 2025, "Của thành phố")
    with pytest.raises(PermissionDenied):
        create_cycle(
            other_commune_secretariat,
            2026,
            "Của xã khác",
            organiser=unit_a,
            family=IndexFamily.INTERNAL,
        )
    assert can_manage_cycle(commune_secretariat, internal)
    assert not can_manage_cycle(commune_secretariat, city)
    assert not can_manage_cycle(other_commune_secretariat, internal)
    # The city's secretariat oversees every level but runs only the city's indices.
    assert not can_manage_cycle(secretariat, internal)
    assert set(cycles_visible_to(secretariat)) == {city, internal}
    assert set(cycles_visible_to(commune_secretariat)) == {internal}
    assert set(cycles_visible_to(other_commune_secretariat)) == set()


def test_a_participant_is_scored_by_the_variant_it_chooses(secretariat, unit_a, unit_b):
    cycle = create_cycle(secretariat, 2025, "Thành phố")
    add_participants(secretariat, cycle, [unit_a])
    add_participants(secretariat, cycle, [unit_b])
    for variant in ("", "rút gọn"):
        save_specs(
            secretariat,
            cycle,
            UnitKind.COMMUNE,
            small_framework_specs(),
            source="test",
            target_total=SMALL_TOTAL,
            variant=variant,
        )
    save_specs(
        secretariat,
        cycle,
        UnitKind.DEPARTMENT,
        small_framework_specs(),
        source="test",
        target_total=SMALL_TOTAL,
    )
    choose_framework_variant(secretariat, cycle, unit_a, "không có")
    assert any("không có" in p for p in readiness_problems(cycle))
    choose_framework_variant(secretariat, cycle, unit_a, "rút gọn")
    assert readiness_problems(cycle) == []
    transition(secretariat, cycle, CycleState.SELF_ASSESSMENT)
    assessment = Assessment.objects.get(cycle=cycle, unit=unit_a)
    assert assessment.framework.variant == "rút gọn"
    assert Assessment.objects.get(cycle=cycle, unit=unit_b).framework.variant == ""


def test_an_internal_index_scores_the_organisers_offices(commune_secretariat, unit_a, offices):
    cycle = create_cycle(
        commune_secretariat,
        2026,
        "Chỉ số CCHC các phòng năm 2026",
        organiser=unit_a,
        family=IndexFamily.INTERNAL,
    )
    add_participants(commune_secretariat, cycle, offices)
    save_specs(
        commune_secretariat,
        cycle,
        UnitKind.OFFICE,
        small_framework_specs(),
        source="test",
        target_total=SMALL_TOTAL,
    )
    transition(commune_secretariat, cycle, CycleState.SELF_ASSESSMENT)
    assert cycle.assessments.count() == 2
    assert set(cycle.participations.values_list("ranking_group", flat=True)) == {
        "Khối phòng, ban chuyên môn"
    }
