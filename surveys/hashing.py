"""Keyed hashes: the survey room keeps secrets (invitation codes, dossier numbers, addresses, devices)
only as HMACs, under a key of their own per kind derived from SURVEY_HASH_KEY (or SECRET_KEY).

It reads Django's settings and nothing else of the app, so that bench/survey_intake.py's ceiling can
hash as the app does by calling it."""

import functools
import hashlib
import hmac

from django.conf import settings


@functools.lru_cache(maxsize=16)
def _hash_key(kind: str, secret: str) -> bytes:
    return hashlib.sha256(f"parindex-surveys:{kind}:{secret}".encode()).digest()


def keyed_hash(kind: str, value: str) -> str:
    key = _hash_key(kind, settings.SURVEY_HASH_KEY or settings.SECRET_KEY)
    return hmac.digest(key, value.strip().upper().encode(), "sha256").hex()
