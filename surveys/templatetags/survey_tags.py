"""Helpers for re-showing a respondent's answers after a refused submission."""

from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def flag_labels(flags) -> str:
    """A response's quality flags in words (an unknown code as it is)."""
    from surveys.models import Flag

    labels = dict(Flag.choices)
    return ", ".join(str(labels.get(flag, flag)) for flag in flags or [])


@register.filter
def steps(questions) -> list:
    """The respondent page's steps, one per section, with the questions' numbers
    (surveys/respondent_page.py)."""
    from surveys.respondent_page import steps as steps_of

    return steps_of(questions)


@register.filter
def minutes(questions) -> int:
    from surveys.respondent_page import estimated_minutes

    return estimated_minutes(questions)


@register.filter
def plain_title(wave) -> str:
    """The respondent's title of a wave (its questionnaire's plain name)."""
    from surveys.respondent_page import plain_title as title_of

    return title_of(wave.version.questionnaire.code, wave.title)
