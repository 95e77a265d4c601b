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
def numbered(questions) -> list:
    """(number, question) pairs for the respondent page: questions are numbered, section headings
    are not (None), so the progress notes count questions."""
    pairs, number = [], 0
    for question in questions:
        if question.type == "section":
            pairs.append((None, question))
        else:
            number += 1
            pairs.append((number, question))
    return pairs
