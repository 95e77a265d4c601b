"""The sealing of two-factor secrets: AES-GCM with the row's context, and secrets sealed the old way
(version 1, an HMAC keystream) read and sealed again on use."""

import base64
import hashlib
import hmac
import secrets
import time

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils import timezone

from accounts import secretbox, totp, twofactor
from accounts.models import TOTPDevice
from conftest import enrolled


def legacy_seal(plaintext: bytes, context: str) -> str:
    """What accounts/secretbox.py stored before AES-GCM (version 1), written out independently."""
    master = (settings.TWO_FACTOR_KEY or settings.SECRET_KEY).encode()
    enc = hmac.new(master, b"parindex.two-factor.encrypt", hashlib.sha256).digest()
    mac = hmac.new(master, b"parindex.two-factor.authenticate", hashlib.sha256).digest()
    nonce = secrets.token_bytes(16)
    pad = hmac.new(enc, nonce, hashlib.sha256).digest()
    ciphertext = bytes(a ^ b for a, b in zip(plaintext, pad, strict=False))
    tag = hmac.new(mac, context.encode() + b"|" + nonce + ciphertext, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(b"\x01" + nonce + ciphertext + tag).decode("ascii")


def aesgcm_open(sealed: str, context: str) -> bytes:
    """Opens a current value with cryptography's AESGCM directly: the format is what the docs say."""
    raw = base64.urlsafe_b64decode(sealed)
    assert raw[0] == 2
    return AESGCM(secretbox.aead_key()).decrypt(raw[1:13], raw[13:], b"\x02" + context.encode())


def flip_a_byte(sealed: str, index: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(sealed))
    raw[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).decode("ascii")


def test_a_sealed_secret_is_aes_gcm_bound_to_its_context():
    secret = totp.new_secret()
    sealed = secretbox.seal(secret, "user:1|secret")
    assert len(base64.urlsafe_b64decode(sealed)) == 1 + 12 + len(secret) + 16
    assert aesgcm_open(sealed, "user:1|secret") == secret
    assert secretbox.open_sealed(sealed, "user:1|secret") == secret
    assert secretbox.is_current(sealed)
    for wrong in ("user:2|secret", "user:1|pending_secret"):
        with pytest.raises(secretbox.SecretBoxError):
            secretbox.open_sealed(sealed, wrong)


@pytest.mark.parametrize("index", [0, 5, 20, -1])  # version, nonce, ciphertext, tag
def test_a_tampered_value_is_refused(index):
    sealed = secretbox.seal(totp.new_secret(), "user:1|secret")
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.open_sealed(flip_a_byte(sealed, index), "user:1|secret")


def test_an_old_value_is_read_with_its_old_context_and_refused_when_changed():
    secret = totp.new_secret()
    old = legacy_seal(secret, "user:1")
    assert not secretbox.is_current(old)
    assert secretbox.open_sealed(old, "user:1|secret", legacy_context="user:1") == secret
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.open_sealed(old, "user:2|secret", legacy_context="user:2")
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.open_sealed(flip_a_byte(old, 20), "user:1|secret", legacy_context="user:1")


def test_an_old_secret_logs_in_and_is_sealed_again_with_aes_gcm(reviewer):
    secret = b"an-old-enrolment-key"
    TOTPDevice.objects.filter(user=reviewer).update(
        secret=legacy_seal(secret, f"user:{reviewer.pk}")
    )

    assert twofactor.verify_totp(reviewer, totp.totp(secret))

    stored = TOTPDevice.objects.get(user=reviewer).secret
    assert secretbox.is_current(stored)
    assert aesgcm_open(stored, f"user:{reviewer.pk}|secret") == secret
    # And it keeps working in its new form (at a later step: a used one may not come again).
    later = time.time() + 90
    assert twofactor.verify_totp(reviewer, totp.totp(secret, at=later), at=later)


def test_an_old_pending_secret_is_kept_and_sealed_again(officer_a):
    secret = b"a-pending-enrolment!"
    TOTPDevice.objects.create(
        user=officer_a,
        pending_secret=legacy_seal(secret, f"user:{officer_a.pk}"),
        pending_since=timezone.now(),
    )
    assert twofactor.pending_secret(officer_a) == secret
    stored = TOTPDevice.objects.get(user=officer_a).pending_secret
    assert aesgcm_open(stored, f"user:{officer_a.pk}|pending_secret") == secret


def test_an_old_secret_copied_onto_another_account_does_not_log_in(reviewer, council):
    secret = b"an-old-enrolment-key"
    TOTPDevice.objects.filter(user=council).update(
        secret=legacy_seal(secret, f"user:{reviewer.pk}")
    )
    assert not twofactor.verify_totp(council, totp.totp(secret))
    assert not secretbox.is_current(TOTPDevice.objects.get(user=council).secret)


def test_a_new_enrolment_is_sealed_with_aes_gcm(officer_a):
    enrolled(officer_a, b"twenty-bytes-secret!")
    stored = TOTPDevice.objects.get(user=officer_a).secret
    assert aesgcm_open(stored, f"user:{officer_a.pk}|secret") == b"twenty-bytes-secret!"
