"""A questionnaire version as an XLSForm (`survey`, `choices`, `settings`) that pyxform converts and
KoboToolbox or ODK open; importing it back (`xlsform.parse`) gives the same questions
(docs/surveys.md, "XLSForm")."""

from openpyxl import Workbook

from core.spreadsheets import HEADER_FONT, append, save

from .models import QuestionnaireVersion
from .questionnaire import LIKERT5

SURVEY = ("type", "name", "label", "required", "relevant", "constraint", "appearance", "dimension")
CHOICES = ("list_name", "name", "label")
SETTINGS = ("form_title", "form_id", "version")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _constraint(question: dict) -> str:
    bounds = [
        f". {operator} {_number(question[key])}"
        for key, operator in (("min", ">="), ("max", "<="))
        if question.get(key) is not None
    ]
    return " and ".join(bounds)


def _relevant(question: dict, multiple: set[str]) -> str:
    """`${x} = 'v'` as it is; on a select_multiple, XLSForm's `selected()` says "among the ticked"."""
    from .questionnaire import Question

    condition = Question.from_dict(question).condition
    if not condition or condition[0] not in multiple:
        return question.get("relevant", "")
    name, operator, value = condition
    selected = f"selected(${{{name}}}, '{value}')"
    return selected if operator == "=" else f"not({selected})"


def sheets(questions: list[dict]) -> tuple[list[list[str]], list[list[str]]]:
    """The survey and choices rows (without headers). Identical option lists are written once, under
    the name of the first question that uses them."""
    survey, choices, lists, multiple = [], [], {}, set()
    for question in questions:
        kind = question["type"]
        options = tuple(map(tuple, LIKERT5 if kind == "likert5" else question.get("choices", [])))
        if kind == "section":
            row_type = "note"
        elif kind in ("number", "text"):
            row_type = "decimal" if kind == "number" else "text"
        else:
            if options not in lists:
                lists[options] = "likert5" if kind == "likert5" else question["name"]
                choices += [[lists[options], value, label] for value, label in options]
            select = "select_multiple" if kind == "multiple" else "select_one"
            row_type = f"{select} {lists[options]}"
        survey.append(
            [
                row_type,
                question["name"],
                question["label"],
                "yes" if question.get("required") and kind != "section" else "",
                _relevant(question, multiple),
                _constraint(question) if kind == "number" else "",
                "likert" if kind in ("likert5", "scale4") else "",
                question.get("dimension", ""),
            ]
        )
        if kind == "multiple":
            multiple.add(question["name"])
    return survey, choices


def export(questions: list[dict], title: str, form_id: str, version: str) -> bytes:
    """Every cell is text (a label starting with "=" stays a label, never a formula)."""
    survey, choices = sheets(questions)
    workbook = Workbook(write_only=True)
    for name, header, rows in (
        ("survey", SURVEY, survey),
        ("choices", CHOICES, choices),
        ("settings", SETTINGS, [[title, form_id, version]]),
    ):
        sheet = workbook.create_sheet(name)
        append(sheet, header, font=HEADER_FONT)
        for row in rows:
            append(sheet, row)
    return save(workbook)


def export_version(version: QuestionnaireVersion) -> bytes:
    code = version.questionnaire.code
    return export(
        version.questions,
        version.questionnaire.title,
        f"{code.replace('-', '_')}_v{version.number}",
        str(version.number),
    )


def filename(version: QuestionnaireVersion) -> str:
    return f"xlsform-{version.questionnaire.code}-v{version.number}.xlsx"
