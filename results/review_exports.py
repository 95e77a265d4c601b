"""The five-year review's annexes: a Word annex with the city's letterhead (the report's layout,
results/reports/) and an Excel workbook (core/spreadsheets.py), both from results/review.py's trends."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from core import formats
from core.spreadsheets import Column, Sheet, xlsx
from cycles.organisers import letterhead_of

from . import charts
from .reports import word
from .reports.model import Chart, Heading, Paragraph, Report, Table
from .reports.model import Column as DocColumn

PERIOD = "2021–2025"
CHANGE = "Thay đổi (điểm)"


def filename(suffix: str) -> str:
    return f"phu-luc-danh-gia-cchc-2021-2025.{suffix}"


def _n(value) -> str:
    return formats.number(value, 2)


def _signed(value) -> str:
    return formats.signed(value, 2)


def _year_columns(years, first: DocColumn) -> list[DocColumn]:
    return [
        first,
        *(DocColumn(str(y), 1.7, "right") for y in years),
        DocColumn(CHANGE, 1.9, "right"),
    ]


def _series_rows(rows, label) -> list[list[str]]:
    return [[label(r), *(_n(v) for v in r["values"]), _signed(r["change"])] for r in rows]


def _unit_label(row: dict) -> str:
    text = row["name"]
    if row["former"]:
        text += " (đơn vị cũ)"
    elif row["through_lineage"]:
        text += " (*)"
    return text


def annex_report(found: dict, issued: date | None = None) -> Report:
    """The annex as report blocks: the city and its groups, the domains, the provincial series, then
    every unit, each year's figure beside the change over the period."""
    years = found["years"]
    report = Report(
        kind_title="PHỤ LỤC",
        subject=f"Số liệu Chỉ số cải cách hành chính giai đoạn {PERIOD} "
        f"(kèm theo Báo cáo tổng kết công tác cải cách hành chính giai đoạn {PERIOD})",
        issued=issued or timezone.localdate(),
        letterhead=letterhead_of(None),
    )
    if found["missing"]:
        missing = ", ".join(str(y) for y in found["missing"])
        report.add(
            Paragraph.of(f"Năm chưa có kết quả công bố trên hệ thống: {missing}.", kind="note")
        )
    report.add(Heading(1, "I. Chỉ số CCHC theo khối"))
    groups = [{"name": "Trung bình các đơn vị", **found["city"]}, *found["groups"]]
    report.add(
        Table(
            _year_columns(years, DocColumn("Khối", 5.4)),
            _series_rows(groups, lambda r: r["name"] + (" (khối cũ)" if r.get("former") else "")),
            caption="Bảng 1. Chỉ số trung bình theo khối (%)",
            bold_rows=frozenset({0}),
        ),
        Chart(
            lambda fmt: charts.trend_lines(
                years,
                [(g["name"], g["values"]) for g in groups],
                fmt=fmt,
                title="Chỉ số CCHC theo khối",
            ),
            "Biểu đồ 1. Chỉ số CCHC theo khối qua các năm",
        ),
    )
    report.add(Heading(1, "II. Chỉ số theo lĩnh vực"))
    if found["domains"]:
        report.add(
            Table(
                _year_columns(years, DocColumn("Lĩnh vực", 5.4)),
                _series_rows(found["domains"], lambda r: f"{r['code']}. {r['title']}"),
                caption="Bảng 2. Chỉ số thành phần theo lĩnh vực, toàn Thành phố (%)",
            )
        )
    else:
        report.add(Paragraph.of("Chưa có số liệu theo lĩnh vực.", kind="note"))
    report.add(Heading(1, "III. Chỉ số cấp tỉnh của Thành phố"))
    report.add(
        Table(
            [DocColumn("Chỉ số", 5.4), *(DocColumn(str(y), 2.1, "right") for y in years)],
            [[p["label"], *(_n(v) for v in p["values"])] for p in found["provincial"]],
            caption="Bảng 3. PAR Index, SIPAS, PAPI của Thành phố Hà Nội (theo nguồn công bố)",
        )
    )
    report.add(Heading(1, "IV. Chỉ số CCHC của từng cơ quan, đơn vị"))
    rows, bold = _unit_table(found["units"], len(years))
    report.add(
        Table(
            [DocColumn("STT", 0.9, "center"), *_year_columns(years, DocColumn("Đơn vị", 4.5))],
            rows,
            caption="Bảng 4. Chỉ số CCHC của từng cơ quan, đơn vị (%)",
            note="(*) Năm trước khi sắp xếp: trung bình cộng chỉ số của các đơn vị tiền thân.",
            size_pt=10,
            bold_rows=frozenset(bold),
        )
    )
    return report


def _unit_table(units: list[dict], years: int) -> tuple[list[list[str]], list[int]]:
    """The units' rows under a bold row naming their group (the former units under their own)."""
    rows, bold, group = [], [], None
    for number, unit in enumerate(units, start=1):
        title = "Đơn vị cũ" if unit["former"] else unit["group"]
        if title != group:
            group = title
            bold.append(len(rows))
            rows.append(["", title, *([""] * (years + 1))])
        rows.append([str(number), *_series_rows([unit], _unit_label)[0]])
    return rows, bold


def word_annex(found: dict, issued: date | None = None) -> bytes:
    return word.render(annex_report(found, issued))


def _value_of(position: int):
    return lambda row: row["values"][position]


def _years_of(years, title_column: Column) -> list[Column]:
    return [
        title_column,
        *(Column(str(y), _value_of(i), "0.00", 10) for i, y in enumerate(years)),
        Column(CHANGE, "change", "0.00", 16),
    ]


def workbook(found: dict) -> bytes:
    """One sheet per table of the Word annex, the figures as numbers (two decimals)."""
    years = found["years"]
    title = f"Chỉ số cải cách hành chính giai đoạn {PERIOD}"
    groups = [{"name": "Trung bình các đơn vị", **found["city"]}, *found["groups"]]
    units = [
        row
        | {
            "number": i,
            "state": "Đơn vị cũ"
            if row["former"]
            else ("Qua đơn vị tiền thân" if row["through_lineage"] else ""),
            "lineage": "; ".join(
                f"{y}: {', '.join(c['from'])}"
                for y, c in zip(years, row["cells"], strict=True)
                if c["from"]
            ),
        }
        for i, row in enumerate(found["units"], start=1)
    ]
    return xlsx(
        Sheet("Theo khối", _years_of(years, Column("Khối", "name", width=36)), groups, [[title]]),
        Sheet(
            "Theo lĩnh vực",
            [
                Column("Mã", "code", width=8),
                *_years_of(years, Column("Lĩnh vực", "title", width=40)),
            ],
            found["domains"],
            [[title]],
        ),
        Sheet(
            "Chỉ số cấp tỉnh",
            [
                Column("Chỉ số", "label", width=36),
                *(Column(str(y), _value_of(i), "0.00", 10) for i, y in enumerate(years)),
            ],
            found["provincial"],
            [[title]],
        ),
        Sheet(
            "Theo đơn vị",
            [
                Column("STT", "number", width=6),
                Column("Mã", "code", width=10),
                *_years_of(years, Column("Đơn vị", "name", width=40)),
                Column("Khối", "group", width=24),
                Column("Ghi chú", "state", width=20),
                Column("Đơn vị tiền thân (mã) theo năm", "lineage", width=36),
            ],
            units,
            [[title]],
        ),
    )
