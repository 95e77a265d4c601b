"""Survey waves: opening one, moving or renaming it, and its per-unit sample targets."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from core.formats import moment
from core.moments import out_of_range
from core.permissions import require
from surveys.errors import SurveyError
from surveys.models import Wave, WaveTarget
from surveys.permissions import ONLY_MANAGERS, can_manage_surveys
from surveys.stats import sample_size


def _times_problems(opens_at: datetime, closes_at: datetime) -> list[str]:
    # One message even when both times are out of range.
    problems = list(
        dict.fromkeys(p for p in (out_of_range(opens_at), out_of_range(closes_at)) if p)
    )
    if closes_at <= opens_at:
        problems.append(_("Thời điểm đóng phải sau thời điểm mở."))
    return problems


@transaction.atomic
def create_wave(actor, cycle, version, title: str, opens_at: datetime, closes_at: datetime) -> Wave:
    require(actor, can_manage_surveys, ONLY_MANAGERS)
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
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    wave = Wave.objects.select_for_update().select_related("cycle").get(pk=wave.pk)
    if wave.cycle.state in SETTLED_CYCLE_STATES:
        raise SurveyError(
            _("Kết quả kỳ đánh giá đã được phê duyệt; không thể thay đổi đợt khảo sát của kỳ này.")
        )
    problems = []
    if not title.strip():
        problems.append(_("Hãy nhập tên đợt khảo sát."))
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
            _(
                "Điểm khảo sát đã được đưa vào phiếu đánh giá khi chuyển sang thẩm định; "
                "chỉ còn đổi được tên đợt, không đổi được thời gian."
            )
        )
    if not reason.strip():
        problems.append(_("Hãy nêu lý do thay đổi (ví dụ: gia hạn theo văn bản số …)."))
    if problems:
        raise SurveyError(problems)

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
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    samples = samples or {}
    units = list(dossiers_by_unit) + [unit for unit in samples if unit not in dossiers_by_unit]
    negative = [
        str(unit)
        for unit in units
        if (dossiers_by_unit.get(unit) or 0) < 0 or (samples.get(unit) or 0) < 0
    ]
    if negative:
        raise SurveyError(
            _("Số hồ sơ và số phiếu cần thu không được âm: %(units)s.")
            % {"units": ", ".join(negative)}
        )
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
