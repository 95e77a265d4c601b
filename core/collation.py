"""Vietnamese alphabetical order for names of units, people and tasks, in Python and in SQL (docs/ui.md).

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: ă, â, đ, ê, ô, ơ, ư are
letters of their own, after their plain letter. Tones (huyền, hỏi, ngã, sắc, nặng: CLDR's order) and
letter case only decide between names that are otherwise the same letters, so "Hà Đông" comes before
"Hoàng Mai" and "Ô Chợ Dừa" comes after every name in O.

SQL orders by `by_name(field)`: on PostgreSQL the ICU collation `vi_icu` (created by units' migration
0003), on SQLite the same name registered on each connection with `compare` below (parindex/apps.py).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.db.models import F
from django.db.models.functions import Collate

COLLATION = "vi_icu"

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {letter: index for index, letter in enumerate(_ALPHABET)}
# Combining marks that make a letter of its own: breve (ă), circumflex (â ê ô), horn (ơ ư).
_SHAPES = {
    "\u0306": {"a": "ă"},
    "\u0302": {"a": "â", "e": "ê", "o": "ô"},
    "\u031b": {"o": "ơ", "u": "ư"},
}
# Tones after the unmarked letter, in CLDR's Vietnamese order: huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Primary weights: spaces and punctuation, then digits, then letters, then anything else.
_SPACE, _DIGIT, _ALPHA, _OTHER = 0, 100, 200, 1000


@lru_cache(maxsize=4096)
def _weights(char: str) -> tuple[int, int, int]:
    """(letter, tone, case) weights of one character."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    lower = base.lower()
    case = 0 if base == lower else 1
    tone = 0
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        else:
            lower = _SHAPES.get(mark, {}).get(lower, lower)
    if lower in _LETTER:
        return _ALPHA + _LETTER[lower], tone, case
    if lower.isdigit():
        return _DIGIT + int(lower), 0, 0
    if lower.isspace() or not lower.isalnum():
        return _SPACE + (0 if lower.isspace() else 1), 0, 0
    return _OTHER + ord(lower), tone, case


def sort_key(text) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A key for sorted(): letters first, then tones, then case, each compared left to right."""
    text = unicodedata.normalize("NFC", " ".join(str(text or "").split()))
    weights = [_weights(char) for char in text]
    return (
        tuple(w[0] for w in weights),
        tuple(w[1] for w in weights),
        tuple(w[2] for w in weights),
    )


def compare(left: str, right: str) -> int:
    """-1, 0 or 1, as SQLite's create_collation wants."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def by_name(field: str = "name") -> Collate:
    """An order_by() term that sorts `field` in Vietnamese order on PostgreSQL and SQLite alike."""
    return Collate(F(field), COLLATION)


def register(connection) -> None:
    """Give a new SQLite connection the collation `by_name` asks for (PostgreSQL has it from the
    units migration); connected to connection_created in parindex/apps.py."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)
