"""Response microdata read from a table: one row per response, a column per question (its `name`), the
unit's code, and optionally a submission id and a date (docs/surveys.md, "Nhập dữ liệu phiếu").

All or nothing: every problem is reported with its row and column (an unknown column, an unknown unit,
an invalid option, a missing required answer, a submission id twice) and no row is returned if any.
Answers are checked by `questionnaire.validate_answers`, the rules the respondent page applies."""

import hashlib
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from core.tabular import ImportFailed, ImportProblem, Table, cell_text, parse_date
from units.models import Unit

from .questionnaire import Question, validate_answers

UNIT_HEADERS = {"mã đơn vị", "unit_code", "unit", "đơn vị"}
ID_HEADERS = {"mã phiếu", "submission_id", "id"}
DATE_HEADERS = {"ngày", "ngày khảo sát", "submitted_at", "date"}
# A multiple-choice cell lists its values separated by "|", ";" or ",".
MULTIPLE_SEPARATORS = re.compile(r"\s*[|;,]\s*")
# Ids the import makes are UUID 5 under this namespace with the wave: the same row of the same wave
# always gets the same id, so importing a file again stores nothing twice.
NAMESPACE = uuid.UUID("5b0f5c1e-8d0a-4c39-9f0e-6a1d2f3c4b5a")


@dataclass(frozen=True)
class ImportedRow:
    row: int
    unit: Unit
    submission_id: uuid.UUID
    submitted_at: datetime
    answers: dict


def header_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).lower().split())


def find_column(table: Table, names: set[str]) -> int | None:
    return next((i for i, name in enumerate(table.header) if header_key(name) in names), None)


def unit_lookup(units: dict[str, Unit]):
    """code → unit, also when a spreadsheet turned 00070 into the number 70."""
    by_bare = {code.lstrip("0"): unit for code, unit in units.items()}
    return lambda code: units.get(code) or (by_bare.get(code) if code.isdigit() else None)


def row_unit(unit_of, table: Table, number: int, cells: list, unit_at: int, problems: list):
    """The unit a row names in its unit column (`unit_of` from unit_lookup), or None with the reason
    added to `problems`: no code, or a unit not in the wave."""
    code = cell_text(cells[unit_at])
    unit = unit_of(code)
    if unit is None:
        reason = (
            _("thiếu mã đơn vị")
            if not code
            else _("đơn vị mã “%(code)s” không tham gia đợt khảo sát này") % {"code": code}
        )
        problems.append(ImportProblem(number, table.column_label(unit_at), reason))
    return unit


def _answer(question: Question, value):
    """A cell as the respondent page would send it: text, or a list for a multiple choice."""
    text = cell_text(value)
    if question.type == "multiple":
        return [v for v in MULTIPLE_SEPARATORS.split(text) if v] if text else []
    return text


def _submission_id(wave_id: int, text: str) -> uuid.UUID:
    """A UUID as given; any other text (an institute's form number) made into one, per wave."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.uuid5(NAMESPACE, f"{wave_id}:id:{text}")


def _moment(value) -> datetime:
    """The response's time: a cell's date at noon in Hà Nội time, or its time if it has one."""
    if isinstance(value, datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    day = parse_date(value)
    return timezone.make_aware(datetime.combine(day, time(12)))


def read_microdata(
    table: Table, wave_id: int, questions: list[Question], units: dict[str, Unit]
) -> list[ImportedRow]:
    """The rows of `table` as responses to the wave's questions for its units (by code)."""
    unit_at = find_column(table, UNIT_HEADERS)
    id_at = find_column(table, ID_HEADERS)
    date_at = find_column(table, DATE_HEADERS)
    answered = {q.name: q for q in questions if q.type != "section"}
    question_at, problems = {}, []
    if unit_at is None:
        problems.append(ImportProblem(1, None, _("thiếu cột “mã đơn vị”")))
    for index, name in enumerate(table.header):
        if index in (unit_at, id_at, date_at):
            continue
        name = cell_text(name)
        if name in question_at:
            problems.append(
                ImportProblem(
                    1, table.column_label(index), _("cột “%(name)s” có hai lần") % {"name": name}
                )
            )
        elif name in answered:
            question_at[name] = index
        elif name:
            problems.append(
                ImportProblem(
                    1,
                    table.column_label(index),
                    _("“%(name)s” không phải là câu hỏi của bảng hỏi của đợt này") % {"name": name},
                )
            )
    for question in answered.values():
        if question.required and not question.relevant and question.name not in question_at:
            problems.append(
                ImportProblem(
                    1,
                    None,
                    _("thiếu cột của câu bắt buộc “%(name)s” (%(label)s)")
                    % {"name": question.name, "label": question.label},
                )
            )
    if problems:
        raise ImportFailed(problems)

    unit_of = unit_lookup(units)
    rows, seen_ids, repeats = [], {}, {}
    for number, values in table.rows:
        cells = list(values) + [None] * (len(table.header) - len(values))
        code = cell_text(cells[unit_at])  # as typed: part of the derived submission id below
        unit = row_unit(unit_of, table, number, cells, unit_at, problems)
        raw = {name: _answer(answered[name], cells[at]) for name, at in question_at.items()}
        clean, found = validate_answers(questions, raw)
        for problem in found:
            at = question_at.get(problem.name)
            problems.append(
                ImportProblem(number, table.column_label(at) if at is not None else None, problem)
            )
        submitted_at = timezone.now()
        if date_at is not None and cell_text(cells[date_at]):
            try:
                submitted_at = _moment(cells[date_at])
            except ValueError:
                problems.append(
                    ImportProblem(
                        number,
                        table.column_label(date_at),
                        _("“%(value)s” không phải là ngày (dd/mm/yyyy)")
                        % {"value": cell_text(cells[date_at])},
                    )
                )
        given = cell_text(cells[id_at]) if id_at is not None else ""
        if given:
            submission_id = _submission_id(wave_id, given)
        else:
            # No id: a hash of the row's content, and of how many identical rows came before it,
            # so the same file gives the same ids and two identical forms stay two.
            content = json.dumps(
                [code, clean, cell_text(cells[date_at]) if date_at is not None else ""],
                sort_keys=True,
                ensure_ascii=False,
            )
            digest = hashlib.sha256(content.encode()).hexdigest()
            repeats[digest] = repeats.get(digest, 0) + 1
            submission_id = uuid.uuid5(NAMESPACE, f"{wave_id}:row:{digest}:{repeats[digest]}")
        if submission_id in seen_ids:
            problems.append(
                ImportProblem(
                    number,
                    table.column_label(id_at) if given else None,
                    _("phiếu này đã có ở dòng %(row)s") % {"row": seen_ids[submission_id]},
                )
            )
        seen_ids.setdefault(submission_id, number)
        if unit is not None:
            rows.append(ImportedRow(number, unit, submission_id, submitted_at, clean))
    if not table.rows:
        problems.append(ImportProblem(None, None, _("Bảng không có dòng số liệu nào.")))
    if problems:
        raise ImportFailed(problems)
    return rows
