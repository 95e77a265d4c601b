"""A tool's result put into a Vietnamese answer, its figures formatted by core.formats, each with the
page it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import formats

from . import intents
from .tools import EMPTY, REFUSED, Figure, Result

EXAMPLES = (
    gettext_lazy("Xã nào có chỉ số thấp nhất năm 2025?"),
    gettext_lazy("Sở nào chưa nộp báo cáo quý 3?"),
    gettext_lazy("Những nhiệm vụ nào do đồng chí Phó Chủ tịch phụ trách đang quá hạn?"),
    gettext_lazy("So sánh chỉ số SIPAS của Sở Tư pháp với năm trước"),
    gettext_lazy("Chỉ số của Phường Hoàn Kiếm năm 2025"),
    gettext_lazy("Khảo sát SIPAS đã thu được bao nhiêu phiếu?"),
)


@dataclass
class Answer:
    intent: str
    text: str
    figures: list[dict]  # {label, value, url}
    examples: tuple[str, ...] = ()


def _value(figure: Figure) -> str:
    if figure.kind == "percent":
        return formats.percent(figure.value)
    if figure.kind == "day":
        return formats.day(figure.value)
    if figure.kind == "count":
        return formats.number(figure.value, 0)
    if figure.kind == "text":
        return str(figure.value)
    return formats.points(figure.value)


def unknown() -> Answer:
    return Answer(
        intents.UNKNOWN,
        _("Tôi chưa trả lời được câu hỏi này. Bạn có thể hỏi, ví dụ:"),
        [],
        tuple(str(e) for e in EXAMPLES),
    )


def namesakes(intent: str, units) -> Answer:
    """Units that share the name the question gives: the asker chooses by code (or by year)."""

    def described(unit) -> str:
        if unit.active_to:
            when = _("đến %(day)s") % {"day": formats.day(unit.active_to)}
        elif unit.active_from:
            when = _("từ %(day)s") % {"day": formats.day(unit.active_from)}
        else:
            when = ""
        return f"{unit.display_name} ({unit.code}{', ' + when if when else ''})"

    return Answer(
        intent,
        _(
            "Có %(n)s đơn vị cùng tên: %(names)s. Xin hỏi lại, ghi thêm mã đơn vị "
            "(ví dụ “%(code)s”) hoặc năm."
        )
        % {
            "n": formats.number(len(units), 0),
            "names": "; ".join(described(u) for u in units),
            "code": units[0].code,
        },
        [],
    )


def compose(result: Result) -> Answer:
    figures = [{"label": f.label, "value": _value(f), "url": f.url} for f in result.figures]
    if result.status == REFUSED:
        text = _("Bạn không có quyền xem số liệu này, hoặc số liệu chưa được công bố.")
    elif result.status == EMPTY:
        text = _("Chưa có số liệu để trả lời câu hỏi này.")
    else:
        text = _TEXTS[result.intent](result, figures)
    return Answer(result.intent, text, figures)


def _names(figures) -> str:
    return ", ".join(f"{f['label']} ({f['value']})" for f in figures)


def _extreme(result: Result, figures) -> str:
    facts = result.facts
    which = _("thấp nhất") if facts["lowest"] else _("cao nhất")
    text = _("Năm %(year)s, chỉ số %(which)s là %(names)s.") % {
        "year": facts["year"],
        "which": which,
        "names": _names(figures),
    }
    if not facts["published"]:
        text += " " + _("Kết quả chưa công bố.")
    return text


def _unit_index(result: Result, figures) -> str:
    facts = result.facts
    text = _("Chỉ số CCHC năm %(year)s của %(unit)s là %(value)s.") % {
        "year": facts["year"],
        "unit": facts["unit"],
        "value": figures[0]["value"],
    }
    if facts["rank"]:
        text += " " + _("Xếp thứ %(rank)s/%(size)s trong %(group)s.") % {
            "rank": facts["rank"],
            "size": facts["size"],
            "group": facts["group"],
        }
    if not facts["published"]:
        text += " " + _("Kết quả chưa công bố.")
    return text


def _missing(result: Result, figures) -> str:
    facts = result.facts
    period = facts["period"]
    if not figures:
        return _("Mọi đơn vị đã nộp báo cáo %(period)s.") % {"period": period}
    return _("%(n)s đơn vị chưa nộp báo cáo %(period)s (hạn %(due)s): %(names)s.") % {
        "n": formats.number(len(figures), 0),
        "period": period,
        "due": formats.day(facts["due"]),
        "names": ", ".join(f["label"] for f in figures),
    }


def _overdue(result: Result, figures) -> str:
    if not figures:
        return _("Không có nhiệm vụ nào đang quá hạn.")
    who = "; ".join(result.facts["leaders"])
    text = _("%(n)s nhiệm vụ đang quá hạn") % {"n": formats.number(len(figures), 0)}
    if who:
        text += " " + _("do %(who)s phụ trách") % {"who": who}
    tasks = "; ".join(
        _("%(task)s (hạn %(due)s)") % {"task": f["label"], "due": f["value"]} for f in figures
    )
    return f"{text}: {tasks}."


def _sipas(result: Result, figures) -> str:
    unit = result.facts["unit"]
    parts = ", ".join(f"{f['label']}: {f['value']}" for f in figures)
    if unit:
        text = _("Chỉ số SIPAS của %(unit)s: %(parts)s.") % {"unit": unit, "parts": parts}
    else:
        text = _("Chỉ số SIPAS đã công bố của Thành phố: %(parts)s.") % {"parts": parts}
    if len(result.figures) == 2:
        change = float(result.figures[1].value) - float(result.figures[0].value)
        text += " " + _("Thay đổi: %(change)s điểm phần trăm.") % {"change": formats.signed(change)}
    return text


def _progress(result: Result, figures) -> str:
    facts = result.facts
    collected, needed, share = (f["value"] for f in figures[:3])
    text = _("Đợt “%(wave)s”") % {"wave": facts["wave"]}
    if facts["unit"]:
        text += " " + _("tại %(unit)s") % {"unit": facts["unit"]}
    text += ": " + _("%(collected)s phiếu hợp lệ trên %(needed)s phiếu cần thu (%(share)s).") % {
        "collected": collected,
        "needed": needed,
        "share": share,
    }
    if not facts["unit"]:
        text += " " + _("%(reached)s/%(units)s đơn vị đã đủ số phiếu.") % {
            "reached": figures[3]["value"],
            "units": formats.number(facts["units"], 0),
        }
    return text


_TEXTS = {
    intents.EXTREME: _extreme,
    intents.UNIT_INDEX: _unit_index,
    intents.MISSING_REPORTS: _missing,
    intents.OVERDUE_TASKS: _overdue,
    intents.SIPAS: _sipas,
    intents.SURVEY_PROGRESS: _progress,
}
