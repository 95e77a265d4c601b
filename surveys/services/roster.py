"""The roster of a wave (the officials' survey, DOMAIN.md §5.1): importing it from CSV or XLSX (every
row valid or nothing saved), the matrix of who rates which units, personal codes (handed out once,
kept as hashes) and reminders by e-mail to those who have not answered. What the intake and the
respondent's pages read (finding a code, the units a person rates) is surveys/roster_codes.py."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.secretbox import seal
from accounts.tasks import CODE_CONTEXT, CODE_SLOT, send_coded_emails, send_notification_emails
from core.collation import by_name
from core.permissions import require
from core.tabular import ImportFailed, ImportProblem, cell_text, read_table
from surveys.errors import SurveyError
from surveys.hashing import keyed_hash
from surveys.models import Official, OfficialRating, RatingRule, Wave, WaveTarget
from surveys.permissions import ONLY_MANAGERS, can_manage_surveys
from surveys.roster_codes import OWN_UNIT, UNIT_STAFF, group_choices, units_to_rate
from units.models import Unit, UnitKind

from .invitations import CODE_ALPHABET

COLUMNS = {
    "name": ("name", "họ và tên", "họ tên", "ho_ten"),
    "position": ("position", "chức vụ", "chuc_vu"),
    "group": ("group", "nhóm", "nhom"),
    "organisation": ("organisation", "organization", "cơ quan", "đơn vị công tác", "co_quan"),
    "unit_code": ("unit_code", "mã đơn vị", "ma_don_vi"),
    "email": ("email", "e-mail", "thư điện tử"),
    "phone": ("phone", "điện thoại", "số điện thoại", "dien_thoai"),
}
"""Each field of a roster row and the headers it may have (English or Vietnamese, any case)."""
REQUIRED = ("name", "group")

DEFAULT_RULES = (
    ("council_deputy", UnitKind.DEPARTMENT),
    ("council_deputy", UnitKind.COMMUNE),
    ("department_director", UnitKind.DEPARTMENT),
    ("commune_chair", UnitKind.DEPARTMENT),
    ("division_head", OWN_UNIT),
    (UNIT_STAFF, OWN_UNIT),
)
"""The matrix a wave starts with when its first roster is imported (DOMAIN.md §5.1: deputies, directors
and commune chairs rate the departments; deputies rate the communes too; heads of divisions and a
unit's own staff rate their own unit); the secretariat changes it on the roster page."""

REMIND_AGAIN_AFTER = timedelta(hours=24)


def rate_choices() -> list[tuple[str, str]]:
    """What a rule may name: the official's own unit, or every unit of a kind."""
    return [(OWN_UNIT, _("Đơn vị của chính mình"))] + [
        (kind.value, str(kind.label)) for kind in UnitKind
    ]


def _positions(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found = {}
    for field, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[field] = names.index(alias)
                break
    return found


def parse_roster(wave: Wave, table) -> list[Official]:
    """The roster's rows as unsaved Officials of the wave; ImportFailed naming every problem's row
    and column."""
    position = _positions(table.header)
    missing = [COLUMNS[f][1] for f in REQUIRED if f not in position]
    if missing:
        raise ImportFailed(
            [
                ImportProblem(
                    1,
                    None,
                    _("thiếu cột bắt buộc: %(columns)s (cần ít nhất họ và tên, nhóm).")
                    % {"columns": ", ".join(missing)},
                )
            ]
        )
    groups = group_choices(wave.version)
    if not groups:
        raise ImportFailed(
            [
                ImportProblem(
                    None,
                    None,
                    _("Bảng hỏi của đợt khảo sát không có câu hỏi chọn nhóm người trả lời (%(q)s).")
                    % {"q": "respondent_group"},
                )
            ]
        )
    by_text = {}
    for value, label in groups:
        by_text[value.lower()] = value
        by_text[label.strip().lower()] = value
    units = {
        u.code: u
        for u in Unit.objects.filter(pk__in=WaveTarget.objects.filter(wave=wave).values("unit_id"))
    }
    problems, officials, seen_emails = [], [], set()

    def column(field):
        return table.column_label(position[field]) if field in position else field

    for number, cells in table.rows:

        def value(field, cells=cells):
            index = position.get(field)
            return cell_text(cells[index]) if index is not None and index < len(cells) else ""

        row = {field: value(field) for field in COLUMNS}
        if not row["name"]:
            problems.append(ImportProblem(number, column("name"), _("họ và tên để trống.")))
        group = by_text.get(row["group"].strip().lower())
        if group is None:
            problems.append(
                ImportProblem(
                    number,
                    column("group"),
                    _("nhóm “%(group)s” không có trong bảng hỏi; dùng một trong: %(groups)s.")
                    % {"group": row["group"], "groups": ", ".join(v for v, _label in groups)},
                )
            )
        unit = None
        if row["unit_code"]:
            unit = units.get(row["unit_code"])
            if unit is None:
                problems.append(
                    ImportProblem(
                        number,
                        column("unit_code"),
                        _("mã đơn vị “%(code)s” không thuộc đợt khảo sát này.")
                        % {"code": row["unit_code"]},
                    )
                )
        elif group == UNIT_STAFF:
            problems.append(
                ImportProblem(
                    number,
                    column("unit_code"),
                    _("cán bộ, công chức của đơn vị phải có mã đơn vị được đánh giá."),
                )
            )
        if row["email"]:
            try:
                validate_email(row["email"])
            except ValidationError:
                problems.append(
                    ImportProblem(
                        number,
                        column("email"),
                        _("e-mail “%(email)s” không hợp lệ.") % {"email": row["email"]},
                    )
                )
            else:
                key = row["email"].lower()
                if key in seen_emails:
                    problems.append(
                        ImportProblem(
                            number,
                            column("email"),
                            _("e-mail “%(email)s” trùng với một dòng trước.")
                            % {"email": row["email"]},
                        )
                    )
                seen_emails.add(key)
        for field, limit in (
            ("name", 200),
            ("position", 200),
            ("organisation", 300),
            ("phone", 40),
        ):
            if len(row[field]) > limit:
                problems.append(
                    ImportProblem(
                        number, column(field), _("dài quá %(limit)s ký tự.") % {"limit": limit}
                    )
                )
        officials.append(
            Official(
                wave=wave,
                row=number,
                name=row["name"][:200],
                position=row["position"][:200],
                group=group or "",
                organisation=row["organisation"][:300],
                unit=unit,
                email=row["email"],
                phone=row["phone"][:40],
            )
        )
    if not officials and not problems:
        problems.append(ImportProblem(None, None, _("Danh sách không có người nào.")))
    if problems:
        raise ImportFailed(problems)
    return officials


@transaction.atomic
def import_roster(actor, wave: Wave, data: bytes, filename: str = "") -> int:
    """Replace the wave's roster with the file's (every row valid, or nothing saved); the wave then
    accepts personal codes only. Refused once someone of the roster has answered: their codes and
    answers belong to the roster they were issued from."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if OfficialRating.objects.filter(official__wave=wave).exists():
        raise SurveyError(
            _("Đã có người trong danh sách trả lời phiếu: không thể thay danh sách của đợt này.")
        )
    officials = parse_roster(wave, read_table(data, filename))
    Official.objects.filter(wave=wave).delete()
    Official.objects.bulk_create(officials)
    if not wave.rating_rules.exists():
        known = {value for value, _label in group_choices(wave.version)}
        RatingRule.objects.bulk_create(
            [RatingRule(wave=wave, group=g, rates=r) for g, r in DEFAULT_RULES if g in known]
        )
    wave.by_roster = True
    wave.save(update_fields=["by_roster"])
    record(
        actor, "wave.roster", wave, after={"officials": len(officials), "source": filename[:100]}
    )
    return len(officials)


@transaction.atomic
def set_rules(actor, wave: Wave, pairs) -> list[RatingRule]:
    """Replace the wave's matrix with `pairs` of (group, rates)."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    known = {value for value, _label in group_choices(wave.version)}
    rates = {value for value, _label in rate_choices()}
    pairs = sorted(set(pairs))
    wrong = [f"{g} → {r}" for g, r in pairs if g not in known or r not in rates]
    if wrong:
        raise SurveyError(_("Quy tắc không hợp lệ: %(rules)s.") % {"rules": ", ".join(wrong)})
    before = sorted(wave.rating_rules.values_list("group", "rates"))
    wave.rating_rules.all().delete()
    rules = RatingRule.objects.bulk_create(
        [RatingRule(wave=wave, group=g, rates=r) for g, r in pairs]
    )
    record(
        actor,
        "wave.rating_rules",
        wave,
        before={"rules": [list(p) for p in before]},
        after={"rules": [list(p) for p in pairs]},
    )
    return rules


def set_by_roster(actor, wave: Wave, by_roster: bool) -> None:
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    if wave.by_roster != by_roster:
        Wave.objects.filter(pk=wave.pk).update(by_roster=by_roster)
        record(
            actor,
            "wave.by_roster",
            wave,
            before={"by_roster": wave.by_roster},
            after={"by_roster": by_roster},
        )
        wave.by_roster = by_roster


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _position in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def issue_codes(
    actor, wave: Wave, *, again: bool = False, email_link: str = "", only: int | None = None
) -> list[tuple[Official, str]]:
    """A personal code for every official of the wave who has none (every one with `again`: their
    earlier codes stop working; `only`: just that official, for one who lost a code). Returned once,
    for the letters; stored only as hashes. With
    `email_link` (the code page's address) each new code is also e-mailed to its official when the
    roster has an address (the only moment the code is known: a reminder cannot carry it)."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    officials = Official.objects.select_for_update().filter(wave=wave).order_by("row")
    if only is not None:
        officials = officials.filter(pk=only)
    chosen = [o for o in officials if again or not o.code_hash]
    issued, now = [], timezone.now()
    for official in chosen:
        while True:
            code = _new_code()
            hashed = keyed_hash("code", code)
            if not Official.objects.filter(code_hash=hashed).exists():
                break
        official.code_hash, official.code_issued_at = hashed, now
        issued.append((official, code))
    Official.objects.bulk_update([o for o, _code in issued], ["code_hash", "code_issued_at"])
    letters = _invitations(wave, issued, email_link) if email_link else []
    record(
        actor,
        "wave.roster_codes",
        wave,
        after={"count": len(issued), "again": again, "emailed": len(letters)}
        | ({"official": only} if only is not None else {}),
    )
    if letters:
        transaction.on_commit(lambda: send_coded_emails.enqueue(letters))
    return issued


def _invitations(wave: Wave, issued, link: str) -> list[list]:
    """The invitation e-mail of each newly coded official with an address: the wave, when it closes,
    the personal code and the page to enter it on (with the code filled in). The code travels sealed
    to the worker, which puts it in the letter (accounts.tasks.send_coded_emails)."""
    subject = _("[%(site)s] Thư mời trả lời phiếu khảo sát: %(wave)s") % {
        "site": settings.SITE_NAME,
        "wave": wave.title,
    }
    closes = timezone.localtime(wave.closes_at).strftime("%H:%M ngày %d/%m/%Y")
    letters = []
    for official, code in issued:
        if not official.email:
            continue
        body = _(
            "Kính gửi Ông/Bà %(name)s,\n\nÔng/Bà được mời trả lời phiếu khảo sát “%(wave)s” "
            "(đóng lúc %(closes)s). Mã cá nhân của Ông/Bà: %(code)s. Mã chỉ dùng cho Ông/Bà, "
            "xin không chuyển cho người khác.\n\nTrả lời tại: %(link)s?ma=%(code)s\n\nTrân trọng."
        ) % {
            "name": official.name,
            "wave": wave.title,
            "closes": closes,
            "code": CODE_SLOT,
            "link": link,
        }
        sealed = seal(code.encode(), CODE_CONTEXT)
        letters.append([subject, body, settings.DEFAULT_FROM_EMAIL, [official.email], sealed])
    return letters


def progress(wave: Wave) -> dict:
    """Who has answered for which units, by the matrix: per official (`officials`: the official, the
    units to rate, the units answered), per group and per rated unit (`groups`, `units`: expected
    ratings, answered ratings, percent) and in all (`expected`, `answered`)."""
    rules = list(wave.rating_rules.values_list("group", "rates"))
    targets = [
        t.unit
        for t in wave.targets.select_related("unit").order_by(
            "unit__kind", by_name("unit__name"), "unit__code"
        )
    ]
    answered: dict[int, set] = {}
    for official_id, unit_id in OfficialRating.objects.filter(official__wave=wave).values_list(
        "official_id", "unit_id"
    ):
        answered.setdefault(official_id, set()).add(unit_id)
    officials, groups, units = [], {}, {}
    for official in wave.officials.select_related("unit").order_by("row"):
        to_rate = units_to_rate(official, rules, targets)
        done = answered.get(official.pk, set())
        officials.append(
            {
                "official": official,
                "units": to_rate,
                "answered": [u for u in to_rate if u.pk in done],
            }
        )
        group = groups.setdefault(official.group, {"people": 0, "expected": 0, "answered": 0})
        group["people"] += 1
        for unit in to_rate:
            group["expected"] += 1
            row = units.setdefault(unit.pk, {"unit": unit, "expected": 0, "answered": 0})
            row["expected"] += 1
            if unit.pk in done:
                group["answered"] += 1
                row["answered"] += 1
    for row in [*groups.values(), *units.values()]:
        row["percent"] = 100 * row["answered"] / row["expected"] if row["expected"] else None
    return {
        "officials": officials,
        "groups": groups,
        "units": units,
        "expected": sum(g["expected"] for g in groups.values()),
        "answered": sum(g["answered"] for g in groups.values()),
    }


def remind(actor, wave: Wave, link: str) -> int:
    """E-mail every official of the wave who still has units to rate and an address, and was not
    reminded in the last REMIND_AGAIN_AFTER (through the notification e-mail task, on commit); the
    reminder carries no code (only its hash is kept): it points to the code page and the letter."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    now = timezone.now()
    due = [
        row
        for row in progress(wave)["officials"]
        if row["official"].email
        and len(row["answered"]) < len(row["units"])
        and (
            row["official"].reminded_at is None
            or now - row["official"].reminded_at >= REMIND_AGAIN_AFTER
        )
    ]
    messages = []
    for row in due:
        official = row["official"]
        left = len(row["units"]) - len(row["answered"])
        subject = _("[%(site)s] Nhắc trả lời phiếu khảo sát: %(wave)s") % {
            "site": settings.SITE_NAME,
            "wave": wave.title,
        }
        body = _(
            "Kính gửi Ông/Bà %(name)s,\n\nĐợt khảo sát “%(wave)s” đóng lúc %(closes)s. Ông/Bà còn "
            "%(left)s đơn vị chưa đánh giá. Xin Ông/Bà nhập mã cá nhân ghi trong thư mời tại "
            "%(link)s để trả lời.\n\nTrân trọng."
        ) % {
            "name": official.name,
            "wave": wave.title,
            "closes": timezone.localtime(wave.closes_at).strftime("%H:%M ngày %d/%m/%Y"),
            "left": left,
            "link": link,
        }
        messages.append([subject, body, settings.DEFAULT_FROM_EMAIL, [official.email]])
    with transaction.atomic():
        Official.objects.filter(pk__in=[r["official"].pk for r in due]).update(reminded_at=now)
        record(actor, "wave.roster_remind", wave, after={"count": len(messages)})
        if messages:
            transaction.on_commit(lambda: send_notification_emails.enqueue(messages))
    return len(messages)
