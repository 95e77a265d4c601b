"""The survey intake's hot path: `submit_response`, which stores one response from any way in (the
citizen app's API, the public link, an invitation code, a dossier receipt, paper, an enumerator),
validated, idempotent by submission id, within the limits and flagged. Measured by
bench/survey_intake.py (README.md beside this file)."""

import contextlib
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from surveys import questionnaire as q
from surveys import refusals, roster_codes
from surveys.errors import SurveyError, UnknownWaveOrUnit
from surveys.hashing import keyed_hash, normalise_code
from surveys.metrics import count_submissions
from surveys.models import Channel, CodeRefusal, Invitation, Response, Wave

from . import sql
from .respondent import askable, questions_of

# An imported file's responses come through services.import_responses, never through the intake.
CHANNELS = frozenset(Channel.values) - {Channel.IMPORT}


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
    CASE WHEN address.burst >= device.burst THEN address.burst ELSE device.burst END AS burst,
    -- A wave answered with the personal codes of its roster only (surveys/roster_codes.py).
    CASE WHEN w.by_roster THEN 1 ELSE 0 END AS by_roster
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
    WHERE look.is_open = 1 AND look.in_wave > 0 AND look.stored IS NULL AND look.by_roster = 0
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


_SEEN = (
    "is_open",
    "unit_id",
    "in_wave",
    "stored",
    "from_ip",
    "from_device",
    "burst",
    "by_roster",
)
_wave_versions: dict[int, tuple] = {}
"""The questionnaire version each wave was last seen with (in this process), for `_store_at_once`."""


def _seen(row, wave_id: int) -> dict:
    """The look-around's row as a dict (see `_look_around`); remembers the wave's version."""
    if row is None or row[3] is None:
        raise UnknownWaveOrUnit
    seen = dict(zip(_SEEN, row[:1] + row[3:10], strict=True)) | {"version": tuple(row[1:3])}
    if len(_wave_versions) >= 1000:
        _wave_versions.clear()
    _wave_versions[wave_id] = seen["version"]
    return seen


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
    questions = questions_of(version)
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
    if row[10] is None:
        return seen, None
    stored = {
        "id": row[10],
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
    if not askable(wave_id, unit_code):
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
    if seen["by_roster"] and channel != Channel.CODE:
        raise SurveyError(roster_codes.ROSTER_ONLY)
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
        refused_before = refusals.check_limit(ip_hash, device_hash, now)
    official = None
    if channel == Channel.CODE and seen["by_roster"]:
        # A personal code of the wave's roster: it names the person, and so the group they answer for.
        official = roster_codes.find_official(code or "")
        why = roster_codes.check_rating(official, wave_id, unit_id)
        if why:
            official = None
            refused = (
                CodeRefusal.Reason.USED
                if why == roster_codes.ANSWERED
                else CodeRefusal.Reason.UNKNOWN
            )
            problems.append(why)
        elif isinstance(answers, dict):
            answers = answers | {roster_codes.GROUP_QUESTION: official.group}
    elif channel == Channel.CODE:
        invitation = refusals.find_invitation(code or "")
        if invitation is None or invitation.wave_id != wave_id or invitation.unit_id != unit_id:
            invitation, refused = None, CodeRefusal.Reason.UNKNOWN
            problems.append("Mã mời không đúng.")
        elif invitation.used_at is not None:
            refused = CodeRefusal.Reason.USED
            problems.append("Mã mời này đã được dùng.")
    dossier_hash = ""
    if by_dossier:
        # ＨＳ-PT-0001 is HS-PT-0001: one normal form for the check, the hash and the look-up.
        typed = normalise_code(dossier)
        # Printable only: a zero-width space or a line break is not a receipt number.
        if not typed or len(typed) > 60 or not typed.isprintable() or not q.storable(typed):
            problems.append(
                "Hãy nhập mã hồ sơ ghi trên giấy tiếp nhận."
                if channel == Channel.DOSSIER
                else "Mã hồ sơ không hợp lệ: tối đa 60 ký tự in được."
            )
        else:
            dossier_hash = keyed_hash("dossier", typed)
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
        refusals.record(refused, wave_id, unit_id, ip_hash, device_hash, now)
    questions = questions_of(seen["version"])
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
        if (
            invitation is None
            and official is None
            and not transaction.get_connection().in_atomic_block
        ):
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
                if official is not None:
                    try:
                        with transaction.atomic():
                            roster_codes.record_rating(official, unit_id, now)
                    except IntegrityError:
                        lost_claim = True  # the same person, from another tab, a moment ago
                        raise SurveyError(roster_codes.ANSWERED) from None
                sql.insert(response)
    except SurveyError:
        if lost_claim:  # recorded once the claim's transaction has rolled back
            refusals.record(CodeRefusal.Reason.USED, wave_id, unit_id, ip_hash, device_hash, now)
        raise
    except IntegrityError:
        # The same submission arrived twice at once: the first one stands.
        if not Response.objects.filter(submission_id=submission).exists():
            # Or another response for the same dossier got in first.
            refusals.record(
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
