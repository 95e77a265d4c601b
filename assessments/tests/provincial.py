"""The city's self-assessment for the Ministry, open for self-assessment, for the tests of leaves given to
departments: Sở Nội vụ (S01) stands for the city; the small framework; leaf 1.5 and domain 2 given to
Sở Tư pháp (S02, Unit B of the personas)."""

from accounts.models import Role, User
from conftest import SMALL_TOTAL, open_phases, small_framework_specs
from cycles.models import Cycle, CycleState, IndexFamily
from cycles.services import add_participants, create_cycle, transition
from frameworks.services import save_specs
from units.models import Unit, UnitKind

from .. import services


def make_provincial(secretariat, year: int = 2026) -> Cycle:
    city, _ = Unit.objects.get_or_create(
        code="S01", defaults={"name": "Sở Nội vụ", "kind": UnitKind.DEPARTMENT}
    )
    cycle = create_cycle(
        secretariat,
        year,
        f"Tự đánh giá Chỉ số CCHC cấp tỉnh năm {year}",
        family=IndexFamily.PROVINCIAL,
    )
    add_participants(secretariat, cycle, [city])
    save_specs(
        secretariat,
        cycle,
        city.kind,  # the participant's framework kind (docs/assessments.md)
        small_framework_specs(),
        source="test",
        target_total=SMALL_TOTAL,
    )
    open_phases(cycle, secretariat)
    transition(secretariat, cycle, CycleState.SELF_ASSESSMENT)
    return cycle


def give_leaves(secretariat, cycle: Cycle, unit_code: str = "S02") -> None:
    assessment = cycle.assessments.get()
    services.assign_leaves(
        secretariat, assessment, [(None, "1.5", unit_code), (None, "2", unit_code)]
    )


def city_officer(role: str = Role.UNIT_OFFICER) -> User:
    return User.objects.create_user(
        f"snv.{role}", role=role, unit=Unit.objects.get(code="S01"), password="x"
    )
