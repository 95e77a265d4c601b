"""The demo's indices at every level (docs/levels.md): the city's 2025 indices of its public service
units and of the central agencies in Hà Nội, played to publication beside the combined index of
departments and communes (one central agency on a reduced set of domains); and this year's internal
indices of Sở Tư pháp (its divisions) and Phường Hoàn Kiếm (its offices), in self-assessment, each run
by its own secretariat."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import Role, User
from cycles.models import Cycle, CycleState, IndexFamily
from cycles.services import add_participants, choose_framework_variant, create_cycle, set_phase
from cycles.services import transition as move
from frameworks.bundled import BUNDLED, load_specs
from frameworks.services import save_specs
from units.models import Unit, UnitKind

# The central agency scored on a reduced set of domains (the police, whose public finance is the
# Ministry's): its variant leaves out domain 5.
REDUCED_AGENCY = "TW01"
REDUCED_VARIANT = "không chấm cải cách tài chính công"
REDUCED_DOMAIN = "5"


@dataclass(frozen=True)
class CityFamily:
    family: str
    kind: str
    framework: str
    title: str


CITY_FAMILIES_2025 = (
    CityFamily(
        IndexFamily.PUBLIC_SERVICE,
        UnitKind.PUBLIC_SERVICE_UNIT,
        "public_service",
        "Chỉ số CCHC năm 2025 của các đơn vị sự nghiệp công lập thuộc UBND Thành phố",
    ),
    CityFamily(
        IndexFamily.CENTRAL_AGENCIES,
        UnitKind.CENTRAL_AGENCY,
        "central_agency",
        "Chỉ số CCHC năm 2025 của các cơ quan Trung ương được tổ chức theo ngành dọc "
        "đóng trên địa bàn Thành phố",
    ),
)


@dataclass(frozen=True)
class InternalIndex:
    organiser: str
    kind: str
    framework: str
    title: str
    secretariat: str
    secretariat_name: str
    officer: str
    officer_name: str
    office: str


INTERNAL_2026 = (
    InternalIndex(
        "S02",
        UnitKind.DIVISION,
        "division",
        "Chỉ số CCHC năm 2026 của các phòng, đơn vị thuộc Sở Tư pháp",
        "thuky.tuphap",
        "Ngô Thị Thu Trang",
        "canbo.vanphong.tuphap",
        "Bùi Đức Thắng",
        "S02-VP",
    ),
    InternalIndex(
        "00070",
        UnitKind.OFFICE,
        "office",
        "Chỉ số CCHC năm 2026 của các phòng, ban chuyên môn thuộc UBND phường Hoàn Kiếm",
        "thuky.hoankiem",
        "Đặng Thị Hồng Nhung",
        "canbo.vanphong.hoankiem",
        "Lưu Văn Khánh",
        "00070-VP",
    ),
)


def build_city_families_2025(secretariat, reviewer, council, play) -> list[Cycle]:
    """The city's other 2025 indices, each played through `play` (demo.load.play_2025) and
    returned for publication."""
    built = []
    for number, spec in enumerate(CITY_FAMILIES_2025):
        if Cycle.objects.filter(year=2025, organiser=None, family=spec.family).exists():
            continue
        cycle = create_cycle(secretariat, 2025, spec.title, family=spec.family)
        bundle = BUNDLED[spec.framework]
        specs = load_specs(spec.framework)
        save_specs(
            secretariat, cycle, spec.kind, specs, source="demo", target_total=bundle.target_total
        )
        units = Unit.objects.filter(kind=spec.kind, active_to__isnull=True).order_by("code")
        add_participants(secretariat, cycle, units)
        if spec.kind == UnitKind.CENTRAL_AGENCY:
            _reduced_variant(secretariat, cycle, spec, specs, bundle.target_total)
        move(secretariat, cycle, CycleState.SELF_ASSESSMENT, reason="Năm demo")
        built.append(play(cycle, secretariat, reviewer, council, random.Random(2025 + number)))
    return built


def _reduced_variant(secretariat, cycle, spec, specs, total) -> None:
    dropped = [
        s for s in specs if s.code == REDUCED_DOMAIN or s.code.startswith(f"{REDUCED_DOMAIN}.")
    ]
    domain = next(s for s in dropped if s.code == REDUCED_DOMAIN)
    save_specs(
        secretariat,
        cycle,
        spec.kind,
        [s for s in specs if s not in dropped],
        source="demo",
        target_total=total - domain.max_points,
        variant=REDUCED_VARIANT,
    )
    choose_framework_variant(
        secretariat, cycle, Unit.objects.get(code=REDUCED_AGENCY), REDUCED_VARIANT
    )


def ensure_internal_accounts(password: str, enrol) -> None:
    """Each internal index's secretariat (acting for its organiser) and one office's officer."""
    for spec in INTERNAL_2026:
        for username, role, name, unit_code in (
            (spec.secretariat, Role.SECRETARIAT, spec.secretariat_name, spec.organiser),
            (spec.officer, Role.UNIT_OFFICER, spec.officer_name, spec.office),
        ):
            unit = Unit.objects.filter(code=unit_code).first()
            if unit is None:  # the catalogue is not loaded (a test of the accounts alone)
                continue
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = name, ""
            user.email = f"{username}@demo.parindex.local"
            user.role, user.unit = role, unit
            user.set_password(password)
            user.save()
            enrol(user)


def build_internal_2026() -> list[Cycle]:
    """Sở Tư pháp's and Phường Hoàn Kiếm's own indices, opened by their secretariats."""
    now = timezone.now()
    built = []
    for spec in INTERNAL_2026:
        organiser = Unit.objects.get(code=spec.organiser)
        if Cycle.objects.filter(
            year=2026, organiser=organiser, family=IndexFamily.INTERNAL
        ).exists():
            continue
        secretariat = User.objects.get(username=spec.secretariat)
        cycle = create_cycle(
            secretariat, 2026, spec.title, organiser=organiser, family=IndexFamily.INTERNAL
        )
        bundle = BUNDLED[spec.framework]
        save_specs(
            secretariat,
            cycle,
            spec.kind,
            load_specs(spec.framework),
            source="demo",
            target_total=bundle.target_total,
        )
        add_participants(secretariat, cycle, organiser.children.filter(kind=spec.kind))
        set_phase(
            secretariat,
            cycle,
            "self_assessment",
            now - timedelta(days=10),
            now + timedelta(days=20),
        )
        move(secretariat, cycle, CycleState.SELF_ASSESSMENT, reason="Năm demo")
        built.append(cycle)
    return built
