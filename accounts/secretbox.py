"""Encryption at rest for the short secrets of two-factor login, with the standard library only.

A TOTP secret is 20 bytes. It is sealed with a one-block stream cipher and a tag (encrypt-then-MAC):
    keystream = HMAC-SHA-256(enc_key, nonce)          (32 bytes, more than the secret needs)
    sealed    = nonce (16 random bytes) || secret XOR keystream || HMAC-SHA-256(mac_key, context || nonce || ciphertext)
HMAC-SHA-256 is a pseudo-random function, so a fresh random nonce gives a fresh one-time pad; the tag
binds the ciphertext to its row (`context`, e.g. the user id), so a sealed secret copied onto another
account does not open. The two keys are derived from TWO_FACTOR_KEY (by default SECRET_KEY): a database
dump alone does not reveal any secret. Changing the key makes every enrolment unreadable: users then
enrol again (docs/security.md).
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

VERSION = b"\x01"
NONCE_BYTES = 16
TAG_BYTES = 32
MAX_PLAINTEXT = 32


class SecretBoxError(ValueError):
    """The sealed value was changed, belongs to another row, or was sealed under another key."""


def _keys() -> tuple[bytes, bytes]:
    master = (getattr(settings, "TWO_FACTOR_KEY", "") or settings.SECRET_KEY).encode()
    enc = hmac.new(master, b"parindex.two-factor.encrypt", hashlib.sha256).digest()
    mac = hmac.new(master, b"parindex.two-factor.authenticate", hashlib.sha256).digest()
    return enc, mac


def seal(plaintext: bytes, context: str) -> str:
    if len(plaintext) > MAX_PLAINTEXT:
        raise ValueError("secretbox seals at most 32 bytes")
    enc, mac = _keys()
    nonce = secrets.token_bytes(NONCE_BYTES)
    pad = hmac.new(enc, nonce, hashlib.sha256).digest()
    ciphertext = bytes(a ^ b for a, b in zip(plaintext, pad, strict=False))
    tag = hmac.new(mac, context.encode() + b"|" + nonce + ciphertext, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(VERSION + nonce + ciphertext + tag).decode("ascii")


def open_sealed(sealed: str, context: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise SecretBoxError("not a sealed value") from exc
    if len(raw) < 1 + NONCE_BYTES + TAG_BYTES or raw[:1] != VERSION:
        raise SecretBoxError("not a sealed value")
    nonce = raw[1 : 1 + NONCE_BYTES]
    ciphertext = raw[1 + NONCE_BYTES : -TAG_BYTES]
    tag = raw[-TAG_BYTES:]
    enc, mac = _keys()
    expected = hmac.new(mac, context.encode() + b"|" + nonce + ciphertext, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise SecretBoxError("the sealed value does not authenticate")
    pad = hmac.new(enc, nonce, hashlib.sha256).digest()
    return bytes(a ^ b for a, b in zip(ciphertext, pad, strict=False))


def keyed_hash(value: str, context: str) -> str:
    """A keyed digest for one-time recovery codes: useless without the key, quick to check."""
    _, mac = _keys()
    return hmac.new(mac, f"recovery|{context}|{value}".encode(), hashlib.sha256).hexdigest()
