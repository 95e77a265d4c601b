"""Questionnaires written as an XLSForm (KoboToolbox, ODK): its `survey`, `choices` and `settings`
sheets read into our questions (docs/surveys.md, "XLSForm").

The workbook is first checked by pyxform, the reference converter (its errors are given back in
Vietnamese, with the row when it names one); then each row is translated into our layout
(`questionnaire.HEADER`) and checked by `questionnaire.parse`, so that an XLSForm passes exactly the
rules of our own spreadsheets. Whatever has no equivalent here (another question type, a repeat, a
calculation, a compound condition…) is refused, naming the sheet, the row and the column: nothing is
dropped silently. The export is `xlsform_export`.
"""

import io
import logging
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from core.tabular import DAMAGED_SHEET, ImportFailed, ImportProblem, Table, cell_text
from core.uploads import PackageRefused, check_xlsx_package

from . import questionnaire as q

logger = logging.getLogger(__name__)

SHEETS = ("survey", "choices", "settings")
# An XLSForm of this platform is a questionnaire: far fewer rows than any table import.
MAX_ROWS = 2_000
MAX_CELLS = MAX_ROWS * 40
# Types filled in by the collecting app, not asked: left out (KoboToolbox adds `start` and `end`).
METADATA = frozenset(
    [
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
    ]
)
SUPPORTED = "select_one, select_multiple, integer, decimal, text, note, begin_group, end_group"
# Columns that change what a form does and that we cannot honour: refused when a row fills them.
# Any other extra column (hint, appearance, constraint_message, media, KoboToolbox's `$kuid`…) is
# presentation or bookkeeping and is left out.
UNSUPPORTED_COLUMNS = (
    "calculation",
    "choice_filter",
    "default",
    "repeat_count",
    "read_only",
    "trigger",
    "parameters",
)
YES = frozenset(("yes", "true", "true()", "1", "có"))
NO = frozenset(("", "no", "false", "false()", "0", "không"))
_REF = r"\$\{(?P<name>[A-Za-z_][\w.-]*)\}"
_VALUE = r"""(?P<q>['"])(?P<value>[^'"]*)(?P=q)"""
COMPARISON = re.compile(rf"^{_REF}\s*(?P<op>=|!=)\s*{_VALUE}$")
SELECTED = re.compile(
    rf"^(?P<not>not\s*\(\s*)?selected\s*\(\s*{_REF}\s*,\s*{_VALUE}\s*\)(?(not)\s*\))$"
)
BOUND = re.compile(r"^\.\s*(?P<op>>=|<=)\s*(?P<number>-?\d+(?:\.\d+)?)$")
ROW = re.compile(r"\[row\s*:\s*(?P<row>\d+)\]\s*")
SHEET = re.compile(r"On the '(?P<sheet>\w+)' sheet,?\s*")


@dataclass
class Sheet:
    name: str
    header: list[str]  # lower-cased, to find the columns
    titles: list[str] = field(default_factory=list)  # as written, to name them
    rows: list[tuple[int, list]] = field(default_factory=list)

    def index(self, column: str) -> int | None:
        return self.header.index(column) if column in self.header else None

    def where(self, index: int) -> str:
        """`C (label), trang survey`: the letter, the header and the sheet."""
        return _("%(letter)s (%(header)s), trang %(sheet)s") % {
            "letter": get_column_letter(index + 1),
            "header": self.titles[index] if index < len(self.titles) else self.header[index],
            "sheet": self.name,
        }

    def cell(self, cells: list, column: str) -> str:
        index = self.index(column)
        return cell_text(cells[index]) if index is not None and index < len(cells) else ""


@dataclass
class XLSForm:
    questions: list[q.Question]
    title: str = ""
    form_id: str = ""


class _Layout(Table):
    """Our layout's rows, numbered as in the survey sheet, whose columns name the XLSForm's."""

    def __init__(self, rows, places: dict[str, str]):
        super().__init__(header=list(q.HEADER), rows=rows)
        self.places = places

    def column_label(self, index: int) -> str:
        return self.places[q.HEADER[index]]


def is_xlsform(data: bytes) -> bool:
    """Whether an upload is an XLSForm: an .xlsx with a `survey`, `choices` or `settings` sheet."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        check_xlsx_package(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except (PackageRefused, OSError, TypeError, *DAMAGED_SHEET):
        return False  # the ordinary import says what is wrong with the file
    try:
        return any(name.strip().lower() in SHEETS for name in workbook.sheetnames)
    finally:
        workbook.close()


def form_title(data: bytes) -> str:
    """The `form_title` of an XLSForm's settings sheet, or "" (not an XLSForm, no title, unreadable)."""
    if not is_xlsform(data):
        return ""
    try:
        settings = _read(data).get("settings")
    except ImportFailed:
        return ""
    return settings.cell(settings.rows[0][1], "form_title") if settings and settings.rows else ""


