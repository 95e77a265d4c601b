"""The demo: Hà Nội's units, one account per role, and three cycles with the department and commune
frameworks: 2025 finalised (self-assessed, appraised, explained, approved), 2026 with self-assessment open
today and units at every stage of it, 2027 in draft. Safe to run twice."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts import totp, twofactor
from accounts.models import Role, User
from assessments import services as assessment_services
from assessments.automatic import value_for
from assessments.models import AssessmentState
from assessments.services import assign_reviewer
from core.tabular import read_table
from cycles.models import Cycle, CycleState, Phase, PhaseKind
from cycles.services import add_participants, create_cycle, set_phase, transition
from demo import assessments as demo_assessments
from demo import families as demo_families
from demo import levels as demo_levels
from demo import paper as demo_paper
from demo import plans as demo_plans
from demo import results as demo_results
from demo import roster as demo_roster
from demo import surveys as demo_surveys
from frameworks.excel import parse_specs
from frameworks.scoring import READ_ONLY_RULES
from frameworks.services import save_specs
from surveys.models import Response
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
# Two-factor login of the demo's secretariat, reviewer and council accounts (docs/security.md): one known
# authenticator secret for the three, and ten one-time recovery codes each, renewed at every demo load.
DEMO_TOTP_SECRET = "PARINDEXDEMOHANOICCHCSECRETKEYAB"  # noqa: S105 - printed on purpose, as above
DEMO_RECOVERY_CODES = tuple(f"demo-{n:04d}" for n in range(1, 11))
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SHOWCASE_UNIT = "00070"  # Phường Hoàn Kiếm, whose officer and head are demo accounts


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


def _enrol(user) -> None:
    if twofactor.is_required(user):
        twofactor.enrol_with_secret(
            user, totp.from_base32(DEMO_TOTP_SECRET), list(DEMO_RECOVERY_CODES)
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
        _enrol(user)
    demo_families.ensure_internal_accounts(DEMO_PASSWORD, _enrol)
    return list(DEMO_ACCOUNTS)


def load_framework_specs(kind: str):
    path = FRAMEWORK_FILES[kind]
    return parse_specs(read_table(path.read_bytes(), path.name))


CYCLE_TITLE = "Chỉ số cải cách hành chính năm {year} của các sở, ban, ngành và UBND xã, phường"


def _open_cycle_2025(secretariat) -> Cycle:
    cycle = create_cycle(secretariat, 2025, CYCLE_TITLE.format(year=2025))
    for kind in FRAMEWORK_FILES:
        save_specs(secretariat, cycle, kind, load_framework_specs(kind), source="demo")
    current = Unit.objects.filter(kind__in=list(FRAMEWORK_FILES), active_to__isnull=True)
    add_participants(secretariat, cycle, current.order_by("kind", "name"))
    transition(secretariat, cycle, CycleState.SELF_ASSESSMENT, reason="Năm demo")
    return cycle


def _quality(rng: random.Random) -> float:
    return min(0.98, max(0.55, rng.gauss(0.85, 0.08)))


def build_2025(secretariat, reviewer, council) -> Cycle:
    """The 2025 cycle as it ended: every unit self-assessed, appraised, explained; council approved."""
    return play_2025(
        _open_cycle_2025(secretariat), secretariat, reviewer, council, random.Random(2025)
    )


def play_2025(cycle: Cycle, secretariat, reviewer, council, rng: random.Random) -> Cycle:
    """An opened 2025 cycle played to its end: every unit self-assessed, appraised, explained, with
    its surveys; the council approves; the real deadlines are written as history."""
    assign_reviewer(
        secretariat, cycle, reviewer, [p.unit for p in cycle.participations.select_related("unit")]
    )
    for assessment in cycle.assessments.select_related("unit"):
        quality = _quality(rng)
        items = list(assessment.items.select_related("node"))
        demo_assessments.self_assess(items, rng, quality, 2025)
        demo_assessments.enter_data_values(items, rng, quality, _fed_in(assessment, cycle))
        demo_assessments.appraise(items, rng, quality)
        demo_assessments.explain_and_finalise(items, rng)
        items = demo_assessments.save_items(items)
        demo_assessments.attach_evidence(items, secretariat, rng, 2025, files=False)
        demo_assessments.attach_data_documents(items, secretariat, rng, 2025)
        demo_assessments.mark(
            assessment, AssessmentState.SUBMITTED, secretariat, "Dữ liệu năm demo"
        )
    demo_surveys.load_surveys(
        secretariat, {2025: cycle}
    )  # before appraisal, which reads the survey figures
    transition(secretariat, cycle, CycleState.APPRAISAL, reason="Năm demo")
    transition(secretariat, cycle, CycleState.EXPLANATION, reason="Năm demo")
    transition(
        council, cycle, CycleState.FINALISED, reason="Biên bản họp Hội đồng thẩm định (demo)"
    )
    _record_2025_dates(cycle)
    return cycle


def _fed_in(assessment, cycle: Cycle):
    """Whether a feed (the unit's sent reports) has a value for a leaf: the others are entered."""
    return lambda node: value_for(node.rule, assessment.unit, cycle, node) is not None


def _record_2025_dates(cycle: Cycle) -> None:
    """The 2025 year is replayed after the fact: its moves run without dates (a move into a phase whose
    window has closed is refused, cycles/phases.py), then its real deadlines are written as history."""
    Phase.objects.bulk_create(
        [Phase(cycle=cycle, kind=kind, opens_at=o, closes_at=c) for kind, o, c in PHASES_2025]
    )


def build_2026(secretariat, reviewer, source: Cycle) -> Cycle:
    """The cycle under way today: self-assessment open, units at every stage of it."""
    rng = random.Random(2026)
    cycle = create_cycle(secretariat, 2026, CYCLE_TITLE.format(year=2026), copy_from=source)
    now = timezone.now()
    windows = {
        PhaseKind.SELF_ASSESSMENT: (now - timedelta(days=20), now + timedelta(days=25)),
        PhaseKind.APPRAISAL: (now + timedelta(days=26), now + timedelta(days=46)),
        PhaseKind.EXPLANATION: (now + timedelta(days=47), now + timedelta(days=57)),
        PhaseKind.FINALISATION: (now + timedelta(days=58), now + timedelta(days=75)),
    }
    for kind, (opens, closes) in windows.items():
        set_phase(secretariat, cycle, kind, opens, closes)
    transition(secretariat, cycle, CycleState.SELF_ASSESSMENT, reason="Năm demo")
    departments = [
        p.unit
        for p in cycle.participations.select_related("unit")
        if p.unit.kind == UnitKind.DEPARTMENT
    ]
    assign_reviewer(
        secretariat, cycle, reviewer, [*departments, Unit.objects.get(code=SHOWCASE_UNIT)]
    )
    for assessment in cycle.assessments.select_related("unit"):
        if assessment.unit.code == SHOWCASE_UNIT:
            continue
        quality, roll = _quality(rng), rng.random()
        if roll < 0.2:
            continue  # not started yet
        items = list(assessment.items.select_related("node"))
        submitted = roll > 0.65
        demo_assessments.self_assess(
            items, rng, quality, 2026, share=1.0 if submitted else rng.uniform(0.3, 0.9)
        )
        items = demo_assessments.save_items(items)
        demo_assessments.attach_evidence(items, secretariat, rng, 2026, files=submitted)
        state = AssessmentState.SUBMITTED if submitted else AssessmentState.DRAFT
        demo_assessments.mark(assessment, state, secretariat, "Dữ liệu năm demo")
    _showcase(cycle, rng)
    return cycle


def _showcase(cycle: Cycle, rng: random.Random) -> None:
    """Phường Hoàn Kiếm fills through the real services, so its history and evidence are genuine; the
    secretariat enters one data-sourced value no feed has, with its document, which the unit sees."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = User.objects.get(username="canbo.hoankiem")
    assessment = cycle.assessments.get(unit__code=SHOWCASE_UNIT)
    items = list(assessment.items.select_related("node").order_by("node__order", "node__id"))
    unfed = next(
        item
        for item in items
        if item.node.rule == "automatic" and not _fed_in(assessment, cycle)(item.node)
    )
    assessment_services.set_data_value(
        User.objects.get(username="thuky"),
        unfed,
        percent="96,5",
        doc_number="38/BC-VP",
        doc_date=timezone.localdate() - timedelta(days=3),
        issuer="Văn phòng UBND Thành phố",
    )
    for item in items[: int(len(items) * 0.6)]:
        node = item.node
        if node.rule in READ_ONLY_RULES:
            continue
        inputs = demo_assessments.inputs_for(node, rng, 0.9, 2026)
        item = assessment_services.save_self(officer, item, inputs=inputs, note="")
        if item.needs_evidence:
            data = demo_assessments.tiny_pdf(f"{node.code} Hoan Kiem 2026")
            upload = SimpleUploadedFile(f"kiem-chung-{node.code}.pdf", data)
            assessment_services.add_evidence_file(officer, item, upload)


@transaction.atomic
def load_demo(stdout=None) -> None:
    say = stdout.write if stdout else (lambda _text: None)
    summary = import_hanoi_catalogue()
    say(f"Danh mục đơn vị Hà Nội: {summary.total} đơn vị.")
    ensure_accounts()
    secretariat = User.objects.get(username="thuky")
    reviewer = User.objects.get(username="thamdinh")
    council = User.objects.get(username="hoidong")
    # Reports and the plan first: the 2025 appraisal reads `automatic` leaves from them (the plan's tasks
    # done on time feed the plan-implementation leaf).
    demo_plans.load_reports(secretariat, timezone.now())
    plan = demo_plans.load_plan(secretariat, timezone.localdate())
    # Last year's published results first: 2025 compares with them through the mergers.
    demo_results.load_history(secretariat)
    cycle_2025 = Cycle.objects.filter(key="2025").first() or build_2025(
        secretariat, reviewer, council
    )
    if not cycle_2025.publications.exists():
        demo_results.compute_and_publish(secretariat, cycle_2025)
        cycle_2025.refresh_from_db()
    say(
        f"Kỳ đánh giá 2025: {cycle_2025.participations.count()} đơn vị, {cycle_2025.get_state_display()}."
    )
    for cycle in demo_families.build_city_families_2025(secretariat, reviewer, council, play_2025):
        demo_results.compute_and_publish(secretariat, cycle)
        say(f"{cycle.title}: {cycle.participations.count()} đơn vị, đã công bố.")
    cycle_2026 = Cycle.objects.filter(key="2026").first() or build_2026(
        secretariat, reviewer, cycle_2025
    )
    states = ", ".join(
        f"{AssessmentState(s).label}: {n}"
        for s, n in cycle_2026.assessments.values_list("state")
        .annotate(n=Count("id"))
        .order_by("state")
    )
    say(f"Kỳ đánh giá 2026: đang tự đánh giá ({states}).")
    responses = demo_surveys.load_surveys(secretariat, {2025: cycle_2025, 2026: cycle_2026})
    say(
        f"Khảo sát SIPAS và điều tra xã hội học: {Response.objects.count()} phiếu ({responses} mới)."
    )
    officials, dossiers = demo_roster.load(secretariat, cycle_2026)
    say(
        f"Đợt điều tra xã hội học 2026 theo danh sách: {officials} người được cấp mã cá nhân; "
        f"mẫu hồ sơ SIPAS 2026: {dossiers} hồ sơ được phát mã mời (lần nạp này)."
    )
    sipas_2026 = cycle_2026.waves.filter(version__questionnaire__code="sipas").first()
    if sipas_2026 is not None:
        forms = demo_paper.load_paper(sipas_2026, DEMO_PASSWORD)
        say(
            f"Phiếu giấy SIPAS 2026: {forms} phiếu được nhập (lần nạp này), có một phiếu chênh lệch."
        )
    say(
        f"Kế hoạch CCHC 2025 ({plan.decision_number}): {plan.tasks.count()} nhiệm vụ, {plan.targets.count()} chỉ tiêu."
    )
    say("Báo cáo định kỳ: các kỳ năm 2025 và 2026, kỳ đang mở nhận báo cáo.")
    for cycle in demo_families.build_internal_2026():
        say(f"{cycle.title}: {cycle.participations.count()} đơn vị, đang tự đánh giá.")
    if not Cycle.objects.filter(key="2027").exists():
        create_cycle(secretariat, 2027, CYCLE_TITLE.format(year=2027), copy_from=cycle_2026)
    say("Kỳ đánh giá 2027: dự thảo, sao chép từ 2026 (sửa được bộ tiêu chí).")
    provincial = demo_levels.load_levels(secretariat)
    say(
        f"{provincial.title}: đang tự đánh giá, "
        f"{provincial.assessments.get().leaf_contributors.count()} tiêu chí giao cho các sở, ngành."
    )
