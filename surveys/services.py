"""Every change in the survey room: questionnaires, waves and targets, invitations, responses (validated,
idempotent, rate-limited, flagged) and their exclusion. Secrets (codes, dossier numbers, addresses) are
kept only as keyed hashes."""

import contextlib
import functools
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.audit import record
from accounts.permissions import is_secretariat
from core.moments import out_of_range
from core.tabular import read_table
from surveys.intake import sql
from surveys.metrics import count_submissions
from units.models import Unit

from . import questionnaire as q
from .models import (
    Channel,
    CodeRefusal,
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Wave,
    WaveTarget,
)
from .stats import sample_size

CHANNELS = frozenset(Channel.values)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from paper


class SurveyError(Exception):
    """Refused input; `problems` lists every reason, in Vietnamese."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__(" ".join(self.problems))


@functools.lru_cache(maxsize=16)
def _hash_key(kind: str, secret: str) -> bytes:
    return hashlib.sha256(f"parindex-surveys:{kind}:{secret}".encode()).digest()


def keyed_hash(kind: str, value: str) -> str:
    key = _hash_key(kind, settings.SURVEY_HASH_KEY or settings.SECRET_KEY)
    return hmac.digest(key, value.strip().upper().encode(), "sha256").hex()


def _require_secretariat(actor) -> None:
    if not is_secretariat(actor):
        raise PermissionDenied("Chỉ Sở Nội vụ quản lý khảo sát.")


# ------------------------------------------------------------------ questionnaires and waves


@transaction.atomic
def import_questionnaire(
    actor, code: str, title: str, data: bytes, filename: str = ""
) -> QuestionnaireVersion:
    """A new version of a questionnaire from an .xlsx (or CSV/TSV) file; nothing saved if any row is wrong."""
    _require_secretariat(actor)
    questions = q.parse(read_table(data, filename))
    questionnaire, _ = Questionnaire.objects.get_or_create(code=code, defaults={"title": title})
    latest = questionnaire.latest()
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=latest.number + 1 if latest else 1,
        questions=[question.as_dict() for question in questions],
    )
    record(
        actor,
        "questionnaire.version",
        version,
        after={"questions": len(questions), "source": filename},
    )
    return version


def _times_problems(opens_at: datetime, closes_at: datetime) -> list[str]:
    # One message even when both times are out of range.
    problems = list(
        dict.fromkeys(p for p in (out_of_range(opens_at), out_of_range(closes_at)) if p)
    )
    if closes_at <= opens_at:
        problems.append("Thời điểm đóng phải sau thời điểm mở.")
    return problems


@transaction.atomic
def create_wave(actor, cycle, version, title: str, opens_at: datetime, closes_at: datetime) -> Wave:
    _require_secretariat(actor)
    if problems := _times_problems(opens_at, closes_at):
        raise SurveyError(problems)
    wave = Wave.objects.create(
        cycle=cycle, version=version, title=title, opens_at=opens_at, closes_at=closes_at
    )
    record(actor, "wave.create", wave, after={"version": str(version)})
    return wave


# Once a cycle's results are approved, its surveys are part of them: no more responses can be let in.
SETTLED_CYCLE_STATES = ("finalised", "published")
# From appraisal on, the survey leaves hold the figures copied when appraisal opened: moving a wave's
# times then would let in responses that never reach them.
SCORED_CYCLE_STATES = ("appraisal", "explanation")


@transaction.atomic
def change_wave(
    actor, wave: Wave, title: str, opens_at: datetime, closes_at: datetime, reason: str
) -> Wave:
    """Rename a wave or move its opening and closing (extend it, close it early), with a reason; the
    questionnaire version never changes. Its times stay until appraisal opens, its name until the
    results are approved. Takes effect on the next page or submission: the intake reads
    the times in the same query as everything else, and the cached blank page is keyed by them."""
    _require_secretariat(actor)
    wave = Wave.objects.select_for_update().select_related("cycle").get(pk=wave.pk)
    if wave.cycle.state in SETTLED_CYCLE_STATES:
        raise SurveyError(
            "Kết quả kỳ đánh giá đã được phê duyệt; không thể thay đổi đợt khảo sát của kỳ này."
        )
    problems = []
    if not title.strip():
        problems.append("Hãy nhập tên đợt khảo sát.")
    problems.extend(_times_problems(opens_at, closes_at))
    # The form shows times to the minute: the same minute is no move, and the stored time stays.
    moved = any(
        abs(typed - stored) >= timedelta(minutes=1)
        for typed, stored in ((opens_at, wave.opens_at), (closes_at, wave.closes_at))
    )
    if not moved:
        opens_at, closes_at = wave.opens_at, wave.closes_at
    if moved and wave.cycle.state in SCORED_CYCLE_STATES:
        problems.append(
            "Điểm khảo sát đã được đưa vào phiếu đánh giá khi chuyển sang thẩm định; "
            "chỉ còn đổi được tên đợt, không đổi được thời gian."
        )
    if not reason.strip():
        problems.append("Hãy nêu lý do thay đổi (ví dụ: gia hạn theo văn bản số …).")
    if problems:
        raise SurveyError(problems)

    def moment(value: datetime) -> str:
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")

    before = {
        "title": wave.title,
        "opens_at": moment(wave.opens_at),
        "closes_at": moment(wave.closes_at),
    }
    wave.title, wave.opens_at, wave.closes_at = title.strip(), opens_at, closes_at
    wave.save(update_fields=["title", "opens_at", "closes_at"])
    after = {"title": wave.title, "opens_at": moment(opens_at), "closes_at": moment(closes_at)}
    record(actor, "wave.change", wave, before=before, after=after, reason=reason.strip())
    return wave


@transaction.atomic
def set_targets(
    actor, wave: Wave, dossiers_by_unit: dict, margin: float = 0.05, *, samples: dict | None = None
) -> int:
    """Per-unit sample targets proposed from the number of dossiers: n = N / (1 + N·e²).

    `samples` gives a unit's target as the secretariat reviewed it on the targets page; it wins over
    the formula, and the unit's dossier count (None if unknown) is stored alongside."""
    _require_secretariat(actor)
    samples = samples or {}
    units = list(dossiers_by_unit) + [unit for unit in samples if unit not in dossiers_by_unit]
    negative = [
        str(unit)
        for unit in units
        if (dossiers_by_unit.get(unit) or 0) < 0 or (samples.get(unit) or 0) < 0
    ]
    if negative:
        raise SurveyError(f"Số hồ sơ và số phiếu cần thu không được âm: {', '.join(negative)}.")
    for unit in units:
        dossiers = dossiers_by_unit.get(unit)
        sample = samples[unit] if unit in samples else sample_size(dossiers or 0, margin)
        WaveTarget.objects.update_or_create(
            wave=wave, unit=unit, defaults={"dossiers": dossiers, "sample": sample}
        )
    record(
        actor,
        "wave.targets",
        wave,
        after={"units": len(units), "margin": margin, "reviewed": len(samples)},
    )
    return len(units)


