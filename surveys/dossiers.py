"""Per-unit dossier counts read from a table (`mã đơn vị | số hồ sơ`), for proposing sample targets.

All or nothing: every problem is reported with its row and column, and no count is returned if any."""

import re
import unicodedata

from django.utils.translation import gettext as _

from core.tabular import (
    ImportFailed,
    ImportProblem,
    Table,
    cell_text,
    parse_decimal,
    read_table,
)
from units.models import Unit

CODE_HEADERS = {"mã đơn vị", "mã", "unit_code", "code"}
COUNT_HEADERS = {"số hồ sơ", "hồ sơ", "dossiers"}
# 10.000, 10,000 and 10 000 are ten thousand: a count has no decimals, so a separator before
# groups of three digits can only group thousands (whichever the spreadsheet's language).
GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def _header(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _column(table: Table, names: set[str]) -> int | None:
    return next((i for i, name in enumerate(table.header) if _header(name) in names), None)


def parse_count(value) -> int:
    """A whole, non-negative number of dossiers from a cell; ValueError with the reason (translated)."""
    if isinstance(value, bool):
        raise ValueError(_("không phải là một số"))
    if isinstance(value, int):
        number = value
    else:
        text = cell_text(value).replace("\u00a0", "").replace(" ", "")
        if not text:
            raise ValueError(_("thiếu số hồ sơ"))
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        if GROUPED.fullmatch(digits):
            number = int(sign + re.sub(r"[.,]", "", digits))
        else:
            decimal = parse_decimal(text)
            if decimal is None:
                raise ValueError(
                    _("“%(value)s” không phải là một số") % {"value": cell_text(value)}
                )
            if decimal != decimal.to_integral_value():
                raise ValueError(
                    _("số hồ sơ phải là số nguyên, không phải %(value)s")
                    % {"value": cell_text(value)}
                )
            number = int(decimal)
    if number < 0:
        raise ValueError(_("số hồ sơ không được âm (%(number)s)") % {"number": number})
    return number


def read_dossier_counts(
    data: bytes, filename: str, participants: dict[str, Unit]
) -> dict[Unit, int]:
    """{unit: N} for the wave's participating units (by code); raises ImportFailed naming every problem."""
    table = read_table(data, filename)
    code_at, count_at = _column(table, CODE_HEADERS), _column(table, COUNT_HEADERS)
    missing = [
        ImportProblem(1, None, _("thiếu cột “%(column)s”") % {"column": name})
        for name, at in (("mã đơn vị", code_at), ("số hồ sơ", count_at))
        if at is None
    ]
    if missing:
        raise ImportFailed(missing)
    # A spreadsheet may have turned 00070 into the number 70.
    by_bare_code = {code.lstrip("0"): unit for code, unit in participants.items()}
    problems, counts, seen = [], {}, {}
    rows = []
    for number, values in table.rows:
        cells = list(values) + [None] * (max(code_at, count_at) + 1 - len(values))
        code = cell_text(cells[code_at])
        rows.append((number, code, cells[count_at]))
    elsewhere = set(
        Unit.objects.filter(code__in=[code for _row, code, _raw in rows]).values_list(
            "code", flat=True
        )
    )
    for number, code, raw in rows:
        unit = participants.get(code) or (by_bare_code.get(code) if code.isdigit() else None)
        if not code:
            problems.append(
                ImportProblem(number, table.column_label(code_at), _("thiếu mã đơn vị"))
            )
        elif unit is None:
            reason = (
                _("đơn vị mã “%(code)s” không tham gia kỳ đánh giá của đợt khảo sát này")
                if code in elsewhere
                else _("không có đơn vị nào mang mã “%(code)s”")
            ) % {"code": code}
            problems.append(ImportProblem(number, table.column_label(code_at), reason))
        elif unit.pk in seen:
            problems.append(
                ImportProblem(
                    number,
                    table.column_label(code_at),
                    _("đơn vị mã “%(code)s” đã có ở dòng %(row)s")
                    % {"code": code, "row": seen[unit.pk]},
                )
            )
        else:
            seen[unit.pk] = number
        try:
            count = parse_count(raw)
        except ValueError as exc:
            problems.append(ImportProblem(number, table.column_label(count_at), str(exc)))
        else:
            if unit is not None:
                counts[unit] = count
    if not rows:
        problems.append(ImportProblem(None, None, _("Bảng không có dòng số liệu nào.")))
    if problems:
        raise ImportFailed(problems)
    return counts
