"""Personas and a small cycle shared by every app's tests.

The secretariat, an officer and the head of Unit A (a ward), an officer of Unit B (a department),
a reviewer, a council member, a leader, and the anonymous visitor (the `client` fixture itself).
"""

from decimal import Decimal

import pytest
from hypothesis import settings as hypothesis_settings

from accounts import twofactor
from accounts.models import Role, User
from cycles.models import Cycle, Participation
from frameworks.evidence import EvidenceRule
from frameworks.excel import NodeSpec
from frameworks.services import save_specs
from units.models import Unit, UnitKind

# Properties are checked for what they assert, not for speed: on a loaded two-core CI machine an example
# can take longer than hypothesis's default 200 ms deadline, which failed runs that proved nothing wrong.
hypothesis_settings.register_profile("parindex", deadline=None)
hypothesis_settings.load_profile("parindex")

PASSWORD = "a-Long-test-passw0rd"
# The authenticator secret of every test persona whose role requires two-factor login (secretariat,
# reviewer, council): tests log them in with `client.force_login` (a session as after both steps, see
# accounts/backends.py), e2e journeys type a code computed from it (e2e/conftest.py, `totp_code`).
TOTP_SECRET = b"parindex-test-secret"  # 20 bytes, as an authenticator's


# The scored total of small_framework_specs (its frameworks are made with it as their target total).
SMALL_TOTAL = Decimal("10.00")


