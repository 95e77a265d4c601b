"""The demo's 2026 officials' wave by roster and SIPAS dossier sample (docs/surveys.md, "Officials by
roster", "Chọn mẫu hồ sơ"), through the services as the secretariat's pages call them: a roster of
deputies, directors, commune chairs, heads of division and units' own staff imported as a CSV with
the default matrix, personal codes issued (the named people's codes are fixed, printed by `parindex
demo` and README), a part of them answered through the intake with their code; a dossier list of a
few units drawn with a seed, invitation codes issued, a few sampled citizens answered. Synthetic
people, seeded. Safe to run twice: a wave that has a roster or a sample is left alone."""

import csv
import io
import random
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from unittest import mock

from django.utils import timezone

from demo.surveys import GROUP_QUESTION, _answer
from surveys import services
from surveys.models import Channel, SampleDraw, Wave
from surveys.questionnaire import shown
from surveys.roster_codes import units_to_rate
from surveys.services import roster as roster_service
from surveys.services.invitations import CODE_ALPHABET
from units.models import Unit, UnitKind

SEED = 2026
SAMPLE_SEED = "BB-01/2026/SNV"  # the number of the sampling minutes, as the secretariat types it
SHOWCASE_COMMUNE = "00070"  # Phường Hoàn Kiếm
SHOWCASE_DEPARTMENT = "S02"  # Sở Tư pháp


@dataclass(frozen=True)
class DemoOfficial:
    name: str
    position: str
    group: str
    unit_code: str
    code: str
    answered: int  # units rated when the demo loads (the rest is left to try)


DEMO_OFFICIALS = (
    DemoOfficial(
        "Nguyễn Thị Minh Hằng",
        "Đại biểu HĐND Thành phố, Phó Trưởng Ban Pháp chế",
        "council_deputy",
        "",
        "HDND2-MHANG",
        3,
    ),
    DemoOfficial(
        "Trần Văn Dũng",
        "Giám đốc Sở Tư pháp",
        "department_director",
        SHOWCASE_DEPARTMENT,
        "GDSTP-VDUNG",
        0,
    ),
    DemoOfficial(
        "Lê Quang Huy",
        "Chủ tịch UBND Phường Hoàn Kiếm",
        "commune_chair",
        SHOWCASE_COMMUNE,
        "CTPHK-QHUY7",
        0,
    ),
    DemoOfficial(
        "Đỗ Mạnh Cường",
        "Công chức Văn phòng - Thống kê, Phường Hoàn Kiếm",
        "unit_staff",
        SHOWCASE_COMMUNE,
        "CBPHK-MCUNG",
        0,
    ),
)
"""The roster's first rows, whose personal codes are fixed so that a newcomer can try one at /khao-sat/ma/."""

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đào",
    "Phan",
    "Trịnh",
    "Đinh",
    "Lương",
    "Mai",
]
MIDDLE = {
    "m": [
        "Văn",
        "Đức",
        "Minh",
        "Quang",
        "Hữu",
        "Thanh",
        "Mạnh",
        "Công",
        "Xuân",
        "Tiến",
        "Anh",
        "Quốc",
    ],
    "f": ["Thị", "Thu", "Thanh", "Minh", "Ngọc", "Hồng", "Thúy", "Thị", "Kim", "Phương", "Lan"],
}
GIVEN = {
    "m": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khoa",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Thắng",
        "Trung",
        "Tuấn",
        "Việt",
    ],
    "f": [
        "Anh",
        "Chi",
        "Dung",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Nhung",
        "Phương",
        "Thảo",
        "Trang",
        "Yến",
    ],
}
DEPUTY_POSITIONS = (
    "Đại biểu HĐND Thành phố",
    "Đại biểu HĐND Thành phố, Ủy viên Ban Kinh tế - Ngân sách",
    "Đại biểu HĐND Thành phố, Ủy viên Ban Văn hóa - Xã hội",
    "Đại biểu HĐND Thành phố, Ủy viên Ban Đô thị",
    "Đại biểu HĐND Thành phố, Phó Trưởng Ban Pháp chế",
)
DIVISION_HEADS = {
    UnitKind.DEPARTMENT: ("Chánh Văn phòng Sở", "Trưởng phòng Tổ chức cán bộ"),
    UnitKind.COMMUNE: ("Chánh Văn phòng HĐND và UBND", "Trưởng phòng Văn hóa - Xã hội"),
}
STAFF_POSITIONS = {
    UnitKind.DEPARTMENT: ("Chuyên viên", "Chuyên viên chính", "Kế toán viên", "Thanh tra viên"),
    UnitKind.COMMUNE: (
        "Công chức Văn phòng - Thống kê",
        "Công chức Tư pháp - Hộ tịch",
        "Công chức Địa chính - Xây dựng",
        "Công chức Văn hóa - Xã hội",
    ),
}


