"""Small display helpers for the assessment screens (no rules here: those live in services)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formats import day, number, points
from frameworks.scoring import READ_ONLY_RULES

from ..automatic import ENTERED, OVERRIDE
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
def unlocalize_number(value) -> str:
    """A number as an <input type=number> wants it: a dot, never the Vietnamese comma."""
    return "" if value in (None, "") else str(value)


def _percent(share) -> str:
    try:
        return number_format(Decimal(str(share)) * 100, 2) + " %"
    except (InvalidOperation, ValueError):
        return ""


@register.filter
def percent_of_share(share) -> str:
    return _percent(share)


@register.filter
def data_source(item) -> str:
    """Where an `automatic` leaf's value came from, in the words the unit reads (automatic.py)."""
    inputs = item.inputs or {}
    origin = inputs.get("origin")
    if origin == OVERRIDE:
        return _("Điều chỉnh: %(reason)s (số liệu từ nguồn dữ liệu: %(fed)s)") % {
            "reason": inputs.get("reason", ""),
            "fed": _percent(inputs.get("fed_value")),
        }
    if origin == ENTERED:
        return _("Nhập bởi Sở Nội vụ theo văn bản %(document)s") % {
            "document": inputs.get("document", "")
        }
    if "value" in inputs and inputs.get("from"):
        return _("Từ %(report)s của đơn vị") % {"report": inputs["from"]}
    if "value" in inputs:
        return _("Từ báo cáo định kỳ của đơn vị (nguồn dữ liệu)")
    return _("Chưa có số liệu: lấy từ nguồn dữ liệu khi mở thẩm định, hoặc Sở Nội vụ nhập")


@register.filter
def describe_inputs(item) -> str:
    inputs, node = item.inputs or {}, item.node
    if node.rule == "automatic":
        return _percent(inputs["value"]) if "value" in inputs else ""
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