def small_framework_specs() -> list[NodeSpec]:
    """Two scored domains (10 points) and a bonus/penalty part; every rule kind on a leaf."""
    rows = [
        ("1", "Công tác chỉ đạo, điều hành", "6.00", "", {}),
        ("1.1", "Kế hoạch CCHC năm", "2.00", "", {}),
        (
            "1.1.1",
            "Ban hành kế hoạch đúng hạn",
            "1.00",
            "deadline",
            {"tiers": [["2025-01-31", 1.0], ["2025-02-28", 0.5]]},
        ),
        (
            "1.1.2",
            "Mức độ hoàn thành kế hoạch",
            "1.00",
            "ratio",
            {"mode": "proportional", "min": 0.8},
        ),
        (
            "1.2",
            "Kiểm tra CCHC các đơn vị trực thuộc",
            "1.00",
            "ratio",
            {"tiers": [[0.3, 1.0], [0.2, 0.5], [0, 0]], "allow_na": True},
        ),
        ("1.3", "Báo cáo định kỳ", "1.00", "deduction", {"per_item": 0.25}),
        (
            "1.4",
            "Tuyên truyền CCHC",
            "1.00",
            "checklist",
            {"items": ["Trang tin", "Hội nghị", "Pa-nô"], "per_item": 0.5},
        ),
        ("1.5", "Sáng kiến CCHC", "1.00", "manual", {"step": 0.25}),
        ("2", "Tác động của CCHC", "4.00", "", {}),
        ("2.1", "Có sáng kiến được công nhận", "1.00", "yes_no", {}),
        (
            "2.2",
            "Hồ sơ giải quyết đúng hạn",
            "1.00",
            "automatic",
            {"mode": "proportional", "source": "dossiers_on_time"},
        ),
        (
            "2.3",
            "Mức độ hài lòng (SIPAS)",
            "2.00",
            "survey",
            {"source": "sipas", "dimension": "overall"},
        ),
        ("3", "Điểm thưởng, điểm trừ", "2.00", "", {}),
        ("3.1", "Điểm thưởng sáng kiến", "1.00", "bonus", {"step": 0.25}),
        ("3.2", "Điểm trừ vi phạm kỷ luật", "1.00", "penalty", {"step": 0.5}),
    ]
    return [
        NodeSpec(
            code=c,
            title=t,
            max_points=Decimal(m),
            rule=r,
            rule_params=p,
            evidence_rule=EvidenceRule.WHEN_CLAIMED if r else EvidenceRule.NEVER,
        )
        for c, t, m, r, p in rows
    ]


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests that load the whole demo (`whole_demo`) start first among their kind.

    pytest-django has put the tests on a plain database first and those on a transactional one after them
    (a transactional test empties the tables, and what migrations wrote with them); that order is kept.
    Under pytest-xdist (`--dist worksteal`, make test and CI) the first half of the list starts on one
    process and the second on the other: the plain-database demo test, moved to the very front, runs on
    one while ops/tests/test_backup.py (transactional, in the second half) runs on the other, instead of
    both, a minute or two each, possibly one after the other on the same process.
    """
    first = [i for i in items if i.get_closest_marker("whole_demo") and not _transactional(i)]
    if first:
        items[:] = first + [i for i in items if i not in first]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def unit_a(db):
    return Unit.objects.create(
        code="00070", name="Hoàn Kiếm", kind=UnitKind.COMMUNE, sub_kind="phuong"
    )


@pytest.fixture
def unit_b(db):
    return Unit.objects.create(code="S02", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT)


def _user(username, role, unit=None):
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, unit=unit, email=f"{username}@example.vn"
    )
    user.is_staff = role == Role.SECRETARIAT
    user.save()
    if twofactor.is_required(user):
        enrolled(user)
    return user


def enrolled(user, secret: bytes = TOTP_SECRET):
    """Give `user` an authenticator with a known secret (no first code needed): a test persona."""
    twofactor.enrol_with_secret(user, secret)
    return user


@pytest.fixture
def secretariat(db):
    return _user("thuky", Role.SECRETARIAT)


@pytest.fixture
def officer_a(unit_a):
    return _user("canbo.a", Role.UNIT_OFFICER, unit_a)


@pytest.fixture
def head_a(unit_a):
    return _user("thutruong.a", Role.UNIT_HEAD, unit_a)


@pytest.fixture
def officer_b(unit_b):
    return _user("canbo.b", Role.UNIT_OFFICER, unit_b)


@pytest.fixture
def reviewer(db):
    return _user("thamdinh", Role.REVIEWER)


@pytest.fixture
def council(db):
    return _user("hoidong", Role.COUNCIL)


@pytest.fixture
def leader(db):
    return _user("lanhdao", Role.LEADER)


@pytest.fixture
def personas(secretariat, officer_a, head_a, officer_b, reviewer, council, leader):
    return {
        "secretariat": secretariat,
        "officer_a": officer_a,
        "head_a": head_a,
        "officer_b": officer_b,
        "reviewer": reviewer,
        "council": council,
        "leader": leader,
        "anonymous": None,
    }


@pytest.fixture
def draft_cycle(secretariat, unit_a, unit_b):
    """Cycle 2025 in draft: Unit A (commune framework) and Unit B (department framework) take part."""
    cycle = Cycle.objects.create(year=2025, title="Chỉ số CCHC năm 2025")
    Participation.objects.create(
        cycle=cycle, unit=unit_a, framework_kind=UnitKind.COMMUNE, ranking_group="Khối xã, phường"
    )
    Participation.objects.create(
        cycle=cycle, unit=unit_b, framework_kind=UnitKind.DEPARTMENT, ranking_group="Khối sở"
    )
    for kind in (UnitKind.COMMUNE, UnitKind.DEPARTMENT):
        save_specs(
            secretariat,
            cycle,
            kind,
            small_framework_specs(),
            source="test",
            target_total=SMALL_TOTAL,
        )
    return cycle


@pytest.fixture
def sipas_wave(secretariat, draft_cycle, unit_a, unit_b):
    """The built-in SIPAS questionnaire (surveys/data/sipas.tsv) in a wave of 2025 open now (the
    journeys, the demo's paper forms)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from surveys import services

    sipas = settings.BASE_DIR / "surveys" / "data" / "sipas.tsv"
    version = services.import_questionnaire(
        secretariat, "sipas", "Khảo sát SIPAS", sipas.read_bytes(), sipas.name
    )
    now = timezone.now()
    wave = services.create_wave(
        secretariat,
        draft_cycle,
        version,
        "Khảo sát SIPAS 2025",
        now - timedelta(hours=1),
        now + timedelta(days=30),
    )
    services.set_targets(secretariat, wave, {unit_a: 10000, unit_b: 300})
    return wave


def open_phases(cycle, secretariat):
    """Every phase of the cycle open from a day ago for thirty days."""
    from datetime import timedelta

    from django.utils import timezone

    from cycles.models import PhaseKind
    from cycles.services import set_phase

    now = timezone.now()
    for kind in PhaseKind.values:
        set_phase(secretariat, cycle, kind, now - timedelta(days=1), now + timedelta(days=30))


@pytest.fixture
def open_cycle(draft_cycle, secretariat, reviewer, unit_a):
    """Cycle 2025 open for self-assessment, phases open now, the reviewer assigned to Unit A."""
    from assessments.services import assign_reviewer
    from cycles.services import transition

    open_phases(draft_cycle, secretariat)
    transition(secretariat, draft_cycle, "self_assessment")
    assign_reviewer(secretariat, draft_cycle, reviewer, [unit_a])
    return draft_cycle


@pytest.fixture
def assessment_a(open_cycle, unit_a):
    return open_cycle.assessments.get(unit=unit_a)


def item_of(assessment, code):
    return assessment.items.select_related("node").get(node__code=code)
