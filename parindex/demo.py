"""The demo year: Hà Nội's units, one account per role, cycle 2025 open for self-assessment and
cycle 2026 in draft, each with the department and the commune frameworks. Safe to run twice."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import Role, User
from cycles.models import Cycle, CycleState, PhaseKind
from cycles.services import add_participants, create_cycle, set_phase, transition
from frameworks.excel import parse_specs
from frameworks.services import save_specs
from parindex.tabular import read_table
from units.importer import import_hanoi_catalogue
from units.models import Unit, UnitKind

FRAMEWORK_FILES = {
    UnitKind.DEPARTMENT: Path(__file__).resolve().parent.parent
    / "frameworks"
    / "data"
    / "framework-department.csv",
    UnitKind.COMMUNE: Path(__file__).resolve().parent.parent
    / "frameworks"
    / "data"
    / "framework-commune.csv",
}
DEMO_PASSWORD = "demo-parindex-2025"  # noqa: S105 - printed on purpose: a local demo only
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    full_name: str
    unit_code: str = ""


DEMO_ACCOUNTS = (
    DemoAccount("thuky", Role.SECRETARIAT, "Nguyễn Thu Hà"),
    DemoAccount("canbo.hoankiem", Role.UNIT_OFFICER, "Trần Minh Đức", "00070"),
    DemoAccount("thutruong.hoankiem", Role.UNIT_HEAD, "Lê Thị Lan", "00070"),
    DemoAccount("canbo.tuphap", Role.UNIT_OFFICER, "Phạm Quốc Bảo", "S02"),
    DemoAccount("thamdinh", Role.REVIEWER, "Đỗ Văn Hùng"),
    DemoAccount("hoidong", Role.COUNCIL, "Vũ Thị Mai"),
    DemoAccount("lanhdao", Role.LEADER, "Hoàng Anh Tuấn"),
)


def _at(day: str, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.strptime(day, "%d/%m/%Y").replace(hour=hour, minute=minute, tzinfo=HANOI)


PHASES_2025 = (
    (PhaseKind.SELF_ASSESSMENT, _at("01/12/2025", 8), _at("10/01/2026", 17)),
    (PhaseKind.APPRAISAL, _at("11/01/2026", 8), _at("31/01/2026", 17)),
    (PhaseKind.EXPLANATION, _at("01/02/2026", 8), _at("10/02/2026", 17)),
    (PhaseKind.FINALISATION, _at("11/02/2026", 8), _at("28/02/2026", 17)),
)


def ensure_accounts() -> list[DemoAccount]:
    units = {u.code: u for u in Unit.objects.filter(code__in=[a.unit_code for a in DEMO_ACCOUNTS])}
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=account.username)
        # Vietnamese names read family name first: keep the whole name in one field.
        user.first_name, user.last_name = account.full_name, ""
        user.email = f"{account.username}@demo.parindex.local"
        user.role = account.role
        user.unit = units.get(account.unit_code)
        user.is_staff = account.role == Role.SECRETARIAT
        user.set_password(DEMO_PASSWORD)
        user.save()
    return list(DEMO_ACCOUNTS)


def load_framework_specs(kind: str):
    path = FRAMEWORK_FILES[kind]
    return parse_specs(read_table(path.read_bytes(), path.name))


@transaction.atomic
def load_demo(stdout=None) -> None:
    say = stdout.write if stdout else (lambda _text: None)
    summary = import_hanoi_catalogue()
    say(f"Danh mục đơn vị Hà Nội: {summary.total} đơn vị.")
    ensure_accounts()
    secretariat = User.objects.get(username="thuky")
    cycle_2025 = Cycle.objects.filter(year=2025).first()
    if cycle_2025 is None:
        cycle_2025 = create_cycle(
            secretariat,
            2025,
            "Chỉ số cải cách hành chính năm 2025 của các sở, ban, ngành và UBND xã, phường",
        )
        for kind in FRAMEWORK_FILES:
            save_specs(secretariat, cycle_2025, kind, load_framework_specs(kind), source="demo")
        current = Unit.objects.filter(kind__in=list(FRAMEWORK_FILES), active_to__isnull=True)
        add_participants(secretariat, cycle_2025, current.order_by("kind", "name"))
        for kind, opens, closes in PHASES_2025:
            set_phase(secretariat, cycle_2025, kind, opens, closes)
        transition(secretariat, cycle_2025, CycleState.SELF_ASSESSMENT, reason="Năm demo")
    say(f"Kỳ đánh giá 2025: {cycle_2025.participations.count()} đơn vị tham gia.")
    if not Cycle.objects.filter(year=2026).exists():
        create_cycle(
            secretariat,
            2026,
            "Chỉ số cải cách hành chính năm 2026 của các sở, ban, ngành và UBND xã, phường",
            copy_from=cycle_2025,
        )
    say("Kỳ đánh giá 2026: dự thảo, sao chép từ 2025.")
