"""Keyed hashes: the survey room keeps secrets (invitation codes, dossier numbers, addresses, devices)
only as HMACs, under a key of their own per kind derived from SURVEY_HASH_KEY (or SECRET_KEY).

It reads Django's settings and nothing else of the app, so that bench/survey_intake.py's ceiling can
hash as the app does by calling it."""

import functools
import hashlib
import hmac
import re
import unicodedata

from django.conf import settings


@functools.lru_cache(maxsize=16)
def _hash_key(kind: str, secret: str) -> bytes:
    return hashlib.sha256(f"parindex-surveys:{kind}:{secret}".encode()).digest()


# Kinds whose value a person types or pastes (from paper, a receipt, a phone's keyboard): each is
# normalised by `normalise_code` before it is hashed, so that every way of typing it gives one hash.
CODE_KINDS = frozenset({"code", "dossier"})

# Hyphens and dashes a keyboard, a word processor or a PDF puts where "-" was printed. NFKC already
# folds the full-width and small hyphen-minus (U+FF0D, U+FE63) into "-" and U+2011 into U+2010.
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58]")


def normalise_code(value: str) -> str:
    """A dossier or invitation code as typed → the one form that is hashed and looked up.

    NFKC folds full-width letters and digits (`ＨＳ-PT-0001`), other compatibility forms and the
    Unicode spaces into their plain form; dashes become "-"; the ends are stripped and letters
    upper-cased. Inner ASCII spaces are kept as typed: a printable ASCII code comes out exactly as
    `value.strip().upper()`, the form hashed before this function existed, so the hashes of codes
    already issued and dossiers already rated still match. Idempotent (tests/test_code_normalising.py)."""
    text = unicodedata.normalize("NFKC", value)
    # Upper-casing may leave a sequence NFKC composes (Greek with two accents): normalise again.
    text = unicodedata.normalize("NFKC", text.upper())
    return _DASHES.sub("-", text).strip()


def keyed_hash(kind: str, value: str) -> str:
    key = _hash_key(kind, settings.SURVEY_HASH_KEY or settings.SECRET_KEY)
    text = normalise_code(value) if kind in CODE_KINDS else value.strip().upper()
    return hmac.digest(key, text.encode(), "sha256").hex()