@transaction.atomic
def generate_invitations(actor, wave: Wave, unit, count: int) -> list[str]:
    """One-time codes for a unit; returned once (for the printed sheet and CSV), stored only as hashes."""
    _require_secretariat(actor)
    if not 1 <= count <= 5000:
        raise SurveyError("Số mã mỗi lần từ 1 đến 5000.")
    # Two batches made in the same second are still told apart.
    batch = f"{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
    codes = {}  # code → its hash; a dict keeps the order and never holds one code twice
    while len(codes) < count:
        while len(codes) < count:
            raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
            code = f"{raw[:4]}-{raw[4:]}"
            codes[code] = keyed_hash("code", code)
        # A code already handed out (in any wave) is drawn again: its hash must stay unique.
        taken = set(
            Invitation.objects.filter(code_hash__in=codes.values()).values_list(
                "code_hash", flat=True
            )
        )
        codes = {code: hashed for code, hashed in codes.items() if hashed not in taken}
    Invitation.objects.bulk_create(
        [
            Invitation(wave=wave, unit=unit, code_hash=hashed, batch=batch)
            for hashed in codes.values()
        ]
    )
    record(
        actor, "wave.invitations", wave, after={"unit": unit.code, "count": count, "batch": batch}
    )
    return list(codes)


