"""Paper forms keyed twice (issue 18, item 4): what a clerk types turned into answers, the two keyings of
one form compared, and the response stored once, when they agree or when a supervisor has chosen between
them (audited). Only then does a paper form count in the figures, and only once: its response has a
submission id derived from the wave, the unit and the form number.

Clerks, supervisors and enumerators are authenticated and known: their responses go through
`submit_response` with no address, no device and no start time, so no anonymous limit (per address,
per device), no burst and no speeding flag applies to them."""

import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from core.collation import by_name
from core.permissions import require
from surveys import questionnaire as q
from surveys.errors import SurveyError
from surveys.intake.submit import submit_response
from surveys.models import Channel, PaperEntry, PaperForm, Response, Wave
from surveys.permissions import can_collect_in_field, can_key_paper, can_resolve_paper
from units.models import Unit

OPTION_TYPES = frozenset({"likert5", "scale4", "single", "multiple"})
REFERENCE = re.compile(r"^PX-(?P<wave>\d{1,12})-(?P<unit>.+)-(?P<number>\d{1,9})$", re.IGNORECASE)
PAPER_NAMESPACE = uuid.UUID("5c3f7a52-8f5e-4d4b-9a5c-2a7d1f0e6b11")


def reference(wave_id: int, unit_code: str, number: int) -> str:
    """The text a form's QR code carries and its footer prints: `PX-<wave>-<unit code>-<number>`."""
    return f"PX-{wave_id}-{unit_code}-{number}"


@dataclass(frozen=True)
class Reference:
    wave_id: int
    unit_code: str
    number: int


