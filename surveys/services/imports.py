"""Imports into a wave: response microdata from a file (surveys/microdata.py) and the per-unit figures
an institute published (surveys/published.py)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from core.permissions import require
from core.tabular import read_table
from surveys.errors import SurveyError
from surveys.microdata import read_microdata
from surveys.models import Channel, PublishedFigure, PublishedSource, Response, Wave
from surveys.permissions import ONLY_MANAGERS, can_manage_surveys
from surveys.published import read_published

from .waves import SCORED_CYCLE_STATES, SETTLED_CYCLE_STATES

# A wave's microdata file may be long: a city-wide paper survey keyed by an institute.
MAX_MICRODATA_ROWS = 100_000


def _open_for_import(wave: Wave) -> Wave:
    wave = Wave.objects.select_for_update().select_related("cycle", "version").get(pk=wave.pk)
    if wave.cycle.state in SETTLED_CYCLE_STATES + SCORED_CYCLE_STATES:
        raise SurveyError(
            _(
                "Điểm khảo sát của kỳ đánh giá này đã được đưa vào phiếu đánh giá; "
                "không thể nhập thêm số liệu cho đợt khảo sát."
            )
        )
    return wave


@transaction.atomic
def import_responses(actor, wave: Wave, data: bytes, filename: str = "") -> dict:
    """Store the responses of a microdata file (channel "import"); all or nothing. A response whose
    submission id the wave already holds is left as it is, so importing the same file again stores
    nothing. Returns {"stored": …, "already": …}."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    wave = _open_for_import(wave)
    units = {t.unit.code: t.unit for t in wave.targets.select_related("unit")}
    table = read_table(data, filename, max_rows=MAX_MICRODATA_ROWS)
    rows = read_microdata(table, wave.pk, wave.version.parsed(), units)
    ids = [row.submission_id for row in rows]
    stored = {}
    for start in range(0, len(ids), 1000):  # SQLite caps a statement's parameters
        stored.update(
            Response.objects.filter(submission_id__in=ids[start : start + 1000]).values_list(
                "submission_id", "wave_id"
            )
        )
    elsewhere = sorted(row.row for row in rows if stored.get(row.submission_id, wave.pk) != wave.pk)
    if elsewhere:
        raise SurveyError(
            _("Mã phiếu ở các dòng %(rows)s đã thuộc một đợt khảo sát khác.")
            % {"rows": ", ".join(map(str, elsewhere[:20]))}
        )
    new = [row for row in rows if row.submission_id not in stored]
    Response.objects.bulk_create(
        [
            Response(
                wave=wave,
                unit=row.unit,
                submission_id=row.submission_id,
                channel=Channel.IMPORT,
                answers=row.answers,
                submitted_at=row.submitted_at,
            )
            for row in new
        ],
        batch_size=1000,
    )
    result = {"stored": len(new), "already": len(rows) - len(new)}
    record(actor, "wave.import_responses", wave, after=result | {"source": filename})
    return result


FIGURES_SOURCES = ("responses", "institute")


@transaction.atomic
def import_published(
    actor,
    wave: Wave,
    data: bytes,
    filename: str,
    *,
    document: str,
    issued_on,
    url: str = "",
    use_for_scores: bool = True,
) -> PublishedSource:
    """Replace the wave's published per-unit figures by those of a file, with their source; with
    `use_for_scores` the survey leaves read them from now on (Wave.figures_source "institute")."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    wave = _open_for_import(wave)
    if not document.strip():
        raise SurveyError(_("Hãy ghi tên văn bản công bố số liệu."))
    units = {t.unit.code: t.unit for t in wave.targets.select_related("unit")}
    rows = read_published(read_table(data, filename), units)
    wave.published_figures.all().delete()
    source = PublishedSource.objects.create(
        wave=wave, document=document.strip(), issued_on=issued_on, url=url.strip()
    )
    PublishedFigure.objects.bulk_create(
        [
            PublishedFigure(
                wave=wave,
                source=source,
                unit=row.unit,
                dimension=dimension,
                value=value,
                respondents=row.respondents,
            )
            for row in rows
            for dimension, value in row.values.items()
        ]
    )
    before = wave.figures_source
    wave.figures_source = "institute" if use_for_scores else "responses"
    wave.save(update_fields=["figures_source"])
    record(
        actor,
        "wave.import_published",
        wave,
        before={"figures_source": before},
        after={
            "units": len(rows),
            "document": source.document,
            "issued_on": str(issued_on),
            "figures_source": wave.figures_source,
            "source": filename,
        },
    )
    return source


@transaction.atomic
def set_figures_source(actor, wave: Wave, figures_source: str, reason: str) -> Wave:
    """Whether the wave's survey leaves read the institute's figures or the responses, with a reason."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    wave = _open_for_import(wave)
    if figures_source not in FIGURES_SOURCES:
        raise SurveyError(_("Nguồn số liệu không hợp lệ."))
    if figures_source == "institute" and not wave.published_figures.exists():
        raise SurveyError(_("Đợt khảo sát chưa có số liệu công bố nào để dùng."))
    if not reason.strip():
        raise SurveyError(_("Hãy nêu lý do."))
    before = wave.figures_source
    wave.figures_source = figures_source
    wave.save(update_fields=["figures_source"])
    record(
        actor,
        "wave.figures_source",
        wave,
        before={"figures_source": before},
        after={"figures_source": figures_source},
        reason=reason.strip(),
    )
    return wave