# ------------------------------------------------------------------ refused codes

TOO_MANY_REFUSALS = (
    "Đã nhập sai mã quá nhiều lần từ thiết bị hoặc mạng này; vui lòng thử lại sau một giờ."
)


def _refused_last_hour(ip_hash: str, device_hash: str, now: datetime) -> tuple[int, int]:
    """Codes refused to this address and to this device in the last hour."""
    counts, sources = {}, Q()
    if ip_hash:
        counts["address"] = Count("id", filter=Q(ip_hash=ip_hash))
        sources |= Q(ip_hash=ip_hash)
    if device_hash:
        counts["device"] = Count("id", filter=Q(device_hash=device_hash))
        sources |= Q(device_hash=device_hash)
    if not counts:
        return 0, 0
    found = CodeRefusal.objects.filter(sources, at__gte=now - timedelta(hours=1)).aggregate(
        **counts
    )
    return found.get("address", 0), found.get("device", 0)


def _refusals_allowed(ip_hash: str, device_hash: str, now: datetime) -> int:
    """The refusals of the last hour to this device, or SurveyError once the device or the address
    reaches its limit: the code is then not even looked up, so nobody can try the code space from one
    phone or network. The address's limit is the higher: a desk's Wi-Fi or a carrier's NAT puts many
    citizens, each mistyping now and then, behind one address."""
    address, device = _refused_last_hour(ip_hash, device_hash, now)
    if (
        device >= settings.SURVEY_MAX_CODE_REFUSALS_PER_HOUR
        or address >= settings.SURVEY_MAX_CODE_REFUSALS_PER_ADDRESS_PER_HOUR
    ):
        raise SurveyError(TOO_MANY_REFUSALS)
    return device


def _refuse_code(reason: str, wave_id, unit_id, ip_hash: str, device_hash: str, now: datetime):
    # Committed on its own (autocommit): the response it stands for is refused, the trace stays.
    CodeRefusal.objects.create(
        wave_id=wave_id,
        unit_id=unit_id,
        reason=reason,
        at=now,
        ip_hash=ip_hash,
        device_hash=device_hash,
    )


def invitation_for_entry(code: str, ip: str = "", device: str = "") -> Invitation:
    """The unused invitation behind a code typed on the page that asks for the code alone; a wrong or
    used one is refused in Vietnamese and recorded (CodeRefusal)."""
    ip_hash = keyed_hash("ip", ip) if ip else ""
    device_hash = keyed_hash("device", device) if device else ""
    now = timezone.now()
    _refusals_allowed(ip_hash, device_hash, now)
    invitation = find_invitation(code)
    if invitation is None:
        _refuse_code(CodeRefusal.Reason.UNKNOWN, None, None, ip_hash, device_hash, now)
        raise SurveyError("Mã mời không đúng. Hãy kiểm tra lại mã in trên phiếu mời.")
    if invitation.used_at is not None:
        _refuse_code(
            CodeRefusal.Reason.USED,
            invitation.wave_id,
            invitation.unit_id,
            ip_hash,
            device_hash,
            now,
        )
        raise SurveyError("Mã mời này đã được dùng.")
    wave = invitation.wave
    if now >= wave.closes_at:
        # A code lives as long as its wave: after the close it is expired, and said so.
        _refuse_code(
            CodeRefusal.Reason.EXPIRED,
            invitation.wave_id,
            invitation.unit_id,
            ip_hash,
            device_hash,
            now,
        )
        raise SurveyError(
            f"Mã mời đã hết hạn: đợt khảo sát đã kết thúc lúc {_local(wave.closes_at)}."
        )
    if now < wave.opens_at:
        raise SurveyError(f"Đợt khảo sát chưa mở; mời Ông/Bà quay lại từ {_local(wave.opens_at)}.")
    return invitation


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M ngày %d/%m/%Y")


