"""Questionnaires as data, in the spirit of XLSForm: one row per question with
`type | name | label | choices | required | relevant | dimension` (docs/surveys.md).

Parsing checks the definition (every problem named by row and column); `validate_answers` checks a
response against it on the server. Pure Python: the same rules serve the pages, the API and imports.
"""

import math
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from core.tabular import ImportFailed, ImportProblem, Table, cell_text

HEADER = ("type", "name", "label", "choices", "required", "relevant", "dimension")
TYPES = ("section", "likert5", "scale4", "single", "multiple", "number", "text")
ANSWERED_TYPES = TYPES[1:]
LIKERT5 = [
    ("1", "Rất không hài lòng"),
    ("2", "Không hài lòng"),
    ("3", "Bình thường"),
    ("4", "Hài lòng"),
    ("5", "Rất hài lòng"),
]
NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
RELEVANT = re.compile(r"^\$\{(?P<name>[a-z][a-z0-9_]*)\}\s*(?P<op>=|!=)\s*'(?P<value>[^']*)'$")
TEXT_LIMIT = 2000
# The groups the figures know (stats, sql_stats, leaves): the SIPAS parts, whose mean is the overall
# index (a stray group would become a part and shift it), and the officials' domains, which a
# `survey` leaf reads as `criterion/<domain>`.
DIMENSION_GROUPS = ("service", "policy", "criterion")
ELEMENT = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class Question:
    type: str
    name: str
    label: str
    choices: list[tuple[str, str]] = field(default_factory=list)
    required: bool = False
    relevant: str = ""
    dimension: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "name": self.name,
            "label": self.label,
            "choices": [list(c) for c in self.choices],
            "required": self.required,
            "relevant": self.relevant,
            "dimension": self.dimension,
            "min": self.minimum,
            "max": self.maximum,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Question":
        return cls(
            type=data["type"],
            name=data["name"],
            label=data["label"],
            choices=[tuple(c) for c in data.get("choices", [])],
            required=data.get("required", False),
            relevant=data.get("relevant", ""),
            dimension=data.get("dimension", ""),
            minimum=data.get("min"),
            maximum=data.get("max"),
        )

    @property
    def condition(self) -> tuple[str, str, str] | None:
        """(question name, "=" or "!=", value) of the `relevant` condition, for the page's script."""
        match = RELEVANT.match(self.relevant) if self.relevant else None
        return (match["name"], match["op"], match["value"]) if match else None

    @property
    def options(self) -> list[tuple[str, str]]:
        return LIKERT5 if self.type == "likert5" else self.choices

    @cached_property
    def allowed(self) -> frozenset[str]:
        """The values an answer may take (checked for every response: worked out once)."""
        return frozenset(value for value, _label in self.options)


def _choices(text: str) -> list[tuple[str, str]]:
    pairs = []
    for part in text.split("|"):
        if not part.strip():
            continue
        value, _equals, label = part.partition("=")
        pairs.append((value.strip(), label.strip() or value.strip()))
    return pairs


