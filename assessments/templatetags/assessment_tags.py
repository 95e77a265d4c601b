"""Small display helpers for the assessment screens (no rules here: those live in services)."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formats import day, number, points
from frameworks.scoring import READ_ONLY_RULES

from ..presenters import current_evidence as _current_evidence
from ..presenters import domain_of as _domain_of

register = template.Library()

PART_LABELS = {
    "resolved": gettext_lazy("Đã giải quyết xong"),
    "handled": gettext_lazy("Đang giải quyết"),
}


@register.filter
def current_evidence(item):
    return _current_evidence(item)


@register.filter
def get_key(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def part_label(name: str) -> str:
    return str(PART_LABELS.get(name, name.replace("_", " ")))


@register.filter
def describe_inputs(item) -> str:
    inputs, node = item.inputs or {}, item.node
    if node.rule == "yes_no":
        return _("Có") if inputs.get("done") else _("Không")
    if node.rule == "ratio":
        if "parts" in inputs:
            parts = ", ".join(f"{part_label(k)}: {number(v)}" for k, v in inputs["parts"].items())
            return f"{parts} / {number(inputs.get('denominator'))}"
        return f"{number(inputs.get('numerator'))} / {number(inputs.get('denominator'))}"
    if node.rule == "checklist":
        items = node.rule_params.get("items", [])
        return "; ".join(items[i] for i in inputs.get("ticked", []) if i < len(items)) or _(
            "không có nội dung nào"
        )
    if node.rule == "deadline":
        return day(inputs.get("date"), empty=_("chưa thực hiện"))
    if node.rule == "deduction":
        return _("%(count)s lần") % {"count": number(inputs.get("count"))}
    if "points" in inputs:
        return _("%(points)s điểm") % {"points": points(inputs["points"])}
    return ""


@register.filter
def is_read_only(rule: str) -> bool:
    return rule in READ_ONLY_RULES


@register.filter
def subtract(value, other):
    return value - other


@register.filter
def domain_of(code: str) -> str:
    return _domain_of(code)
