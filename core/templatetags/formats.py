"""The site's number and date filters, built into every template (settings.TEMPLATES builtins):
{{ value|number }}, |number:2, |quantity:unit, |points, |percent, |share, |signed, |day, |moment (core.formats). No value reads as an empty text, so that `|default:"–"` still chooses the page's mark."""

from django import template

from core import formats

register = template.Library()


@register.filter
def number(value, places=None) -> str:
    return formats.number(value, None if places in (None, "") else int(places), empty="")


@register.filter
def quantity(value, unit="") -> str:
    return formats.quantity(value, unit or "", empty="")


@register.filter
def points(value) -> str:
    return formats.points(value, empty="")


@register.filter
def percent(value, places=2) -> str:
    return formats.percent(value, int(places), empty="")


@register.filter
def share(value, places=1) -> str:
    return formats.share(value, int(places), empty="")


@register.filter
def signed(value, places=2) -> str:
    return formats.signed(value, int(places), empty="")


@register.filter
def day(value) -> str:
    return formats.day(value, empty="")


@register.filter
def moment(value, seconds="") -> str:
    return formats.moment(value, seconds=bool(seconds), empty="")