def find_invitation(code: str) -> Invitation | None:
    cleaned = code.strip().upper().replace(" ", "")
    if not q.storable(cleaned):
        return None
    if len(cleaned) == 8:
        cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
    return (
        Invitation.objects.select_related("wave", "unit")
        .filter(code_hash=keyed_hash("code", cleaned))
        .first()
    )


# ------------------------------------------------------------------ responses


RESPONDENT_FORM = """
SELECT
    CASE WHEN w.opens_at <= %(now)s AND %(now)s < w.closes_at THEN 1 ELSE 0 END, v.id,
    CAST(v.created_at AS TEXT), w.*, u.*
FROM surveys_wave w
JOIN surveys_questionnaireversion v ON v.id = w.version_id
JOIN units_unit u ON u.code = %(unit)s
WHERE w.id = %(wave)s
"""


@dataclass(frozen=True)
class RespondentForm:
    """What the respondent's page needs, read in one query (`respondent_form`)."""

    is_open: bool
    questions: list
    fingerprint: tuple
    """Every stored field of the wave and the unit, and the questionnaire version (id and creation time:
    a version is never edited): the page shows nothing else from the database."""


def _askable(wave_id: int, unit_code: str) -> bool:
    """Whether the database can be asked for this wave and unit: they come from the address, which
    may carry any number of digits (past a bigint) and any text (a NUL character PostgreSQL refuses)."""
    return (
        0 < wave_id < 2**63
        and 0 < len(unit_code) <= Unit._meta.get_field("code").max_length
        and q.storable(unit_code)
    )


def respondent_form(wave_id: int, unit_code: str) -> RespondentForm | None:
    """The wave's questions and whether it is open, for the respondent's page; None for an unknown
    wave or unit."""
    if not _askable(wave_id, unit_code):
        return None
    # Prepared, and without the health check's round trip of its own (surveys/intake/sql.py): a page a
    # second per respondent at the one-stop desk's busiest hour.
    connection = transaction.get_connection()
    now = Response._meta.get_field("submitted_at").get_db_prep_value(timezone.now(), connection)
    row = sql.fetch_one(RESPONDENT_FORM, {"wave": wave_id, "unit": unit_code, "now": now})
    if row is None:
        return None
    return RespondentForm(
        is_open=bool(row[0]), questions=_questions_of(tuple(row[1:3])), fingerprint=row[1:]
    )


class UnknownWaveOrUnit(SurveyError):
    """No such wave, or no unit with that code (the API answers 404)."""

    def __init__(self):
        super().__init__("Không tìm thấy đợt khảo sát hoặc đơn vị.")


def _flags(
    answers: dict,
    duration_s: int | None,
    recent_from_address: int,
    questions,
    refused_before: int = 0,
) -> list[str]:
    flags = []
    answered = len(answers)
    if (
        duration_s is not None
        and answered
        and duration_s < answered * settings.SURVEY_MIN_SECONDS_PER_ANSWER
    ):
        flags.append("speeding")
    likert = [answers[x.name] for x in questions if x.type == "likert5" and x.name in answers]
    if len(likert) >= 8 and len(set(likert)) == 1:
        flags.append("straight_lining")
    if recent_from_address >= settings.SURVEY_BURST_PER_10_MINUTES:
        flags.append("burst")
    if refused_before >= settings.SURVEY_CODE_REFUSALS_FLAG:
        flags.append("refused_codes")
    return flags


