"""Times typed by people (phases, waves, report deadlines) lie within the years the platform serves.

A slip such as 01/01/0001 would otherwise be stored: in Hà Nội time (+7) it falls before year 1 in UTC,
which Python cannot hold, and every page reading it back would fail.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

YEARS = (2000, 2100)
OUT_OF_RANGE = _("Thời điểm phải trong các năm %(low)s–%(high)s.")


def out_of_range(moment: datetime) -> str | None:
    """The message for a moment outside YEARS, in the active language, or None (for the services)."""
    low, high = YEARS
    return None if low <= moment.year <= high else str(OUT_OF_RANGE) % {"low": low, "high": high}


def within_years(moment: datetime) -> None:
    """Validator of form fields."""
    if out_of_range(moment):
        low, high = YEARS
        raise ValidationError(OUT_OF_RANGE, code="out_of_range", params={"low": low, "high": high})
