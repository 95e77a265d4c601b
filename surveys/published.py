"""Per-unit figures an institute published (when it, not the platform, ran the survey), read from a
table: the unit's code, one column per index, part, element or indicator, in percent, and optionally the
number of respondents (docs/surveys.md, "Số liệu do đơn vị khảo sát độc lập công bố").

A column is named by its key (`overall`, `service/access`, `indicator/harassment`, `criterion/3`) or by
its Vietnamese name as the figures show it ("Tiếp cận dịch vụ"). All or nothing, row and column named."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.tabular import ImportFailed, ImportProblem, Table, cell_text, parse_decimal
from frameworks.survey_binding import OFFICIALS_DIMENSIONS, SIPAS_DIMENSIONS
from units.models import Unit

from .dossiers import parse_count
from .microdata import UNIT_HEADERS, find_column, header_key, row_unit, unit_lookup

RESPONDENT_HEADERS = {"n", "số phiếu", "số người trả lời", "respondents"}
KNOWN = {**SIPAS_DIMENSIONS, **OFFICIALS_DIMENSIONS}
ALIASES = (
    {header_key(key): key for key in KNOWN}
    | {header_key(str(label)): key for key, label in KNOWN.items()}
    | {header_key("chỉ số sipas"): "overall", header_key("sipas"): "overall"}
)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PublishedRow:
    unit: Unit
    values: dict[str, Decimal]  # dimension → share in [0, 1]
    respondents: int | None


def parse_percent(value) -> Decimal:
    """A percent 0–100 from a cell (“85,32”, “85.32 %”) as a share in [0, 1]; ValueError with the
    reason (translated)."""
    text = cell_text(value).replace("%", "").strip()
    number = parse_decimal(text) if not isinstance(value, int | float) else parse_decimal(value)
    if number is None:
        raise ValueError(_("“%(value)s” không phải là một số") % {"value": cell_text(value)})
    if not 0 <= number <= HUNDRED:
        raise ValueError(
            _("“%(value)s” nằm ngoài 0–100 (ghi theo phần trăm)") % {"value": cell_text(value)}
        )
    return (number / HUNDRED).quantize(Decimal("0.000001"))


def read_published(table: Table, units: dict[str, Unit]) -> list[PublishedRow]:
    unit_at = find_column(table, UNIT_HEADERS)
    n_at = find_column(table, RESPONDENT_HEADERS)
    problems, dimension_at = [], {}
    if unit_at is None:
        problems.append(ImportProblem(1, None, _("thiếu cột “mã đơn vị”")))
    for index, name in enumerate(table.header):
        if index in (unit_at, n_at) or not cell_text(name):
            continue
        key = ALIASES.get(header_key(name))
        if key is None:
            problems.append(
                ImportProblem(
                    1,
                    table.column_label(index),
                    _(
                        "“%(name)s” không phải là chỉ số, thành phần hay chỉ tiêu nào; dùng một trong: %(known)s"
                    )
                    % {"name": cell_text(name), "known": ", ".join(KNOWN)},
                )
            )
        elif key in dimension_at:
            problems.append(
                ImportProblem(
                    1, table.column_label(index), _("cột “%(key)s” có hai lần") % {"key": key}
                )
            )
        else:
            dimension_at[key] = index
    if not dimension_at and not problems:
        problems.append(ImportProblem(1, None, _("bảng không có cột chỉ số nào")))
    if problems:
        raise ImportFailed(problems)

    unit_of, rows, seen = unit_lookup(units), [], {}
    for number, values in table.rows:
        cells = list(values) + [None] * (len(table.header) - len(values))
        unit = row_unit(unit_of, table, number, cells, unit_at, problems)
        if unit is not None and unit.pk in seen:
            problems.append(
                ImportProblem(
                    number,
                    table.column_label(unit_at),
                    _("đơn vị mã “%(code)s” đã có ở dòng %(row)s")
                    % {"code": cell_text(cells[unit_at]), "row": seen[unit.pk]},
                )
            )
        elif unit is not None:
            seen[unit.pk] = number
        shares = {}
        for key, at in dimension_at.items():
            if not cell_text(cells[at]):
                continue  # not published for this unit
            try:
                shares[key] = parse_percent(cells[at])
            except ValueError as exc:
                problems.append(ImportProblem(number, table.column_label(at), str(exc)))
        respondents = None
        if n_at is not None and cell_text(cells[n_at]):
            try:
                respondents = parse_count(cells[n_at])
            except ValueError as exc:
                problems.append(ImportProblem(number, table.column_label(n_at), str(exc)))
        if unit is not None:
            rows.append(PublishedRow(unit, shares, respondents))
    if not table.rows:
        problems.append(ImportProblem(None, None, _("Bảng không có dòng số liệu nào.")))
    if problems:
        raise ImportFailed(problems)
    return rows


@dataclass(frozen=True)
class ShownFigure:
    label: str
    percent: Decimal
    respondents: int | None


def unit_published(wave, unit: Unit) -> tuple[list[ShownFigure], object | None]:
    """What an institute published for `unit` in `wave`, the index first then in the figures' order,
    with the source document they came from (None when nothing was imported)."""
    order = {key: i for i, key in enumerate(KNOWN)}
    found = sorted(
        wave.published_figures.filter(unit=unit).select_related("source"),
        key=lambda f: order.get(f.dimension, len(order)),
    )
    rows = [
        ShownFigure(str(KNOWN.get(f.dimension, f.dimension)), f.value * HUNDRED, f.respondents)
        for f in found
    ]
    return rows, (found[0].source if found else None)
