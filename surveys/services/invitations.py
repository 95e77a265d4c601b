"""Invitations: one-time codes for a unit's respondents, handed out once and kept only as hashes."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from core.permissions import require
from surveys.errors import SurveyError
from surveys.hashing import keyed_hash
from surveys.models import Invitation, Wave
from surveys.permissions import ONLY_MANAGERS, can_manage_surveys

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from paper


@transaction.atomic
def generate_invitations(actor, wave: Wave, unit, count: int) -> list[str]:
    """One-time codes for a unit; returned once (for the printed sheet and CSV), stored only as hashes."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    if not 1 <= count <= 5000:
        raise SurveyError(_("Số mã mỗi lần từ 1 đến 5000."))
    if wave.by_roster:
        raise SurveyError(
            _(
                "Đợt này chỉ nhận mã cá nhân theo danh sách: hãy cấp mã ở trang danh sách người trả lời."
            )
        )
    # Two batches made in the same second are still told apart.
    batch = f"{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
    codes = {}  # code → its hash; a dict keeps the order and never holds one code twice
    while len(codes) < count:
        while len(codes) < count:
            raw = "".join(secrets.choice(CODE_ALPHABET) for _position in range(8))
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
