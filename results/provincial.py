"""The city's series in the national indices (PAR Index, SIPAS, PAPI by year), each value with its
published source: entered and corrected by the city's secretariat, audited, shown beside the city's
own results (docs/results.md, "Chuỗi chỉ số cấp tỉnh")."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record
from core.permissions import require

from .models import ProvincialSeries, ProvincialValue
from .permissions import can_enter_provincial

# The review period of the 2021–2025 plan (seeds/003); a value may be entered for any year from 2010.
REVIEW_YEARS = range(2021, 2026)
FIRST_YEAR, LAST_YEAR = 2010, 2100


class ProvincialError(Exception):
    """A refused value, with a message for the user."""


def _fields(row: ProvincialValue | None) -> dict | None:
    if row is None:
        return None
    return {
        "value": str(row.value),
        "rank": row.rank,
        "source": row.source,
        "link": row.link,
    }


@transaction.atomic
def save_value(
    actor,
    series: str,
    year: int,
    value: Decimal,
    source: str,
    *,
    rank: int | None = None,
    link: str = "",
) -> ProvincialValue:
    """A year's value of a series, new or corrected (the correction's before and after are audited)."""
    require(
        actor,
        can_enter_provincial,
        gettext_lazy("Chỉ Thư ký (Sở Nội vụ) nhập chỉ số cấp tỉnh của Thành phố."),
    )
    if series not in ProvincialSeries.values:
        raise ProvincialError(
            _("Chỉ số “%(series)s” không có trong danh sách.") % {"series": series}
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ProvincialError(_("Năm phải từ %(first)s.") % {"first": FIRST_YEAR})
    if value < 0:
        raise ProvincialError(_("Giá trị không được âm."))
    if not source.strip():
        raise ProvincialError(_("Cần ghi nguồn công bố (văn bản, trang công bố)."))
    current = ProvincialValue.objects.select_for_update().filter(series=series, year=year).first()
    before = _fields(current)
    row = current or ProvincialValue(series=series, year=year)
    row.value, row.rank, row.source, row.link = value, rank, source.strip(), link.strip()
    row.updated_by = actor
    row.save()
    record(actor, "results.provincial_value", row, before=before, after=_fields(row))
    return row


def table() -> dict:
    """{"years": [...], "rows": [{"series", "label", "values": [ProvincialValue | None per year]}]}: the
    review's years and any other year entered."""
    found = defaultdict(dict)
    for row in ProvincialValue.objects.all():
        found[row.series][row.year] = row
    years = sorted({*REVIEW_YEARS, *(y for by_year in found.values() for y in by_year)})
    return {
        "years": years,
        "rows": [
            {
                "series": series,
                "label": label,
                "values": [found[series].get(year) for year in years],
            }
            for series, label in ProvincialSeries.choices
        ],
    }
