"""Scoring rules of a framework leaf: parameter checks and pure, exact points functions.

Points are Decimal with 2 places. Every rule keeps points within [0, max] (penalty: [-max, 0])
and is monotone in its value. Messages reach the user as they are: they are written in Vietnamese and
marked for translation (docs/decisions.md, decision 1), so they come out in the active language.
"""

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import formats

from .survey_binding import binding_problems

RULES = (
    "manual",
    "yes_no",
    "ratio",
    "checklist",
    "deadline",
    "deduction",
    "survey",
    "automatic",
    "bonus",
    "penalty",
)
RULE_LABELS = {
    "manual": gettext_lazy("Chấm theo mức (thẩm định viên cho điểm)"),
    "yes_no": gettext_lazy("Có / không"),
    "ratio": gettext_lazy("Theo tỷ lệ"),
    "checklist": gettext_lazy("Theo danh mục nội dung"),
    "deadline": gettext_lazy("Theo thời hạn"),
    "deduction": gettext_lazy("Trừ điểm theo số lần"),
    "survey": gettext_lazy("Từ điều tra xã hội học"),
    "automatic": gettext_lazy("Tự động từ dữ liệu"),
    "bonus": gettext_lazy("Điểm thưởng"),
    "penalty": gettext_lazy("Điểm trừ"),
}
# Leaves of these kinds stand outside the 100-point total when a whole domain is made of them.
EXTRA_RULES = frozenset({"bonus", "penalty"})
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_points(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- parameter checks


def validate_params(rule: str, params, max_points: Decimal) -> list[str]:
    """Problems with a leaf's rule and parameters (in the active language); empty when they are sound."""
    if rule not in RULES:
        return [
            _("quy tắc chấm “%(rule)s” không tồn tại; dùng một trong: %(rules)s.")
            % {"rule": rule, "rules": ", ".join(RULES)}
        ]
    if not isinstance(params, Mapping):
        return [_("tham số quy tắc (rule_params) phải là một đối tượng JSON, ví dụ {}.")]
    problems = []
    if "allow_na" in params and not isinstance(params["allow_na"], bool):
        problems.append(_("“allow_na” phải là true hoặc false."))
    checker = _PARAM_CHECKS.get(rule)
    if checker:
        problems.extend(checker(params, max_points))
    return problems


def _check_step(params, max_points):
    if "step" not in params:
        return []
    step = _number(params["step"])
    if step is None or step <= 0:
        return [_("“step” phải là một số dương, ví dụ 0.25.")]
    if max_points and (max_points / step) != (max_points / step).to_integral_value():
        return [
            _("điểm tối đa %(max)s không chia hết cho bước %(step)s.")
            % {"max": formats.points(max_points), "step": formats.number(step)}
        ]
    return []


def _check_tiers_by_value(params, max_points):
    problems = []
    if "tiers" in params:
        tiers = params["tiers"]
        if not isinstance(tiers, list) or not tiers:
            return [
                _("“tiers” phải là danh sách các mức [ngưỡng, điểm], ví dụ [[1.0, 2], [0, 0]].")
            ]
        last_threshold, last_points = None, None
        for tier in tiers:
            pair = tier if isinstance(tier, list) and len(tier) == 2 else None
            threshold = _number(pair[0]) if pair else None
            points = _number(pair[1]) if pair else None
            if threshold is None or points is None:
                problems.append(
                    _("mức %(tier)s phải là [ngưỡng, điểm] bằng số.") % {"tier": repr(tier)}
                )
                continue
            if not 0 <= threshold <= 1:
                problems.append(
                    _("ngưỡng %(threshold)s phải nằm trong khoảng 0 đến 1.")
                    % {"threshold": formats.number(threshold)}
                )
            if not 0 <= points <= max_points:
                problems.append(
                    _("điểm %(points)s của một mức phải từ 0 đến điểm tối đa %(max)s.")
                    % {"points": formats.points(points), "max": formats.points(max_points)}
                )
            if last_threshold is not None and threshold >= last_threshold:
                problems.append(_("các ngưỡng phải giảm dần (mức cao nhất trước)."))
            if last_points is not None and points > last_points:
                problems.append(_("điểm của các mức không được tăng khi ngưỡng giảm."))
            last_threshold, last_points = threshold, points
    elif params.get("mode") != "proportional":
        problems.append(_('cần “tiers” (chấm theo mức) hoặc "mode": "proportional" (theo tỷ lệ).'))
    if "min" in params:
        floor = _number(params["min"])
        if floor is None or not 0 <= floor <= 1:
            problems.append(_("“min” phải là một số từ 0 đến 1."))
    return problems


def _check_ratio(params, max_points):
    problems = _check_tiers_by_value(params, max_points)
    if "parts" in params:
        parts = params["parts"]
        if not isinstance(parts, Mapping) or not parts:
            problems.append(_('“parts” phải là đối tượng {tên: trọng số}, ví dụ {"resolved": 1}.'))
        else:
            for name, weight in parts.items():
                w = _number(weight)
                if w is None or w < 0:
                    problems.append(
                        _("trọng số của “%(name)s” phải là số không âm.") % {"name": name}
                    )
    return problems


def _check_checklist(params, max_points):
    problems = []
    items = params.get("items")
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
        problems.append(_("“items” phải là danh sách các nội dung cần có (chuỗi)."))
    per_item = _number(params.get("per_item"))
    if per_item is None or per_item <= 0:
        problems.append(_("“per_item” (điểm mỗi nội dung) phải là số dương."))
    return problems


def _check_deadline(params, max_points):
    tiers = params.get("tiers")
    if not isinstance(tiers, list) or not tiers:
        return [_('“tiers” phải là danh sách [ngày, điểm], ví dụ [["2025-01-31", 0.5]].')]
    problems = []
    last_day, last_points = None, None
    for tier in tiers:
        pair = tier if isinstance(tier, list) and len(tier) == 2 else None
        day = _date(pair[0]) if pair else None
        points = _number(pair[1]) if pair else None
        if day is None or points is None:
            problems.append(
                _("mức %(tier)s phải là [ngày yyyy-mm-dd, điểm].") % {"tier": repr(tier)}
            )
            continue
        if not 0 <= points <= max_points:
            problems.append(
                _("điểm %(points)s của một mức phải từ 0 đến điểm tối đa %(max)s.")
                % {"points": formats.points(points), "max": formats.points(max_points)}
            )
        if last_day is not None and day <= last_day:
            problems.append(_("các ngày phải tăng dần (hạn sớm nhất trước)."))
        if last_points is not None and points > last_points:
            problems.append(_("điểm không được tăng khi hạn muộn hơn."))
        last_day, last_points = day, points
    return problems


def _check_deduction(params, max_points):
    per_item = _number(params.get("per_item"))
    if per_item is None or per_item <= 0:
        return [_("“per_item” (điểm trừ mỗi lần) phải là số dương.")]
    return []


def _check_survey(params, max_points):
    """What a survey leaf reads (survey_binding: source, dimension, respondent groups) and the form of
    its groups: a list of group codes."""
    problems = binding_problems(params)
    groups = params.get("groups")
    if groups is not None and (
        not isinstance(groups, list)
        or not groups
        or not all(isinstance(g, str) and g for g in groups)
    ):
        problems.append(_("“groups” phải là danh sách mã nhóm đối tượng (chuỗi), không rỗng."))
    question = params.get("group_question")
    if question is not None and (not isinstance(question, str) or not question):
        problems.append(_("“group_question” phải là mã câu hỏi (chuỗi)."))
    return problems


_PARAM_CHECKS = {
    "survey": _check_survey,
    "manual": _check_step,
    "bonus": _check_step,
    "penalty": _check_step,
    "ratio": _check_ratio,
    "automatic": _check_tiers_by_value,
    "checklist": _check_checklist,
    "deadline": _check_deadline,
    "deduction": _check_deduction,
}


# ---------------------------------------------------------------- points


def points_bounds(rule: str, max_points: Decimal) -> tuple[Decimal, Decimal]:
    max_points = to_points(max_points)
    return (-max_points, ZERO) if rule == "penalty" else (ZERO, max_points)


def _clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def _stepped(params, max_points: Decimal, inputs) -> Decimal:
    points = _number(inputs.get("points")) or Decimal(0)
    points = _clamp(points, Decimal(0), max_points)
    step = _number(params.get("step"))
    if step and step > 0:
        points = (points / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return to_points(points)


def _by_value(params, max_points: Decimal, value: Decimal | None) -> Decimal:
    """Points for a rate in [0, 1], by tiers or proportionally with an optional floor."""
    if value is None:
        return ZERO
    value = _clamp(value, Decimal(0), Decimal(1))
    if "tiers" in params:
        for threshold, points in params["tiers"]:
            if value >= Decimal(str(threshold)):
                return to_points(_clamp(Decimal(str(points)), Decimal(0), max_points))
        return ZERO
    floor = _number(params.get("min"))
    if floor is not None and value < floor:
        return ZERO
    return to_points(max_points * value)


def ratio_value(params, inputs) -> Decimal | None:
    """numerator / denominator, the numerator weighing several counts when the rule has parts."""
    denominator = _number(inputs.get("denominator"))
    if denominator is None or denominator <= 0:
        return None
    if "parts" in params:
        counts = inputs.get("parts") or {}
        numerator = sum(
            (
                Decimal(str(weight)) * max(Decimal(0), _number(counts.get(name)) or Decimal(0))
                for name, weight in params["parts"].items()
            ),
            Decimal(0),
        )
    else:
        numerator = max(Decimal(0), _number(inputs.get("numerator")) or Decimal(0))
    return numerator / denominator


def score(rule: str, params: Mapping, max_points, inputs: Mapping) -> Decimal:
    """The points a leaf earns for the given inputs (missing inputs earn nothing, but a deduction
    with no count keeps its full points)."""
    max_points = to_points(max_points)
    inputs = inputs or {}
    if rule in ("manual", "bonus"):
        return _stepped(params, max_points, inputs)
    if rule == "penalty":
        return -_stepped(params, max_points, inputs)
    if rule == "yes_no":
        return max_points if inputs.get("done") is True else ZERO
    if rule == "ratio":
        return _by_value(params, max_points, ratio_value(params, inputs))
    if rule == "automatic":
        return _by_value(params, max_points, _number(inputs.get("value")))
    if rule == "survey":
        index = _number(inputs.get("index"))
        return (
            ZERO if index is None else to_points(max_points * _clamp(index, Decimal(0), Decimal(1)))
        )
    if rule == "checklist":
        items = params.get("items", [])
        ticked = {i for i in inputs.get("ticked", []) if isinstance(i, int) and 0 <= i < len(items)}
        return to_points(min(max_points, Decimal(str(params["per_item"])) * len(ticked)))
    if rule == "deadline":
        done = _date(inputs.get("date"))
        if done is None:
            return ZERO
        for day, points in params["tiers"]:
            if done <= _date(day):
                return to_points(_clamp(Decimal(str(points)), Decimal(0), max_points))
        return ZERO
    if rule == "deduction":
        count = max(Decimal(0), _number(inputs.get("count")) or Decimal(0))
        return to_points(max(Decimal(0), max_points - Decimal(str(params["per_item"])) * count))
    raise ValueError(f"unknown rule {rule!r}")


# ---------------------------------------------------------------- what a unit enters

# Rules whose value comes from elsewhere (surveys, imported data): the unit enters nothing.
READ_ONLY_RULES = frozenset({"survey", "automatic"})


def validate_inputs(rule: str, params: Mapping, max_points, inputs: Mapping) -> list[str]:
    """Problems with what a unit entered for a leaf (in the active language); empty when it can be scored."""
    max_points = to_points(max_points)
    if rule in READ_ONLY_RULES:
        return [
            _("điểm của tiêu chí này lấy từ dữ liệu điều tra hoặc hệ thống, đơn vị không nhập.")
        ]
    if not isinstance(inputs, Mapping):
        return [_("dữ liệu nhập không hợp lệ.")]
    if rule in ("manual", "bonus", "penalty"):
        points = _number(inputs.get("points"))
        if points is None:
            return [_("hãy nhập số điểm.")]
        if not 0 <= points <= max_points:
            return [_("điểm phải từ 0 đến %(max)s.") % {"max": formats.points(max_points)}]
        step = _number(params.get("step"))
        if step and (points / step) != (points / step).to_integral_value():
            return [_("điểm phải là bội số của %(step)s.") % {"step": formats.number(step)}]
        return []
    if rule == "yes_no":
        return [] if isinstance(inputs.get("done"), bool) else [_("hãy chọn Có hoặc Không.")]
    if rule == "ratio":
        problems = []
        denominator = _number(inputs.get("denominator"))
        if denominator is None or denominator <= 0:
            problems.append(_("mẫu số phải là số lớn hơn 0."))
        if "parts" in params:
            counts = inputs.get("parts") if isinstance(inputs.get("parts"), Mapping) else {}
            values = {name: _number(counts.get(name)) for name in params["parts"]}
            for name, value in values.items():
                if value is None or value < 0:
                    problems.append(_("“%(name)s” phải là số không âm.") % {"name": name})
            if not problems and sum(values.values()) > denominator:
                problems.append(_("tổng các phần không được lớn hơn mẫu số."))
        else:
            numerator = _number(inputs.get("numerator"))
            if numerator is None or numerator < 0:
                problems.append(_("tử số phải là số không âm."))
            elif denominator is not None and denominator > 0 and numerator > denominator:
                problems.append(_("tử số không được lớn hơn mẫu số."))
        return problems
    if rule == "checklist":
        ticked = inputs.get("ticked")
        count = len(params.get("items", []))
        if not isinstance(ticked, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < count for i in ticked
        ):
            return [_("danh sách nội dung đã có không hợp lệ.")]
        return []
    if rule == "deadline":
        if inputs.get("date") in (None, ""):
            return []  # not done: scores 0, a valid answer
        return [] if _date(inputs.get("date")) else [_("ngày thực hiện không hợp lệ.")]
    if rule == "deduction":
        count = _number(inputs.get("count"))
        if count is None or count < 0 or count != count.to_integral_value():
            return [_("số lần phải là số nguyên không âm.")]
        return []
    return [_("quy tắc chấm “%(rule)s” không tồn tại.") % {"rule": rule}]
