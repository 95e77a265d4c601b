"""What the respondent's page and the intake read of a wave: whether a wave and unit can be asked for
at all, the questionnaire version's questions (parsed once per process), and the page's one query."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from surveys import questionnaire as q
from surveys.models import QuestionnaireVersion, Response
from units.models import Unit

from . import sql

RESPONDENT_FORM = """
SELECT
    CASE WHEN w.opens_at <= %(now)s AND %(now)s < w.closes_at THEN 1 ELSE 0 END, v.id,
    CAST(v.created_at AS TEXT), CASE WHEN w.by_roster THEN 1 ELSE 0 END, w.*, u.*
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
    by_roster: bool = False
    """Answered with the personal codes of the wave's roster only (surveys/roster_codes.py)."""


def askable(wave_id: int, unit_code: str) -> bool:
    """Whether the database can be asked for this wave and unit: they come from the address, which
    may carry any number of digits (past a bigint) and any text (a NUL character PostgreSQL refuses)."""
    return (
        0 < wave_id < 2**63
        and 0 < len(unit_code) <= Unit._meta.get_field("code").max_length
        and q.storable(unit_code)
    )


_version_questions: dict[tuple, list] = {}
"""Parsed questions by version (`questions_of`), in this process."""


def questions_of(version: tuple) -> list:
    """The questions of a version (its id and creation time: ids can come back after a rollback),
    read and parsed once per process (a version is never edited: a change makes a new one)."""
    parsed = _version_questions.get(version)
    if parsed is None:
        if len(_version_questions) >= 64:
            _version_questions.clear()
        stored = QuestionnaireVersion.objects.values_list("questions", flat=True).get(pk=version[0])
        parsed = _version_questions[version] = [q.Question.from_dict(d) for d in stored]
    return parsed


def respondent_form(wave_id: int, unit_code: str) -> RespondentForm | None:
    """The wave's questions and whether it is open, for the respondent's page; None for an unknown
    wave or unit."""
    if not askable(wave_id, unit_code):
        return None
    # Prepared, and without the health check's round trip of its own (surveys/intake/sql.py): a page a
    # second per respondent at the one-stop desk's busiest hour.
    connection = transaction.get_connection()
    now = Response._meta.get_field("submitted_at").get_db_prep_value(timezone.now(), connection)
    row = sql.fetch_one(RESPONDENT_FORM, {"wave": wave_id, "unit": unit_code, "now": now})
    if row is None:
        return None
    return RespondentForm(
        is_open=bool(row[0]),
        questions=questions_of(tuple(row[1:3])),
        fingerprint=row[1:],
        by_roster=bool(row[3]),
    )
