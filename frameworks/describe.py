"""What a leaf's rule means, in words, from its parameters: the dates, tiers and thresholds units read.

A unit is scored by the rule's parameters; guidance typed by hand drifts from them (a copied year keeps
its old dates in the text). So the lines shown to units are rendered here: dates dd/mm/yyyy, points
with a decimal comma, in the active language.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.formats import day as _day
from core.formats import number, percent
from core.formats import points as _points

from .survey_binding import DIMENSIONS, SOURCE_LABELS


def _percent(value) -> str:
    return percent(Decimal(str(value)) * 100, None)


def describe(rule: str, params: dict, max_points) -> list[str]:
    """Lines such as "Ban hành đến 31/07/2026: 0,50 điểm"; empty for a rule with nothing to state."""
    try:
        return _describe(rule, params or {}, max_points)
    except (TypeError, ValueError, ArithmeticError, KeyError):
        return []  # unsound parameters are the editor's problem (validate_params); say nothing here


def _describe(rule: str, params: dict, max_points) -> list[str]:
    top = _points(max_points)
    if rule == "deadline":
        tiers = params.get("tiers", [])
        lines = [
            _("Thực hiện đến %(day)s: %(points)s điểm")
            % {"day": _day(day), "points": _points(points)}
            for day, points in tiers
        ]
        if tiers:
            lines.append(
                _("Sau %(day)s hoặc không thực hiện: 0 điểm") % {"day": _day(tiers[-1][0])}
            )
        return lines
    if rule in ("ratio", "automatic"):
        lines = []
        if "parts" in params:
            parts = ", ".join(
                f"{name} × {number(Decimal(str(weight)), 2)}"
                for name, weight in params["parts"].items()
            )
            lines.append(_("Tỷ lệ = (%(parts)s) / tổng số") % {"parts": parts})
        if "tiers" in params:
            lines.extend(
                _("Từ %(share)s: %(points)s điểm")
                % {"share": _percent(threshold), "points": _points(points)}
                for threshold, points in params["tiers"]
                if Decimal(str(threshold)) > 0 or Decimal(str(points)) > 0
            )
            lowest = params["tiers"][-1][0]
            if Decimal(str(lowest)) > 0:
                lines.append(_("Dưới %(share)s: 0 điểm") % {"share": _percent(lowest)})
        else:
            lines.append(_("Điểm = %(max)s × tỷ lệ đạt được") % {"max": top})
            if "min" in params:
                lines.append(_("Dưới %(share)s: 0 điểm") % {"share": _percent(params["min"])})
        return lines
    if rule == "checklist":
        return [
            _("Mỗi nội dung đáp ứng: %(points)s điểm, tối đa %(max)s điểm")
            % {"points": _points(params["per_item"]), "max": top}
        ]
    if rule == "deduction":
        return [
            _("Mỗi lần vi phạm trừ %(points)s điểm, không thấp hơn 0 điểm")
            % {"points": _points(params["per_item"])}
        ]
    if rule == "yes_no":
        return [_("Có: %(max)s điểm; không: 0 điểm") % {"max": top}]
    if rule in ("manual", "bonus", "penalty"):
        label = {
            "manual": _("Chấm từ 0 đến %(max)s điểm"),
            "bonus": _("Cộng tối đa %(max)s điểm"),
            "penalty": _("Trừ tối đa %(max)s điểm"),
        }[rule] % {"max": top}
        if "step" in params:
            label += _(", theo bước %(step)s điểm") % {"step": _points(params["step"])}
        return [label]
    if rule == "survey":
        label = DIMENSIONS.get(params.get("source"), {}).get(params.get("dimension"))
        if label is None:
            return [_("Điểm = %(max)s × chỉ số từ kết quả điều tra xã hội học") % {"max": top}]
        return [
            _("Điểm = %(max)s × %(dimension)s (%(source)s)")
            % {"max": top, "dimension": label, "source": SOURCE_LABELS[params["source"]]}
        ]
    return []
