"""How numbers, points, percentages and dates read, and how typed numbers are read back (docs/ui.md).

One place for the whole site, the exports and the documents: Vietnamese by default ("1.234,56",
"74,75 %" with a non-breaking space, "05/01/2026"), English separators when English is the active
language ("1,234.56", "74.75 %"; dates stay dd/mm/yyyy, as parindex/formats/en says).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import get_language

NBSP = "\u00a0"
MINUS = "\u2212"  # a typeset minus, read as "-"; printed numbers use "-", which Excel reads back
EMPTY = "–"

# (decimal separator, thousands separator) per language; Vietnamese for any other language.
_SEPARATORS = {"en": (".", ","), "vi": (",", ".")}


def separators(language: str | None = None) -> tuple[str, str]:
    """The (decimal, thousands) separators of a language, the active one by default."""
    language = (language or get_language() or "vi").split("-")[0].lower()
    return _SEPARATORS.get(language, _SEPARATORS["vi"])


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        # A stored value ("1.250" in rule parameters, JSON inputs) is canonical: a dot, no grouping.
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return parse_decimal(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    # repr() of a float is its shortest exact-looking form: 0.125 stays 0.125, so it rounds up.
    # float() first: numpy's numbers (statistics, charts) have a repr of their own.
    return Decimal(repr(float(value)))


def number(
    value,
    places: int | None = None,
    *,
    at_most: int | None = None,
    empty: str = EMPTY,
    grouping: bool = True,
) -> str:
    """A number in the active language: "1.234,56". With no places, as many as the value needs
    (561.00 → "561", 0.50 → "0,5"), or `at_most` that many (a figure: 97.1612 → "97,16", 561.00 →
    "561"); halves round up. No value reads as `empty`."""
    amount = _decimal(value)
    if amount is None:
        return empty
    if not amount.is_finite():
        return empty
    if at_most is not None:
        amount = amount.quantize(Decimal(1).scaleb(-at_most), rounding=ROUND_HALF_UP)
    if places is None:
        text = format(amount.normalize(), "f")
    else:
        text = format(amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    if negative and not (whole.strip("0") or fraction.strip("0")):
        negative = False  # "-0,00" reads as "0,00"
    point, thousands = separators()
    if grouping and len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = whole[:head] + "".join(
            thousands + whole[i : i + 3] for i in range(head, len(whole), 3)
        )
    return ("-" if negative else "") + whole + (point + fraction if fraction else "")


def quantity(value, unit: str = "", *, at_most: int = 2, empty: str = EMPTY) -> str:
    """A figure with its unit, never split from it: "561 cuộc" (as many places as it needs, at
    most two); a rate in percent always has two, as every percentage does: "90,00 %"."""
    if unit == "%":
        return percent(value, empty=empty)
    text = number(value, at_most=at_most, empty="")
    if not text:
        return empty
    return f"{text}{NBSP}{unit}" if unit else text


def points(value, *, empty: str = EMPTY) -> str:
    """Points always with two places: "1,25", "10,00"."""
    return number(value, 2, empty=empty)


def percent(value, places: int | None = 2, *, empty: str = EMPTY) -> str:
    """A value already in percent (0–100): "74,75 %", a non-breaking space before the sign. With no
    places, a threshold as it was set: "30 %", "62,5 %" (at most two places)."""
    text = number(value, places, at_most=2 if places is None else None, empty="")
    return f"{text}{NBSP}%" if text else empty


def share(value, places: int = 1, *, empty: str = EMPTY) -> str:
    """A share in [0, 1] as a percentage: 0.9716 → "97,2 %"."""
    amount = _decimal(value)  # a share is computed, never typed
    return percent(amount * 100 if amount is not None else None, places, empty=empty)


def signed(value, places: int = 2, *, empty: str = EMPTY) -> str:
    """A change with its sign: "+1,30", "-0,50"; "0,00" when it rounds to nothing."""
    text = number(value, places, empty="")
    if not text:
        return empty
    if text.startswith("-") or not text.strip("0,."):
        return text
    return "+" + text


def day(value, *, empty: str = EMPTY) -> str:
    """A date as dd/mm/yyyy; a moment in local time; an ISO text ("2026-01-05") as well."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d/%m/%Y")


def moment(value, *, seconds: bool = False, empty: str = EMPTY) -> str:
    """A moment in local time: "05/01/2026 14:30"."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return day(value, empty=empty)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


# ---------------------------------------------------------------- reading what people type

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


def parse_decimal(text, *, language: str | None = None) -> Decimal | None:
    """What a person typed as a number, in either convention: "0,5", "0.5", "1.234,56", "1,234.56",
    "1 234,5", "−2". None for an empty text; ValueError for something that is not a number.

    A lone separator is the decimal one ("0.5" and "0,5" are both a half), except when it is the
    active language's thousands separator and splits the digits in threes ("1.234" in Vietnamese is
    1234, in English 1.234). With both present, the last one is the decimal separator.
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    raw = _SPACES.sub("", str(text)).replace(MINUS, "-")
    if not raw:
        return None
    sign = ""
    if raw[0] in "+-":
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:]
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        point = "." if raw.rfind(".") > raw.rfind(",") else ","
        grouping = "," if point == "." else "."
        if raw.count(point) > 1 or not _GROUPED.match(raw.rpartition(point)[0]):
            raise ValueError(text)
        raw = raw.replace(grouping, "").replace(point, ".")
    elif dots or commas:
        mark = "." if dots else ","
        thousands = separators(language)[1]
        if (dots + commas > 1 or mark == thousands) and _GROUPED.match(raw):
            raw = raw.replace(mark, "")
        elif dots + commas > 1:
            raise ValueError(text)
        else:
            raw = raw.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", raw):
        raise ValueError(text)
    try:
        return Decimal(sign + raw)
    except InvalidOperation as error:  # pragma: no cover - the pattern above admits only digits
        raise ValueError(text) from error


def parse_number_text(text) -> str | None:
    """A typed number as the canonical text the rules store ("0,5" → "0.5"); an unreadable text is
    returned as it is so that the rule's own check names it."""
    if text is None or str(text).strip() == "":
        return None
    try:
        amount = parse_decimal(text)
    except ValueError:
        return str(text).strip()
    return format(amount, "f")
