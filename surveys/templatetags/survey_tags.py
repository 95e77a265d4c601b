"""Helpers for re-showing a respondent's answers after a refused submission."""

from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def percent(value) -> str:
    """A share in [0, 1] as a percentage with one decimal (Vietnamese comma)."""
    if value is None:
        return ""
    return f"{value * 100:.1f}".replace(".", ",")