LOOK_AROUND = """
SELECT
    CASE WHEN w.opens_at <= %(now)s AND %(now)s < w.closes_at THEN 1 ELSE 0 END AS is_open,
    v.id AS version_id,
    -- As text: only compared, never computed with (a timestamptz costs a Python-side parse).
    CAST(v.created_at AS TEXT) AS version_created,
    u.id AS unit_id,
    (SELECT COUNT(*) FROM surveys_wavetarget t WHERE t.wave_id = w.id AND t.unit_id = u.id)
        AS in_wave,
    (SELECT r.id FROM surveys_response r WHERE r.submission_id = %(submission)s) AS stored,
    address.hour AS from_ip,
    device.hour AS from_device,
    -- A burst from one address or from one device (a phone that moves between networks).
    CASE WHEN address.burst >= device.burst THEN address.burst ELSE device.burst END AS burst
FROM surveys_wave w
JOIN surveys_questionnaireversion v ON v.id = w.version_id
LEFT JOIN units_unit u ON u.code = %(unit)s
CROSS JOIN (
    -- One pass over this address's last hour (index response_address_recent) for both counts.
    SELECT COUNT(*) AS hour,
        COUNT(*) FILTER (WHERE r.wave_id = %(wave)s AND r.submitted_at >= %(burst_since)s) AS burst
    FROM surveys_response r WHERE r.ip_hash = %(ip)s AND r.submitted_at >= %(hour_ago)s
) address
CROSS JOIN (
    -- The same for this device (index response_device_recent).
    SELECT COUNT(*) AS hour,
        COUNT(*) FILTER (WHERE r.wave_id = %(wave)s AND r.submitted_at >= %(burst_since)s) AS burst
    FROM surveys_response r WHERE r.device_hash = %(device)s AND r.submitted_at >= %(hour_ago)s
) device
WHERE w.id = %(wave)s
"""

LOOK_AND_STORE = f"""
WITH look AS ({LOOK_AROUND}),
stored_now AS (
    INSERT INTO surveys_response (wave_id, unit_id, submission_id, channel, answers, started_at,
        submitted_at, duration_s, ip_hash, device_hash, invitation_id, dossier_hash, flags,
        excluded, exclusion_reason)
    SELECT %(wave)s::bigint, look.unit_id, %(submission)s::uuid, %(channel)s::varchar,
        %(answers)s::jsonb, %(started_at)s::timestamptz, %(now)s::timestamptz,
        %(duration)s::integer, %(ip_hash)s::varchar, %(device_hash)s::varchar, NULL::bigint, '',
        CASE WHEN look.burst >= %(burst_at)s THEN %(flags_burst)s::jsonb ELSE %(flags)s::jsonb END,
        false, ''
    FROM look
    WHERE look.is_open = 1 AND look.in_wave > 0 AND look.stored IS NULL
        AND look.from_ip < %(address_limit)s AND look.from_device < %(device_limit)s
        AND look.version_id = %(version_id)s AND look.version_created = %(version_created)s::text
    ON CONFLICT (submission_id) DO NOTHING
    RETURNING id
)
SELECT look.*, (SELECT id FROM stored_now) FROM look
"""  # noqa: S608  (no value is formatted in: only the look-around's text)
"""`_look_around` and, when everything it reads allows it, the INSERT, in one statement
(PostgreSQL: a data-modifying WITH). Used by `_store_at_once`."""


def _look_params(submission, wave_id: int, unit_code: str, ip_hash, device_hash, now) -> dict:
    """The look-around's values, prepared by the model's fields as the ORM would."""
    fields = Response._meta
    connection = transaction.get_connection()

    def moment(value):
        return fields.get_field("submitted_at").get_db_prep_value(value, connection)

    return {
        "wave": wave_id,
        "unit": unit_code,
        "now": moment(now),
        "submission": fields.get_field("submission_id").get_db_prep_value(submission, connection),
        # An empty hash (no address or device given) counts nothing.
        "ip": ip_hash or None,
        "device": device_hash or None,
        "hour_ago": moment(now - timedelta(hours=1)),
        "burst_since": moment(now - timedelta(minutes=10)),
    }


def _look_around(params: dict) -> dict:
    """One round trip for everything a new response is checked against: whether the wave is open and
    its questionnaire version (`is_open`, `version`: its id and creation time), the unit's id
    (`unit_id`, None for an unknown code) and whether it takes part in the wave (`in_wave`), the
    response already stored under this submission id (`stored`: its id, or None), what the limits
    count (responses of the last hour from this address, `from_ip`, and from this device,
    `from_device`) and what the burst flag counts (`burst`: the last ten minutes from this address or,
    if more, from this device in this wave).

    Plain SQL that SQLite runs too, prepared on PostgreSQL (surveys/intake/sql.py). Raises
    UnknownWaveOrUnit."""
    return _seen(sql.fetch_one(LOOK_AROUND, params), params["wave"])


