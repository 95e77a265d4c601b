"""A Briefing as a one- or two-page Word document for the Chairman, on the city's letterhead
(Decree 30/2020/NĐ-CP, laid out by results/reports/word.py like the other reports).

The text is the administrative document's, always in Vietnamese (as results/reports/ writes it);
numbers and dates are written the Vietnamese way by core/formats.py whatever the asker's language.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone, translation

from core.formats import day, number, points
from cycles.organisers import letterhead_of

from .models import Briefing
from .reports import word
from .reports.model import Heading, Paragraph, Report

RECIPIENTS = ["Chủ tịch UBND Thành phố (để báo cáo)", "Các Phó Chủ tịch UBND Thành phố"]
# Kept to one or two pages: the first moves of the week named, the rest counted.
TRANSITIONS_SHOWN = 5
REASONS = {"band": "xuống xếp loại", "falling": "giảm so với năm trước"}


def _when(text: str):
    return timezone.localtime(datetime.fromisoformat(text))


def _bullet(text: str) -> Paragraph:
    return Paragraph.of(f"- {text}")


def filename(briefing: Briefing) -> str:
    return f"ban-tin-cchc-{timezone.localtime(briefing.made_at):%Y-%m-%d-%H%M}.docx"


def _changes(report: Report, content: dict) -> None:
    found = content["changes"]
    report.add(Heading(1, "I. NHỮNG THAY ĐỔI TRONG TUẦN"))
    actions = "; ".join(f"{label}: {number(n)}" for label, n in found["actions"])
    report.add(
        _bullet(
            f"{number(found['events'])} thay đổi được ghi trong nhật ký"
            + (f" ({actions})." if actions else ".")
        ),
        _bullet(f"{number(found['submitted'])} bản tự đánh giá được nộp."),
        _bullet(f"{number(found['reports_sent'])} báo cáo định kỳ được gửi."),
    )
    if found["publications"]:
        report.add(
            _bullet(
                "Công bố kết quả: "
                + "; ".join(
                    p["title"]
                    + (f", công bố lần {number(p['version'])}" if p["version"] > 1 else "")
                    for p in found["publications"]
                )
                + "."
            )
        )
    else:
        report.add(_bullet("Không có kết quả nào được công bố."))
    moves = found["transitions"]
    for move in moves[:TRANSITIONS_SHOWN]:
        report.add(
            _bullet(
                f"{move['title']}: chuyển từ giai đoạn {move['before']} sang {move['after']} "
                f"ngày {day(_when(move['at']))}."
            )
        )

    if len(moves) > TRANSITIONS_SHOWN:
        report.add(
            _bullet(
                f"{number(len(moves) - TRANSITIONS_SHOWN)} chỉ số khác cũng chuyển giai đoạn trong tuần."
            )
        )


def _overdue(report: Report, content: dict) -> None:
    found = content["overdue"]
    report.add(Heading(1, "II. NHỮNG VIỆC QUÁ HẠN"))
    if found["plan_year"] is None:
        report.add(_bullet("Chưa có kế hoạch cải cách hành chính."))
    else:
        leaders = "; ".join(
            f"{leader or 'chưa ghi lãnh đạo phụ trách'}: {number(n)}"
            for leader, n in found["by_leader"]
        )
        if found["other_leaders"]:
            leaders += f"; lãnh đạo khác: {number(found['other_leaders'])}"
        report.add(
            _bullet(
                f"{number(found['tasks'])} nhiệm vụ của Kế hoạch CCHC năm {found['plan_year']} "
                "quá hạn" + (f", theo lãnh đạo phụ trách: {leaders}." if leaders else ".")
            )
        )
    period = found["period"]
    if period is None:
        report.add(_bullet("Chưa có kỳ báo cáo định kỳ nào."))
    else:
        report.add(
            _bullet(
                f"Báo cáo {period['title']} (hạn {day(_when(period['due']))}): "
                f"{number(period['missing'])}/{number(period['expected'])} đơn vị chưa gửi."
            )
        )


def _risk(report: Report, content: dict) -> None:
    report.add(Heading(1, "III. ĐƠN VỊ CÓ NGUY CƠ"))
    if not content["risk"]:
        report.add(_bullet("Không có đơn vị nào được dự báo xuống xếp loại hoặc giảm chỉ số."))
    for index in content["risk"]:
        names = "; ".join(
            f"{u['name']} (năm trước {points(u['last'])}, dự báo {points(u['point'])}, "
            f"khoảng {points(u['low'])}–{points(u['high'])}, {REASONS.get(u['risk'], u['risk'])})"
            for u in index["shown"]
        )
        more = index["count"] - len(index["shown"])
        report.add(
            _bullet(
                f"{index['title']}: {number(index['count'])}/{number(index['units'])} đơn vị "
                f"có nguy cơ: {names}" + (f" và {number(more)} đơn vị khác." if more else ".")
            )
        )


def report_of(briefing: Briefing) -> Report:
    content = briefing.content
    since, until = _when(content["since"]), _when(content["until"])
    report = Report(
        kind_title="BÁO CÁO",
        subject=f"Tóm tắt tình hình cải cách hành chính từ ngày {day(since)} đến ngày {day(until)}",
        issued=until.date(),
        letterhead=letterhead_of(None),
        recipients=RECIPIENTS,
    )
    report.add(
        Paragraph.of(
            "Sở Nội vụ báo cáo Chủ tịch UBND Thành phố tóm tắt tình hình cải cách hành chính "
            f"trong 7 ngày qua (số liệu đến {timezone.localtime(briefing.made_at):%H:%M} "
            f"ngày {day(until)}) như sau:"
        )
    )
    _changes(report, content)
    _overdue(report, content)
    _risk(report, content)
    report.add(Paragraph.of("Sở Nội vụ kính báo cáo./.", kind="closing"))
    return report


def render(briefing: Briefing) -> bytes:
    """The .docx bytes; Vietnamese numbers and dates whatever language is active."""
    with translation.override("vi"):
        return word.render(report_of(briefing))