def _fail(message: str, row: int | None = None, column: str | None = None):
    raise ImportFailed([ImportProblem(row, column, message)])


def _read(data: bytes) -> dict[str, Sheet]:
    """The three sheets (by lower-case name), headers lower-cased, blank rows left out, bounded."""
    try:
        check_xlsx_package(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except PackageRefused as exc:
        _fail(str(exc))
    except (OSError, TypeError, *DAMAGED_SHEET):
        _fail(_("Tệp không phải là tệp Excel .xlsx hợp lệ (không mở được)."))
    sheets, cells = {}, 0
    try:
        for worksheet in workbook.worksheets:
            name = worksheet.title.strip().lower()
            if name not in SHEETS or name in sheets:
                continue
            sheet = None
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                values = list(values)
                cells += sum(value is not None for value in values)
                # Blank rows that carry formatting count too (room for as many again).
                too_long = number > 2 * MAX_ROWS + 100 or (sheet and len(sheet.rows) > MAX_ROWS)
                if cells > MAX_CELLS or too_long:
                    _fail(
                        _("Biểu mẫu XLSForm quá lớn: mỗi trang tối đa %(limit)s dòng.")
                        % {"limit": MAX_ROWS}
                    )
                if not any(cell_text(v) for v in values):
                    continue
                if sheet is None:
                    titles = [cell_text(v) for v in values]
                    sheet = Sheet(worksheet.title, [t.lower() for t in titles], titles)
                else:
                    sheet.rows.append((number, values))
            sheets[name] = sheet or Sheet(worksheet.title, [])
    except DAMAGED_SHEET:
        _fail(_("Tệp Excel .xlsx bị hỏng: không đọc được nội dung trang tính."))
    finally:
        workbook.close()
    return sheets


# ------------------------------------------------------------------ pyxform


def _pyxform_problem(error: Exception) -> ImportProblem:
    """pyxform's message, in Vietnamese when we know it, with its row and sheet when it names them."""
    text = str(error).strip()
    row = ROW.search(text)
    sheet = SHEET.search(text)
    text = SHEET.sub("", ROW.sub("", text)).strip()
    known = [
        (r"^Unknown question type '(?P<x>.+)'", _("loại câu hỏi “%(x)s” không có trong XLSForm.")),
        (
            r"^There should be a choices sheet",
            _("thiếu trang choices (với các cột list_name, name, label) cho câu hỏi lựa chọn."),
        ),
        (
            r"List name not in choices sheet: (?P<x>\S+)",
            _("danh sách lựa chọn “%(x)s” không có ở trang choices."),
        ),
        (r"required column headers were not found: '(?P<x>\w+)'", _("thiếu cột “%(x)s”.")),
        (
            r"Could not find the name '(?P<x>.+?)'",
            _("điều kiện nhắc đến câu hỏi “%(x)s” không có trong biểu mẫu."),
        ),
        (r"the 'name' value '(?P<x>.+?)' is invalid.*unique", _("tên “%(x)s” bị trùng.")),
        (
            r"The name '(?P<x>.+?)' appears more than once",
            _("điều kiện nhắc đến “%(x)s”, nhưng tên này có ở nhiều câu hỏi."),
        ),
    ]
    for pattern, message in known:
        if found := re.search(pattern, text, re.S):
            text = message % found.groupdict() if "%(x)s" in message else message
            break
    else:
        text = _("pyxform báo lỗi: %(error)s") % {"error": text}
    if sheet:
        text = _("Biểu mẫu XLSForm không hợp lệ (trang %(sheet)s): %(message)s") % {
            "sheet": sheet["sheet"],
            "message": text,
        }
    else:
        text = _("Biểu mẫu XLSForm không hợp lệ: %(message)s") % {"message": text}
    return ImportProblem(int(row["row"]) if row else None, None, text)


def pyxform_problem(data: bytes) -> ImportProblem | None:
    """What pyxform refuses in the workbook, or None (its warnings are not problems)."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        convert(data, warnings=[], file_type=".xlsx")
    except PyXFormError as error:
        return _pyxform_problem(error)
    except Exception:  # noqa: BLE001 - a converter's crash on odd input is a refusal, never a 500
        logger.warning("pyxform could not convert an uploaded XLSForm", exc_info=True)
        return ImportProblem(
            None, None, _("Biểu mẫu XLSForm không hợp lệ: pyxform không đọc được tệp này.")
        )
    return None


# ------------------------------------------------------------------ translation into our layout


def _label_column(sheet: Sheet, language: str) -> int | None:
    """`label`, else the `label::…` column of the form's default language, of Vietnamese, or the first."""
    if (index := sheet.index("label")) is not None:
        return index
    labels = [i for i, h in enumerate(sheet.header) if h.startswith("label::")]
    for wanted in (language.lower(), "(vi)", "vietnamese", "tiếng việt"):
        for index in labels:
            if wanted and wanted in sheet.header[index]:
                return index
    return labels[0] if labels else None


def _choice_lists(sheet: Sheet, language: str, problems: list) -> dict[str, list]:
    lists: dict[str, list] = {}
    name = "name" if "name" in sheet.header else "value"
    for column in ("list_name", name):
        if column not in sheet.header:
            problems.append(ImportProblem(1, None, _("trang choices thiếu cột “%s”.") % column))
            return lists
    label = _label_column(sheet, language)
    for number, cells in sheet.rows:
        value = sheet.cell(cells, name)
        text = cell_text(cells[label]) if label is not None and label < len(cells) else ""
        # Our layout writes a list as `value=label|…`: a label may hold "=", not "|".
        if "|" in value or "=" in value:
            where = sheet.where(sheet.index(name))
            problems.append(ImportProblem(number, where, _("không được chứa dấu | hoặc dấu =.")))
        if label is not None and "|" in text:
            problems.append(ImportProblem(number, sheet.where(label), _("không được chứa dấu |.")))
        lists.setdefault(sheet.cell(cells, "list_name"), []).append((value, text or value))
    return lists


def _relevant(text: str) -> str | None:
    """Our `${x} = 'v'` / `!=` form of a supported XLSForm condition, or None."""
    if found := COMPARISON.match(text):
        return f"${{{found['name']}}} {found['op']} '{found['value']}'"
    if found := SELECTED.match(text):
        return f"${{{found['name']}}} {'!=' if found['not'] else '='} '{found['value']}'"
    return None


def _limits(text: str) -> str | None:
    """`min=…|max=…` from a constraint `. >= a`, `. <= b` or both joined by `and`; None otherwise."""
    limits = {}
    for part in re.split(r"\s+and\s+", text.strip()):
        found = BOUND.match(part.strip())
        key = {">=": "min", "<=": "max"}[found["op"]] if found else None
        if not found or key in limits:
            return None
        limits[key] = found["number"]
    return "|".join(f"{key}={value}" for key, value in sorted(limits.items(), reverse=True))


def _kind(values: list[str], dimension: str, base: str, appearance: str) -> str:
    """likert5: values 1–5 and a dimension (the item is counted); scale4: values 1–4 shown as a scale
    (ODK's `likert` appearance, which the export writes); otherwise a plain choice."""
    if base == "select_multiple":
        return "multiple"
    if values == ["1", "2", "3", "4", "5"] and dimension:
        return "likert5"
    if values == ["1", "2", "3", "4"] and "likert" in appearance.lower().split():
        return "scale4"
    return "single"


def _type(text: str) -> tuple[str, list[str]]:
    """The base type (`select_one`, `begin_group`…) and what follows it (the list name)."""
    text = " ".join(text.lower().split())
    for alias, base in (
        ("select one ", "select_one "),
        ("select all that apply ", "select_multiple "),
        ("select multiple ", "select_multiple "),
        ("begin group", "begin_group"),
        ("end group", "end_group"),
        ("begin repeat", "begin_repeat"),
        ("end repeat", "end_repeat"),
    ):
        if text.startswith(alias):
            text = base + text[len(alias) :]
    base, *rest = text.split(" ") if text else [""]
    return base, rest


def _translate(survey: Sheet, lists, language: str, problems: list) -> _Layout:
    """Our layout's rows from the survey sheet; what has no equivalent goes to `problems`."""
    columns = {name: survey.index(name) for name in ("type", "name", "required", "relevant")}
    columns |= {"label": _label_column(survey, language), "dimension": survey.index("dimension")}
    missing = [name for name in ("type", "name", "label") if columns[name] is None]
    if missing:
        _fail(_("trang survey thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)}, row=1)
    places = {
        name: survey.where(index)
        if index is not None
        else _("%(column)s (chưa có cột), trang %(sheet)s") % {"column": name, "sheet": survey.name}
        for name, index in columns.items()
    }
    places["choices"] = places["type"]
    rows = []
    for number, cells in survey.rows:

        def get(column, cells=cells):
            index = columns.get(column, survey.index(column))
            return cell_text(cells[index]) if index is not None and index < len(cells) else ""

        def refuse(column, message, number=number):
            index = survey.index(column) if column not in columns else columns[column]
            problems.append(ImportProblem(number, survey.where(index), message))

        base, rest = _type(get("type"))
        if base in METADATA or base in ("end_group", "end_repeat"):
            continue
        for column in UNSUPPORTED_COLUMNS:
            if get(column):
                refuse(
                    column, _("cột %(column)s chưa được hỗ trợ; hãy để trống.") % {"column": column}
                )
        name, label, dimension = get("name"), get("label"), get("dimension")
        required = get("required").lower()
        if required not in YES | NO:
            refuse(
                "required", _("chỉ ghi yes hoặc để trống (điều kiện bắt buộc chưa được hỗ trợ).")
            )
        relevant = get("relevant")
        if relevant and (ours := _relevant(relevant)) is None:
            refuse(
                "relevant",
                _(
                    "điều kiện chỉ được viết dạng ${ten} = 'gia_tri', ${ten} != 'gia_tri', "
                    "selected(${ten}, 'gia_tri') hoặc not(selected(${ten}, 'gia_tri'))."
                ),
            )
            relevant = ""
        elif relevant:
            relevant = ours
        constraint, choices = get("constraint"), ""
        if base in ("note", "begin_group"):
            if relevant:
                refuse("relevant", _("nhóm và ghi chú không được có điều kiện hiển thị ở đây."))
            rows.append((number, ["section", name, label or name, "", "0", "", dimension]))
            continue
        if base in ("select_one", "select_multiple"):
            if len(rest) != 1:
                refuse(
                    "type",
                    _("cần đúng một tên danh sách sau %(type)s (không hỗ trợ or_other).")
                    % {"type": base},
                )
                continue
            if lists is None:
                refuse(
                    "type",
                    _("không có trang choices cho danh sách lựa chọn “%(list)s”.")
                    % {"list": rest[0]},
                )
                continue
            if rest[0] not in lists:
                refuse(
                    "type",
                    _("danh sách lựa chọn “%(list)s” không có ở trang choices.")
                    % {"list": rest[0]},
                )
                continue
            options = lists[rest[0]]
            kind = _kind([v for v, _label in options], dimension, base, get("appearance"))
            if kind != "likert5":
                choices = "|".join(f"{value}={text}" for value, text in options)
        elif base in ("integer", "int", "decimal"):
            kind = "number"
            if constraint and (choices := _limits(constraint)) is None:
                refuse(
                    "constraint",
                    _("chỉ hỗ trợ giới hạn dạng . >= 0, . <= 100 hoặc . >= 0 and . <= 100."),
                )
                choices = ""
            constraint = ""
        elif base in ("text", "string"):
            kind = "text"
        else:
            refuse(
                "type",
                _("loại câu hỏi “%(type)s” chưa được hỗ trợ; dùng: %(types)s.")
                % {"type": base, "types": SUPPORTED},
            )
            continue
        if constraint:
            refuse("constraint", _("chỉ câu số (integer, decimal) mới có giới hạn ở đây."))
        rows.append(
            (
                number,
                [kind, name, label, choices, "1" if required in YES else "0", relevant, dimension],
            )
        )
    return _Layout(rows, places)


def parse(data: bytes) -> XLSForm:
    """Our questions from an XLSForm workbook; ImportFailed (every problem, nothing kept) otherwise."""
    sheets = _read(data)
    checked = pyxform_problem(data)
    settings = sheets.get("settings")
    title = form_id = language = ""
    if settings and settings.rows:
        first = settings.rows[0][1]
        title, form_id = settings.cell(first, "form_title"), settings.cell(first, "form_id")
        language = settings.cell(first, "default_language")
    survey = sheets.get("survey")
    if survey is None:
        _fail(_("Biểu mẫu XLSForm thiếu trang survey (các câu hỏi)."))
    problems: list[ImportProblem] = []
    lists = _choice_lists(sheets["choices"], language, problems) if "choices" in sheets else None
    questions = []
    try:
        layout = _translate(survey, lists, language, problems)
        questions = q.parse(layout)
    except ImportFailed as failed:
        problems += failed.problems
    if checked and not (checked.row is None and problems):
        # pyxform's word first; when it names no row, ours (which do) stand in for it.
        problems = [checked] + [p for p in problems if p.row is None or p.row != checked.row]
    if problems:
        problems.sort(key=lambda p: (p.row is not None, p.row or 0))
        raise ImportFailed(problems)
    return XLSForm(questions, title=title, form_id=form_id)
