"""Ask the assistant: read the question, run its tool as the asker, compose the answer, and log the
question and answer for the secretariat (the one write)."""

from __future__ import annotations

import logging

from django.utils import timezone

from ..models import AssistantQuestion
from . import answer, intents, model, tools

logger = logging.getLogger(__name__)


def reply(user, text: str) -> answer.Answer:
    question = intents.read(text, tools.unit_aliases())
    year = question.year
    if year is None and question.relative_year and question.intent != intents.SIPAS:
        # "năm trước", "năm ngoái": the year before this one (SIPAS compares with it by itself).
        year = timezone.localdate().year + question.relative_year
    unit, namesakes = tools.pick_unit(question.unit_ids, year)
    if namesakes and question.intent != intents.UNKNOWN:
        return answer.namesakes(question.intent, namesakes)
    if question.intent == intents.EXTREME:
        result = tools.extreme_index(user, year, question.kind, question.lowest, question.family)
    elif question.intent == intents.UNIT_INDEX:
        result = tools.unit_index(user, unit, year)
    elif question.intent == intents.MISSING_REPORTS:
        result = tools.missing_reports(user, year, question.period, question.kind)
    elif question.intent == intents.OVERDUE_TASKS:
        result = tools.overdue_tasks(user, question)
    elif question.intent == intents.SURVEY_PROGRESS:
        result = tools.survey_progress(user, unit, year)
    elif question.intent == intents.SIPAS:
        result = tools.sipas_compare(user, unit, year)
    else:
        return answer.unknown()
    return answer.compose(result)


def answer_of(user, text: str) -> answer.Answer:
    """The model's answer when one is configured and its answer passes the guard; the built-in
    engine's otherwise (the reason logged)."""
    if model.configured():
        try:
            return model.reply(user, text)
        except model.Rejected as rejected:
            logger.warning("assistant: the model's answer was rejected (%s)", rejected)
        except model.Failed as failed:
            logger.warning("assistant: the model could not answer (%s)", failed)
    return reply(user, text)


def ask(user, text: str) -> answer.Answer:
    reply_ = answer_of(user, text)
    AssistantQuestion.objects.create(
        asker=user if user.is_authenticated else None,
        question=text[:1000],
        intent=reply_.intent,
        answer=reply_.text,
    )
    return reply_