def parse_reference(text: str) -> Reference | None:
    """A form's reference as typed or scanned (a scanner types it as a keyboard): full-width digits and
    stray spaces at the ends are forgiven; None when it is not one."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    match = REFERENCE.match(text)
    if not match or not q.storable(text):
        return None
    return Reference(int(match["wave"]), match["unit"], int(match["number"]))


_parsed: dict[tuple, list] = {}
"""Parsed questions by version, in this process (a version is never edited). Keyed by id and creation
time: an id alone may name another version after a database is restored or rebuilt (as in tests)."""


def questions_of(version) -> list[q.Question]:
    key = (version.pk, str(version.created_at))
    parsed = _parsed.get(key)
    if parsed is None:
        if len(_parsed) >= 64:
            _parsed.clear()
        parsed = _parsed[key] = version.parsed()
    return parsed


def entry_units(wave: Wave) -> list[Unit]:
    """The units whose forms a wave takes, in the entry screen's order: read once per request and kept
    on the wave (the screen lists them, finds the keyed form's unit among them and checks it)."""
    units = getattr(wave, "_entry_units", None)
    if units is None:
        units = wave._entry_units = [
            t.unit
            for t in wave.targets.select_related("unit").order_by(
                "unit__kind", by_name("unit__name")
            )
        ]
    return units


def keyable(questions: list[q.Question]) -> list[q.Question]:
    """The questions a clerk keys, in the form's order (sections are headings only)."""
    return [x for x in questions if x.type != "section"]


def decode_keyed(questions: list[q.Question], keyed: dict) -> tuple[dict, list[str]]:
    """What a clerk typed (`{question name: text}`: the option's number for a choice, "13" or "1 3"
    for options 1 and 3 of a multiple choice, the number or text itself otherwise) as clean answers,
    with one message per question as the respondent's form gives them (`validate_answers`)."""
    raw, problems = {}, []
    for question in keyable(questions):
        text = str(keyed.get(question.name, "") or "").strip()
        if not text:
            continue
        if question.type not in OPTION_TYPES:
            raw[question.name] = text
            continue
        options = [value for value, _label in question.options]
        digits = re.split(r"[\s,;.]+", text) if re.search(r"[\s,;.]", text) else None
        if digits is None:
            digits = list(text) if question.type == "multiple" and len(options) <= 9 else [text]
        picked = []
        for digit in digits:
            if not digit.isdigit() or not 1 <= int(digit) <= len(options):
                problems.append(
                    q.AnswerProblem(
                        question.name,
                        _("Câu “%(label)s”: gõ số thứ tự của lựa chọn, từ 1 đến %(count)d.")
                        % {"label": question.label, "count": len(options)},
                    )
                )
                break
            picked.append(options[int(digit) - 1])
        else:
            if question.type == "multiple":
                raw[question.name] = picked
            elif len(picked) != 1:
                problems.append(
                    q.AnswerProblem(
                        question.name,
                        _("Câu “%(label)s”: chỉ chọn một lựa chọn.") % {"label": question.label},
                    )
                )
            else:
                raw[question.name] = picked[0]
    clean, answer_problems = q.validate_answers(questions, raw)
    bad = {p.name for p in problems}
    return clean, problems + [p for p in answer_problems if p.name not in bad]


def differences(questions: list[q.Question], first: dict, second: dict) -> list[q.Question]:
    """The questions the two keyings answered differently (an answer in one and none in the other
    counts), in the form's order."""
    return [x for x in keyable(questions) if first.get(x.name) != second.get(x.name)]


def _form_response_id(form: PaperForm) -> uuid.UUID:
    """The submission id of a paper form's response: a retry, or a second resolution racing the first,
    finds the same response instead of storing a second."""
    return uuid.uuid5(PAPER_NAMESPACE, f"{form.wave_id}/{form.unit_id}/{form.number}")


def _store(form: PaperForm, answers: dict) -> Response:
    response, _created = submit_response(
        wave=form.wave_id,
        unit=form.unit.code,
        submission_id=_form_response_id(form),
        answers=answers,
        channel=Channel.PAPER,
    )
    return response


@dataclass(frozen=True)
class Keyed:
    entry: PaperEntry
    form: PaperForm
    created: bool
    """False when this submission id was stored before (a resent entry)."""


def key_entry(clerk, wave: Wave, unit: Unit, number: int, keyed: dict, submission_id) -> Keyed:
    """One clerk's keying of form `number` of `unit` in `wave`. The first keying waits for a second by
    another clerk; the second is compared with it: the same answers store the response (status
    `agreed`), any difference leaves the form to a supervisor (`mismatch`). Raises SurveyError with
    every problem; stores nothing then."""
    require(clerk, can_key_paper, _("Chỉ cán bộ nhập phiếu được nhập phiếu giấy."))
    try:
        submission = uuid.UUID(str(submission_id))
    except ValueError:
        raise SurveyError(_("Mã lần nhập không hợp lệ; hãy tải lại trang.")) from None
    stored = PaperEntry.objects.select_related("form").filter(submission_id=submission).first()
    if stored is not None:
        if stored.clerk_id != clerk.pk or stored.form.wave_id != wave.pk:
            raise SurveyError(_("Mã lần nhập đã được dùng cho một phiếu khác."))
        return Keyed(stored, stored.form, False)
    problems = []
    if not wave.is_open():
        problems.append(
            _("Đợt khảo sát đã đóng hoặc chưa mở: gia hạn đợt trước khi nhập phiếu giấy nhận muộn.")
        )
    if unit.pk not in {u.pk for u in entry_units(wave)}:
        problems.append(_("Đơn vị không thuộc đợt khảo sát này."))
    if not isinstance(number, int) or not 1 <= number <= 999_999_999:
        problems.append(_("Số phiếu phải là số nguyên dương."))
    if problems:
        raise SurveyError(problems)
    answers, problems = decode_keyed(questions_of(wave.version), keyed)
    if problems:
        raise SurveyError(problems)
    with transaction.atomic():
        # Made if new, then locked: two round trips whether the form is new or not (a second clerk
        # keying the same form at the same moment waits here).
        PaperForm.objects.bulk_create(
            [PaperForm(wave=wave, unit=unit, number=number)], ignore_conflicts=True
        )
        form = PaperForm.objects.select_for_update().get(wave=wave, unit=unit, number=number)
        form.unit = unit
        entries = list(form.entries.all())
        if any(e.clerk_id == clerk.pk for e in entries):
            raise SurveyError(
                _(
                    "Bạn đã nhập phiếu số %(number)d của đơn vị này; lần nhập thứ hai phải do "
                    "một cán bộ khác."
                )
                % {"number": number}
            )
        if len(entries) >= 2:
            raise SurveyError(
                _("Phiếu số %(number)d đã được nhập đủ hai lần.") % {"number": number}
            )
        entry = PaperEntry.objects.create(
            form=form, clerk=clerk, submission_id=submission, answers=answers
        )
        if entries:
            if entries[0].answers == answers:
                form.response = _store(form, answers)
                form.status = PaperForm.Status.AGREED
            else:
                form.status = PaperForm.Status.MISMATCH
            form.save(update_fields=["response", "status"])
    return Keyed(entry, form, True)


def resolve(supervisor, form: PaperForm, chosen: dict[str, str], reason: str = "") -> PaperForm:
    """A supervisor settles a form whose keyings differ: for each question that differs, `chosen` says
    which keying read the paper right ("1" or "2"). The response is stored with the answers so made,
    and the choice is audited (`paper.resolve`, both keyings' answers to those questions before, the
    answers kept after). A supervisor who keyed the form cannot settle it."""
    require(supervisor, can_resolve_paper, _("Chỉ người giám sát được xử lý chênh lệch."))
    with transaction.atomic():
        form = (
            PaperForm.objects.select_for_update()
            .select_related("wave__version", "unit")
            .get(pk=form.pk)
        )
        if form.status != PaperForm.Status.MISMATCH:
            raise SurveyError(_("Phiếu này không có chênh lệch cần xử lý."))
        first, second = form.entries.all()[:2]
        if supervisor.pk in (first.clerk_id, second.clerk_id):
            raise SurveyError(_("Người đã nhập phiếu không tự xử lý chênh lệch của phiếu đó."))
        questions = questions_of(form.wave.version)
        differing = differences(questions, first.answers, second.answers)
        answers, problems = dict(first.answers), []
        for question in differing:
            pick = chosen.get(question.name)
            if pick not in ("1", "2"):
                problems.append(
                    q.AnswerProblem(
                        question.name,
                        _("Câu “%(label)s”: chọn lần nhập đúng với phiếu.")
                        % {"label": question.label},
                    )
                )
                continue
            source = first.answers if pick == "1" else second.answers
            answers.pop(question.name, None)
            if question.name in source:
                answers[question.name] = source[question.name]
        if problems:
            raise SurveyError(problems)
        # The answers again through the questionnaire's rules (a condition may now hide a question).
        answers, problems = q.validate_answers(questions, answers)
        if problems:
            raise SurveyError(problems)
        form.response = _store(form, answers)
        form.status = PaperForm.Status.RESOLVED
        form.resolved_by, form.resolved_at = supervisor, timezone.now()
        form.save(update_fields=["response", "status", "resolved_by", "resolved_at"])
        names = [x.name for x in differing]
        record(
            supervisor,
            "paper.resolve",
            form,
            before={
                "entry_1": {n: first.answers.get(n) for n in names},
                "entry_2": {n: second.answers.get(n) for n in names},
                "clerks": [first.clerk_id, second.clerk_id],
            },
            after={n: answers.get(n) for n in names},
            reason=reason.strip(),
        )
    return form


def collect_in_field(enumerator, wave_id: int, unit_code: str, answers, submission_id):
    """A form an enumerator filled on a tablet, sent when the tablet is online (perhaps long after,
    perhaps twice): stored once by its submission id, with the `enumerator` channel and none of the
    anonymous limits. Returns (response, created)."""
    require(enumerator, can_collect_in_field, _("Chỉ điều tra viên được gửi phiếu thực địa."))
    return submit_response(
        wave=wave_id,
        unit=unit_code,
        submission_id=submission_id,
        answers=answers,
        channel=Channel.ENUMERATOR,
    )
