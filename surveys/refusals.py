"""Refused invitation codes and dossier numbers at the respondents' ways in: the hourly limits on
refusals per device and per address, the record of each refusal (CodeRefusal), and finding the
invitation behind a typed code. Used by the code entry page and by the intake (surveys/intake/)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from . import questionnaire as q
from .errors import SurveyError
from .hashing import keyed_hash, normalise_code
from .models import CodeRefusal, Invitation

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


def check_limit(ip_hash: str, device_hash: str, now: datetime) -> int:
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


def record(reason: str, wave_id, unit_id, ip_hash: str, device_hash: str, now: datetime):
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
    check_limit(ip_hash, device_hash, now)
    invitation = find_invitation(code)
    if invitation is None:
        record(CodeRefusal.Reason.UNKNOWN, None, None, ip_hash, device_hash, now)
        raise SurveyError("Mã mời không đúng. Hãy kiểm tra lại mã in trên phiếu mời.")
    if invitation.used_at is not None:
        record(
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
        record(
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
    # Codes are printed as ABCD-EFGH: full-width or dashed otherwise, spaced or not, it is the same code.
    cleaned = normalise_code(code).replace(" ", "")
    if not q.storable(cleaned):
        return None
    if len(cleaned) == 8:
        cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
    return (
        Invitation.objects.select_related("wave", "unit")
        .filter(code_hash=keyed_hash("code", cleaned))
        .first()
    )


def official_for_entry(code: str, ip: str = "", device: str = ""):
    """The roster entry behind a personal code typed on the code page, or None when the code is not
    one (the page then tries it as an invitation code, which records a refusal). Within the same
    limits; a code of a closed or not yet open wave is refused in Vietnamese."""
    from .roster_codes import find_official

    ip_hash = keyed_hash("ip", ip) if ip else ""
    device_hash = keyed_hash("device", device) if device else ""
    now = timezone.now()
    check_limit(ip_hash, device_hash, now)
    official = find_official(code)
    if official is None:
        return None
    wave = official.wave
    if now >= wave.closes_at:
        record(CodeRefusal.Reason.EXPIRED, wave.pk, None, ip_hash, device_hash, now)
        raise SurveyError(f"Đợt khảo sát đã kết thúc lúc {_local(wave.closes_at)}.")
    if now < wave.opens_at:
        raise SurveyError(f"Đợt khảo sát chưa mở; mời Ông/Bà quay lại từ {_local(wave.opens_at)}.")
    return official
