"""The model's guard: every number in a model's answer must be one a tool returned in that
conversation. Numbers are compared as values, whichever way they are written: "87,80", "87,8" and
"87.8" are one number; "1.234" (Vietnamese thousands) is 1234 or 1.234, "1.234,5" is 1234.5."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


def readings(token: str) -> set[Decimal]:
    """Every value a written number may mean."""
    dots, commas = token.count("."), token.count(",")
    candidates: set[str] = set()
    if dots and commas:
        # The last separator is the decimal one: "1.234,5" (Vietnamese), "1,234.5" (English).
        decimal_mark = "," if token.rfind(",") > token.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        candidates.add(token.replace(thousands, "").replace(decimal_mark, "."))
    elif dots + commas == 0:
        candidates.add(token)
    else:
        mark = "." if dots else ","
        parts = token.split(mark)
        if len(parts) > 2:
            candidates.add("".join(parts))  # "1.234.567": thousands only
        else:
            candidates.add(f"{parts[0]}.{parts[1]}")  # "87,80", "87.8": a decimal
            if len(parts[1]) == 3:
                candidates.add("".join(parts))  # "1.234", "1,234": or thousands
    return {value for value in map(_decimal, candidates) if value is not None}


def numbers(text: str) -> list[tuple[str, set[Decimal]]]:
    """The numbers written in a text, each with its readings."""
    return [(m.group(0), readings(m.group(0))) for m in _NUMBER.finditer(text)]


def allowed(texts) -> set[Decimal]:
    """Every value the tools' results hold (in any of their readings)."""
    values: set[Decimal] = set()
    for text in texts:
        for _token, found in numbers(text):
            values |= found
    return values


def invented(answer: str, sources) -> list[str]:
    """The numbers of `answer` that none of `sources` (the tools' results as JSON text) holds."""
    known = allowed(sources)
    return [token for token, found in numbers(answer) if not found & known]
