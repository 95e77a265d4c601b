"""Every change in the survey room: questionnaires, waves and targets, invitations, responses (validated,
idempotent, rate-limited, flagged) and their exclusion. Secrets (codes, dossier numbers, addresses) are
kept only as keyed hashes."""

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import record
from accounts.permissions import is_secretariat
from parindex.tabular import read_table

from . import questionnaire as q
from .models import (
    Channel,
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Wave,
    WaveTarget,
)
from .stats import sample_size

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from paper


class SurveyError(Exception):
    """Refused input; `problems` lists every reason, in Vietnamese."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__(" ".join(self.problems))


def keyed_hash(kind: str, value: str) -> str:
    key = hashlib.sha256(f"parindex-surveys:{kind}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


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


@transaction.atomic
def create_wave(actor, cycle, version, title: str, opens_at: datetime, closes_at: datetime) -> Wave:
    _require_secretariat(actor)
    if closes_at <= opens_at:
        raise SurveyError("Thời điểm đóng phải sau thời điểm mở.")
    wave = Wave.objects.create(
        cycle=cycle, version=version, title=title, opens_at=opens_at, closes_at=closes_at
    )
    record(actor, "wave.create", wave, after={"version": str(version)})
    return wave


@transaction.atomic
def set_targets(actor, wave: Wave, dossiers_by_unit: dict, margin: float = 0.05) -> int:
    """Per-unit sample targets proposed from the number of dossiers: n = N / (1 + N·e²)."""
    _require_secretariat(actor)
    for unit, dossiers in dossiers_by_unit.items():
        WaveTarget.objects.update_or_create(
            wave=wave,
            unit=unit,
            defaults={"dossiers": dossiers, "sample": sample_size(dossiers, margin)},
        )
    record(actor, "wave.targets", wave, after={"units": len(dossiers_by_unit), "margin": margin})
    return len(dossiers_by_unit)


@transaction.atomic
def generate_invitations(actor, wave: Wave, unit, count: int) -> list[str]:
    """One-time codes for a unit; returned once (for the printed sheet and CSV), stored only as hashes."""
    _require_secretariat(actor)
    if not 1 <= count <= 5000:
        raise SurveyError("Số mã mỗi lần từ 1 đến 5000.")
    batch = timezone.now().strftime("%Y%m%d%H%M%S")
    codes = []
    while len(codes) < count:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        codes.append(f"{raw[:4]}-{raw[4:]}")
    Invitation.objects.bulk_create(
        [
            Invitation(wave=wave, unit=unit, code_hash=keyed_hash("code", c), batch=batch)
            for c in codes
        ]
    )
    record(
        actor, "wave.invitations", wave, after={"unit": unit.code, "count": count, "batch": batch}
    )
    return codes


def find_invitation(code: str) -> Invitation | None:
    cleaned = code.strip().upper().replace(" ", "")
    if len(cleaned) == 8:
        cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
    return (
        Invitation.objects.select_related("wave", "unit")
        .filter(code_hash=keyed_hash("code", cleaned))
        .first()
    )


# ------------------------------------------------------------------ responses


def _flags(wave: Wave, answers: dict, duration_s: int | None, ip_hash: str, questions) -> list[str]:
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
    if ip_hash:
        recent = Response.objects.filter(
            wave=wave, ip_hash=ip_hash, submitted_at__gte=timezone.now() - timedelta(minutes=10)
        )
        if recent.count() >= settings.SURVEY_BURST_PER_10_MINUTES:
            flags.append("burst")
    return flags


def submit_response(
    *,
    wave: Wave,
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
    """Store one response, or return the one already stored under this submission id (never a second)."""
    try:
        submission = uuid.UUID(str(submission_id))
    except ValueError:
        raise SurveyError("Mã phiếu không hợp lệ; hãy tải lại trang.") from None
    existing = Response.objects.filter(submission_id=submission).first()
    if existing is not None:
        if existing.wave_id != wave.pk or existing.unit_id != unit.pk:
            raise SurveyError("Mã phiếu đã được dùng cho một khảo sát khác.")
        return existing, False
    problems = []
    if not wave.is_open():
        raise SurveyError("Đợt khảo sát đã đóng hoặc chưa mở.")
    if channel not in Channel.values:
        raise SurveyError("Kênh trả lời không hợp lệ.")
    if not WaveTarget.objects.filter(wave=wave, unit=unit).exists():
        raise SurveyError("Đơn vị không thuộc đợt khảo sát này.")
    ip_hash = keyed_hash("ip", ip) if ip else ""
    device_hash = keyed_hash("device", device) if device else ""
    hour_ago = timezone.now() - timedelta(hours=1)
    for field, value in (("ip_hash", ip_hash), ("device_hash", device_hash)):
        if (
            value
            and Response.objects.filter(**{field: value}, submitted_at__gte=hour_ago).count()
            >= settings.SURVEY_MAX_PER_SOURCE_PER_HOUR
        ):
            raise SurveyError(
                "Có quá nhiều phiếu gửi từ cùng một thiết bị hoặc mạng; vui lòng thử lại sau."
            )
    invitation = None
    if channel == Channel.CODE:
        invitation = find_invitation(code or "")
        if invitation is None or invitation.wave_id != wave.pk or invitation.unit_id != unit.pk:
            problems.append("Mã mời không đúng.")
        elif invitation.used_at is not None:
            problems.append("Mã mời này đã được dùng.")
    dossier_hash = ""
    if channel == Channel.DOSSIER:
        if not dossier.strip() or len(dossier.strip()) > 60:
            problems.append("Hãy nhập mã hồ sơ ghi trên giấy tiếp nhận.")
        else:
            dossier_hash = keyed_hash("dossier", dossier)
            if Response.objects.filter(wave=wave, dossier_hash=dossier_hash).exists():
                problems.append("Hồ sơ này đã được đánh giá.")
    questions = wave.version.parsed()
    clean, answer_problems = q.validate_answers(questions, answers)
    problems.extend(answer_problems)
    if problems:
        raise SurveyError(problems)
    now = timezone.now()
    duration = int((now - started_at).total_seconds()) if started_at and started_at <= now else None
    try:
        with transaction.atomic():
            if invitation is not None:
                # Claimed in the same transaction: two tabs with one code cannot both succeed.
                claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
                    used_at=now
                )
                if not claimed:
                    raise SurveyError("Mã mời này đã được dùng.")
            response = Response.objects.create(
                wave=wave,
                unit=unit,
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
                flags=_flags(wave, clean, duration, ip_hash, questions),
            )
    except IntegrityError:
        # The same submission arrived twice at once: the first one stands.
        existing = Response.objects.filter(submission_id=submission).first()
        if existing is None:
            raise SurveyError("Hồ sơ này đã được đánh giá.") from None
        return existing, False
    return response, True


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