def dimension_problem(kind: str, dimension: str) -> str | None:
    """Why the `dimension` cell cannot stand, or None. Only likert5 items are counted, each under its
    `group/element`: a likert5 item without a usable one would get no figures, unannounced."""
    if kind != "likert5":
        if not dimension:
            return None
        return _(
            "chỉ câu likert5 mới ghi nhóm/yếu tố; câu loại %(type)s không được tính vào chỉ số,"
            " hãy để trống ô này."
        ) % {"type": kind}
    groups = ", ".join(DIMENSION_GROUPS)
    if not dimension:
        return _(
            "câu likert5 cần ghi nhóm/yếu tố để được tính vào chỉ số, "
            "ví dụ service/access, policy/results, criterion/1."
        )
    if dimension.count("/") != 1:
        return _(
            "“%(dimension)s” phải viết dạng nhóm/yếu tố với đúng một dấu /, "
            "ví dụ service/access, policy/results, criterion/1."
        ) % {"dimension": dimension}
    group, _slash, element = dimension.partition("/")
    if not group:
        return _("“%(dimension)s” thiếu nhóm trước dấu /; dùng một trong: %(groups)s.") % {
            "dimension": dimension,
            "groups": groups,
        }
    if group not in DIMENSION_GROUPS:
        return _("nhóm “%(group)s” không hợp lệ; dùng một trong: %(groups)s.") % {
            "group": group,
            "groups": groups,
        }
    if not element:
        return _(
            "“%(dimension)s” thiếu yếu tố sau dấu /, "
            "ví dụ service/access, policy/results, criterion/1."
        ) % {"dimension": dimension}
    if not ELEMENT.match(element):
        return _(
            "yếu tố “%(element)s” phải viết thường không dấu, không khoảng trắng (chữ, số, _ hoặc -),"
            " ví dụ access, civil_servants, 1."
        ) % {"element": element}
    return None


def parse(table: Table) -> list[Question]:
    header = [h.strip().lower() for h in table.header]
    if tuple(header) != HEADER:
        raise ImportFailed(
            [
                ImportProblem(
                    1,
                    None,
                    _("dòng tiêu đề phải đúng là: %(header)s.") % {"header": " | ".join(HEADER)},
                )
            ]
        )
    column = {name: table.column_label(i) for i, name in enumerate(HEADER)}
    problems, questions, names = [], [], {}
    for number, cells in table.rows:
        cells = list(cells) + [None] * (len(HEADER) - len(cells))
        raw = {name: cell_text(value) for name, value in zip(HEADER, cells, strict=False)}

        def problem(name, message, number=number):
            problems.append(ImportProblem(number, column[name], message))

        kind = raw["type"].lower()
        if kind not in TYPES:
            problem(
                "type",
                _("loại câu hỏi “%(type)s” không hợp lệ; dùng một trong: %(types)s.")
                % {"type": raw["type"], "types": ", ".join(TYPES)},
            )
            continue
        if not raw["label"]:
            problem("label", _("nội dung câu hỏi không được để trống."))
        name = raw["name"] or (f"section_{number}" if kind == "section" else "")
        if kind != "section":
            if not NAME.match(name):
                problem(
                    "name",
                    _(
                        "tên “%(name)s” phải viết thường không dấu, bắt đầu bằng chữ, ví dụ sex, age_band."
                    )
                    % {"name": name},
                )
            elif name in names:
                problem(
                    "name",
                    _("tên “%(name)s” trùng với dòng %(row)s.")
                    % {"name": name, "row": names[name]},
                )
            elif name in DIMENSION_GROUPS:
                # The figures name a part by its group: a question of that name would take its label.
                problem(
                    "name",
                    _("tên “%(name)s” dành cho nhóm yếu tố; hãy đặt tên khác.") % {"name": name},
                )
            names.setdefault(name, number)
        question = Question(
            type=kind,
            name=name,
            label=raw["label"],
            dimension=raw["dimension"],
            required=raw["required"].lower() in ("1", "true", "yes", "có"),
        )
        if kind in ("single", "multiple", "scale4"):
            question.choices = _choices(raw["choices"])
            values = [value for value, _label in question.choices]
            if len(values) < 2:
                problem("choices", _("cần ít nhất 2 lựa chọn, dạng 1=Có|2=Không."))
            elif len(set(values)) != len(values):
                problem("choices", _("các giá trị lựa chọn bị trùng."))
            elif kind == "scale4" and len(values) != 4:
                problem("choices", _("thang 4 mức cần đúng 4 lựa chọn."))
        if kind == "number":
            limits = dict(_choices(raw["choices"]))
            try:
                question.minimum = float(limits["min"]) if "min" in limits else None
                question.maximum = float(limits["max"]) if "max" in limits else None
            except ValueError:
                problem("choices", _("giới hạn số phải viết dạng min=0|max=100."))
        if raw["relevant"]:
            match = RELEVANT.match(raw["relevant"])
            if not match:
                problem(
                    "relevant",
                    _("điều kiện phải viết dạng ${ten_cau_hoi} = 'gia_tri' hoặc != 'gia_tri'."),
                )
            elif match["name"] not in names or match["name"] == name:
                problem(
                    "relevant",
                    _("điều kiện nhắc đến câu hỏi “%(name)s” không có ở các dòng trên.")
                    % {"name": match["name"]},
                )
            question.relevant = raw["relevant"]
        if message := dimension_problem(kind, raw["dimension"]):
            problem("dimension", message)
        questions.append(question)
    if not any(q.type in ANSWERED_TYPES for q in questions) and not problems:
        problems.append(ImportProblem(None, None, _("Bảng hỏi cần ít nhất một câu hỏi.")))
    if problems:
        raise ImportFailed(problems)
    return questions


