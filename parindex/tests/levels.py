"""Indices at every level, for tests: a commune's offices, the staff it appoints for its own index, and
a second commune whose staff must see nothing of the first's (test_permissions_levels.py, the journey
e2e/test_levels_journey.py)."""

from datetime import date

from accounts.models import Role, User
from conftest import PASSWORD, enrolled
from units.models import Unit, UnitKind

# Three of Phường Hoàn Kiếm's offices, as units/data/hanoi-sub-units.csv lists them.
OFFICES = (
    ("00070-VP", "Văn phòng HĐND và UBND phường Hoàn Kiếm", "Văn phòng"),
    ("00070-KT", "Phòng Kinh tế, Hạ tầng và Đô thị phường Hoàn Kiếm", "Phòng KT, HT và ĐT"),
    ("00070-VHXH", "Phòng Văn hóa - Xã hội phường Hoàn Kiếm", "Phòng VH-XH"),
)
STAFF = {"secretariat": Role.SECRETARIAT, "reviewer": Role.REVIEWER, "council": Role.COUNCIL}


def offices_of(commune: Unit) -> list[Unit]:
    return [
        Unit.objects.create(
            code=code,
            name=name,
            short_name=short,
            kind=UnitKind.OFFICE,
            parent=commune,
            active_from=date(2025, 7, 1),
        )
        for code, name, short in OFFICES
    ]


def second_commune() -> Unit:
    return Unit.objects.create(
        code="00082", name="Cửa Nam", kind=UnitKind.COMMUNE, sub_kind="phuong"
    )


def person(username: str, role: str, unit: Unit | None) -> User:
    """An account with the test password; the roles that require two-factor login are enrolled."""
    from accounts import twofactor

    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, unit=unit, email=f"{username}@example.vn"
    )
    if twofactor.is_required(user):
        enrolled(user)
    return user


def staff_of(organiser: Unit, name: str) -> dict[str, User]:
    """The organiser's secretariat, reviewer and council: staff roles held for that unit."""
    return {key: person(f"{key}.{name}", role, organiser) for key, role in STAFF.items()}
