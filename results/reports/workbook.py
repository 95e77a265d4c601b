"""The results workbook: summary, one sheet per ranking group, per domain, per leaf, survey part.

Vietnamese headers, frozen panes, number formats, autofilter; numbers stay numbers (an index is 85.12
in the cell, shown with two decimals), and every cell is written through core.spreadsheets.put, so text
is always text (a unit name starting with "=" is not run as a formula).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.spreadsheets import put
from results import analysis

from . import narrative, sipas
from .text import COMPARISON, PROGRESS

TWO = "0.00"
PERCENT = "0%"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NA_FILL = PatternFill("solid", fgColor="EEEEEE")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
NOT_APPLICABLE = "KAD"  # không áp dụng


def build(snapshot: dict, on_progress: Callable[[int, str], None] | None = None) -> bytes:
    progress = on_progress or (lambda _p, _m: None)
    book = Workbook()
    names: set[str] = set()
    figures = [narrative.group_figures(snapshot, g["name"]) for g in snapshot["groups"]]
    progress(15, "Trang tổng hợp")
    _summary(book.active, snapshot, figures, names)
    for number, fig in enumerate(figures, start=1):
        progress(15 + 35 * number // max(1, len(figures)), f"Bảng xếp hạng {fig.name}")
        _group(book.create_sheet(_sheet_name(fig.name, names)), snapshot, fig)
    progress(55, "Điểm theo lĩnh vực")
    _domains(book.create_sheet(_sheet_name("Theo lĩnh vực", names)), snapshot)
    for number, fig in enumerate(figures, start=1):
        progress(60 + 25 * number // max(1, len(figures)), f"Điểm theo tiêu chí {fig.name}")
        _leaves(book.create_sheet(_sheet_name(f"Tiêu chí - {fig.name}", names)), fig)
    progress(88, "Phần điều tra xã hội học")
    _survey(book.create_sheet(_sheet_name("Điều tra XHH", names)), snapshot)
    if snapshot.get("sipas"):
        sipas.sheet(book, snapshot["sipas"], _sheet_name("SIPAS", names))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", " ".join(name.split()))[:31].strip() or "Trang"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def _header(sheet, row: int, titles: list[str], widths: list[float] | None = None) -> None:
    for column, title in enumerate(titles, start=1):
        cell = put(sheet, row, column, title)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, WRAP, BOX
    sheet.row_dimensions[row].height = 45
    for column, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _rows(sheet, first: int, rows: list[list], formats: list[str | None]) -> int:
    row = first
    for values in rows:
        for column, (value, fmt) in enumerate(zip(values, formats, strict=True), start=1):
            put(sheet, row, column, value, fmt)
        row += 1
    return row


def _title(sheet, text: str, subtitle: str = "") -> None:
    put(sheet, 1, 1, text).font = TITLE
    if subtitle:
        put(sheet, 2, 1, subtitle).font = Font(italic=True)


def _summary(sheet, snapshot: dict, figures, names: set[str]) -> None:
    sheet.title = _sheet_name("Tổng hợp", names)
    year = snapshot["cycle"]["year"]
    averages = analysis.city_averages(snapshot)
    _title(
        sheet,
        f"Kết quả Chỉ số cải cách hành chính năm {year}",
        snapshot["cycle"].get("title", ""),
    )
    rows = [
        ["Số cơ quan, đơn vị", len(snapshot["units"])],
        ["Số khối xếp hạng", len(snapshot["groups"])],
        ["Chỉ số bình quân toàn Thành phố (%)", averages["mean_index"]],
        ["Trung vị (%)", averages["median_index"]],
        ["Phần thẩm định: bình quân % điểm tối đa", averages["appraisal_percent"]],
        ["Phần điều tra xã hội học: bình quân % điểm tối đa", averages["survey_percent"]],
    ]
    for offset, (label, value) in enumerate(rows):
        put(sheet, 4 + offset, 1, label).font = BOLD
        put(sheet, 4 + offset, 2, value, TWO if isinstance(value, float) else None)
    top = 4 + len(rows) + 1
    put(sheet, top, 1, "Theo khối").font = TITLE
    titles = [
        "Khối",
        "Số đơn vị",
        "Chỉ số bình quân (%)",
        f"Bình quân năm {year - 1} (%)",
        "Thay đổi bình quân (điểm)",
        "Số đơn vị so sánh được",
        "Cao nhất (%)",
        "Thấp nhất (%)",
        "Trung vị (%)",
        "Phần thẩm định (% điểm tối đa)",
        "Phần điều tra XHH (% điểm tối đa)",
        "Điểm thẩm định bình quân",
        "Điểm điều tra XHH bình quân",
    ]
    _header(sheet, top + 1, titles, [44, 10, 13, 13, 13, 12, 11, 11, 11, 14, 14, 14, 14])
    by_name = {g["name"]: g for g in snapshot["groups"]}
    data = []
    for fig in figures:
        group = by_name[fig.name]
        data.append(
            [
                fig.name,
                len(fig.units),
                fig.mean_index,
                group.get("mean_previous_index"),
                fig.mean_change,
                fig.comparable,
                fig.best[0]["index"] if fig.best else None,
                fig.worst[0]["index"] if fig.worst else None,
                fig.median_index,
                fig.appraisal_percent,
                fig.survey_percent,
                group.get("mean_appraisal_points"),
                group.get("mean_survey_points"),
            ]
        )
    end = _rows(sheet, top + 2, data, [None, None] + [TWO, TWO, TWO, None] + [TWO] * 7)
    put(sheet, end + 1, 1, "Bình quân theo lĩnh vực (%)").font = TITLE
    _header(sheet, end + 2, ["Lĩnh vực", "Toàn Thành phố"] + [f.name for f in figures])
    per_group = [{d["code"]: d["mean_index"] for d in f.domains} for f in figures]
    rows = [
        [f"{d['code']}. {d['title']}", d["mean_index"]] + [v.get(d["code"]) for v in per_group]
        for d in averages["domains"]
    ]
    _rows(sheet, end + 3, rows, [None] + [TWO] * (1 + len(figures)))
    sheet.freeze_panes = "B4"


GROUP_TITLES = [
    "Hạng",
    "Mã",
    "Đơn vị",
    "Chỉ số (%)",
    "Xếp loại",
    "Khoảng hạng 90 %",
    "Hạng thấp nhất (khoảng 90 %)",
    "Hạng cao nhất (khoảng 90 %)",
    "Xác suất đứng trên đơn vị liền sau",
    "Tổng điểm",
    "Điểm tối đa áp dụng",
    "Điểm thẩm định",
    "Điểm điều tra XHH",
    "Điểm thưởng, điểm trừ",
    "Chỉ số năm trước (%)",
    "Thay đổi (điểm)",
    "Hạng năm trước",
    "Thay đổi hạng",
    "So sánh",
    "So sánh với (mã đơn vị năm trước)",
    "Tiến bộ",
    "Chưa có phiếu khảo sát",
]
GROUP_FORMATS = [None, None, None, TWO, None, None, None, None, PERCENT]
GROUP_FORMATS += [TWO] * 5 + [TWO, TWO, None, None, None, None, None, None]


def _group(sheet, snapshot: dict, fig) -> None:
    year = snapshot["cycle"]["year"]
    _title(sheet, f"{fig.name}: kết quả Chỉ số CCHC năm {year}", f"{len(fig.units)} đơn vị")
    _header(
        sheet,
        3,
        GROUP_TITLES,
        [7, 10, 40, 10, 8, 12, 10, 10, 12, 10, 10, 10, 10, 10, 11, 10, 9, 9, 22, 18, 14, 11],
    )
    rows = []
    for u in fig.units:
        interval = (
            f"{u['rank']} ({u['rank_low']}–{u['rank_high']})"
            if u["rank"] is not None and u.get("rank_low") is not None
            else None
        )
        rows.append(
            [
                u["rank"],
                u["code"],
                u["name"],
                u["index"],
                u["band"] or None,
                interval,
                u.get("rank_low"),
                u.get("rank_high"),
                u.get("p_ahead_of_next"),
                u["total"],
                u["maximum"],
                u["appraisal_points"],
                u["survey_points"],
                u["extra_points"],
                u["previous_index"],
                u["change"],
                u["previous_rank"],
                u["rank_change"],
                COMPARISON.get(u.get("comparison") or "", u.get("comparison") or None),
                ", ".join(u.get("compared_with") or []) or None,
                PROGRESS.get(u.get("progress") or "") or None,
                "Có" if u.get("survey_missing") else None,
            ]
        )
    end = _rows(sheet, 4, rows, GROUP_FORMATS)
    sheet.freeze_panes = "D4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(len(GROUP_TITLES))}{max(3, end - 1)}"


def _domains(sheet, snapshot: dict) -> None:
    titles = analysis.domain_titles(snapshot)
    extra = {d["code"] for u in snapshot["units"] for d in u["domains"] if d.get("extra")}
    _title(
        sheet,
        "Chỉ số theo lĩnh vực (%)",
        "Điểm thưởng, điểm trừ ghi bằng điểm, không phải phần trăm.",
    )
    columns = [
        f"{code}. {title}" + (" (điểm)" if code in extra else " (%)") for code, title in titles
    ]
    _header(
        sheet,
        3,
        ["Khối", "Hạng", "Mã", "Đơn vị", "Chỉ số (%)"] + columns,
        [24, 7, 10, 40, 10] + [14] * len(columns),
    )
    rows = []
    for u in snapshot["units"]:
        values = {d["code"]: d for d in u["domains"]}
        rows.append(
            [u["group"], u["rank"], u["code"], u["name"], u["index"]]
            + [
                None
                if code not in values
                else (values[code]["points"] if code in extra else values[code]["index"])
                for code, _ in titles
            ]
        )
    end = _rows(sheet, 4, rows, [None, None, None, None, TWO] + [TWO] * len(titles))
    sheet.freeze_panes = "E4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(5 + len(titles))}{max(3, end - 1)}"


def _code_key(code: str) -> list[int | str]:
    return [int(p) if p.isdigit() else p for p in code.split(".")]


def _leaves(sheet, fig) -> None:
    codes = sorted({c for u in fig.units for c in u["leaves"]}, key=_code_key)
    _title(
        sheet,
        f"Điểm theo tiêu chí: {fig.name}",
        f"Hàng 4: điểm tối đa của tiêu chí. {NOT_APPLICABLE}: tiêu chí không áp dụng với đơn vị.",
    )
    _header(sheet, 3, ["Hạng", "Mã", "Đơn vị", "Chỉ số (%)"] + codes, [7, 10, 40, 10])
    for column in range(5, 5 + len(codes)):
        sheet.column_dimensions[get_column_letter(column)].width = 8
    maxima = {}
    for u in fig.units:
        for code, (_points, maximum, _applicable) in u["leaves"].items():
            maxima[code] = max(maxima.get(code, 0), maximum)
    put(sheet, 4, 3, "Điểm tối đa").font = BOLD
    for column, code in enumerate(codes, start=5):
        put(sheet, 4, column, maxima.get(code), TWO).font = BOLD
    row = 5
    for u in fig.units:
        put(sheet, row, 1, u["rank"])
        put(sheet, row, 2, u["code"])
        put(sheet, row, 3, u["name"])
        put(sheet, row, 4, u["index"], TWO)
        for column, code in enumerate(codes, start=5):
            leaf = u["leaves"].get(code)
            if leaf is None:
                continue
            points, _maximum, applicable = leaf
            if applicable:
                put(sheet, row, column, points, TWO)
            else:
                cell = put(sheet, row, column, NOT_APPLICABLE)
                cell.fill = NA_FILL
        row += 1
    sheet.freeze_panes = "E5"


def _survey(sheet, snapshot: dict) -> None:
    _title(
        sheet,
        "Phần thẩm định và phần điều tra xã hội học",
        "Tỷ lệ: số điểm đạt được so với điểm tối đa của phần đó.",
    )
    titles = [
        "Khối",
        "Hạng",
        "Mã",
        "Đơn vị",
        "Chỉ số (%)",
        "Điểm thẩm định",
        "Tối đa phần thẩm định",
        "Tỷ lệ thẩm định (%)",
        "Điểm điều tra XHH",
        "Tối đa phần điều tra XHH",
        "Tỷ lệ điều tra XHH (%)",
        "Chênh lệch điều tra − thẩm định (điểm %)",
        "Chưa có phiếu khảo sát",
    ]
    _header(sheet, 3, titles, [24, 7, 10, 40, 10, 11, 11, 11, 11, 11, 11, 14, 11])
    rows = []
    for u in snapshot["units"]:
        appraisal = _share(u["appraisal_points"], u["appraisal_maximum"])
        survey = _share(u["survey_points"], u["survey_maximum"])
        rows.append(
            [
                u["group"],
                u["rank"],
                u["code"],
                u["name"],
                u["index"],
                u["appraisal_points"],
                u["appraisal_maximum"],
                appraisal,
                u["survey_points"],
                u["survey_maximum"],
                survey,
                None if appraisal is None or survey is None else round(survey - appraisal, 2),
                "Có" if u.get("survey_missing") else None,
            ]
        )
    end = _rows(sheet, 4, rows, [None, None, None, None] + [TWO] * 8 + [None])
    sheet.freeze_panes = "E4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(len(titles))}{max(3, end - 1)}"


def _share(points, maximum) -> float | None:
    return round(100 * points / maximum, 2) if maximum and points is not None else None
