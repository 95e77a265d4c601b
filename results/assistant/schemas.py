"""The built-in engine's tools as a model sees them: their function-calling schemas, generated from
the signatures and docstrings in tools.py, and a model's call run as the asker (the same permission
checks as the engine's), its result turned into JSON for the conversation."""

from __future__ import annotations

import inspect
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from core import formats
from units.models import Unit

from . import answer, intents, tools

# What the model may call: the engine's own tools, nothing else.
TOOLS = (
    tools.extreme_index,
    tools.unit_index,
    tools.missing_reports,
    tools.overdue_tasks,
    tools.sipas_compare,
    tools.survey_progress,
)
_BY_NAME = {function.__name__: function for function in TOOLS}
_PERIOD_KINDS = [kind for _pattern, kind in intents._PERIODS]
_FAMILY_KINDS = [family for _words, family in intents._FAMILIES]
# Each parameter's JSON schema, by its name in tools.py. `question` (the overdue tasks' reading of
# the question) is offered to the model as the leader's name or title only.
PARAMETERS = {
    "year": {"type": "integer", "description": "Năm (ví dụ 2025); bỏ trống: năm gần nhất"},
    "kind": {
        "type": "string",
        "enum": ["commune", "department"],
        "description": "commune: các xã, phường; department: các sở",
    },
    "lowest": {"type": "boolean", "description": "true: thấp nhất; false: cao nhất"},
    "family": {
        "type": "string",
        "enum": _FAMILY_KINDS,
        "description": "Chỉ số khác của Thành phố (sự nghiệp, ngành dọc, cấp tỉnh); bỏ trống: "
        "Chỉ số CCHC chung",
    },
    "unit": {
        "type": "string",
        "description": "Tên đơn vị (ví dụ “Sở Tư pháp”, “Phường Hoàn Kiếm”)",
    },
    "period_kind": {
        "type": "string",
        "enum": _PERIOD_KINDS,
        "description": "q1: quý I; h1: 6 tháng; m9: 9 tháng; year: cả năm",
    },
    "question": {
        "type": "string",
        "description": "Tên hoặc chức danh lãnh đạo phụ trách (ví dụ “Phó Chủ tịch”); bỏ trống: "
        "mọi nhiệm vụ quá hạn",
    },
}
_RENAMED = {"question": "leader"}


def _description(function) -> str:
    first = inspect.getdoc(function).split("\n\n")[0]
    return " ".join(first.split())


def tool_schemas() -> list[dict]:
    """The OpenAI function-calling declarations of TOOLS, from their signatures: every parameter but
    the asker; one without a default and not optional (`| None`) is required."""
    declared = []
    for function in TOOLS:
        properties, required = {}, []
        for name, parameter in inspect.signature(function).parameters.items():
            if name == "user":
                continue
            properties[_RENAMED.get(name, name)] = PARAMETERS[name]
            optional = "None" in str(parameter.annotation) or name == "question"
            if parameter.default is inspect.Parameter.empty and not optional:
                required.append(_RENAMED.get(name, name))
        declared.append(
            {
                "type": "function",
                "function": {
                    "name": function.__name__,
                    "description": _description(function),
                    "parameters": {
                        "type": "object",
                        "properties": properties,
                        "required": required,
                    },
                },
            }
        )
    return declared


class BadCall(Exception):
    """A call the model got wrong: said back to it, so that it can try again."""


def _arguments(function, given: dict, aliases) -> dict:
    values = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name == "user":
            continue
        value = given.get(_RENAMED.get(name, name))
        if name == "question":
            value = intents.read(str(value or ""), {})
        elif name == "unit":
            year = given.get("year")
            value = _unit(
                value,
                aliases,
                required="None" not in str(parameter.annotation),
                year=year if isinstance(year, int) and not isinstance(year, bool) else None,
            )
        elif value is not None and name == "year":
            if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
                raise BadCall(_("Năm không hợp lệ: %(value)s") % {"value": value})
        elif value is not None and name == "lowest":
            value = bool(value)
        elif value is not None and "enum" in PARAMETERS[name]:
            if value not in PARAMETERS[name]["enum"]:
                raise BadCall(_("Giá trị không hợp lệ cho %(name)s: %(value)s") % locals())
        elif name == "lowest":
            value = True
        values[name] = value
    return values


def _unit(name, aliases, required: bool, year: int | None = None) -> Unit | None:
    if not name:
        if required:
            raise BadCall(_("Cần tên đơn vị."))
        return None
    unit, namesakes = tools.pick_unit(
        intents.match_units(intents.normalise(str(name)), aliases), year
    )
    if namesakes:
        raise BadCall(
            _("Có nhiều đơn vị tên “%(name)s”: %(codes)s; hãy gọi lại với mã đơn vị.")
            % {"name": name, "codes": ", ".join(u.code for u in namesakes)}
        )
    if unit is None:
        raise BadCall(_("Không tìm thấy đơn vị “%(name)s”.") % {"name": name})
    return unit


def call(user, name: str, given: dict, aliases) -> tuple[dict, tools.Result | None]:
    """Run the tool `name` as `user` with the model's arguments: (the JSON said back to the model,
    the tool's result). A wrong call is said back as {"error": …}, with no result."""
    function = _BY_NAME.get(name)
    if function is None:
        return {"error": _("Không có công cụ %(name)s.") % {"name": name}}, None
    try:
        result = function(
            user, **_arguments(function, given if isinstance(given, dict) else {}, aliases)
        )
    except BadCall as bad:
        return {"error": str(bad)}, None
    return serialise(result, given), result


def _plain(value):
    if isinstance(value, datetime):
        return formats.day(value)
    if isinstance(value, date):
        return formats.day(value)
    if isinstance(value, Decimal):
        return formats.points(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return None  # model instances (the plan) and the like: not said


def serialise(result: tools.Result, given: dict) -> dict:
    """What the model reads of a result: its status, its facts and its figures as the answer shows
    them (formatted, each with its page), and the arguments it was called with."""
    composed = answer.compose(result)
    said = {
        "status": result.status,
        "arguments": given,
        "facts": {k: _plain(v) for k, v in result.facts.items() if _plain(v) is not None},
        "figures": composed.figures,
        "count": len(composed.figures),
        "answer": composed.text,
    }
    return said
