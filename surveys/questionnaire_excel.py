"""A stored questionnaire version as an .xlsx in the import layout, so that re-importing it gives the same
questions (surveys/data/README.md; the importer is `questionnaire.parse`)."""

from openpyxl import Workbook

from core.spreadsheets import append, save

from .models import QuestionnaireVersion
from .questionnaire import HEADER

CHOICE_TYPES = ("single", "multiple", "scale4")


def _number(value: float) -> str:
    """A limit as the importer's float() reads it back to the same value: 5.0 as "5", 2.5 as "2.5"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def choices_text(question: dict) -> str:
    """The `choices` cell: `value=label|…` for choice questions, `min=…|max=…` for numbers."""
    if question["type"] in CHOICE_TYPES:
        return "|".join(f"{value}={label}" for value, label in question.get("choices", []))
    if question["type"] == "number":
        limits = [
            f"{key}={_number(question[key])}"
            for key in ("min", "max")
            if question.get(key) is not None
        ]
        return "|".join(limits)
    return ""


def question_row(question: dict) -> list[str]:
    return [
        question["type"],
        question["name"],
        question["label"],
        choices_text(question),
        "1" if question.get("required") else "0",
        question.get("relevant", ""),
        question.get("dimension", ""),
    ]


def export_version(version: QuestionnaireVersion) -> bytes:
    """Every cell is text (a label starting with "=" stays a label, never a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("questions")
    append(sheet, HEADER)
    for question in version.questions:
        append(sheet, question_row(question))
    return save(workbook)


def filename(version: QuestionnaireVersion) -> str:
    return f"bang-hoi-{version.questionnaire.code}-v{version.number}.xlsx"