_SEEN = ("is_open", "unit_id", "in_wave", "stored", "from_ip", "from_device", "burst")
_wave_versions: dict[int, tuple] = {}
"""The questionnaire version each wave was last seen with (in this process), for `_store_at_once`."""


def _seen(row, wave_id: int) -> dict:
    """The look-around's row as a dict (see `_look_around`); remembers the wave's version."""
    if row is None or row[3] is None:
        raise UnknownWaveOrUnit
    seen = dict(zip(_SEEN, row[:1] + row[3:9], strict=True)) | {"version": tuple(row[1:3])}
    if len(_wave_versions) >= 1000:
        _wave_versions.clear()
    _wave_versions[wave_id] = seen["version"]
    return seen


_version_questions: dict[tuple, list] = {}


def _questions_of(version: tuple) -> list:
    """The questions of a version (its id and creation time: ids can come back after a rollback),
    read and parsed once per process (a version is never edited: a change makes a new one)."""
    parsed = _version_questions.get(version)
    if parsed is None:
        if len(_version_questions) >= 64:
            _version_questions.clear()
        stored = QuestionnaireVersion.objects.values_list("questions", flat=True).get(pk=version[0])
        parsed = _version_questions[version] = [q.Question.from_dict(d) for d in stored]
    return parsed


def _duration(started_at: datetime | None, now: datetime) -> int | None:
    return int((now - started_at).total_seconds()) if started_at and started_at <= now else None


def _store_at_once(look: dict, channel: str, answers, started_at, ip_hash, device_hash, now):
    """The common case in one round trip, the fewest a response can take: on PostgreSQL, once this
    process knows the wave's questionnaire and the answers are valid for it, the look-around and the
    INSERT go as one statement that stores the response only if everything it reads allows it (the
    same conditions as `submit_response` checks: open, taking part, not stored yet, under the limits,
    the same questionnaire version).

    Returns what the look-around saw and the stored response; (None, None) when it does not apply,
    (seen, None) when it stored nothing: `submit_response` then goes on the usual way with what was
    seen, which names the refusal or stores the response with a second statement."""
    connection = transaction.get_connection()
    version = _wave_versions.get(look["wave"])
    if connection.vendor != "postgresql" or version is None:
        return None, None
    questions = _questions_of(version)
    clean, problems = q.validate_answers(questions, answers)
    if problems:
        return None, None  # named the usual way, after the refusals that come first
    duration = _duration(started_at, now)
    flags = _flags(clean, duration, 0, questions)
    with_burst = [*flags, "burst"]
    as_json = Response._meta.get_field("answers")
    values = look | {
        "channel": channel,
        "answers": as_json.get_db_prep_save(clean, connection),
        "started_at": started_at,
        "duration": duration,
        "ip_hash": ip_hash,
        "device_hash": device_hash,
        "burst_at": settings.SURVEY_BURST_PER_10_MINUTES,
        "flags": as_json.get_db_prep_save(flags, connection),
        "flags_burst": as_json.get_db_prep_save(with_burst, connection),
        "address_limit": _limit("SURVEY_MAX_PER_ADDRESS_PER_HOUR"),
        "device_limit": _limit("SURVEY_MAX_PER_DEVICE_PER_HOUR"),
        "version_id": version[0],
        "version_created": version[1],
    }
    # Inside a transaction (a test), in a savepoint as the usual INSERT is.
    with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
        row = sql.fetch_one(LOOK_AND_STORE, values)
    seen = _seen(row, look["wave"])
    if row[9] is None:
        return seen, None
    stored = {
        "id": row[9],
        "wave_id": look["wave"],
        "unit_id": seen["unit_id"],
        "submission_id": look["submission"],
        "channel": channel,
        "answers": clean,
        "started_at": started_at,
        "submitted_at": now,
        "duration_s": duration,
        "ip_hash": ip_hash,
        "device_hash": device_hash,
        "invitation_id": None,
        "dossier_hash": "",
        "flags": with_burst if seen["burst"] >= settings.SURVEY_BURST_PER_10_MINUTES else flags,
        "excluded": False,
        "exclusion_reason": "",
    }
    # The row as the statement stored it; from_db builds it from positional values, which costs a
    # fraction of the keyword arguments' path.
    response = Response.from_db(
        connection.alias, None, [stored[f.attname] for f in Response._meta.concrete_fields]
    )
    return seen, response


