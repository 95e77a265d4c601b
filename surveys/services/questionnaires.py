"""New versions of a questionnaire, read from a spreadsheet."""

from django.db import transaction

from accounts.audit import record
from core.permissions import require
from core.tabular import read_table
from surveys import questionnaire as q
from surveys import xlsform
from surveys.models import Questionnaire, QuestionnaireVersion
from surveys.permissions import ONLY_MANAGERS, can_manage_surveys


@transaction.atomic
def import_questionnaire(
    actor, code: str, title: str, data: bytes, filename: str = ""
) -> QuestionnaireVersion:
    """A new version of a questionnaire from an .xlsx (or CSV/TSV) file in our layout or from an XLSForm
    (an .xlsx with a `survey` sheet, surveys/xlsform.py); nothing saved if any row is wrong."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    source = "xlsform" if xlsform.is_xlsform(data) else "layout"
    if source == "xlsform":
        form = xlsform.parse(data)
        questions, title = form.questions, title or form.title
    else:
        questions = q.parse(read_table(data, filename))
    questionnaire, _ = Questionnaire.objects.get_or_create(code=code, defaults={"title": title})
    latest = questionnaire.latest()
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=latest.number + 1 if latest else 1,
        questions=[question.as_dict() for question in questions],
    )
    record(
        actor,
        "questionnaire.version",
        version,
        after={"questions": len(questions), "source": filename, "format": source},
    )
    return version
