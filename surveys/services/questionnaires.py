"""New versions of a questionnaire, read from a spreadsheet."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import record
from core.permissions import require
from core.tabular import read_table
from surveys import questionnaire as q
from surveys import xlsform
from surveys.errors import SurveyError
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


WEIGHT_KEYS = frozenset("ABCDEFGH") | frozenset("12345")
"""What a weight may be given for: an option letter (A…H) or a 5-point answer (1…5)."""


def parse_option_weights(text: str) -> dict[str, float]:
    """ "A=100|B=60|C=20|D=0" (percent; "|", ";" or new lines between) → {"A": 1.0, …}; an empty
    text is the documented default. SurveyError naming every wrong part."""
    weights, problems = {}, []
    for part in (p.strip() for p in text.replace(";", "|").replace("\n", "|").split("|")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key = key.strip().upper()
        try:
            percent = float(value.strip().replace(",", ".")) if sep else None
        except ValueError:
            percent = None
        if key not in WEIGHT_KEYS or percent is None or not 0 <= percent <= 100:
            problems.append(
                _("“%(part)s”: viết dạng A=100, với A…H hoặc 1…5 và trọng số từ 0 đến 100.")
                % {"part": part}
            )
            continue
        if key in weights:
            problems.append(_("“%(key)s” được khai báo hai lần.") % {"key": key})
        weights[key] = percent / 100
    if problems:
        raise SurveyError(problems)
    return weights


def set_option_weights(actor, questionnaire: Questionnaire, text: str) -> dict[str, float]:
    """The weight of each option in the officials' figures (DOMAIN.md §5.1), for every wave of the
    questionnaire: A 100 / B 60 / C 20 / D 0 and 5-point answers linear when none is set."""
    require(actor, can_manage_surveys, ONLY_MANAGERS)
    weights = parse_option_weights(text)
    before = questionnaire.option_weights
    Questionnaire.objects.filter(pk=questionnaire.pk).update(option_weights=weights)
    questionnaire.option_weights = weights
    record(
        actor,
        "questionnaire.option_weights",
        questionnaire,
        before={"weights": before},
        after={"weights": weights},
    )
    return weights


def weights_text(weights: dict) -> str:
    """The stored weights as the form shows them ("A=100|B=60")."""
    return "|".join(f"{key}={round(value * 100, 2):g}" for key, value in weights.items())