def _limit(name: str) -> int:
    """A per-hour intake limit: the address or device one when set, else SURVEY_MAX_PER_SOURCE_PER_HOUR."""
    return getattr(settings, name, None) or settings.SURVEY_MAX_PER_SOURCE_PER_HOUR


@count_submissions  # parindex_survey_submissions_total by channel and outcome (/metrics)
def submit_response(
    *,
    wave: Wave | int,
    unit,
    submission_id,
    answers,
    channel: str,
    started_at: datetime | None = None,
    ip: str = "",
    device: str = "",
    code: str = "",
    dossier: str = "",
) -> tuple[Response, bool]:
    """Store one response, or return the one already stored under this submission id (never a second).

    `wave` and `unit` are the objects, or the wave's id and the unit's code (all the API has; an
    unknown one raises UnknownWaveOrUnit). The busiest path of the platform (bench/survey_intake.py):
    a new response from the app or the public link costs one round trip on PostgreSQL
    (`_store_at_once`); otherwise two, the look-around (`_look_around`) and the INSERT, which commits
    on its own in autocommit mode."""
    try:
        submission = uuid.UUID(str(submission_id))
    except ValueError:
        raise SurveyError("Mã phiếu không hợp lệ; hãy tải lại trang.") from None
    wave_id = wave if isinstance(wave, int) else wave.pk
    unit_code = unit if isinstance(unit, str) else unit.code
    if not _askable(wave_id, unit_code):
        raise UnknownWaveOrUnit
    ip_hash = keyed_hash("ip", ip) if ip else ""
    device_hash = keyed_hash("device", device) if device else ""
    now = timezone.now()
    look = _look_params(submission, wave_id, unit_code, ip_hash, device_hash, now)
    seen = None
    # The app may name the dossier the citizen rates: then one response per dossier, as on the web.
    by_dossier = channel == Channel.DOSSIER or (channel == Channel.API and bool(dossier.strip()))
    if channel in (Channel.API, Channel.LINK) and not by_dossier:
        seen, response = _store_at_once(
            look, channel, answers, started_at, ip_hash, device_hash, now
        )
        if response is not None:
            return response, True
    if seen is None:
        seen = _look_around(look)
    unit_id = seen["unit_id"]
    if seen["stored"] is not None:
        return _stored(submission, wave_id, unit_id), False
    problems = []
    if not seen["is_open"]:
        raise SurveyError("Đợt khảo sát đã đóng hoặc chưa mở.")
    if channel not in CHANNELS:
        raise SurveyError("Kênh trả lời không hợp lệ.")
    if not seen["in_wave"]:
        raise SurveyError("Đơn vị không thuộc đợt khảo sát này.")
    if seen["from_ip"] >= _limit("SURVEY_MAX_PER_ADDRESS_PER_HOUR") or seen[
        "from_device"
    ] >= _limit("SURVEY_MAX_PER_DEVICE_PER_HOUR"):
        raise SurveyError(
            "Có quá nhiều phiếu gửi từ cùng một thiết bị hoặc mạng; vui lòng thử lại sau."
        )
    invitation = None
    refused = None  # the reason a code is refused, recorded below
    refused_before = 0
    if channel == Channel.CODE or by_dossier:
        refused_before = _refusals_allowed(ip_hash, device_hash, now)
    if channel == Channel.CODE:
        invitation = find_invitation(code or "")
        if invitation is None or invitation.wave_id != wave_id or invitation.unit_id != unit_id:
            invitation, refused = None, CodeRefusal.Reason.UNKNOWN
            problems.append("Mã mời không đúng.")
        elif invitation.used_at is not None:
            refused = CodeRefusal.Reason.USED
            problems.append("Mã mời này đã được dùng.")
    dossier_hash = ""
    if by_dossier:
        typed = dossier.strip()
        # Printable only: a zero-width space or a line break is not a receipt number.
        if not typed or len(typed) > 60 or not typed.isprintable() or not q.storable(typed):
            problems.append(
                "Hãy nhập mã hồ sơ ghi trên giấy tiếp nhận."
                if channel == Channel.DOSSIER
                else "Mã hồ sơ không hợp lệ: tối đa 60 ký tự in được."
            )
        else:
            dossier_hash = keyed_hash("dossier", dossier)
            rated = (
                Response.objects.filter(wave_id=wave_id, dossier_hash=dossier_hash)
                .values_list("submission_id", flat=True)
                .first()
            )
            if rated == submission:
                # This very submission, stored by a retry that overtook it since the look-around.
                return _stored(submission, wave_id, unit_id), False
            if rated is not None:
                refused = CodeRefusal.Reason.DOSSIER_USED
                problems.append("Hồ sơ này đã được đánh giá.")
    if refused:
        _refuse_code(refused, wave_id, unit_id, ip_hash, device_hash, now)
    questions = _questions_of(seen["version"])
    clean, answer_problems = q.validate_answers(questions, answers)
    problems.extend(answer_problems)
    if problems:
        raise SurveyError(problems)
    duration = _duration(started_at, now)
    response = Response(
        wave_id=wave_id,
        unit_id=unit_id,
        submission_id=submission,
        channel=channel,
        answers=clean,
        started_at=started_at,
        submitted_at=now,
        duration_s=duration,
        ip_hash=ip_hash,
        device_hash=device_hash,
        invitation=invitation,
        dossier_hash=dossier_hash,
        flags=_flags(clean, duration, seen["burst"], questions, refused_before),
    )
    lost_claim = False
    try:
        if invitation is None and not transaction.get_connection().in_atomic_block:
            # One statement in autocommit mode: stored (and durable) once it returns, and a
            # duplicate leaves the connection usable. No BEGIN and COMMIT round trips.
            sql.insert(response)
        else:
            with transaction.atomic():
                if invitation is not None:
                    # Claimed in the same transaction: two tabs with one code cannot both succeed.
                    claimed = Invitation.objects.filter(
                        pk=invitation.pk, used_at__isnull=True
                    ).update(used_at=now)
                    if not claimed:
                        lost_claim = True  # another tab or phone used the code a moment ago
                        raise SurveyError("Mã mời này đã được dùng.")
                sql.insert(response)
    except SurveyError:
        if lost_claim:  # recorded once the claim's transaction has rolled back
            _refuse_code(CodeRefusal.Reason.USED, wave_id, unit_id, ip_hash, device_hash, now)
        raise
    except IntegrityError:
        # The same submission arrived twice at once: the first one stands.
        if not Response.objects.filter(submission_id=submission).exists():
            # Or another response for the same dossier got in first.
            _refuse_code(
                CodeRefusal.Reason.DOSSIER_USED, wave_id, unit_id, ip_hash, device_hash, now
            )
            raise SurveyError("Hồ sơ này đã được đánh giá.") from None
        return _stored(submission, wave_id, unit_id), False
    return response, True


def _stored(submission, wave_id: int, unit_id: int) -> Response:
    existing = Response.objects.get(submission_id=submission)
    if existing.wave_id != wave_id or existing.unit_id != unit_id:
        raise SurveyError("Mã phiếu đã được dùng cho một khảo sát khác.")
    return existing


@transaction.atomic
def set_excluded(actor, response: Response, excluded: bool, reason: str) -> Response:
    _require_secretariat(actor)
    if not reason.strip():
        raise SurveyError("Hãy nêu lý do.")
    before = {"excluded": response.excluded, "reason": response.exclusion_reason}
    response.excluded, response.exclusion_reason = excluded, reason.strip()
    response.save(update_fields=["excluded", "exclusion_reason"])
    record(
        actor,
        "response.exclude" if excluded else "response.restore",
        response,
        before=before,
        after={"excluded": excluded, "reason": response.exclusion_reason},
        reason=reason.strip(),
    )
    return response
