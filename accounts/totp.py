"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), with the standard library only.

Authenticator apps (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis…) expect what the
defaults here give: HMAC-SHA-1, 6 digits, 30-second steps counted from the Unix epoch, the secret in
base32 without padding. Nothing in this module touches the database or a request.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, the length RFC 4226 recommends for HMAC-SHA-1
# Codes of the step before and after the current one are accepted too: a phone's clock may be a little
# off, and a code typed in the last seconds of its step arrives in the next one.
DRIFT_STEPS = 1


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def to_base32(secret: bytes) -> str:
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def from_base32(text: str) -> bytes:
    cleaned = "".join(text.split()).replace("-", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(secret: bytes, counter: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226 section 5.3: HMAC of the 8-byte counter, dynamic truncation, the last `digits` digits."""
    mac = hmac.new(secret, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_at(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp(secret: bytes, at: float | None = None, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """The code shown by an authenticator at Unix time `at` (now by default)."""
    return hotp(secret, step_at(at), digits, digest)


def matching_step(
    secret: bytes, code: str, *, at: float | None = None, after_step: int = -1
) -> int | None:
    """The time step whose code equals `code`, near `at`, strictly later than `after_step`; else None.

    `after_step` is the step of the code last accepted for this secret: a code is good once, and no
    code older than one already used is accepted either (RFC 6238 section 5.2).
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(at)
    found = None
    # Compare against every candidate, so the time taken does not tell which one matched.
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(hotp(secret, step), code) and found is None:
            found = step
    return found


def provisioning_uri(secret: bytes, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code (Key Uri Format)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": to_base32(secret),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as an inline <svg> element (no file, no external request)."""
    import segno

    return segno.make(uri, error="m").svg_inline(scale=5, title="QR", border=4)


def grouped(secret: bytes) -> str:
    """The base32 secret in groups of four, for typing it into an app by hand."""
    text = to_base32(secret)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
