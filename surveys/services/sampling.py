"""The dossier sample of a wave: drawn from the one-stop system's list (surveys/sampling.py), its
invitation codes issued through services.generate_invitations, its contacts erased once mailed, and
its response rates per stratum (unit)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from core.collation import by_name
from core.permissions import require
from core.tabular import read_table
from surveys.errors import SurveyError
from surveys.hashing import keyed_hash
from surveys.models import Invitation, SampledDossier, SampleDraw, Wave
from surveys.permissions import ONLY_MANAGERS, can_manage_surveys
from surveys.sampling import draw, read_frame

from .invitations import generate_invitations
from .waves import SCORED_CYCLE_STATES, SETTLED_CYCLE_STATES, set_targets

MAX_FRAME_ROWS = 200_000
CODES_PER_BATCH = 5000


@transaction.atomic
def draw_sample(
    actor, wave: Wave, data: bytes, filename: str, *, seed: str, margin: float = 0.05
) -> SampleDraw:
    """Read the dossier list, draw n = N / (1 + N·e²) dossiers per unit with the seed, keep only
    those, and set the units' targets to N and n. A wave's sample may be drawn again (a corrected
    list) until its invitations are issued."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    wave = Wave.objects.select_for_update().select_related("cycle").get(pk=wave.pk)
    if wave.cycle.state in SETTLED_CYCLE_STATES + SCORED_CYCLE_STATES:
        raise SurveyError(_("Kỳ đánh giá đã qua bước thu phiếu; không thể chọn mẫu nữa."))
    seed = seed.strip()
    if not seed:
        raise SurveyError(_("Hãy nhập hạt giống ngẫu nhiên (ví dụ: số của biên bản chọn mẫu)."))
    previous = SampleDraw.objects.filter(wave=wave).first()
    if previous and previous.dossiers.exclude(invitation=None).exists():
        raise SurveyError(_("Mẫu của đợt này đã được phát mã mời; không thể chọn lại."))
    units = {p.unit.code: p.unit for p in wave.cycle.participations.select_related("unit")}
    frame = read_frame(read_table(data, filename, max_rows=MAX_FRAME_ROWS), units)
    by_unit = {}
    for row in frame:
        by_unit.setdefault(row.unit.code, []).append(row)
    drawn = draw({code: [r.code for r in rows] for code, rows in by_unit.items()}, seed, margin)
    if previous:
        previous.delete()
    sample = SampleDraw.objects.create(
        wave=wave,
        seed=seed,
        margin=Decimal(str(margin)),
        strata={
            code: {"population": len(by_unit[code]), "sample": len(codes)}
            for code, codes in drawn.items()
        },
    )
    chosen = {code for codes in drawn.values() for code in codes}
    SampledDossier.objects.bulk_create(
        [
            SampledDossier(
                draw=sample,
                unit=row.unit,
                dossier_code=row.code,
                received_on=row.received_on,
                contact=row.contact,
            )
            for row in frame
            if row.code in chosen
        ],
        batch_size=1000,
    )
    set_targets(
        actor,
        wave,
        {units[code]: len(rows) for code, rows in by_unit.items()},
        margin,
        samples={units[code]: len(codes) for code, codes in drawn.items()},
    )
    record(
        actor,
        "wave.sample",
        wave,
        after={
            "seed": seed,
            "margin": margin,
            "frame": len(frame),
            "sample": len(chosen),
            "source": filename,
        },
    )
    return sample


@transaction.atomic
def issue_sample_invitations(actor, wave: Wave) -> list[tuple[SampledDossier, str]]:
    """A one-time code for every drawn dossier that has none yet, returned once (for the mailing
    list) and stored only as a hash, as every invitation."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    sample = SampleDraw.objects.select_for_update().filter(wave=wave).first()
    if sample is None:
        raise SurveyError(_("Đợt khảo sát chưa có mẫu hồ sơ."))
    waiting = list(sample.dossiers.filter(invitation=None).select_related("unit"))
    if not waiting:
        raise SurveyError(_("Mọi hồ sơ trong mẫu đã có mã mời."))
    by_unit = {}
    for dossier in waiting:
        by_unit.setdefault(dossier.unit, []).append(dossier)
    issued = []
    for unit, dossiers in by_unit.items():
        for start in range(0, len(dossiers), CODES_PER_BATCH):
            part = dossiers[start : start + CODES_PER_BATCH]
            codes = generate_invitations(actor, wave, unit, len(part))
            invitations = Invitation.objects.in_bulk(
                [keyed_hash("code", code) for code in codes], field_name="code_hash"
            )
            for dossier, code in zip(part, codes, strict=True):
                dossier.invitation = invitations[keyed_hash("code", code)]
                issued.append((dossier, code))
    SampledDossier.objects.bulk_update([d for d, _code in issued], ["invitation"])
    return issued


@transaction.atomic
def erase_sample_contacts(actor, wave: Wave) -> int:
    """Blank the contacts of the wave's sample (once the letters have gone out); the dossier codes
    and the invitations stay, for the response rates."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    sample = SampleDraw.objects.select_for_update().filter(wave=wave).first()
    if sample is None:
        raise SurveyError(_("Đợt khảo sát chưa có mẫu hồ sơ."))
    erased = sample.dossiers.exclude(contact="").update(contact="")
    sample.contacts_erased_at = timezone.now()
    sample.save(update_fields=["contacts_erased_at"])
    record(actor, "wave.sample_contacts_erased", wave, after={"erased": erased})
    return erased


def stratum_rates(wave: Wave) -> list[dict]:
    """Per unit of the sample: N, n, codes issued, responses received through them and the rate
    (responses / n), the units sorted by name."""
    sample = SampleDraw.objects.filter(wave=wave).first()
    if sample is None:
        return []
    counted = {
        row["unit"]: row
        for row in sample.dossiers.values("unit").annotate(
            invited=Count("invitation"),
            responded=Count("invitation", filter=Q(invitation__used_at__isnull=False)),
        )
    }
    units = (
        wave.cycle.participations.filter(unit__code__in=list(sample.strata))
        .select_related("unit")
        .order_by(by_name("unit__name"))
    )
    rows = []
    for participation in units:
        unit = participation.unit
        stratum = sample.strata[unit.code]
        counts = counted.get(unit.pk, {"invited": 0, "responded": 0})
        rows.append(
            {
                "unit": unit,
                "population": stratum["population"],
                "sample": stratum["sample"],
                "invited": counts["invited"],
                "responded": counts["responded"],
                "rate": counts["responded"] / stratum["sample"] if stratum["sample"] else None,
            }
        )
    return rows
