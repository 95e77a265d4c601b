"""Anonymised exports of a wave: its responses (CSV, or XLSX with a codebook sheet) and its figures;
fresh invitation codes as CSV.

A response row carries no database id, submission id, hash or invitation: only a row number, the
unit, the channel, the submission date (no time), the duration, the quality flags, whether it is
excluded, and the answers, one column per question in questionnaire order. Responses are streamed
from the database (`.iterator()`) and the workbooks are written with openpyxl's write-only mode, so
memory does not grow with the number of responses (only the finished file does).

Free-text answers come from the public: every cell goes through core.spreadsheets, which writes text
as text and never as a formula.
"""

from datetime import datetime
from itertools import chain

from django.utils import timezone
from openpyxl import Workbook

from core.collation import by_name
from core.spreadsheets import DATE_FORMAT, append, csv_rows, save
from units.models import Unit

from .aggregates import wave_figures
from .models import Wave
from .questionnaire import Question

FIXED_HEADER = [
    "row",
    "unit_code",
    "unit",
    "channel",
    "submitted_on",
    "duration_s",
    "flags",
    "excluded",
]
CODEBOOK_HEADER = ["name", "type", "label", "choices", "dimension", "required", "relevant"]
AGGREGATES_HEADER = [
    "unit_code",
    "unit",
    "level",
    "dimension",
    "n",
    "share_pct",
    "wilson_low_pct",
    "wilson_high_pct",
    "reliable",
    "mean",
]
CHUNK = 2000


def answered_questions(wave: Wave) -> list[Question]:
    """The questions that take an answer (sections are headings), in questionnaire order."""
    return [q for q in wave.version.parsed() if q.type != "section"]


def _answer(value):
    """An answer as a cell value: lists joined by ";", whole numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _rows(wave: Wave, questions: list[Question]):
    """(fixed cells, answer cells) per response, read from the database in chunks.

    Only the exported columns are selected: hashes, invitations and ids never leave the database.
    """
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(
            pk__in=wave.responses.order_by().values("unit_id").distinct()
        )
    }
    rows = (
        wave.responses.order_by(
            "unit__kind", by_name("unit__name"), "unit__code", "submitted_at", "pk"
        )
        .values_list(
            "unit_id", "channel", "submitted_at", "duration_s", "flags", "excluded", "answers"
        )
        .iterator(chunk_size=CHUNK)
    )
    for number, (unit_id, channel, submitted_at, duration, flags, excluded, answers) in enumerate(
        rows, start=1
    ):
        unit = units[unit_id]
        answers = answers if isinstance(answers, dict) else {}
        fixed = [
            number,
            unit.code,
            unit.display_name,
            channel,
            timezone.localtime(submitted_at).date(),
            duration if duration is not None else "",
            ";".join(str(f) for f in flags or []),
            1 if excluded else 0,
        ]
        yield fixed, [_answer(answers.get(q.name)) for q in questions]


def responses_csv(wave: Wave) -> bytes:
    """The responses as CSV, UTF-8 with a byte-order mark so that Excel reads the Vietnamese."""
    questions = answered_questions(wave)
    lines = (fixed + answers for fixed, answers in _rows(wave, questions))
    return csv_rows(chain([FIXED_HEADER + [q.name for q in questions]], lines))


def invitations_csv(unit: Unit, codes: list[str], link: str) -> bytes:
    """Fresh invitation codes of a unit with their links (`link` ends where the code goes)."""
    header = ["unit_code", "unit", "code", "url"]
    return csv_rows([header] + [[unit.code, unit.display_name, c, link + c] for c in codes])


def _append(sheet, values, formats=None):
    formats = formats or {}
    append(sheet, values, [formats.get(i) for i in range(len(values))])


def _choices_text(question: Question) -> str:
    if question.type == "number":
        limits = [("min", question.minimum), ("max", question.maximum)]
        return "|".join(f"{k}={_answer(v)}" for k, v in limits if v is not None)
    return "|".join(f"{value}={label}" for value, label in question.options)


def responses_xlsx(wave: Wave) -> bytes:
    """The responses on a first sheet, and a "codebook" sheet describing every question."""
    questions = answered_questions(wave)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("responses")
    _append(sheet, FIXED_HEADER + [q.name for q in questions])
    date_format = {FIXED_HEADER.index("submitted_on"): DATE_FORMAT}
    for fixed, answers in _rows(wave, questions):
        fixed[4] = datetime.combine(fixed[4], datetime.min.time())
        _append(sheet, fixed + answers, date_format)
    codebook = book.create_sheet("codebook")
    _append(codebook, CODEBOOK_HEADER)
    for q in questions:
        _append(
            codebook,
            [
                q.name,
                q.type,
                q.label,
                _choices_text(q),
                q.dimension,
                1 if q.required else 0,
                q.relevant,
            ],
        )
    return save(book)


def aggregates_xlsx(wave: Wave) -> bytes:
    """Per unit of the wave: the overall index, each part, each element and each 5-point question, with n, the share, its
    95 % Wilson interval (all in percent), whether it is reliable and the mean answer on the 1–5 scale
    (surveys.aggregates.wave_figures). The numbers are not rounded; the cells show two decimals.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet("aggregates")
    _append(sheet, AGGREGATES_HEADER)
    two_places = dict.fromkeys([5, 6, 7, AGGREGATES_HEADER.index("mean")], "0.00")
    by_unit = wave_figures(wave)  # one aggregation for every unit
    for target in wave.targets.select_related("unit").order_by(
        "unit__kind", by_name("unit__name"), "unit__code"
    ):
        unit = target.unit
        figures = by_unit[unit.pk]
        rows = [("overall", "", figures["overall"])]
        rows += [("part", key, share) for key, share in figures["parts"].items()]
        rows += [("element", key, share) for key, share in figures["elements"].items()]
        rows += [("question", name, share) for name, share in figures["items"].items()]
        for level, key, share in rows:
            if share is None:  # an overall index needs every part
                figures_cells = [None, None, None, None, 0, None]
            else:
                figures_cells = [
                    share.n,
                    share.percent,
                    100.0 * share.low,
                    100.0 * share.high,
                    1 if share.reliable else 0,
                    share.mean,
                ]
            _append(sheet, [unit.code, unit.display_name, level, key, *figures_cells], two_places)
    return save(book)
