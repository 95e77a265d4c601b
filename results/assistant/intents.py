"""What a question asks, read from Vietnamese text written with or without diacritics: the intent
and its entities (a unit, a year, a group of units, a reporting period, a leader). Plain functions
over text; the units and leaders' spellings to match against are passed in."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from plans import leaders

EXTREME = "extreme"
UNIT_INDEX = "unit_index"
MISSING_REPORTS = "missing_reports"
OVERDUE_TASKS = "overdue_tasks"
SIPAS = "sipas"
SURVEY_PROGRESS = "survey_progress"
UNKNOWN = "unknown"

# Words that only say what kind of unit: never enough on their own to name one.
_GENERIC = {"so", "xa", "phuong", "ubnd", "uy ban", "ban", "nganh"}
_YEAR = re.compile(r"\b(20\d{2})\b")
# "quý 3" is the nine-month report, "quý 2" the six-month one (Decision 19/2022/QĐ-UBND).
_PERIODS = [
    (re.compile(r"\bquy (1|i|mot)\b"), "q1"),
    (re.compile(r"\b(quy (2|ii|hai)|6 thang|sau thang)\b"), "h1"),
    (re.compile(r"\b(quy (3|iii|ba)|9 thang|chin thang)\b"), "m9"),
    (re.compile(r"\b(quy (4|iv|bon)|ca nam|hang nam|bao cao nam)\b"), "year"),
]
# The indices other than the city's combined one, by the words a question names them with.
_FAMILIES = [
    (("su nghiep", "don vi su nghiep"), "public_service"),
    (("nganh doc", "trung uong"), "central_agencies"),
    (("cap tinh", "tu danh gia cap tinh", "par index"), "provincial"),
]
_TITLES = ("pho chu tich thuong truc", "pho chu tich", "chu tich")


def normalise(text: str) -> str:
    """Lower case, tones and marks stripped, đ → d, punctuation to spaces, spaces collapsed."""
    text = text.lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    text = re.sub(r"[^\w/]+", " ", text)
    return " ".join(text.split())


def _has(text: str, *phrases: str) -> bool:
    return any(re.search(rf"\b{re.escape(p)}\b", text) for p in phrases)


def unit_aliases(
    name: str, short_name: str = "", display_name: str = "", code: str = ""
) -> set[str]:
    """How a question may name a unit: its name, its display name, its short name, its code (three
    characters or more), and the abbreviations built from initials ("Sở Tư pháp": "so tp", "stp")."""
    aliases = {normalise(n) for n in (name, short_name, display_name) if n.strip()}
    if len(code) >= 3:
        aliases.add(normalise(code))
    for full in list(aliases):
        words = full.split()
        if len(words) >= 3 and words[0] == "so":
            rest = "".join(w[0] for w in words[1:])
            aliases |= {f"so {rest}", f"s{rest}"}
    return {a for a in aliases if a and a not in _GENERIC}


@dataclass
class Question:
    text: str
    normal: str
    intent: str
    unit_ids: list[int] = field(default_factory=list)  # one, or namesakes to choose from
    year: int | None = None
    relative_year: int = 0  # -1 for "năm trước", "năm ngoái"
    kind: str | None = None  # "commune" or "department": the group a question names
    family: str | None = None  # cycles.models.IndexFamily, when not the city's combined index
    period: str | None = None
    lowest: bool = True
    title: str | None = None  # "pho chu tich", … when the question names a leader by title


def match_units(normal: str, aliases: dict[int, set[str]]) -> list[int]:
    """The units the question names: those whose longest alias found in it (as whole words) is the
    longest of all, and among them those the question names the most ways (its code beside its name).
    Several when units share a name, as a department and its predecessor of the same name do."""
    padded = f" {normal} "  # `normal` is words between single spaces: whole words by padding
    scores = {}
    for unit_id, names in aliases.items():
        found = [len(alias) for alias in names if f" {alias} " in padded]
        if found:
            scores[unit_id] = (max(found), len(found))
    best = max(scores.values(), default=None)
    return [unit_id for unit_id, score in scores.items() if score == best]


def match_leaders(normal: str, title: str | None, spellings) -> set[str]:
    """The spellings of the plan's leaders the question names: by the person's name where it gives
    one, else by title ("Phó Chủ tịch": every vice-chair, "thường trực" the standing one)."""
    spellings = [s for s in spellings if s.strip()]
    named = {s for s in spellings if _named(normal, leaders.key(s))}
    if named:
        return named
    if title is None:
        return set()
    return {
        s
        for s in spellings
        if _has(normalise(leaders.canonical(s)), title)
        and (title != "chu tich" or not _has(normalise(s), "pho chu tich"))
    }


def _named(normal: str, leader_key: str) -> bool:
    name = normalise(leader_key)
    return len(name.split()) >= 2 and not _has(name, *_TITLES) and _has(normal, name)


def read(text: str, aliases: dict[int, set[str]]) -> Question:
    normal = normalise(text)
    question = Question(text=text, normal=normal, intent=UNKNOWN)
    question.unit_ids = match_units(normal, aliases)
    if year := _YEAR.search(normal):
        question.year = int(year.group(1))
    if _has(normal, "nam truoc", "nam ngoai", "cung ky"):
        question.relative_year = -1
    # "chỉ số", "so sánh" hold the word "so" but name no department.
    kinds = re.sub(r"\b(chi so|so sanh|so lieu|so voi)\b", " ", normal)
    if _has(kinds, "xa", "phuong"):
        question.kind = "commune"
    elif _has(kinds, "so"):
        question.kind = "department"
    question.family = next((f for words, f in _FAMILIES if _has(normal, *words)), None)
    if question.family:
        question.kind = None
    question.period = next((kind for pattern, kind in _PERIODS if pattern.search(normal)), None)
    question.lowest = not _has(normal, "cao nhat", "dung dau", "tot nhat", "lon nhat")
    question.title = next((t for t in _TITLES if _has(normal, t)), None)
    question.intent = _intent(normal, question)
    return question


def _intent(normal: str, q: Question) -> str:
    if _has(normal, "phieu") or (
        _has(normal, "khao sat") and _has(normal, "tien do", "bao nhieu", "da thu", "thu duoc")
    ):
        return SURVEY_PROGRESS
    if _has(normal, "sipas", "hai long"):
        return SIPAS
    if _has(normal, "nhiem vu", "cong viec") and _has(normal, "qua han", "tre han", "cham"):
        return OVERDUE_TASKS
    if _has(normal, "bao cao") and _has(normal, "chua nop", "chua gui", "chua bao cao"):
        return MISSING_REPORTS
    if _has(normal, "thap nhat", "cao nhat", "dung dau", "dung cuoi", "tot nhat", "kem nhat"):
        return EXTREME
    if (
        _has(normal, "chi so", "diem", "ket qua", "xep hang", "xep thu", "thu hang", "dung thu")
        and q.unit_ids
    ):
        return UNIT_INDEX
    return UNKNOWN