def _person(rng: random.Random) -> str:
    sex = rng.choice("mf")
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _username(name: str, n: int) -> str:
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    words = "".join(c for c in plain if not unicodedata.combining(c)).lower().split()
    return f"{words[-1]}.{''.join(w[0] for w in words[:-1])}{n}"


def _roster_rows(units: list[Unit], rng: random.Random) -> list[dict]:
    departments = [u for u in units if u.kind == UnitKind.DEPARTMENT]
    communes = [u for u in units if u.kind == UnitKind.COMMUNE]
    by_code = {u.code: u for u in units}
    rows = []

    def add(name, position, group, unit=None, organisation=""):
        n = len(rows) + 1
        rows.append(
            {
                "Họ và tên": name,
                "Chức vụ": position,
                "Nhóm": group,
                "Cơ quan": organisation or (unit.name if unit else ""),
                "Mã đơn vị": unit.code if unit else "",
                "Email": f"{_username(name, n)}@demo.parindex.local" if rng.random() < 0.85 else "",
                "Điện thoại": f"09{rng.randint(10, 98)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            }
        )

    council = "Hội đồng nhân dân thành phố Hà Nội"
    for person in DEMO_OFFICIALS:
        unit = by_code.get(person.unit_code)
        add(person.name, person.position, person.group, unit, "" if unit else council)
    for _ in range(11):
        add(_person(rng), rng.choice(DEPUTY_POSITIONS), "council_deputy", organisation=council)
    for unit in departments:
        if unit.code != SHOWCASE_DEPARTMENT:
            add(_person(rng), f"Giám đốc {unit.name}", "department_director", unit)
    for unit in [by_code[SHOWCASE_COMMUNE]] + rng.sample(
        [c for c in communes if c.code != SHOWCASE_COMMUNE], 29
    ):
        if unit.code != SHOWCASE_COMMUNE:
            add(_person(rng), f"Chủ tịch UBND {unit.name}", "commune_chair", unit)
    own = [by_code[SHOWCASE_DEPARTMENT], by_code[SHOWCASE_COMMUNE]]
    own += rng.sample([d for d in departments if d not in own], 3)
    own += rng.sample([c for c in communes if c not in own], 5)
    for unit in own:
        for position in DIVISION_HEADS[unit.kind]:
            add(_person(rng), position, "division_head", unit)
        for _ in range(6):
            add(_person(rng), rng.choice(STAFF_POSITIONS[unit.kind]), "unit_staff", unit)
    return rows


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _seeded_codes(rng: random.Random):
    """The codes the demo's issue_codes hands out: the named people's first, then seeded ones."""
    fixed = iter(person.code for person in DEMO_OFFICIALS)

    def new_code() -> str:
        code = next(fixed, None)
        if code is None:
            raw = "".join(rng.choice(CODE_ALPHABET) for _position in range(10))
            code = f"{raw[:5]}-{raw[5:]}"
        return code

    return new_code


def _answers(questions, group: str, rng: random.Random, quality: float) -> dict:
    answers = {GROUP_QUESTION: group} if group else {}
    for question in questions:
        if question.type == "section" or question.name == GROUP_QUESTION:
            continue
        if not shown(question, answers):
            continue
        value = _answer(question, rng, quality, None)
        if value != "" and (question.required or rng.random() < 0.8):
            answers[question.name] = value
    return answers


class _Intake:
    """Answers through the public intake (services.submit_response), each from its own device."""

    def __init__(self, wave: Wave, rng: random.Random, tag: str):
        self.wave, self.rng, self.tag, self.count = wave, rng, tag, 0
        self.questions = wave.version.parsed()
        self.now = timezone.now()

    def answer(self, unit, code: str, group: str = "") -> None:
        self.count += 1
        services.submit_response(
            wave=self.wave,
            unit=unit,
            submission_id=uuid.UUID(int=self.rng.getrandbits(128)),
            answers=_answers(self.questions, group, self.rng, self.rng.uniform(0.75, 0.95)),
            channel=Channel.CODE,
            started_at=self.now - timedelta(seconds=self.rng.randint(240, 900)),
            ip=f"10.{self.tag}.{self.count // 250}.{self.count % 250}",
            device=f"demo-{self.tag}-{self.count}",
            code=code,
        )


def load_roster(secretariat, wave: Wave) -> int:
    """The wave's roster, codes and first answers; the number of officials (0 if it had one)."""
    if wave.by_roster or wave.officials.exists():
        return 0
    rng = random.Random(SEED)
    units = sorted(
        (t.unit for t in wave.targets.select_related("unit")), key=lambda u: (u.kind, u.code)
    )
    rows = _roster_rows(units, rng)
    services.import_roster(secretariat, wave, _csv(rows), "danh-sach-nguoi-tra-loi-2026.csv")
    with mock.patch.object(roster_service, "_new_code", _seeded_codes(rng)):
        issued = services.issue_codes(secretariat, wave)
    wave.refresh_from_db()
    rules = list(wave.rating_rules.values_list("group", "rates"))
    targets = [t.unit for t in wave.targets.select_related("unit").order_by("unit__code")]
    intake = _Intake(wave, rng, "26")
    named = {person.name: person for person in DEMO_OFFICIALS}
    share = {
        "council_deputy": 0.35,
        "department_director": 0.45,
        "commune_chair": 0.35,
        "division_head": 0.7,
        "unit_staff": 0.6,
    }
    for official, code in issued:
        to_rate = units_to_rate(official, rules, targets)
        person = named.get(official.name)
        if person is not None:
            chosen = to_rate[: person.answered]
        elif rng.random() < share.get(official.group, 0):
            # Most answer every unit of their row; a deputy (141 units) rates a part of them.
            chosen = (
                rng.sample(to_rate, min(len(to_rate), rng.randint(4, 15)))
                if official.group == "council_deputy"
                else to_rate
            )
        else:
            chosen = []
        for unit in chosen:
            intake.answer(unit, code, official.group)
    return len(issued)


def _dossier_rows(units: list[Unit], rng: random.Random) -> list[dict]:
    rows = []
    first = date(2026, 1, 5)
    for index, unit in enumerate(units):
        agency = f"000.{index // 10:02d}.{21 + index:02d}.H26"
        population = rng.randint(120, 420)
        days = sorted(first + timedelta(days=rng.randint(0, 270)) for _ in range(population))
        per_day: dict = {}
        for day in days:
            per_day[day] = per_day.get(day, 0) + 1
            name = _person(rng)
            contact = (
                f"{name}, 0{rng.choice('39578')}{rng.randint(10000000, 99999999)}"
                if rng.random() < 0.7
                else f"{name}, {_username(name, rng.randint(1, 99))}@demo.parindex.local"
            )
            rows.append(
                {
                    "Mã hồ sơ": f"{agency}-{day:%y%m%d}-{per_day[day]:04d}",
                    "Mã đơn vị": unit.code,
                    "Ngày tiếp nhận": f"{day:%d/%m/%Y}",
                    "Liên hệ": contact,
                }
            )
    return rows


def load_sample(secretariat, wave: Wave) -> int:
    """The wave's dossier sample, its invitation codes and a few answers; the dossiers drawn (0 if
    it had a sample)."""
    if SampleDraw.objects.filter(wave=wave).exists():
        return 0
    rng = random.Random(SEED + 1)
    units = sorted(
        (p.unit for p in wave.cycle.participations.select_related("unit")),
        key=lambda u: (u.kind, u.code),
    )
    showcase = [u for u in units if u.code in (SHOWCASE_DEPARTMENT, SHOWCASE_COMMUNE)]
    others = [u for u in units if u not in showcase]
    chosen = (
        showcase
        + rng.sample([u for u in others if u.kind == UnitKind.DEPARTMENT], 1)
        + rng.sample([u for u in others if u.kind == UnitKind.COMMUNE], 3)
    )
    rows = _dossier_rows(chosen, rng)
    services.draw_sample(secretariat, wave, _csv(rows), "ho-so-mot-cua-2026.csv", seed=SAMPLE_SEED)
    issued = services.issue_sample_invitations(secretariat, wave)
    intake = _Intake(wave, rng, "27")
    for dossier, code in rng.sample(issued, min(len(issued), 24)):
        intake.answer(dossier.unit, code)
    return len(issued)


def load(secretariat, cycle) -> tuple[int, int]:
    """The roster of the cycle's officials' wave and the sample of its SIPAS wave."""
    waves = {
        w.version.questionnaire.code: w
        for w in cycle.waves.select_related("version__questionnaire")
    }
    officials = load_roster(secretariat, waves["officials"]) if "officials" in waves else 0
    dossiers = load_sample(secretariat, waves["sipas"]) if "sipas" in waves else 0
    return officials, dossiers
