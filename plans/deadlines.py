"""Read the "Thời gian hoàn thành" (deadline) cell of a reform plan's key-task table.

Plans write deadlines as free Vietnamese text ("Tháng 3/2025", "Trong 30 ngày kể từ khi Kế hoạch
… ký ban hành", "Theo chỉ đạo của Bộ Nội vụ" …). The importer needs a date to track overdue tasks,
but must never guess: what this module cannot read comes back as kind "unparsed" so a person
reviews it. Pure Python (no Django) so it can be tested and reused on its own.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

DATE = "date"
RELATIVE = "relative"
PERIOD = "period"
OPEN = "open"
UNPARSED = "unparsed"
KINDS = (DATE, RELATIVE, PERIOD, OPEN, UNPARSED)


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline; `note` keeps the text as written so nothing is lost."""

    due: date | None
    kind: str
    note: str
    starts: date | None = None


def end_of_month(year: int, month: int) -> date:
    """Last day of the month: "Tháng M/YYYY" means "by the end of that month"."""
    return date(year, month, calendar.monthrange(year, month)[1])


_FLAGS = re.IGNORECASE | re.UNICODE

# Cells that name no fixed date: the task follows someone else's schedule or runs all year.
# Checked first, because such cells often cite a document with its own date
# ("Theo lộ trình tại Kế hoạch số 281/KH-UBND ngày 28/10/2022"), which is not a deadline.
_OPEN = re.compile(
    r"^(?:theo\s+(?:chỉ\s+đạo|kỳ\s+báo\s+cáo|yêu\s+cầu|quy\s+định|lộ\s+trình|hướng\s+dẫn|tiến\s+độ)"
    r"|nhiệm\s+vụ\s+thường\s+xuyên|thường\s+xuyên)",
    _FLAGS,
)

_ROMAN_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}

# Fixed expressions; each yields (first day, last day) of what it names.
_FULL_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})(?!\d)", _FLAGS)
_FULL_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})(?!\d)", _FLAGS)
_QUARTER = re.compile(r"quý\s+(IV|I{1,3}|[1-4])\s*(?:/|năm)\s*(\d{4})(?!\d)", _FLAGS)

# "Từ tháng 3 đến tháng 9/2025": the start month borrows the end's year.
_PERIOD_SHORT = re.compile(
    r"từ\s+tháng\s+(\d{1,2})\s+(?:đến|tới)\s+tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})(?!\d)", _FLAGS
)
# What may stand between the two ends of a period ("Từ X đến Y").
_PERIOD_GAP = re.compile(r"^\s*(?:đến|tới)\s*$", _FLAGS)
_PERIOD_GAP_DASH = re.compile(r"^\s*[-–]\s*$")
_FROM_BEFORE = re.compile(r"từ\s*$", _FLAGS)

# Counted from the day the plan itself is signed, i.e. from `plan_date`. Calendar days only:
# "ngày làm việc" (working days) does not match and is left for review.
_RELATIVE = re.compile(
    r"trong\s+(?:vòng\s+)?(\d{1,4})\s+ngày\s+(?:kể\s+)?từ\s+(?:khi|ngày)\s+"
    r"(?:kế\s+hoạch|quyết\s+định)\b.*?\bban\s+hành",
    _FLAGS,
)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    first: date
    last: date


def _valid(make) -> tuple[date, date] | None:
    """Build a (first, last) pair, or None when the numbers are no real date ("Tháng 13/2025")."""
    try:
        return make()
    except ValueError:
        return None


def _fixed_spans(text: str) -> list[_Span]:
    """Every fixed date expression in reading order, dropping ones inside an earlier match."""
    found: list[_Span] = []

    def add(m: re.Match, pair: tuple[date, date] | None) -> None:
        if pair is not None:
            found.append(_Span(m.start(), m.end(), *pair))

    for m in _FULL_DATE_WORDS.finditer(text):
        d, mo, y = (int(g) for g in m.groups())
        add(m, _valid(lambda d=d, mo=mo, y=y: (date(y, mo, d),) * 2))
    for m in _FULL_DATE.finditer(text):
        d, mo, y = (int(g) for g in m.groups())
        add(m, _valid(lambda d=d, mo=mo, y=y: (date(y, mo, d),) * 2))
    for m in _MONTH.finditer(text):
        mo, y = int(m.group(1)), int(m.group(2))
        add(m, _valid(lambda mo=mo, y=y: (date(y, mo, 1), end_of_month(y, mo))))
    for m in _QUARTER.finditer(text):
        q_raw, y = m.group(1).upper(), int(m.group(2))
        q = _ROMAN_QUARTERS.get(q_raw) or int(q_raw)
        add(m, _valid(lambda q=q, y=y: (date(y, 3 * q - 2, 1), end_of_month(y, 3 * q))))

    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[_Span] = []
    for span in found:
        if kept and span.start < kept[-1].end:
            continue  # e.g. "tháng 3 năm 2025" inside "ngày 15 tháng 3 năm 2025"
        kept.append(span)
    return kept


def _period(text: str, spans: list[_Span]) -> tuple[date, date] | None:
    """(starts, due) when the text opens with a "from … to …" range, else None."""
    m = _PERIOD_SHORT.search(text)
    if m:
        start_month, end_month, year = (int(g) for g in m.groups())
        start_year = year if start_month <= end_month else year - 1
        pair = _valid(lambda: (date(start_year, start_month, 1), end_of_month(year, end_month)))
        if pair is not None:
            return pair
    if len(spans) >= 2:
        a, b = spans[0], spans[1]
        gap = text[a.end : b.start]
        preceded_by_from = bool(_FROM_BEFORE.search(text[: a.start]))
        joined = _PERIOD_GAP.match(gap) or (preceded_by_from and _PERIOD_GAP_DASH.match(gap))
        if joined and a.first <= b.last:
            return a.first, b.last
    return None


def parse_deadline(text: str, plan_date: date) -> Deadline:
    """Read one deadline cell; `plan_date` anchors deadlines counted from the plan's signing.

    Order matters: "open" phrases first (their cited document dates are not deadlines), then a
    period, then the first fixed date (a cell may list several steps; the first is the one to
    chase, the rest stays in `note`), then a relative deadline; anything else is "unparsed".
    """
    note = text
    clean = unicodedata.normalize("NFC", text or "")
    clean = re.sub(r"\s+", " ", clean).strip()
    body = clean.lstrip("-–• ").strip()

    if not body:
        return Deadline(due=None, kind=OPEN, note=note)
    if _OPEN.match(body):
        return Deadline(due=None, kind=OPEN, note=note)

    spans = _fixed_spans(body)
    period = _period(body, spans)
    if period is not None:
        starts, due = period
        return Deadline(due=due, kind=PERIOD, note=note, starts=starts)
    if spans:
        return Deadline(due=spans[0].last, kind=DATE, note=note)

    m = _RELATIVE.search(body)
    if m:
        return Deadline(due=plan_date + timedelta(days=int(m.group(1))), kind=RELATIVE, note=note)

    return Deadline(due=None, kind=UNPARSED, note=note)
