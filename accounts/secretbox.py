"""Encryption at rest for the short secrets of two-factor login: AES-256-GCM from `cryptography`.

    sealed = base64url(VERSION || nonce (12 random bytes) || AES-GCM(key, nonce, secret, VERSION || context))
The context (the row's user and field, e.g. "user:7|secret") is authenticated with the ciphertext, so a
sealed secret copied onto another account or field does not open, and any change to it is refused. The
key is derived from TWO_FACTOR_KEY (by default SECRET_KEY): a database dump alone does not reveal any
secret. Changing the key makes every enrolment unreadable: users then enrol again (docs/security.md).

Values sealed by the earlier home-made scheme (version 1, an HMAC keystream with an HMAC tag) are still
opened; `is_current` tells the callers to seal them again in the current format.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

VERSION = b"\x02"
NONCE_BYTES = 12  # 96 bits, GCM's own size; random, so a key must seal far fewer than 2**32 values
TAG_BYTES = 16
MAX_PLAINTEXT = 32

LEGACY_VERSION = b"\x01"
LEGACY_NONCE_BYTES = 16
LEGACY_TAG_BYTES = 32


class SecretBoxError(ValueError):
    """The sealed value was changed, belongs to another row, or was sealed under another key."""


def _master() -> bytes:
    return (getattr(settings, "TWO_FACTOR_KEY", "") or settings.SECRET_KEY).encode()


def _derive(label: bytes) -> bytes:
    return hmac.new(_master(), label, hashlib.sha256).digest()


def aead_key() -> bytes:
    """The AES-256 key of the current format."""
    return _derive(b"parindex.two-factor.aes-gcm")


def seal(plaintext: bytes, context: str) -> str:
    if len(plaintext) > MAX_PLAINTEXT:
        raise ValueError("secretbox seals at most 32 bytes")
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(aead_key()).encrypt(nonce, plaintext, VERSION + context.encode())
    return base64.urlsafe_b64encode(VERSION + nonce + ciphertext).decode("ascii")


def _decode(sealed: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(sealed.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise SecretBoxError("not a sealed value") from exc


def is_current(sealed: str) -> bool:
    """Whether `sealed` is in the current format (else open it and seal it again)."""
    try:
        return _decode(sealed)[:1] == VERSION
    except SecretBoxError:
        return False


def open_sealed(sealed: str, context: str, *, legacy_context: str | None = None) -> bytes:
    """The secret, if `sealed` was sealed under this key for this context.

    A version-1 value was bound to `legacy_context` (the context its caller used then), or to
    `context` when none is given."""
    raw = _decode(sealed)
    if raw[:1] == LEGACY_VERSION:
        return _open_legacy(raw, context if legacy_context is None else legacy_context)
    if len(raw) < 1 + NONCE_BYTES + TAG_BYTES or raw[:1] != VERSION:
        raise SecretBoxError("not a sealed value")
    nonce, ciphertext = raw[1 : 1 + NONCE_BYTES], raw[1 + NONCE_BYTES :]
    try:
        return AESGCM(aead_key()).decrypt(nonce, ciphertext, VERSION + context.encode())
    except InvalidTag as exc:
        raise SecretBoxError("the sealed value does not authenticate") from exc


def _open_legacy(raw: bytes, context: str) -> bytes:
    """Version 1: nonce (16) || secret XOR HMAC(enc, nonce) || HMAC(mac, context | nonce || ciphertext)."""
    if len(raw) < 1 + LEGACY_NONCE_BYTES + LEGACY_TAG_BYTES:
        raise SecretBoxError("not a sealed value")
    nonce = raw[1 : 1 + LEGACY_NONCE_BYTES]
    ciphertext = raw[1 + LEGACY_NONCE_BYTES : -LEGACY_TAG_BYTES]
    tag = raw[-LEGACY_TAG_BYTES:]
    enc = _derive(b"parindex.two-factor.encrypt")
    mac = _derive(b"parindex.two-factor.authenticate")
    expected = hmac.new(mac, context.encode() + b"|" + nonce + ciphertext, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise SecretBoxError("the sealed value does not authenticate")
    pad = hmac.new(enc, nonce, hashlib.sha256).digest()
    return bytes(a ^ b for a, b in zip(ciphertext, pad, strict=False))


def keyed_hash(value: str, context: str) -> str:
    """A keyed digest for one-time recovery codes: useless without the key, quick to check."""
    mac = _derive(b"parindex.two-factor.authenticate")
    return hmac.new(mac, f"recovery|{context}|{value}".encode(), hashlib.sha256).hexdigest()
