"""Numbers as the public pages print them."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def signed(value, places: int = 2) -> str:
    """+1,25 / −0,50 / 0,00 in the page's number format; an empty string for no value."""
    if value is None or value == "":
        return ""
    text = floatformat(abs(value), places)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


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
