"""Rank changes as the public pages print them (numbers: core/templatetags/formats.py)."""

from django import template

register = template.Library()


@register.filter
def steps(value) -> str:
    """A rank change as arrows: ↑3 (up three places), ↓1, = (unchanged)."""
    if value is None:
        return ""
    if value > 0:
        return f"↑{value}"
    if value < 0:
        return f"↓{-value}"
    return "="
