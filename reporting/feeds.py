"""Indicator feeds: values per unit and period from a data source, read from a CSV/XLSX table (one layout,
below) or sent by another system through the API, checked here with every problem named; saved by
services.receive_feed. Plain rules: no request, no writes.

The layout (docs/reporting.md, "Nguồn dữ liệu chỉ tiêu"): one row per unit, period and indicator, columns
"Mã đơn vị", "Kỳ báo cáo" (2025-q1, 2025-h1, 2025-m9 or 2025-year), "Mã chỉ tiêu", then "Giá trị" for a
number, or "Tử số" and "Mẫu số" for a rate.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.tabular import ImportFailed, ImportProblem, Table, cell_text, parse_decimal
from units.models import Unit

from .models import FedValue, Indicator, Period, PeriodKind

# Header (lower case) → field. Every column but the figures is required.
COLUMNS = {
    "mã đơn vị": "unit",
    "kỳ báo cáo": "period",
    "mã chỉ tiêu": "indicator",
    "giá trị": "value",
    "tử số": "numerator",
    "mẫu số": "denominator",
}
REQUIRED = ("unit", "period", "indicator")
HEADERS = {field: header for header, field in COLUMNS.items()}
# Figures are stored with 12 digits before the decimal point and 2 after.
MAX_FIGURE = Decimal("1e12")


@dataclass(frozen=True)
class FeedRow:
    period: Period
    unit: Unit
    indicator: Indicator
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def period_key(period: Period) -> str:
    return f"{period.year}-{period.kind}"


def _number(raw, label: str) -> tuple[Decimal | None, str | None]:
    """(number, problem): empty is (None, None)."""
    if raw is None or cell_text(raw) == "":
        return None, None
    number = parse_decimal(raw)
    if number is None:
        return None, _("“%(text)s” không phải là số.") % {"text": cell_text(raw)}
    if number < 0:
        return None, _("%(label)s không được âm.") % {"label": label}
    if number >= MAX_FIGURE:
        return None, _("%(label)s quá lớn.") % {"label": label}
    if number != number.quantize(Decimal("0.01")):
        return None, _("%(label)s có tối đa 2 chữ số thập phân.") % {"label": label}
    return number, None


def figure_problems(indicator: Indicator, value, numerator, denominator) -> list[tuple[str, str]]:
    """(field, problem) for one indicator's figure: a number wants a value, a rate a numerator and a
    denominator with numerator ≤ denominator."""
    if indicator.is_rate:
        if value is not None:
            return [("value", _("chỉ tiêu tỷ lệ: hãy nhập tử số và mẫu số, không nhập giá trị."))]
        if numerator is None or denominator is None:
            missing = "numerator" if numerator is None else "denominator"
            return [(missing, _("chỉ tiêu tỷ lệ cần cả tử số và mẫu số."))]
        if numerator > denominator:
            return [("numerator", _("tử số lớn hơn mẫu số."))]
        return []
    if numerator is not None or denominator is not None:
        return [("value", _("chỉ tiêu là số: hãy nhập giá trị, không nhập tử số, mẫu số."))]
    if value is None:
        return [("value", _("thiếu giá trị."))]
    return []


def parse_feed(table: Table) -> list[FeedRow]:
    """The table's rows, or ImportFailed naming each problem by row and column (nothing is kept)."""
    index = {}
    for position, header in enumerate(table.header):
        field = COLUMNS.get(header.strip().lower())
        if field:
            index.setdefault(field, position)
    missing = [HEADERS[f] for f in REQUIRED if f not in index]
    if "value" not in index and not {"numerator", "denominator"} <= index.keys():
        missing.append(HEADERS["value"])
    if missing:
        raise ImportFailed(
            [
                ImportProblem(
                    None,
                    None,
                    _("Thiếu cột: %(columns)s. Dòng tiêu đề cần có: %(layout)s.")
                    % {
                        "columns": ", ".join(f"“{m}”" for m in missing),
                        "layout": ", ".join(f"“{h}”" for h in COLUMNS),
                    },
                )
            ]
        )
    periods = {period_key(p): p for p in Period.objects.periodic().select_related("template")}
    indicators = {
        (i.template_id, i.code): i
        for i in Indicator.objects.filter(template__periods__isnull=False)
    }
    codes = {
        cell_text(values[index["unit"]]) for _n, values in table.rows if len(values) > index["unit"]
    }
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    problems, rows, seen = [], [], {}

    def cell(values, field):
        position = index.get(field)
        return values[position] if position is not None and position < len(values) else None

    for number, values in table.rows:
        where = lambda field, n=number: (n, table.column_label(index[field]))  # noqa: E731
        before = len(problems)
        unit = units.get(cell_text(cell(values, "unit")))
        if unit is None:
            text = cell_text(cell(values, "unit"))
            message = (
                _("không có đơn vị mã “%(code)s”.") % {"code": text}
                if text
                else _("thiếu mã đơn vị.")
            )
            problems.append(ImportProblem(*where("unit"), message))
        period_text = cell_text(cell(values, "period")).lower()
        period = periods.get(period_text)
        if period is None:
            problems.append(
                ImportProblem(
                    *where("period"),
                    _(
                        "không có kỳ báo cáo “%(text)s” (viết năm-kỳ: %(examples)s; kỳ phải đã được mở)."
                    )
                    % {
                        "text": period_text,
                        "examples": ", ".join(f"2025-{k}" for k in PeriodKind.values),
                    },
                )
            )
        code = cell_text(cell(values, "indicator"))
        indicator = indicators.get((period.template_id, code)) if period else None
        if period is not None and indicator is None:
            problems.append(
                ImportProblem(
                    *where("indicator"),
                    _("mẫu báo cáo của kỳ này không có chỉ tiêu “%(code)s”.") % {"code": code},
                )
            )
        figures = {}
        for field in ("value", "numerator", "denominator"):
            figures[field], problem = _number(cell(values, field), HEADERS[field].capitalize())
            if problem:
                problems.append(ImportProblem(*where(field), problem))
        if len(problems) > before:
            continue
        for field, problem in figure_problems(indicator, **figures):
            column = field if field in index else "indicator"
            problems.append(ImportProblem(*where(column), problem))
        key = (unit.pk, period.pk, indicator.pk)
        if key in seen:
            problems.append(
                ImportProblem(
                    number,
                    None,
                    _("trùng đơn vị, kỳ và chỉ tiêu với dòng %(row)s.") % {"row": seen[key]},
                )
            )
        seen.setdefault(key, number)
        if len(problems) == before:
            rows.append(FeedRow(period=period, unit=unit, indicator=indicator, **figures))
    if problems:
        raise ImportFailed(problems)
    if not rows:
        raise ImportFailed([ImportProblem(None, None, _("Tệp không có dòng số liệu nào."))])
    return rows


def fed_values(period: Period, unit: Unit) -> dict[int, FedValue]:
    """The unit's fed values of the period, by indicator id (the report form is prefilled from them)."""
    return {f.indicator_id: f for f in FedValue.objects.filter(period=period, unit=unit)}