def shown(question: Question, answers: dict) -> bool:
    """Whether a question applies, given the answers before it (its `relevant` condition)."""
    if not question.relevant:
        return True
    match = RELEVANT.match(question.relevant)
    given = answers.get(match["name"])
    given_values = given if isinstance(given, list) else [given]
    holds = match["value"] in [str(v) for v in given_values if v is not None]
    return holds if match["op"] == "=" else not holds


def storable(text: str) -> bool:
    """Text the database can keep: JSON and form fields may carry a NUL character or a lone surrogate,
    which PostgreSQL refuses (and which no one types)."""
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


class AnswerProblem(str):
    """A message about one question's answer, which knows the question (`name`): the respondent page
    links the message to the question and marks it there; everywhere else it is the message."""

    name: str

    def __new__(cls, name: str, message: str):
        problem = super().__new__(cls, message)
        problem.name = name
        return problem

    def __getnewargs__(self):  # copy and pickle build it again with its question
        return (self.name, str(self))


def validate_answers(questions: list[Question], answers) -> tuple[dict, list[str]]:
    """Clean answers (only known, applicable questions) and the problems, one message per question."""
    # These messages reach respondents only (the public page and the survey API), which are Vietnamese
    # whatever the language chosen (docs/decisions.md, decision 19): they are not marked for translation.
    if not isinstance(answers, dict):
        return {}, ["Dữ liệu trả lời không hợp lệ."]
    clean, found = {}, []
    for question in questions:
        if question.type == "section" or not shown(question, clean):
            continue
        value = answers.get(question.name)
        empty = value in (None, "", [])
        if empty:
            if question.required:
                found.append((question, "cần trả lời."))
            continue
        allowed = question.allowed
        if question.type in ("likert5", "scale4", "single"):
            if str(value) not in allowed:
                found.append((question, "lựa chọn không hợp lệ."))
                continue
            clean[question.name] = (
                int(value) if question.type in ("likert5", "scale4") else str(value)
            )
        elif question.type == "multiple":
            values = value if isinstance(value, list) else [value]
            if any(str(v) not in allowed for v in values) or len(set(map(str, values))) != len(
                values
            ):
                found.append((question, "lựa chọn không hợp lệ."))
                continue
            clean[question.name] = [str(v) for v in values]
        elif question.type == "number":
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                found.append((question, "cần nhập một số."))
                continue
            if (
                not math.isfinite(number)
                or (question.minimum is not None and number < question.minimum)
                or (question.maximum is not None and number > question.maximum)
            ):
                found.append((question, "số ngoài khoảng cho phép."))
                continue
            clean[question.name] = number
        else:
            text = str(value).strip()
            if len(text) > TEXT_LIMIT:
                found.append((question, f"tối đa {TEXT_LIMIT} ký tự."))
                continue
            if not storable(text):
                found.append((question, "có ký tự không hợp lệ."))
                continue
            clean[question.name] = text
    problems = [AnswerProblem(q.name, f"Câu “{q.label}”: {message}") for q, message in found]
    return clean, problems
